#!/usr/bin/env bash
# Promotion over a real Flux repository from the shared fixtures
# (fluxcd/flux2-kustomize-helm-example): staging -> production.
. "$(dirname "$0")/../lib/common.sh"
need_fixtures gitops/flux2-kustomize-helm-example
P=$PLATCI_BIN/platci-promote
for src in "$PLATCI_FIXTURES"/gitops/flux2-kustomize-helm-example/*/; do
  name=$(basename "$src")
  tree=$T_TMP/$name
  cp -R "$src" "$tree"
  mkdir -p "$tree/infra/staging" "$tree/infra/production"
  cat > "$tree/platci.yaml" <<'YAML'
version: 1
environments:
  - name: staging
    infra: infra/staging
    cluster: clusters/staging
    overlay: apps/staging
  - name: production
    infra: infra/production
    cluster: clusters/production
    overlay: apps/production
    promote_from: staging
YAML
  (cd "$tree" && cp -R . "$T_TMP/$name.before")
  if expect_exit 0 -- "$P" --config "$tree/platci.yaml" --from staging --to production --reports "$T_TMP/r-$name"; then
    grep -q '^-      version: ">=1.0.0"' "$T_TMP/r-$name/promotion.diff" || fail "$name: chart version not promoted"
    grep -q '^+      version: ">=1.0.0-alpha"' "$T_TMP/r-$name/promotion.diff" || fail "$name: new chart version"
    jq -e '.changes[0].key == "helm:podinfo/podinfo.version"' "$T_TMP/r-$name/promotion.json" >/dev/null || fail "$name: pin identity"
  fi
  diff -r "$T_TMP/$name.before" "$tree" >/dev/null || fail "$name: a dry run changed files"
done
finish
