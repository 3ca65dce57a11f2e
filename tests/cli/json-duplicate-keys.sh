#!/usr/bin/env bash
# Issue 20.5: duplicate keys in JSON a decision depends on are refused with 65, at the
# second key's position, by every runner that reads it: a plan (platci-plan summarize and
# platci-drift), a Trivy report (platci-scan) and Flux status (platci-drift --flux). The
# positions are the opening quote of the second key, counted by hand in the inputs below.
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"

# Two resource_changes: a tool taking the first would see a create, one taking the last none.
cat >"$T_TMP/plan.json" <<'JSON'
{"format_version":"1.2","terraform_version":"1.11.4",
 "resource_changes":[{"address":"terraform_data.a","mode":"managed","type":"terraform_data","name":"a",
   "change":{"actions":["create"],"before":null,"after":{"input":"x"},"after_unknown":{}}}],
 "resource_changes":[]}
JSON
expect_exit 65 -- "$PLATCI_BIN/platci-plan" summarize --reports "$T_TMP/p" "$T_TMP/plan.json"
assert_contains "$T_TMP/err" "plan.json:4:2: error: duplicate key \"resource_changes\""
[ -e "$T_TMP/p/summary.md" ] && fail "platci-plan wrote a summary of a refused plan"

# The same trap one level down: two "actions" in one change.
sed 's/"change":{"actions":\["create"\],/"change":{"actions":["create"],"actions":["no-op"],/' \
  "$T_TMP/plan.json" | sed '4d;3s/}}}\],$/}}}]}/' >"$T_TMP/plan2.json"
expect_exit 65 -- "$PLATCI_BIN/platci-plan" summarize --reports "$T_TMP/p2" "$T_TMP/plan2.json"
assert_contains "$T_TMP/err" "plan2.json:3:35: error: duplicate key \"actions\""

# Past what the summary shows (5,000 changes), `after` comes to the fingerprint as text
# (issue 16), where the reader does not look into it: the fingerprint refuses the repeated
# key instead, at the change's line.
{
  printf '{"format_version":"1.2","resource_changes":[\n'
  for i in $(seq 5000); do
    printf '{"address":"x.r%d","type":"x","change":{"actions":["update"],"after":{"v":%d}}},\n' "$i" "$i"
  done
  printf '{"address":"x.dup","type":"x","change":{"actions":["update"],"after":{"v":1,"v":2}}}]}\n'
} >"$T_TMP/plan3.json"
expect_exit 65 -- "$PLATCI_BIN/platci-plan" summarize --reports "$T_TMP/p3" "$T_TMP/plan3.json"
assert_contains "$T_TMP/err" "plan3.json:5002: error: the change of x.dup repeats a key in \`after\`"
[ -e "$T_TMP/p3/summary.md" ] && fail "platci-plan wrote a summary of a refused plan"

common=(--config platci.yaml --env dev-uaenorth --now 2026-11-26T02:05:00Z)
expect_exit 65 -- "$PLATCI_BIN/platci-drift" "${common[@]}" --reports "$T_TMP/d" --terraform "$T_TMP/plan.json"
assert_contains "$T_TMP/err" "plan.json:4:2: error: duplicate key \"resource_changes\""

cat >"$T_TMP/trivy.json" <<'JSON'
{"SchemaVersion":2,"ArtifactName":"x","ArtifactType":"container_image",
 "Results":[{"Target":"x","Class":"os-pkgs","Type":"alpine",
   "Vulnerabilities":[{"VulnerabilityID":"CVE-2024-1","PkgName":"p","InstalledVersion":"1",
     "Severity":"CRITICAL","Severity":"LOW"}]}]}
JSON
printf 'version: 1\ndefaults: {fail_severity: critical}\n' >"$T_TMP/policy.yaml"
expect_exit 65 -- "$PLATCI_BIN/platci-scan" --policy "$T_TMP/policy.yaml" --reports "$T_TMP/s" "$T_TMP/trivy.json"
assert_contains "$T_TMP/err" "trivy.json:4:28: error: duplicate key \"Severity\""

cat >"$T_TMP/flux.json" <<'JSON'
{"apiVersion":"v1","kind":"List","items":[
 {"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization",
  "metadata":{"name":"apps","namespace":"flux-system"},
  "spec":{"suspend":false,"suspend":true},"status":{}}]}
JSON
expect_exit 65 -- "$PLATCI_BIN/platci-drift" "${common[@]}" --reports "$T_TMP/f" --flux "$T_TMP/flux.json"
assert_contains "$T_TMP/err" "flux.json:4:27: error: duplicate key \"suspend\""
finish
