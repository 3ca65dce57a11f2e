#!/usr/bin/env bash
# Schema validation offline: the platform's Flux tree checked against the Kubernetes
# version its environments run (1.30) and Flux's CRDs. The schema folder comes from
# `platci-schemas fetch --env ENV` in the scheduled pipeline; here it is assembled from
# the shared fixtures when they are present.
FIX=${PLATCI_FIXTURES:-../shared/fixtures}
if [ ! -f "$FIX/k8s-openapi/swagger-release-1.30.json" ]; then
  echo "== platci-schemas: skipped (no schema folder; run platci-schemas fetch --env ENV)"
  exit 0
fi
S=$(mktemp -d "${TMPDIR:-/tmp}/platci-demo-schemas.XXXXXX")
trap 'rm -rf "$S"' EXIT
for v in 1.30 1.31; do
  mkdir -p "$S/$v" && ln -s "$(cd "$FIX/k8s-openapi" && pwd)/swagger-release-$v.json" "$S/$v/openapi-v2.json"
done
echo "== platci-schemas list"
platci-schemas list --schemas "$S" --crds "$FIX/flux-crds" | sed 's/^/   /'
echo "== platci-schemas check --k8s-version 1.30 --partial gitops (overlays hold patches)"
platci-schemas check --schemas "$S" --k8s-version 1.30 --partial --crds "$FIX/flux-crds" gitops 2>&1 |
  grep -v 'warning: no schema for' | sed 's/^/   /'
rc=${PIPESTATUS[0]}
[ $rc -le 1 ] || exit $rc
