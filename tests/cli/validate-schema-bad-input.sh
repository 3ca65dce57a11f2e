#!/usr/bin/env bash
# platci-validate refuses a bad schema folder with a clear error and exit 65,
# never a hang or a crash (each run under a timeout): a schema that refers to
# itself, one 1,000 levels deep, a $ref to nowhere, a 50 MB OpenAPI document
# and a CRD without a schema (in the folder, or in schemas.crds). A CRD
# without a schema in the tree is a finding at its line, like any other broken
# file of the tree, and the run goes on.
. "$(dirname "$0")/../lib/common.sh"
need_cmd python3
need_cmd jq
V="$PLATCI_BIN/platci-validate"
R="$T_TMP/repo"
cp -r "$PLATCI_SOURCE_DIR/tests/golden/validate-schema/repo" "$R"
cd "$R" || exit 1
run() { timeout 120 "$V" --all --no-terraform-fmt --reports "$T_TMP/r" "$@"; }
openapi() { # openapi DIR DEFINITION-JSON: a v2 document with one kind, Thing
  mkdir -p "$1/1.31"
  printf '{"swagger": "2.0", "definitions": {"Thing": %s}}' "$2" > "$1/1.31/openapi-v2.json"
}
gvk='"x-kubernetes-group-version-kind": [{"group": "x.io", "version": "v1", "kind": "Thing"}]'

expect_exit 66 -- run --schemas "$T_TMP/nowhere-at-all" &&
  assert_contains "$T_TMP/err" "schema folder not found" && pass "--schemas naming no folder: 66"
printf 'schemas:\n  dir: not-fetched-yet\n' >> platci.yaml
expect_exit 1 -- run && jq -e '[.findings[] | select(.rule == "schema.unavailable" and (.message | test("does not exist")))] | length == 1' \
  "$T_TMP/r/findings.json" >/dev/null && pass "schemas.dir not fetched yet: a warning"
sed -i '/^schemas:/,$d' platci.yaml

openapi "$T_TMP/self" "{\"allOf\": [{\"\$ref\": \"#/definitions/Thing\"}], $gvk}"
expect_exit 65 -- run --schemas "$T_TMP/self" &&
  assert_contains "$T_TMP/err" "openapi-v2.json:1:" && assert_contains "$T_TMP/err" "refers to itself" &&
  pass "self-referring schema"

deep=$(python3 -c 'print("{\"properties\": {\"a\": " * 1000 + "{}" + "}}" * 1000)')
openapi "$T_TMP/deep" "$deep"
expect_exit 65 -- run --schemas "$T_TMP/deep" &&
  assert_contains "$T_TMP/err" "nesting deeper than 256 levels" && pass "1,000 levels deep"

openapi "$T_TMP/nowhere" "{\"properties\": {\"spec\": {\"\$ref\": \"#/definitions/Missing\"}}, $gvk}"
expect_exit 65 -- run --schemas "$T_TMP/nowhere" &&
  assert_contains "$T_TMP/err" "\$ref \"#/definitions/Missing\" points to nowhere" && pass "\$ref to nowhere"

mkdir -p "$T_TMP/big/1.31"
python3 - "$T_TMP/big/1.31/openapi-v2.json" <<'PY'
import json, sys
pad = "x" * 900
defs = {"io.example.v1.Kind%d" % i: {"type": "object", "description": pad,
        "x-kubernetes-group-version-kind": [{"group": "example.io", "version": "v1", "kind": "Kind%d" % i}]}
        for i in range(56000)}
json.dump({"swagger": "2.0", "definitions": defs}, open(sys.argv[1], "w"))
PY
[ "$(stat -c %s "$T_TMP/big/1.31/openapi-v2.json")" -gt 50000000 ] || fail "the document is under 50 MB"
expect_exit 65 -- run --schemas "$T_TMP/big" &&
  assert_contains "$T_TMP/err" "over the limit of 33554432 bytes" && pass "50 MB document"
rm -rf "$T_TMP/big"

crd='apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true'
mkdir -p "$T_TMP/crd/crds" && echo "$crd" > "$T_TMP/crd/crds/gadget.yaml"
expect_exit 65 -- run --schemas "$T_TMP/crd" &&
  assert_contains "$T_TMP/err" "gadget.yaml:9:5: error: CustomResourceDefinition gadgets.example.com: served version v1 has no schema.openAPIV3Schema" &&
  pass "CRD without a schema in the schema folder"
mkdir -p crds && echo "$crd" > crds/gadget.yaml
printf 'schemas:\n  crds: [crds/gadget.yaml]\n' >> platci.yaml
expect_exit 65 -- run && assert_contains "$T_TMP/err" "gadget.yaml:9:5: error:" &&
  pass "CRD without a schema in schemas.crds"
sed -i '/^schemas:/,$d' platci.yaml
printf 'schemas:\n  crds: [crds/none.yaml]\n' >> platci.yaml
expect_exit 65 -- run && assert_contains "$T_TMP/err" "none.yaml" && pass "a schemas.crds path that is not there"
sed -i '/^schemas:/,$d' platci.yaml

# in the tree: a finding at its line, in the environment that deploys it; the run goes on
echo "$crd" > gitops/clusters/prd/gadget-crd.yaml
sed -i 's/resources: \[\.\.\/\.\.\/base,/resources: [..\/..\/base, gadget-crd.yaml,/' gitops/clusters/prd/kustomization.yaml
expect_exit 1 -- run &&
  jq -e '[.findings[] | select(.rule == "schema.invalid" and .file == "gitops/clusters/prd/gadget-crd.yaml" and .line == 9 and .env == "prd")] | length == 1' \
    "$T_TMP/r/findings.json" >/dev/null && pass "CRD without a schema in the tree: a finding"
finish
