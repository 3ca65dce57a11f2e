#!/usr/bin/env bash
# ctest-label: slow
# platci-scan on a generated report of 200,000 distinct vulnerabilities (issue 16): the
# counts equal jq's, the note stays under 60 kB and still names the images, their counts
# and the most pressing findings, every report is written, and peak memory stays under
# 64 MB (reports are streamed as findings arrive). About a minute: labelled slow, so the
# ASan pass skips it.
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"
need_cmd python3
need_cmd jq
r=$T_TMP/r.json
python3 bench/gen-trivy.py "$r" --vulns 200000 --targets 400
printf 'version: 1\ndefaults: {fail_severity: critical, report_severity: unknown}\n' >"$T_TMP/policy.yaml"

# jq's view: every vulnerability read, and the unique ones (platci folds the same
# package, version and id of one image) per severity.
jq -c '[.Results[].Vulnerabilities[]] | (group_by(.Severity) | map({(.[0].Severity): length}) | add) as $read
       | (unique_by([.VulnerabilityID, .PkgName, .InstalledVersion]) | group_by(.Severity)
          | map({(.[0].Severity): length}) | add) as $unique
       | {read: $read, unique: $unique}' "$r" >"$T_TMP/jq.json"

expect_exit 1 -- "$PLATCI_BIN/platci-scan" --policy "$T_TMP/policy.yaml" --counts "$r"
for s in CRITICAL HIGH MEDIUM LOW UNKNOWN; do
  l=$(echo "$s" | tr A-Z a-z)
  want=$(jq ".read.$s // 0" "$T_TMP/jq.json")
  got=$(sed -n 's/^read: //p' "$T_TMP/out" | tr ',' '\n' | sed -n "s/^ *$l //p")
  [ "$want" = "$got" ] || fail "read $l: jq $want, platci $got"
done

run=("$PLATCI_BIN/platci-scan" --policy "$T_TMP/policy.yaml" --reports "$T_TMP/rep" "$r")
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f '%M' -o "$T_TMP/rss" "${run[@]}" >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
  rss=$(tail -1 "$T_TMP/rss")
  [ "$rss" -le $((64 * 1024)) ] || fail "peak RSS $((rss / 1024)) MB, over 64 MB"
else
  "${run[@]}" >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
  echo "SKIP memory check: GNU time (/usr/bin/time) is not installed"
fi
[ $rc = 1 ] || fail "exit $rc, wanted 1 (critical findings)"
for f in summary.md findings.json gl-code-quality-report.json gl-container-scanning-report.json junit.xml; do
  [ -s "$T_TMP/rep/$f" ] || fail "$f missing or empty"
done
size=$(stat -c %s "$T_TMP/rep/summary.md")
[ "$size" -le 60000 ] || fail "summary.md is $size bytes, over 60,000"
# The note's image table counts every unique vulnerability, as jq does.
row=$(grep '^| `acrplatform.azurecr.io/bench/monolith:1.0.0`' "$T_TMP/rep/summary.md")
for s in CRITICAL HIGH MEDIUM LOW UNKNOWN; do
  want=$(jq ".unique.$s // 0" "$T_TMP/jq.json")
  echo "$row" | grep -qE "\| $want( \(|\s*\|)" || fail "summary.md: no $want for $s in: $row"
done
assert_contains "$T_TMP/rep/summary.md" "Critical and high vulnerabilities, fixable first"
assert_contains "$T_TMP/rep/summary.md" "more findings not shown here"
total=$(jq '[.unique[]] | add' "$T_TMP/jq.json")
[ "$(jq '.counts.total' "$T_TMP/rep/findings.json")" = "$total" ] || fail "findings.json does not hold $total findings"
[ "$(jq '.vulnerabilities | length' "$T_TMP/rep/gl-container-scanning-report.json")" = "$total" ] ||
  fail "the container scanning report does not hold $total vulnerabilities"
finish
