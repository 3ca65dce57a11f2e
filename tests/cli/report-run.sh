#!/usr/bin/env bash
# platci-report over the fixture reports and repository (tests/resources/report): platform.json
# equals its golden (derived by hand: tests/golden/report/README.md; UPDATE_GOLDEN=1 rewrites
# it), the page is written whatever the inputs, and the exit codes follow the contract:
# 0 usable (missing reports are named), 65 an unusable report or platci.yaml, 66 a missing
# report folder or platci.yaml, 64 usage.
. "$(dirname "$0")/../lib/common.sh"
REPORT=$PLATCI_BIN/platci-report
RES=$PLATCI_SOURCE_DIR/tests/resources/report
GOLD=$PLATCI_SOURCE_DIR/tests/golden/report
CFG=$RES/repo/platci.yaml
NOW=2026-11-26T03:00:00Z
need_cmd jq

# Fresh copies whose files all say 01:00 (findings.json and others carry no time of their own).
fresh() {
  rm -rf "$T_TMP/reports" "$T_TMP/page"
  cp -R "$RES/reports" "$T_TMP/reports"
  find "$T_TMP/reports" -exec touch -d 2026-11-26T01:00:00Z {} +
}
run() { (cd "$T_TMP" && "$REPORT" --config "$CFG" --now "$NOW" "$@"); }

# 1. The fixture: every report used, ten missing, the golden.
fresh
expect_exit 0 -- run --out page reports && pass "fixture: exit 0"
[ -s "$T_TMP/page/index.html" ] || fail "no index.html"
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
  mkdir -p "$GOLD"; cp "$T_TMP/page/platform.json" "$GOLD/platform.json"
elif ! diff -u "$GOLD/platform.json" "$T_TMP/page/platform.json" >"$T_TMP/diff"; then
  fail "platform.json differs from its golden"; head -60 "$T_TMP/diff" >&2
fi
assert_contains "$T_TMP/err" "10 reports read (0 superseded), 10 missing, 0 unreadable"
# The counts on the page are the golden's.
jq -e '.findings[] | select(.env == "prd-uaenorth") | .deny == 3' "$T_TMP/page/platform.json" >/dev/null ||
  fail "prd deny count"
grep -q '<td class="deny">&#10006; deny</td>' "$T_TMP/page/index.html" || fail "the gate's deny is not on the page"

# 2. Unusable reports: the page is still written, each is named, exit 65.
fresh
printf '{"version": "1", "stage": "validate", "findings": [{"rule"' >"$T_TMP/reports/findings.json"
echo '{"version": "1", "stage": "drift", "findings": []}' >"$T_TMP/reports/drift-prd-uaenorth/drift.json"
expect_exit 65 -- run --out page reports && pass "unusable reports: exit 65"
assert_contains "$T_TMP/err" "reports/findings.json:1:"
assert_contains "$T_TMP/err" "not a platci drift.json"
jq -e '[.inputs[] | select(.status == "unreadable")] | length == 2' "$T_TMP/page/platform.json" >/dev/null ||
  fail "the two unusable reports are not unreadable in platform.json"
grep -q 'unreadable' "$T_TMP/page/index.html" || fail "the page does not say unreadable"
grep -q 'module.aks' "$T_TMP/page/index.html" && fail "the unusable drift report was used"

# 3. A report folder that does not exist: named, page written, exit 66.
fresh
expect_exit 66 -- run --out page reports no-such-folder && pass "missing folder: exit 66"
assert_contains "$T_TMP/err" "no-such-folder: no such folder"
jq -e '.inputs[] | select(.kind == "reports-folder") | .status == "unreadable"' "$T_TMP/page/platform.json" \
  >/dev/null || fail "the missing folder is not in platform.json"

# 4. No platci.yaml: the reports still make a page, without the matrix; exit 66.
fresh
expect_exit 66 -- "$REPORT" --config "$T_TMP/nope.yaml" --now "$NOW" --out "$T_TMP/page" "$T_TMP/reports" &&
  pass "no platci.yaml: exit 66"
jq -e '.versions == null' "$T_TMP/page/platform.json" >/dev/null || fail "a matrix without platci.yaml"
grep -q 'No version matrix' "$T_TMP/page/index.html" || fail "the page does not say why there is no matrix"

# 5. Usage.
expect_exit 64 -- "$REPORT" reports && pass "no --out: 64"
expect_exit 64 -- "$REPORT" --out "$T_TMP/o" --frobnicate && pass "unknown flag: 64"
expect_exit 64 -- "$REPORT" --out "$T_TMP/o" --max-list 0 && pass "--max-list 0: 64"
expect_exit 64 -- "$REPORT" --out "$T_TMP/o" --project-url 'javascript:alert(1)' && pass "bad URL: 64"
expect_exit 0 -- "$REPORT" --help && assert_contains "$T_TMP/out" "--out DIR"

# 6. --project-url (or CI_PROJECT_URL) links the drift issue.
fresh
expect_exit 0 -- env CI_PROJECT_URL=https://gitlab.example.com/platform/infra \
  "$REPORT" --config "$CFG" --now "$NOW" --out "$T_TMP/page" "$T_TMP/reports"
grep -q 'href="https://gitlab.example.com/platform/infra/-/issues/?label_name%5B%5D=platci-drift&amp;search=Drift%3A%20prd-uaenorth"' \
  "$T_TMP/page/index.html" || fail "no drift issue link from CI_PROJECT_URL"
finish
