#!/usr/bin/env bash
# platci-gate over the example plans: allow, needs-approval and deny, golden
# decision.json, freeze windows, and the exit codes for bad input.
. "$(dirname "$0")/../lib/common.sh"
G="$PLATCI_BIN/platci-gate"
GD=tests/golden/gate
now=2026-11-26T10:00:00Z

run() { # env facts want
  expect_exit "$3" -- "$G" --config platci.yaml --env "$1" --plan "examples/plans/$1.json" \
    --facts "$2" --now "$now" --reports "$T_TMP/$1"
}
run dev-uaenorth examples/facts/dev-uaenorth.json 0
run stg-uaenorth examples/facts/stg-uaenorth.json 3
run prd-uaenorth examples/facts/prd-uaenorth.json 1
for env in dev-uaenorth stg-uaenorth prd-uaenorth; do
  if [ "${PLATCI_UPDATE_GOLDEN:-}" = 1 ]; then cp "$T_TMP/$env/decision.json" "$GD/$env.decision.json"; fi
  diff -u "$GD/$env.decision.json" "$T_TMP/$env/decision.json" || fail "$env decision.json differs from golden"
  n=$(grep -c '<testcase' "$T_TMP/$env/junit.xml"); [ "$n" -ge 7 ] || fail "$env: junit has $n cases"
done
assert_contains "$T_TMP/prd-uaenorth/summary.md" "azurerm_key_vault"
# the label and a third approval let the Key Vault replace through (gate.destroy and
# gate.protected-types pass); what still denies is the plan policy (the new vault has no
# purge protection, PCI-TF-004) and the soak (stg has run the commit 3h 35m of 24h)
expect_exit 1 -- "$G" --config platci.yaml --env prd-uaenorth --plan examples/plans/prd-uaenorth.json \
  --facts examples/facts/prd-uaenorth-allow-destroy.json --now "$now" --reports "$T_TMP/x"
jq -e '[.rules[] | select(.outcome == "deny") | .id] == ["gate.plan-policy", "gate.soak"]' \
  "$T_TMP/x/decision.json" >/dev/null || fail "allow-destroy: $(jq -c '[.rules[] | select(.outcome == "deny") | .id]' "$T_TMP/x/decision.json")"
jq -e '.rules[] | select(.id == "gate.soak") | .inputs.remaining_seconds == 73500' "$T_TMP/x/decision.json" >/dev/null ||
  fail "soak: 20h 25m (73500 s) should remain"
# the reviewed plan (summarize's plan-fingerprint.json) and a cost within the limit
"$PLATCI_BIN/platci-plan" summarize -q --env prd-uaenorth --reports "$T_TMP/rev" examples/plans/prd-uaenorth.json
"$G" -q --config platci.yaml --env prd-uaenorth --plan examples/plans/prd-uaenorth.json \
  --facts examples/facts/prd-uaenorth-allow-destroy.json --now "$now" --reports "$T_TMP/rv" \
  --reviewed "$T_TMP/rev/plan-fingerprint.json" --cost examples/cost/prd-uaenorth.infracost.json
jq -e '[.rules[] | select(.id == "gate.reviewed-plan" or .id == "gate.cost") | .outcome] == ["pass", "pass"]' \
  "$T_TMP/rv/decision.json" >/dev/null || fail "reviewed plan and cost should pass"
# ... the sticky note's text holds the same fingerprint
"$G" -q --config platci.yaml --env prd-uaenorth --plan examples/plans/prd-uaenorth.json \
  --facts examples/facts/prd-uaenorth-allow-destroy.json --now "$now" --reports "$T_TMP/rv2" \
  --reviewed "$T_TMP/rev/summary.md"
jq -e '.rules[] | select(.id == "gate.reviewed-plan") | .outcome == "pass"' "$T_TMP/rv2/decision.json" >/dev/null ||
  fail "the note's fingerprint should match"
# a plan that changed after review: needs approval, saying what changed
jq '(.resource_changes[] | select(.address == "module.aks.azurerm_kubernetes_cluster.this")
    | .change.after.default_node_pool[0].node_count) = 9' examples/plans/prd-uaenorth.json >"$T_TMP/changed.json"
"$G" -q --config platci.yaml --env prd-uaenorth --plan "$T_TMP/changed.json" \
  --facts examples/facts/prd-uaenorth-allow-destroy.json --now "$now" --reports "$T_TMP/rv3" \
  --reviewed "$T_TMP/rev/plan-fingerprint.json" --cost tests/resources/infracost/two-envs.diff.json
assert_contains "$T_TMP/rv3/decision.json" "module.aks.azurerm_kubernetes_cluster.this\`: update with other values than reviewed"
jq -e '[.rules[] | select(.id == "gate.reviewed-plan" or .id == "gate.cost") | .outcome] == ["needs-approval", "needs-approval"]' \
  "$T_TMP/rv3/decision.json" >/dev/null || fail "changed plan and cost over the limit should need approval"
# a day later the soak is over
"$G" -q --config platci.yaml --env prd-uaenorth --plan examples/plans/prd-uaenorth.json \
  --facts examples/facts/prd-uaenorth-allow-destroy.json --now 2026-11-27T07:00:00Z --reports "$T_TMP/soaked"
jq -e '.rules[] | select(.id == "gate.soak") | .outcome == "pass"' "$T_TMP/soaked/decision.json" >/dev/null ||
  fail "soak should be over on 2026-11-27 07:00Z"
# no secret of the plan in any of these reports
for d in x rv rv2 rv3 soaked rev; do
  grep -rlE "PLANTED|Xk9#planted" "$T_TMP/$d" && fail "a planted secret reached $d"
done
# Saturday in Dubai: the weekend freeze denies
expect_exit 1 -- "$G" --config platci.yaml --env prd-uaenorth --plan examples/plans/prd-uaenorth.json \
  --facts examples/facts/prd-uaenorth-allow-destroy.json --now 2026-11-28T10:00:00Z --reports "$T_TMP/x"
assert_contains "$T_TMP/x/decision.json" "weekend"
# no facts: promotion and approvals cannot pass
expect_exit 1 -- "$G" --config platci.yaml --env stg-uaenorth --plan examples/plans/stg-uaenorth.json \
  --now "$now" --reports "$T_TMP/y"
assert_contains "$T_TMP/y/decision.json" "commit is not known"
# the same inputs give the same answer
"$G" --config platci.yaml --env prd-uaenorth --plan examples/plans/prd-uaenorth.json \
  --facts examples/facts/prd-uaenorth.json --now "$now" --reports "$T_TMP/again" -q >/dev/null 2>&1
cmp -s "$T_TMP/again/decision.json" "$T_TMP/prd-uaenorth/decision.json" || fail "decision is not deterministic"
# a bundle made for another commit: deny, with reports saying why
printf 'planfile' >"$T_TMP/tfplan"
"$PLATCI_BIN/platci-plan" bundle -q --env prd-uaenorth --plan "$T_TMP/tfplan" --plan-json examples/plans/prd-uaenorth.json \
  --out "$T_TMP/b.tar.gz" --commit 1111111 --now "$now" || fail "bundle"
expect_exit 1 -- "$G" --config platci.yaml --env prd-uaenorth --plan "$T_TMP/b.tar.gz" --commit 2222222 \
  --facts examples/facts/prd-uaenorth.json --now "$now" --reports "$T_TMP/bundle"
assert_contains "$T_TMP/bundle/decision.json" "gate.bundle"
assert_contains "$T_TMP/bundle/decision.json" "runs 2222222"
# the right commit: the bundle's plan is gated like the plain JSON
expect_exit 1 -- "$G" --config platci.yaml --env prd-uaenorth --plan "$T_TMP/b.tar.gz" --commit 1111111 \
  --facts examples/facts/prd-uaenorth.json --now "$now" --reports "$T_TMP/bundle2"
assert_contains "$T_TMP/bundle2/decision.json" "gate.protected-types"
# bad input
printf '{"version":1,"merge_request":{"labels":"allow-destroy"}}' >"$T_TMP/facts.json"
expect_exit 65 -- "$G" --config platci.yaml --env dev-uaenorth --plan examples/plans/dev-uaenorth.json --facts "$T_TMP/facts.json"
assert_contains "$T_TMP/err" "merge_request.labels"
printf 'version: 1\nenvironments:\n  dev-uaenorth:\n    min_aprovals: 1\n' >"$T_TMP/gates.yaml"
expect_exit 65 -- "$G" --config platci.yaml --env dev-uaenorth --plan examples/plans/dev-uaenorth.json --policy "$T_TMP/gates.yaml"
assert_contains "$T_TMP/err" "gates.yaml:4:5"
expect_exit 66 -- "$G" --config platci.yaml --env dev-uaenorth --plan "$T_TMP/none.json"
expect_exit 65 -- "$G" --config platci.yaml --env dev-uaenorth --plan platci.yaml
expect_exit 64 -- "$G" --config platci.yaml --plan examples/plans/dev-uaenorth.json
expect_exit 64 -- "$G" --config platci.yaml --env nowhere --plan examples/plans/dev-uaenorth.json
expect_exit 64 -- "$G" --config platci.yaml --env dev-uaenorth --plan examples/plans/dev-uaenorth.json --what
expect_exit 0 -- "$G" --help
finish
