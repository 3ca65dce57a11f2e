#!/usr/bin/env bash
# Issue 18.2 against the fake GitLab: platci-plan summarize in the MR pipeline posts the
# sticky plan note carrying the change fingerprint; on the default branch platci-gate
# --gitlab finds the MR that brought the commit, reads that note, and compares: the same
# plan passes gate.reviewed-plan, a plan that changed since review needs approval (3)
# and says what changed; an MR without a plan note needs approval too. No token and no
# planted secret in any output.
. "$(dirname "$0")/helpers.bash"
cd "$PLATCI_SOURCE_DIR" || exit 1
for b in platci-gate platci-plan; do [ -x "$PLATCI_BIN/$b" ] || skip "$b is not built in $PLATCI_BIN"; done

NOW=2026-11-27T07:00:00Z   # stg has run the commit for more than a day: the soak is over
SHA=4f2c9e1b7a3d5e6f8091a2b3c4d5e6f708192a3b
G=$PLATCI_BIN/platci-gate
# prd with the label and three approvals, and the example plan with its Key Vault fixed
# (purge protection on, so the plan policy passes): the reviewed-plan rule decides
jq '.merge_request.iid = 12 | .pipeline_source = "push"' examples/facts/prd-uaenorth-allow-destroy.json >"$T_TMP/facts.json"
jq '(.resource_changes[] | select(.address == "module.keyvault.azurerm_key_vault.this")
    | .change.after.purge_protection_enabled) = true' examples/plans/prd-uaenorth.json >"$T_TMP/prd.json"

start_fake
fake_ctl seed "{\"merge_requests\": [{\"iid\": 12, \"source_branch\": \"feature\", \"target_branch\": \"main\",
  \"sha\": \"$SHA\", \"labels\": [\"infra\", \"allow-destroy\"], \"approved_by\": [\"alice\", \"bob\", \"carol\"]}],
  \"commit_merge_requests\": {\"$SHA\": [12]}}"

# 1. The MR pipeline: summarize posts the note with the fingerprint.
CI_PIPELINE_SOURCE=merge_request_event "$PLATCI_BIN/platci-plan" summarize --config platci.yaml \
  --env prd-uaenorth --now 2026-11-26T10:00:00Z --gitlab --reports "$T_TMP/mr" "$T_TMP/prd.json" \
  >"$T_TMP/out" 2>"$T_TMP/err" || fail "summarize in the MR pipeline exited $?: $(tail -3 "$T_TMP/err")"
[ "$(notes_with '<!-- platci:plan:prd-uaenorth -->')" = 1 ] || fail "no plan note on the MR"
fake_get state | jq -r '.notes["12"][0].body' | grep -q '^<!-- platci:fingerprint:prd-uaenorth v1 sha256:' ||
  fail "the plan note carries no fingerprint"

# 2. The default branch: no MR in the pipeline; the gate finds it by the commit.
gate() { # PLAN REPORTS
  env -u CI_MERGE_REQUEST_IID CI_PIPELINE_SOURCE=push CI_COMMIT_SHA=$SHA "$G" --config platci.yaml \
    --env prd-uaenorth --plan "$1" --facts "$T_TMP/facts.json" --gitlab --now "$NOW" \
    --cost examples/cost/prd-uaenorth.infracost.json --reports "$2"
}
expect_exit 0 -- gate "$T_TMP/prd.json" "$T_TMP/same"
assert_no_token "$T_TMP/out" "$T_TMP/err" "$T_TMP/same"/*
jq -e '.rules[] | select(.id == "gate.reviewed-plan") | .outcome == "pass" and .inputs.merge_request == 12' \
  "$T_TMP/same/decision.json" >/dev/null || fail "the reviewed plan should pass: $(jq -c '.rules[] | select(.id == "gate.reviewed-plan")' "$T_TMP/same/decision.json")"
[ "$(count_req GET '/merge_requests/12/notes')" -ge 1 ] || fail "the MR's notes were not read"

# 3. The plan changed after review (one more node, a new resource): needs approval, listing both.
jq '(.resource_changes[] | select(.address == "module.aks.azurerm_kubernetes_cluster.this")
    | .change.after.default_node_pool[0].node_count) = 9
  | .resource_changes += [{"address": "azurerm_resource_group.extra", "mode": "managed",
      "type": "azurerm_resource_group", "name": "extra", "provider_name": "registry.terraform.io/hashicorp/azurerm",
      "change": {"actions": ["create"], "before": null, "after": {"name": "rg-extra", "location": "uaenorth",
        "tags": {"environment": "prd-uaenorth", "region": "uaenorth", "team": "platform", "owner": "platform"}},
        "after_unknown": {"id": true}, "before_sensitive": false, "after_sensitive": {"tags": {}}}}]' \
  "$T_TMP/prd.json" >"$T_TMP/changed.json"
expect_exit 3 -- gate "$T_TMP/changed.json" "$T_TMP/changed"
assert_contains "$T_TMP/changed/decision.json" "differs from the one reviewed in !12 in 2 changes since review"
assert_contains "$T_TMP/changed/decision.json" "module.aks.azurerm_kubernetes_cluster.this\`: update with other values than reviewed"
assert_contains "$T_TMP/changed/decision.json" "azurerm_resource_group.extra\`: create, new since review"

# 4. An MR with no plan note: nobody reviewed a plan.
start_fake
fake_ctl seed "{\"merge_requests\": [{\"iid\": 12, \"source_branch\": \"feature\", \"target_branch\": \"main\",
  \"sha\": \"$SHA\", \"labels\": [\"allow-destroy\"], \"approved_by\": [\"alice\"]}], \"commit_merge_requests\": {\"$SHA\": [12]}}"
expect_exit 3 -- gate "$T_TMP/prd.json" "$T_TMP/none"
assert_contains "$T_TMP/none/decision.json" "no reviewed plan found for prd-uaenorth"

for d in mr same changed none; do
  grep -rlE "PLANTED|Xk9#planted" "$T_TMP/$d" && fail "a planted secret reached $d"
done
fake_get state | grep -qE "PLANTED|Xk9#planted" && fail "a planted secret reached GitLab"
finish
