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
# the label and a third approval turn the prd deny into an allow
expect_exit 0 -- "$G" --config platci.yaml --env prd-uaenorth --plan examples/plans/prd-uaenorth.json \
  --facts examples/facts/prd-uaenorth-allow-destroy.json --now "$now" --reports "$T_TMP/x"
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
