#!/usr/bin/env bash
# Ignore rules from policies/drift.yaml: they silence what they name until they expire;
# after that the drift is back and the expired rule is itself a finding.
. "$(dirname "$0")/../lib/common.sh"
need_cmd jq
cd "$PLATCI_SOURCE_DIR"
run() { # now reports
  "$PLATCI_BIN/platci-drift" --config platci.yaml --env prd-uaenorth --now "$1" --reports "$2" \
    --terraform examples/drift/refresh-only-prd-uaenorth.json \
    --flux examples/drift/flux-status-prd-uaenorth.json >/dev/null 2>"$T_TMP/err"
}
run 2026-11-26T02:00:00Z "$T_TMP/before"
jq -e '.counts.ignored == 4 and .counts.expired_rules == 0' "$T_TMP/before/drift.json" >/dev/null || fail "before expiry: $(jq -c .counts "$T_TMP/before/drift.json")"
jq -e 'any(.items[]; .identity == "azurerm_resource_group.platform" and .ignored_by == "azure-policy-costcenter-tag" and .drift == false)' \
  "$T_TMP/before/drift.json" >/dev/null || fail "the resource group's policy tags are not ignored"
jq -e 'any(.findings[]; .waiver != null)' "$T_TMP/before/findings.json" >/dev/null || fail "ignored drift is not a waived finding"

# monitoring-suspended-for-migration expires 2026-12-15 (through that day in the platform's
# zone, Asia/Dubai: until 20:00 UTC), aks-autoscaler 2027-01-31.
run 2026-12-15T19:59:59Z "$T_TMP/lastday"
jq -e '.counts.expired_rules == 0' "$T_TMP/lastday/drift.json" >/dev/null || fail "a rule expired before its last day ended"
run 2026-12-15T20:00:00Z "$T_TMP/nextday"
jq -e '.counts.expired_rules == 1' "$T_TMP/nextday/drift.json" >/dev/null || fail "a rule outlived its last day"
run 2027-02-01T00:00:00Z "$T_TMP/after"
jq -e '.counts.expired_rules == 2' "$T_TMP/after/drift.json" >/dev/null || fail "after expiry: $(jq -c .counts "$T_TMP/after/drift.json")"
jq -e 'any(.items[]; .identity == "module.aks.azurerm_kubernetes_cluster.this" and any(.attributes[]; .path == "default_node_pool[0][\"node_count\"]" and .ignored_by == null))' \
  "$T_TMP/after/drift.json" >/dev/null || fail "the node count is still ignored after the rule expired"
jq -e '[.findings[] | select(.rule == "drift.ignore-expired")] | length == 2' "$T_TMP/after/findings.json" >/dev/null ||
  fail "expired rules are not reported as findings"
assert_contains "$T_TMP/after/summary.md" "2 ignore rules expired"
finish
