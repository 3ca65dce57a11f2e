#!/usr/bin/env bash
# Bad schemas are refused with a clear error and exit 65, never a hang or a crash:
# a schema that refers to itself, one 1,000 levels deep, a $ref to nowhere, a 50 MB
# OpenAPI document, a CRD without a schema. Each runs under a timeout.
. "$(dirname "$0")/../lib/common.sh"
need_cmd python3
run() { timeout 120 "$PLATCI_BIN/platci-schemas" "$@"; }
openapi() { # openapi DIR DEFINITION-JSON: a v2 document with one kind, Thing
  mkdir -p "$1/1.31"
  printf '{"swagger": "2.0", "definitions": {"Thing": %s}}' "$2" > "$1/1.31/openapi-v2.json"
}
gvk='"x-kubernetes-group-version-kind": [{"group": "x.io", "version": "v1", "kind": "Thing"}]'

# a schema that refers to itself, through a chain that never descends into the object
openapi "$T_TMP/self" "{\"allOf\": [{\"\$ref\": \"#/definitions/Thing\"}], $gvk}"
expect_exit 65 -- run list --schemas "$T_TMP/self" &&
  assert_contains "$T_TMP/err" "openapi-v2.json:1:" &&
  assert_contains "$T_TMP/err" "refers to itself" && pass "self-referring schema"
printf '{"$ref": "#"}' > "$T_TMP/self.json"
printf 'a: 1\n' > "$T_TMP/obj.yaml"
expect_exit 65 -- run check --schema "$T_TMP/self.json" "$T_TMP/obj.yaml" &&
  assert_contains "$T_TMP/err" "self.json:1:1: error: this schema refers to itself"

# 1,000 levels deep
deep=$(python3 -c 'print("{\"properties\": {\"a\": " * 1000 + "{}" + "}}" * 1000)')
openapi "$T_TMP/deep" "$deep"
expect_exit 65 -- run list --schemas "$T_TMP/deep" &&
  assert_contains "$T_TMP/err" "nesting deeper than 256 levels" && pass "1,000 levels deep"
echo "$deep" > "$T_TMP/deep.json"
expect_exit 65 -- run check --schema "$T_TMP/deep.json" "$T_TMP/obj.yaml"

# a $ref to nowhere, and one to another document
openapi "$T_TMP/nowhere" "{\"properties\": {\"spec\": {\"\$ref\": \"#/definitions/Missing\"}}, $gvk}"
expect_exit 65 -- run list --schemas "$T_TMP/nowhere" &&
  assert_contains "$T_TMP/err" "\$ref \"#/definitions/Missing\" points to nowhere" && pass "\$ref to nowhere"
openapi "$T_TMP/remote" "{\"properties\": {\"spec\": {\"\$ref\": \"https://example.com/s.json\"}}, $gvk}"
expect_exit 65 -- run list --schemas "$T_TMP/remote" &&
  assert_contains "$T_TMP/err" "remote references are not fetched"

# a 50 MB OpenAPI document: over the 32 MiB limit, refused before parsing; a higher
# --max-schema-size takes it (and that still ends)
mkdir -p "$T_TMP/big/1.31"
python3 - "$T_TMP/big/1.31/openapi-v2.json" <<'PY'
import json, sys
defs = {}
pad = "x" * 900
for i in range(52000):
    defs["io.example.v1.Kind%d" % i] = {"type": "object", "description": pad,
        "properties": {"spec": {"type": "string"}},
        "x-kubernetes-group-version-kind": [{"group": "example.io", "version": "v1", "kind": "Kind%d" % i}]}
json.dump({"swagger": "2.0", "definitions": defs}, open(sys.argv[1], "w"))
PY
size=$(stat -c %s "$T_TMP/big/1.31/openapi-v2.json")
[ "$size" -gt 50000000 ] || fail "the generated document is only $size bytes"
expect_exit 65 -- run list --schemas "$T_TMP/big" &&
  assert_contains "$T_TMP/err" "over the limit of 33554432 bytes" && pass "50 MB document refused"
if [ -z "${PLATCI_SANITIZE:-}" ]; then # seconds plain, minutes under ASan: once is enough
  expect_exit 0 -- run list --schemas "$T_TMP/big" --max-schema-size 60000000 &&
    assert_contains "$T_TMP/out" "Kubernetes 1.31: 52000 kinds from OpenAPI" && pass "50 MB document within a raised limit"
fi

# a CRD without a schema
mkdir -p "$T_TMP/crd/crds"
cat > "$T_TMP/crd/crds/gadget.yaml" <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
YAML
expect_exit 65 -- run list --schemas "$T_TMP/crd" &&
  assert_contains "$T_TMP/err" "gadget.yaml:9:5: error: CustomResourceDefinition gadgets.example.com: served version v1 has no schema.openAPIV3Schema" &&
  pass "CRD without a schema"

# not an OpenAPI document; not JSON; a folder with nothing in it
openapi "$T_TMP/notapi" '{}'
printf '{"hello": "world"}' > "$T_TMP/notapi/1.31/openapi-v2.json"
expect_exit 65 -- run list --schemas "$T_TMP/notapi" && assert_contains "$T_TMP/err" "not a Kubernetes OpenAPI document"
printf '{"swagger": ' > "$T_TMP/notapi/1.31/openapi-v2.json"
expect_exit 65 -- run list --schemas "$T_TMP/notapi" && assert_contains "$T_TMP/err" "invalid JSON"
mkdir -p "$T_TMP/empty"
expect_exit 66 -- run list --schemas "$T_TMP/empty" && assert_contains "$T_TMP/err" "holds no Kubernetes version folder"
expect_exit 66 -- run list --schemas "$T_TMP/none"
expect_exit 64 -- run frobnicate
expect_exit 64 -- run check --bogus
finish
