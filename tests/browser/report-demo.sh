#!/usr/bin/env bash
# The platform page of `make demo`, in Debian's headless Chromium: the demo runs in a copy of
# the repository (the source tree's platci-reports/ is left alone), then the page must show
# the four pins stg-uaenorth runs and prd-uaenorth does not, the drift rows and the severity
# counts the reports hold (worked out here with jq, not by platci), work without its script,
# make no request, and leave a screenshot (REPORT_SCREENSHOT=FILE keeps it; docs/report.png
# is one).
. "$(dirname "$0")/../lib/common.sh"
[ -x /usr/bin/chromium ] || skip "Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
[ -f "$PLATCI_SOURCE_DIR/node_modules/playwright-core/package.json" ] ||
  skip "playwright-core is not installed (scripts/npm-tools)"
need_cmd node
need_cmd jq

copy=$T_TMP/repo
mkdir -p "$copy/build"
tar -C "$PLATCI_SOURCE_DIR" --exclude=./.git --exclude='./build*' --exclude=./node_modules \
  --exclude=./.tools --exclude=./platci-reports -cf - . | tar -C "$copy" -xf -
ln -s "$PLATCI_BIN" "$copy/build/bin"
(cd "$copy" && bash scripts/demo build/bin) >"$T_TMP/demo.log" 2>&1 ||
  { fail "the demo failed"; tail -30 "$T_TMP/demo.log" >&2; finish; }
r=$copy/platci-reports
page=$r/report/index.html
[ -s "$page" ] || { fail "make demo wrote no page"; finish; }
grep -q '== platci-report' "$T_TMP/demo.log" || fail "the demo did not run scripts/demo.d/90-report.sh"

# What the page must say, from the reports themselves.
jq -n --slurpfile promo "$r/promote/promotion.json" '
  {pending: [$promo[0] as $p | $p.changes[] | {key, old, new, from: $p.from, to: $p.to}]}' >"$T_TMP/pending.json"
for f in "$r"/drift-*/drift.json; do
  jq '{(.env): [.items[] | select(.source != "pending") |
        {state: (if .drift then "drift" elif .ignored_by then "ignored" else "notice" end), category, identity}]}' "$f"
done | jq -s 'add // {} | {drift: .}' >"$T_TMP/drift.json"
for d in "$r"/scan-*/; do
  env=$(jq -r .env "$d/findings.json")
  jq -n --arg env "$env" --slurpfile cs "$d/gl-container-scanning-report.json" --slurpfile f "$d/findings.json" '
    def zero: {critical: 0, high: 0, medium: 0, low: 0, unknown: 0, fixable: 0, waived: 0};
    def sev: {Critical: "critical", High: "high", Medium: "medium", Low: "low"}[.] // "unknown";
    (reduce $cs[0].vulnerabilities[] as $v ({};
       .[$v.location.image] = ((.[$v.location.image] // zero)
         | .[$v.severity | sev] += 1
         | .fixable += (if ($v.solution // "No solution provided") == "No solution provided" then 0 else 1 end)))) as $by
    | reduce ($f[0].findings[] | select(.rule == "scan.vulnerability" and .waiver != null)
        | .message | capture(" in (?<i>[^ ;]+)(;|$)").i) as $img ($by; .[$img] = ((.[$img] // zero) | .waived += 1))
    | {($env): .}'
done | jq -s 'add // {} | {vulns: .}' >"$T_TMP/vulns.json"
jq -s add "$T_TMP/pending.json" "$T_TMP/drift.json" "$T_TMP/vulns.json" >"$T_TMP/expect.json"

# The demo's promotion stg -> prd holds the four pins drift lists as waiting.
[ "$(jq '.pending | length' "$T_TMP/expect.json")" = 4 ] || fail "the demo does not have four pending pins"
[ "$(jq -r '[.items[] | select(.source == "pending") | .identity] | sort | join(" ")' "$r/drift-prd-uaenorth/drift.json")" = \
  "$(jq -r '[.pending[].key] | sort | join(" ")' "$T_TMP/expect.json")" ] ||
  fail "promotion.json and drift.json disagree on what waits"
[ "$(jq '.drift["prd-uaenorth"] | length' "$T_TMP/expect.json")" -gt 0 ] || fail "the demo has no drift rows"

shot=${REPORT_SCREENSHOT:-$T_TMP/report.png}
node "$PLATCI_SOURCE_DIR/tests/browser/report-page.js" demo "$page" "$T_TMP/expect.json" "$shot" || fail "DOM checks"
node "$PLATCI_SOURCE_DIR/tests/browser/report-page.js" nojs "$page" || fail "the page without its script"
[ -s "$shot" ] || fail "no screenshot"
finish
