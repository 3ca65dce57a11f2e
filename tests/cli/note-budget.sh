#!/usr/bin/env bash
# Every sticky note stays under 60 kB however large the input (issue 16): a plan of
# 20,000 changes shows its destructive changes first, then where all the changes are
# (by module and type), and its counts equal jq's; a refresh-only plan with thousands of
# drifted resources keeps the drift note within the budget and counts every one.
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"
need_cmd python3
need_cmd jq
budget=60000

python3 bench/gen-plan.py 20000 "$T_TMP/plan.json"
expect_exit 0 -- "$PLATCI_BIN/platci-plan" summarize --env dev-uaenorth --reports "$T_TMP/p" "$T_TMP/plan.json"
size=$(stat -c %s "$T_TMP/p/summary.md")
[ "$size" -le $budget ] || fail "plan summary.md is $size bytes, over $budget"
# Destructive changes first, then the table by module and type, then the rest.
d=$(grep -n '^#### Destructive changes' "$T_TMP/p/summary.md" | cut -d: -f1)
m=$(grep -n '^#### Changes by module and type' "$T_TMP/p/summary.md" | cut -d: -f1)
o=$(grep -n '^#### Other changes' "$T_TMP/p/summary.md" | cut -d: -f1)
[ -n "$d" ] && [ -n "$m" ] && [ -n "$o" ] && [ "$d" -lt "$m" ] && [ "$m" -lt "$o" ] ||
  fail "plan note sections out of order (destructive $d, by module $m, other $o)"
# The counts are every change's, not those that fit.
want=$(jq '[.resource_changes[].change.actions | select(. == ["delete"] or . == ["delete","create"])] | length' "$T_TMP/plan.json")
assert_contains "$T_TMP/p/summary.md" "#### Destructive changes (delete or replace) ($want)"
table=$(jq -r '[.resource_changes[] | select(.change.actions != ["no-op"]) | .module_address] | unique | length' "$T_TMP/plan.json")
assert_contains "$T_TMP/p/summary.md" "#### Changes by module and type ($table)"
# The module table adds up to the plan's changes of that module.
mod=module.app13
want=$(jq --arg m "$mod" '[.resource_changes[] | select(.module_address == $m and .change.actions == ["delete","create"])] | length' "$T_TMP/plan.json")
grep -q "^| <code>$mod</code> | <code>azurerm_storage_container</code> | 0 | 0 | 0 | $want | 0 |" "$T_TMP/p/summary.md" ||
  fail "$mod: the table does not say $want replaced"
assert_contains "$T_TMP/p/summary.md" "the full plan is in the job's artifacts"

python3 bench/gen-drift.py "$T_TMP/drift.json" --mb 12 >/dev/null
echo "version: 1" >"$T_TMP/policy.yaml"
expect_exit 2 -- "$PLATCI_BIN/platci-drift" --config platci.yaml --env prd-uaenorth --now 2026-11-26T02:05:00Z \
  --terraform "$T_TMP/drift.json" --policy "$T_TMP/policy.yaml" --reports "$T_TMP/d"
size=$(stat -c %s "$T_TMP/d/summary.md")
[ "$size" -le $budget ] || fail "drift summary.md is $size bytes, over $budget"
want=$(jq '[.resource_drift[] | select(.change.actions != ["no-op"])] | length' "$T_TMP/drift.json")
[ "$want" -gt 500 ] || fail "the generated plan drifts too little ($want) to test the budget"
assert_contains "$T_TMP/d/summary.md" "$want Terraform resources"
grep -qE "more items not shown here|Drift summary truncated" "$T_TMP/d/summary.md" ||
  fail "the drift note does not say that it stops and where the rest is"
[ "$(jq '.counts.terraform_drift' "$T_TMP/d/drift.json")" = "$want" ] || fail "drift.json does not count every drifted resource"
finish
