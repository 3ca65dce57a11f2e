#!/usr/bin/env bash
# A reports folder holds one run (issue 20, item 6): reports.json names the
# runner, the version, the input files with their SHA-256 and exactly the
# files the run wrote; a second run first removes what the previous
# manifest named (a stale report is gone), keeps files no manifest names,
# and never follows a manifest entry out of the folder.
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"
need_cmd jq
SCAN=$PLATCI_BIN/platci-scan
out=$T_TMP/reports
run_scan() {
  expect_exit 1 -- "$SCAN" --policy policies/scan.yaml --env prd-uaenorth --now 2026-11-26T10:00:00Z \
    --ignore examples/trivy/waivers.yaml --reports "$out" examples/trivy/orders-api.trivy.json
}

run_scan
m=$out/reports.json
[ -f "$m" ] || { fail "no reports.json"; finish; }
[ "$(jq -r .runner "$m")" = platci-scan ] || fail "runner is not platci-scan"
[ "$(jq -r .version "$m")" = "$("$SCAN" --version | awk '{print $NF}')" ] || fail "version differs from --version"
[ "$(jq -r .env "$m")" = prd-uaenorth ] || fail "env missing"
# the files listed are exactly the files in the folder (the manifest aside)
listed=$(jq -r '.files[]' "$m" | sort | tr '\n' ' ')
present=$(cd "$out" && ls | grep -vx reports.json | sort | tr '\n' ' ')
[ "$listed" = "$present" ] || fail "manifest lists [$listed], the folder holds [$present]"
[ "$listed" = "findings.json gl-code-quality-report.json gl-container-scanning-report.json junit.xml summary.md " ] \
  || fail "unexpected files: $listed"
# every input file with its SHA-256: the report, the waivers, the policy
for f in examples/trivy/orders-api.trivy.json examples/trivy/waivers.yaml policies/scan.yaml; do
  want=$(sha256sum "$f" | cut -d' ' -f1)
  got=$(jq -r --arg p "$f" '.inputs[] | select(.path == $p) | .sha256' "$m")
  [ "$got" = "$want" ] || fail "input $f: sha256 '$got', wanted $want"
done

# A previous run's manifest names a report this run does not write: it goes.
echo '{}' > "$out/decision.json"
echo 'kept' > "$out/notes.txt"            # named by no manifest: not ours to remove
echo 'outside' > "$T_TMP/escape.json"
jq '.files += ["decision.json", "../escape.json", "/etc/hostname"]' "$m" > "$T_TMP/m" && cp "$T_TMP/m" "$m"
run_scan
[ -e "$out/decision.json" ] && fail "the stale decision.json of the earlier run is still there"
[ -f "$out/notes.txt" ] || fail "a file no manifest named was removed"
[ -f "$T_TMP/escape.json" ] || fail "a manifest entry outside the folder was followed"
jq -e '.files | index("decision.json") | not' "$m" >/dev/null || fail "the new manifest names decision.json"
present=$(cd "$out" && ls | grep -vx -e reports.json -e notes.txt | sort | tr '\n' ' ')
[ "$(jq -r '.files[]' "$m" | sort | tr '\n' ' ')" = "$present" ] || fail "second run: manifest and folder differ"

# A fresh folder (no manifest to read) gets the same five files and its manifest.
rm -rf "$out"; run_scan
[ "$(jq -r '.files | length' "$m")" = 5 ] || fail "a fresh folder's manifest does not list 5 files"

# The plan readers hash the plan as they read it (no second read): the digest recorded is
# still the file's, byte for byte, for platci-plan summarize and platci-drift.
plan=examples/plans/dev-uaenorth.json drift=examples/drift/refresh-only-prd-uaenorth.json
"$PLATCI_BIN/platci-plan" summarize --env dev-uaenorth --reports "$T_TMP/plan" "$plan" >/dev/null 2>&1
"$PLATCI_BIN/platci-drift" --env prd-uaenorth --terraform "$drift" --reports "$T_TMP/drift" \
  --quiet >/dev/null 2>&1
for pair in "plan $plan" "drift $drift"; do
  set -- $pair
  want=$(sha256sum "$2" | cut -d' ' -f1)
  got=$(jq -r --arg p "$2" '.inputs[] | select(.path == $p) | .sha256' "$T_TMP/$1/reports.json" 2>/dev/null)
  [ "$got" = "$want" ] || fail "$1: input $2: sha256 '$got', wanted $want"
done
finish
