#!/usr/bin/env bash
# The desired GitLab issue: the body depends on the drift set only. Same set (even with
# new values) -> byte-identical body, so the sync neither edits nor comments; a new
# drifted object -> a different body; no drift -> no body (the issue is closed).
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"
d="$PLATCI_BIN/platci-drift"
plan() { # file value-of-tls extra-resource?
  local extra=""
  [ -n "${3:-}" ] && extra=',{"address":"azurerm_dns_zone.z","change":{"actions":["delete"],"before":{"name":"z"},"after":null}}'
  printf '{"format_version":"1.2","resource_drift":[{"address":"azurerm_storage_account.logs","change":{"actions":["update"],"before":{"min_tls_version":"TLS1_2"},"after":{"min_tls_version":"%s"}}}%s]}' "$2" "$extra" >"$1"
}
run() { # plan reports-dir [more flags]
  local p=$1 r=$2; shift 2
  "$PLATCI_BIN/platci-drift" --config platci.yaml --env stg-uaenorth --terraform "$p" --reports "$r" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
}
plan "$T_TMP/a.json" TLS1_0
plan "$T_TMP/b.json" TLS1_1
plan "$T_TMP/c.json" TLS1_0 more
printf '{"format_version":"1.2","errored":false}' >"$T_TMP/clean.json"

run "$T_TMP/a.json" "$T_TMP/r1" --now 2026-11-25T02:00:00Z; [ $? = 2 ] || fail "first run should find drift"
run "$T_TMP/a.json" "$T_TMP/r2" --now 2026-11-26T02:00:00Z
cmp -s "$T_TMP/r1/drift-issue.md" "$T_TMP/r2/drift-issue.md" || fail "rerun on the same drift changed the issue body"
run "$T_TMP/b.json" "$T_TMP/r3" --now 2026-11-27T02:00:00Z
cmp -s "$T_TMP/r1/drift-issue.md" "$T_TMP/r3/drift-issue.md" || fail "a new value of the same attribute changed the issue body"
assert_not_contains "$T_TMP/r3/drift-issue.md" "TLS1_1"
assert_not_contains "$T_TMP/r3/drift-issue.md" "2026-11-27"
run "$T_TMP/c.json" "$T_TMP/r4"
cmp -s "$T_TMP/r1/drift-issue.md" "$T_TMP/r4/drift-issue.md" && fail "a new drifted resource did not change the issue body"
assert_contains "$T_TMP/r4/drift-issue.md" "azurerm_dns_zone.z"
assert_contains "$T_TMP/r4/drift-issue.md" "<!-- platci:drift:stg-uaenorth set="
run "$T_TMP/clean.json" "$T_TMP/r5"; [ $? = 0 ] || fail "no drift should exit 0"
[ -e "$T_TMP/r5/drift-issue.md" ] && [ ! -s "$T_TMP/r5/drift-issue.md" ] || fail "no drift should leave an empty issue body (close)"

# --gitlab without GitLab's variables: say which one is missing, keep the exit code.
run "$T_TMP/a.json" "$T_TMP/r6" --gitlab; rc=$?
[ $rc = 2 ] || fail "--gitlab changed the exit code to $rc"
assert_contains "$T_TMP/err" "cannot keep the drift issue: CI_API_V4_URL is not set"
finish
