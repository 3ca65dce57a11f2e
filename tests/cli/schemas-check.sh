#!/usr/bin/env bash
# platci-schemas check and list over the Kubernetes 1.30/1.31 OpenAPI documents and
# Flux's CRDs: the planted defects are found at their lines (tests/golden/schemas/README.md
# says how the expected output was worked out), a clean file passes, list shows removals.
. "$(dirname "$0")/../lib/common.sh"
need_fixtures k8s-openapi
need_fixtures flux-crds
S=$T_TMP/schemas
mkdir -p "$S/1.30" "$S/1.31"
ln -s "$PLATCI_FIXTURES/k8s-openapi/swagger-release-1.30.json" "$S/1.30/openapi-v2.json"
ln -s "$PLATCI_FIXTURES/k8s-openapi/swagger-release-1.31.json" "$S/1.31/openapi-v2.json"
run() { "$PLATCI_BIN/platci-schemas" "$@"; }
P=tests/resources/schemas/planted

expect_exit 1 -- run check --schemas "$S" --k8s-version 1.31 --strict \
  --crds "$PLATCI_FIXTURES/flux-crds" "$P" &&
  { diff -u tests/golden/schemas/planted-strict-1.31.txt "$T_TMP/out" && pass "planted defects (strict)" ||
    fail "check --strict output differs from the golden"; }
assert_contains "$T_TMP/err" "4 objects in 4 files checked against Kubernetes 1.31: 5 violations, 1 removed APIs, 0 unknown kinds (strict)"

# without --strict: no unknown-field lines, the rest stays
expect_exit 1 -- run check --schemas "$S" --k8s-version 1.31 --crds "$PLATCI_FIXTURES/flux-crds" "$P" &&
  { grep -v 'unknown field' tests/golden/schemas/planted-strict-1.31.txt | diff -u - "$T_TMP/out" &&
    pass "planted defects (default)" || fail "check output differs without --strict"; }

# 1.30 still serves flowcontrol v1beta3: only the removal goes away
expect_exit 1 -- run check --schemas "$S" --k8s-version v1.30.5 --crds "$PLATCI_FIXTURES/flux-crds" "$P/removed.yaml" "$P/flux.yaml"
assert_not_contains "$T_TMP/out" "not served"

# unknown kinds warn, and fail only in strict mode
expect_exit 0 -- run check --schemas "$S" --k8s-version 1.31 "$P/flux.yaml" && pass "unknown kind is a warning"
assert_contains "$T_TMP/out" "warning: no schema for kustomize.toolkit.fluxcd.io/v1 Kustomization in Kubernetes 1.31"
expect_exit 1 -- run check --schemas "$S" --k8s-version 1.31 --strict "$P/flux.yaml" && pass "unknown kind fails --strict"

# a clean object passes; the version must be one the folder holds
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, creationTimestamp: null}\ndata: {a: "1"}\n' > "$T_TMP/ok.yaml"
expect_exit 0 -- run check --schemas "$S" --k8s-version 1.31 --strict "$T_TMP/ok.yaml" && pass "clean ConfigMap"
expect_exit 66 -- run check --schemas "$S" --k8s-version 1.29 "$T_TMP/ok.yaml" &&
  assert_contains "$T_TMP/err" "holds no schemas for Kubernetes 1.29"
expect_exit 64 -- run check --schemas "$S" "$T_TMP/ok.yaml" &&
  assert_contains "$T_TMP/err" "say which with --k8s-version"
expect_exit 64 -- run check --schemas "$S" --k8s-version latest "$T_TMP/ok.yaml"
expect_exit 66 -- run check --schemas "$S" --k8s-version 1.31 "$T_TMP/missing.yaml"
printf 'a: [1,\n' > "$T_TMP/broken.yaml"
expect_exit 65 -- run check --schemas "$S" --k8s-version 1.31 "$T_TMP/broken.yaml" &&
  assert_contains "$T_TMP/err" "broken.yaml:2:"

# list: versions, kinds and what 1.31 removed, derived from the two documents
expect_exit 0 -- run list --schemas "$S" --crds "$PLATCI_FIXTURES/flux-crds" && pass "list"
assert_contains "$T_TMP/out" "Kubernetes 1.30: 154 kinds from OpenAPI, 0 from CRDs"
assert_contains "$T_TMP/out" "removed in 1.31: flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema -> flowcontrol.apiserver.k8s.io/v1"
assert_contains "$T_TMP/out" "every version: 9 kinds from CRDs"
expect_exit 0 -- run list --schemas "$S" --gvks
assert_contains "$T_TMP/out" "$(printf '1.31\tapps/v1\tDeployment\topenapi')"

# the platform's own Flux tree, read as sources (overlays hold patches: --partial),
# has no violation against its environments' Kubernetes 1.30 and Flux's CRDs; kinds of
# third-party CRDs (cert-manager, kyverno...) are unknown here and only warned about
expect_exit 0 -- run check --schemas "$S" --k8s-version 1.30 --partial --crds "$PLATCI_FIXTURES/flux-crds" gitops &&
  assert_contains "$T_TMP/err" ": 0 violations, 0 removed APIs," && pass "the platform's gitops tree"
expect_exit 1 -- run check --schemas "$S" --k8s-version 1.30 --crds "$PLATCI_FIXTURES/flux-crds" gitops/apps/dev-uaenorth/helm-versions.yaml &&
  assert_contains "$T_TMP/out" "helm-versions.yaml:10:5: error: spec.chart.spec: missing required field \"chart\""

# a plain JSON Schema instead of the folder
printf '{"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}' > "$T_TMP/s.json"
printf 'apiVersion: x/v1\nkind: Thing\nname: 3\n' > "$T_TMP/thing.yaml"
expect_exit 1 -- run check --schema "$T_TMP/s.json" "$T_TMP/thing.yaml" &&
  assert_contains "$T_TMP/out" "thing.yaml:3:7: error: name: expected string, found integer"
finish
