#!/usr/bin/env bash
# platci-schemas fetch against a fake kubectl on PATH: the version folder is written
# whole (OpenAPI v2, the v3 index and group documents, CRDs, fetched.json) and then
# used by check; a failing or missing kubectl leaves the folder as it was (exit 69).
. "$(dirname "$0")/../lib/common.sh"
F=$T_TMP/fake
mkdir -p "$F/bin"
cat > "$F/bin/kubectl" <<'SH'
#!/usr/bin/env bash
# Answers the calls platci-schemas fetch makes, from canned documents.
echo "$*" >> "$FAKE_LOG"
[ "$1" = "--context" ] && shift 2
case "$*" in
  "version -o json")
    [ "${FAKE_FAIL:-}" = version ] && { echo 'not json'; exit 0; }
    echo '{"clientVersion": {"major": "1", "minor": "31"}, "serverVersion": {"major": "1", "minor": "31+", "gitVersion": "v1.31.4-aks"}}' ;;
  "get --raw /openapi/v2")
    cat <<'JSON'
{"swagger": "2.0", "definitions": {
 "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"type": "object", "properties": {"name": {"type": "string"}}},
 "io.k8s.api.core.v1.ConfigMap": {"type": "object", "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
   "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
   "data": {"type": "object", "additionalProperties": {"type": "string"}}},
   "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "ConfigMap"}]}}}
JSON
    ;;
  "get --raw /openapi/v3")
    echo '{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=1"}, "apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=2"}}}' ;;
  "get --raw /openapi/v3/api/v1"|"get --raw /openapi/v3/apis/apps/v1")
    echo '{"openapi": "3.0.0", "components": {"schemas": {}}}' ;;
  "get customresourcedefinitions -o json")
    [ "${FAKE_FAIL:-}" = crd ] && { echo 'Unable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout' >&2; exit 1; }
    cat <<'JSON'
{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
 "metadata": {"name": "widgets.example.com"}, "spec": {"group": "example.com", "names": {"kind": "Widget"},
 "versions": [{"name": "v1", "served": true, "schema": {"openAPIV3Schema": {"type": "object",
   "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}}}]}}]}
JSON
    ;;
  *) echo "fake kubectl: unexpected: $*" >&2; exit 2 ;;
esac
SH
chmod +x "$F/bin/kubectl"
export PATH="$F/bin:$PATH" FAKE_LOG="$T_TMP/kubectl.log"
run() { timeout 60 "$PLATCI_BIN/platci-schemas" "$@"; }
O=$T_TMP/schemas

expect_exit 0 -- run fetch --env prd-uaenorth --out "$O" --context prd-aks &&
  assert_contains "$T_TMP/out" "Kubernetes 1.31 (v1.31.4-aks) for prd-uaenorth: 3 OpenAPI documents, 1 CRDs" &&
  pass "fetch"
for f in openapi-v2.json openapi-v3/index.json openapi-v3/api__v1.json openapi-v3/apis__apps__v1.json crds/crds.json fetched.json; do
  [ -s "$O/1.31/$f" ] || fail "fetch did not write 1.31/$f"
done
assert_contains "$O/1.31/fetched.json" '"env": "prd-uaenorth"'
assert_contains "$T_TMP/kubectl.log" "--context prd-aks get --raw /openapi/v2"
[ -z "$(ls -A "$O" | grep -v '^1.31$')" ] || fail "temporary folders left in $O: $(ls -A "$O")"

# what was fetched is what check uses: the cluster's ConfigMap and its CRD
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {n: 1}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n' > "$T_TMP/objs.yaml"
expect_exit 1 -- run check --schemas "$O" "$T_TMP/objs.yaml" &&
  assert_contains "$T_TMP/out" "objs.yaml:4:11: error: data.n: expected string, found integer" &&
  assert_contains "$T_TMP/out" "objs.yaml:9:14: error: spec.size: expected integer, found string" &&
  pass "check with the fetched folder"

# failures: the installed folder stays as it was, nothing half-written is left
before=$(cd "$O" && find . -type f | sort | xargs md5sum)
FAKE_FAIL=crd expect_exit 69 -- run fetch --env prd-uaenorth --out "$O" &&
  assert_contains "$T_TMP/err" "kubectl get customresourcedefinitions failed: Unable to connect to the server" &&
  pass "unreachable cluster: exit 69"
FAKE_FAIL=version expect_exit 65 -- run fetch --env prd-uaenorth --out "$O"
expect_exit 69 -- run fetch --env prd-uaenorth --out "$O" --kubectl "$T_TMP/no-such-kubectl" &&
  assert_contains "$T_TMP/err" "not found on PATH"
after=$(cd "$O" && find . -type f | sort | xargs md5sum)
[ "$before" = "$after" ] && pass "folder unchanged by failed fetches" || fail "a failed fetch changed $O"
[ -z "$(ls -A "$O" | grep -v '^1.31$')" ] || fail "temporary folders left in $O: $(ls -A "$O")"

expect_exit 64 -- run fetch --out "$O" && assert_contains "$T_TMP/err" "fetch needs --env"
finish
