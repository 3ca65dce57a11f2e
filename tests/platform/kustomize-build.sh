#!/bin/sh
# `kubectl kustomize` builds every kustomization under gitops/ (clusters,
# bases and every per-environment overlay), and each environment has all
# four entry points the platci config names.
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$PLATCI_SOURCE_DIR" || fail "cannot cd to $PLATCI_SOURCE_DIR"
command -v kubectl >/dev/null 2>&1 || skip "kubectl not installed"
[ -d gitops ] || fail "gitops/ missing"
make_tmp

for env in $ENVIRONMENTS; do
	for d in gitops/clusters/$env gitops/infrastructure/controllers/$env \
		gitops/infrastructure/configs/$env gitops/apps/$env; do
		[ -f "$d/kustomization.yaml" ] || fail "$d/kustomization.yaml missing"
	done
done

n=0
find gitops -name kustomization.yaml | sort >"$TMPD/list"
while read -r k; do
	d=$(dirname "$k")
	if ! kubectl kustomize "$d" >"$TMPD/out.yaml" 2>"$TMPD/err"; then
		cat "$TMPD/err" >&2
		fail "kubectl kustomize $d failed"
	fi
	grep -q '^kind:' "$TMPD/out.yaml" || fail "kubectl kustomize $d produced no objects"
	n=$((n + 1))
done <"$TMPD/list"
[ "$n" -gt 0 ] || fail "no kustomization.yaml found under gitops/"
pass "$n kustomizations build"
