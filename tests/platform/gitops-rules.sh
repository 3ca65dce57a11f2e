#!/bin/sh
# Each environment's built Flux tree (cluster + infra-controllers +
# infra-configs + apps) satisfies what the platci engine relies on and what
# platci-validate enforces: flux-system sync on main, the Kustomization chain
# with dependsOn/prune/paths, current Flux APIs, HelmRelease sources defined,
# ownership labels, platform-registry images with tags, requests/limits, no
# privileged or host namespaces, GPU tolerations + node selection,
# default-deny per namespace, no duplicate objects; and that version pins
# differ dev -> stg -> prd (digests in stg/prd, exact charts outside dev,
# a setter marker, a *_VERSION substitution) so promotion has work.
# A deliberately broken overlay must be rejected.
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$PLATCI_SOURCE_DIR" || fail "cannot cd to $PLATCI_SOURCE_DIR"
command -v kubectl >/dev/null 2>&1 || skip "kubectl not installed"
need_node
make_tmp

build_env() { # OUTDIR ROOT ENV
	mkdir -p "$1/$3"
	kubectl kustomize "$2/gitops/clusters/$3" >"$1/$3/cluster.yaml" &&
		kubectl kustomize "$2/gitops/infrastructure/controllers/$3" >"$1/$3/controllers.yaml" &&
		kubectl kustomize "$2/gitops/infrastructure/configs/$3" >"$1/$3/configs.yaml" &&
		kubectl kustomize "$2/gitops/apps/$3" >"$1/$3/apps.yaml"
}

for env in $ENVIRONMENTS; do
	build_env "$TMPD/good" . "$env" || fail "kustomize build failed for $env"
done
# shellcheck disable=SC2086
node tests/platform/lib/gitops-rules.js "$TMPD/good" $ENVIRONMENTS >"$TMPD/good.log" 2>&1 ||
	{ cat "$TMPD/good.log" >&2; fail "gitops rules"; }

# Negative: a copy whose prd overlay floats a chart version and runs vLLM
# without its GPU toleration must fail.
mkdir -p "$TMPD/bad"
cp -R gitops "$TMPD/bad/" || fail "copy"
sed 's/version: "0.15.4"/version: "0.15.x"/' gitops/apps/prd-uaenorth/helm-versions.yaml \
	>"$TMPD/bad/gitops/apps/prd-uaenorth/helm-versions.yaml"
cat >>"$TMPD/bad/gitops/apps/prd-uaenorth/kustomization.yaml" <<'EOF_PATCH'
  - patch: |
      - op: remove
        path: /spec/template/spec/tolerations
    target:
      kind: Deployment
      name: vllm
EOF_PATCH
for env in $ENVIRONMENTS; do
	build_env "$TMPD/badbuild" "$TMPD/bad" "$env" || fail "kustomize build of the broken copy failed"
done
# shellcheck disable=SC2086
if PLATCI_SOURCE_DIR=$TMPD/bad node tests/platform/lib/gitops-rules.js "$TMPD/badbuild" $ENVIRONMENTS >"$TMPD/bad.log" 2>&1; then
	fail "the broken copy passed"
fi
grep -q 'is not exact' "$TMPD/bad.log" || { cat "$TMPD/bad.log" >&2; fail "floating prd chart not reported"; }
grep -q 'toleration' "$TMPD/bad.log" || { cat "$TMPD/bad.log" >&2; fail "missing GPU toleration not reported"; }

pass "3 environments"
