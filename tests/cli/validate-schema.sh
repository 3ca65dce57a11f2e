#!/usr/bin/env bash
# platci-validate with schemas (docs/schemas.md): a small platform of two
# environments, dev (Kubernetes 1.30, from platci.yaml) and prd (1.31, from
# its Terraform's azurerm_kubernetes_cluster), both reaching one shared base.
# Planted in prd's folder only: a type error, an unknown field (reported
# with --strict), a missing required field, an API 1.31 no longer serves
# and a GPU pod without the GPU pool's toleration. The same FlowSchema and
# a correct GPU pod sit in dev, where nothing is wrong. Each problem must
# be found at its line, in prd only: tests/golden/validate-schema/README.md
# says how the golden lines were worked out.
. "$(dirname "$0")/../lib/common.sh"
need_fixtures k8s-openapi
need_cmd jq
V="$PLATCI_BIN/platci-validate"
R="$T_TMP/repo"
S="$T_TMP/schemas"
G="$PLATCI_SOURCE_DIR/tests/golden/validate-schema"
mkdir -p "$S/1.30" "$S/1.31"
ln -s "$PLATCI_FIXTURES/k8s-openapi/swagger-release-1.30.json" "$S/1.30/openapi-v2.json"
ln -s "$PLATCI_FIXTURES/k8s-openapi/swagger-release-1.31.json" "$S/1.31/openapi-v2.json"
cp -r "$G/repo" "$R"
cd "$R" || exit 1
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm init

findings() { # the schema and node-pool findings as "rule env file:line"
  jq -r '.findings[] | select(.rule | test("^(schema|k8s|nodepool)\\.")) |
    "\(.rule) \(.env) \(.file):\(.line)"' "$1/findings.json" | LC_ALL=C sort
}

expect_exit 1 -- "$V" --all --no-terraform-fmt --schemas "$S" --reports "$T_TMP/r" &&
  pass "planted problems deny"
findings "$T_TMP/r" > "$T_TMP/got"
diff -u "$G/expected.txt" "$T_TMP/got" && pass "each found at its line, in prd only"
assert_contains "$T_TMP/r/findings.json" "FlowSchema web uses flowcontrol.apiserver.k8s.io/v1beta3, which Kubernetes 1.31 no longer serves (last served by 1.30, removed in 1.31): use flowcontrol.apiserver.k8s.io/v1"
assert_contains "$T_TMP/r/findings.json" "node pool gpu (Standard_NC40ads_H100_v5, infra/modules/aks/main.tf:17) would take it with a toleration of nvidia.com/gpu=present:NoSchedule"

expect_exit 1 -- "$V" --all --no-terraform-fmt --schemas "$S" --strict --reports "$T_TMP/s" &&
  pass "--strict"
findings "$T_TMP/s" > "$T_TMP/got-strict"
diff -u "$G/expected-strict.txt" "$T_TMP/got-strict" && pass "--strict adds the unknown field and the unknown kind, in prd only"

# dev on 1.31 too: its FlowSchema is now removed as well, reported for dev at dev's file;
# the two environments share one schema pass, each finding keeps its own environment
sed -i 's/kubernetes_version: "1.30"/kubernetes_version: "1.31"/' platci.yaml
expect_exit 1 -- "$V" --all --no-terraform-fmt --schemas "$S" --reports "$T_TMP/v31" &&
  findings "$T_TMP/v31" | grep '^k8s.api-removed' > "$T_TMP/got-31" &&
  printf '%s\n' "k8s.api-removed dev gitops/clusters/dev/flowschema.yaml:1" \
    "k8s.api-removed prd gitops/clusters/prd/flowschema.yaml:1" | diff -u - "$T_TMP/got-31" &&
  pass "the environment's version decides"
sed -i 's/kubernetes_version: "1.31"/kubernetes_version: "1.30"/' platci.yaml

# no schema folder: said once, never silent; the CRD in the tree still checks its kind
expect_exit 1 -- "$V" --all --no-terraform-fmt --reports "$T_TMP/n" &&
  jq -e '[.findings[] | select(.rule == "schema.unavailable")] | length == 1' "$T_TMP/n/findings.json" >/dev/null &&
  jq -e '[.findings[] | select(.rule == "schema.invalid" and (.message | test("Widget")))] | length == 1' \
    "$T_TMP/n/findings.json" >/dev/null && pass "without schemas: one note, CRD kinds still checked"

# platci.yaml's schemas: block does what the flags do
sed -i 's|^#schemas|schemas|' platci.yaml
cat >> platci.yaml <<EOF
  dir: schemas
  strict: true
EOF
mkdir -p schemas && cp -P -r "$S/1.30" "$S/1.31" schemas/ # the folder inside, its files linked
expect_exit 1 -- "$V" --all --no-terraform-fmt --reports "$T_TMP/c" &&
  findings "$T_TMP/c" > "$T_TMP/got-cfg" && diff -u "$G/expected-strict.txt" "$T_TMP/got-cfg" &&
  pass "schemas: {dir, strict} in platci.yaml"
finish
