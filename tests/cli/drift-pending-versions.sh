#!/usr/bin/env bash
# Without --pending, platci-drift compares this environment's version pins
# with the environment it promotes from (the promotion module's version
# sets): on the repository's own tree, prd waits for what stg already runs.
. "$(dirname "$0")/../lib/common.sh"
D="$PLATCI_BIN/platci-drift"
cd "$PLATCI_SOURCE_DIR"
expect_exit 2 -- "$D" --env prd-uaenorth --terraform examples/drift/refresh-only-prd-uaenorth.json \
  --reports "$T_TMP/r" --now 2026-11-25T10:00:00Z
need_cmd jq
n=$(jq '.counts.pending' "$T_TMP/r/drift.json" 2>/dev/null || echo 0)
[ "$n" -ge 1 ] || fail "no pending promotion computed for prd-uaenorth (drift.json has $n)"
assert_contains "$T_TMP/r/summary.md" "Waiting to be promoted"
assert_contains "$T_TMP/r/summary.md" "In stg-uaenorth"
jq -e '[.items[] | select(.category == "pending.promotion")] | any(.identity | test("vllm-openai.newTag"))' \
  "$T_TMP/r/drift.json" >/dev/null || fail "the vllm tag stg runs is not listed as pending"
# dev promotes from nothing: nothing pending.
expect_exit 2 -- "$D" --env dev-uaenorth --terraform examples/drift/refresh-only-prd-uaenorth.json \
  --reports "$T_TMP/d" --now 2026-11-25T10:00:00Z
[ "$(jq '.counts.pending' "$T_TMP/d/drift.json")" = 0 ] || fail "dev has pending promotions"
finish
