#!/usr/bin/env bash
# platci-scan and platci-plan summarize with --gitlab in an MR pipeline, against the
# fake GitLab: one sticky note per stage+env marker, a rerun writes nothing, a
# different result updates the note in place with the old body under <details>, and
# GitLab down is a warning with the stage's own exit code.
. "$(dirname "$0")/helpers.bash"
cd "$PLATCI_SOURCE_DIR" || exit 1
for b in platci-scan platci-plan; do [ -x "$PLATCI_BIN/$b" ] || skip "$b is not built in $PLATCI_BIN"; done

NOW=2026-11-26T10:00:00Z
scan() { # ENV REPORTS [more]
  local env=$1 r=$2; shift 2
  "$PLATCI_BIN/platci-scan" --policy policies/scan.yaml --env "$env" --now "$NOW" --gitlab \
    --ignore examples/trivy/waivers.yaml --reports "$r" "$@" examples/trivy/orders-api.trivy.json
}
plan() { # ENV PLAN REPORTS
  "$PLATCI_BIN/platci-plan" summarize --env "$1" --now "$NOW" --gitlab --reports "$3" "$2"
}
body_of() { fake_get state | jq -r --arg m "$1" '.notes["12"][] | select(.body | startswith($m)) | .body'; }
SCAN_STG='<!-- platci:scan:stg-uaenorth -->'
SCAN_PRD='<!-- platci:scan:prd-uaenorth -->'
PLAN_DEV='<!-- platci:plan:dev-uaenorth -->'

start_fake --max-per-page 2
seed_mr
fake_ctl seed '{"notes": {"12": [{"body": "LGTM"}, {"body": "<!-- platci:scan:dev-uaenorth -->\nnot ours to touch"}]}}'

# First runs: one note per marker, the stage's exit code, the note is summary.md.
expect_exit 1 -- scan stg-uaenorth "$T_TMP/s1"
assert_no_token "$T_TMP/out" "$T_TMP/err"
expect_exit 1 -- scan prd-uaenorth "$T_TMP/p1"
expect_exit 0 -- plan dev-uaenorth examples/plans/dev-uaenorth.json "$T_TMP/d1"
assert_no_token "$T_TMP/out" "$T_TMP/err"
for m in "$SCAN_STG" "$SCAN_PRD" "$PLAN_DEV"; do
  [ "$(notes_with "$m")" = 1 ] || fail "first run: $(notes_with "$m") notes with $m"
done
[ "$(count_req POST '/notes$')" = 3 ] || fail "first runs: $(count_req POST '/notes$') POSTs, wanted 3"
[ "$(body_of "$SCAN_STG")" = "$(cat "$T_TMP/s1/summary.md")" ] || fail "the scan note is not summary.md"
[ "$(body_of "$PLAN_DEV")" = "$(cat "$T_TMP/d1/summary.md")" ] || fail "the plan note is not summary.md"

# Second runs with the same results: nothing written, still one note per marker.
: >"$T_TMP/fake.log"
expect_exit 1 -- scan stg-uaenorth "$T_TMP/s2"
expect_exit 1 -- scan prd-uaenorth "$T_TMP/p2"
expect_exit 0 -- plan dev-uaenorth examples/plans/dev-uaenorth.json "$T_TMP/d2"
jq -s -e 'all(.[]; .method == "GET")' "$T_TMP/fake.log" >/dev/null ||
  fail "unchanged results were written: $(jq -sc '[.[] | select(.method != "GET") | .method + " " + .path]' "$T_TMP/fake.log")"
for m in "$SCAN_STG" "$SCAN_PRD" "$PLAN_DEV"; do
  [ "$(notes_with "$m")" = 1 ] || fail "second run: $(notes_with "$m") notes with $m"
done

# A different plan for dev: the same note updated, the old result collapsed under <details>.
old=$(body_of "$PLAN_DEV")
: >"$T_TMP/fake.log"
expect_exit 0 -- plan dev-uaenorth examples/plans/stg-uaenorth.json "$T_TMP/d3"
[ "$(count_req POST '/notes$')" = 0 ] || fail "a changed plan made a new note"
[ "$(count_req PUT '/notes/')" = 1 ] || fail "a changed plan: $(count_req PUT '/notes/') PUTs, wanted 1"
[ "$(notes_with "$PLAN_DEV")" = 1 ] || fail "a changed plan: $(notes_with "$PLAN_DEV") notes"
body_of "$PLAN_DEV" >"$T_TMP/body"
assert_contains "$T_TMP/body" "<details><summary>Previous result (superseded)</summary>"
# New result first, then the old one inside <details>.
head -n "$(wc -l <"$T_TMP/d3/summary.md")" "$T_TMP/body" | cmp -s - "$T_TMP/d3/summary.md" ||
  fail "the updated note does not start with the new summary.md"
sed -n '/<details><summary>Previous result/,$p' "$T_TMP/body" >"$T_TMP/prev"
printf '%s\n' "$old" | sed 1d | grep -v '^$' | head -5 >"$T_TMP/oldlines"
while IFS= read -r line; do
  grep -qF -- "$line" "$T_TMP/prev" || fail "the old result is not under <details>: $line"
done <"$T_TMP/oldlines"
[ "$(grep -cF "$PLAN_DEV" "$T_TMP/body")" = 1 ] || fail "the marker appears more than once"
# The other notes were left alone.
[ "$(notes_with "$SCAN_STG")" = 1 ] && [ "$(notes_with "$SCAN_PRD")" = 1 ] || fail "scan notes changed"
fake_get state | jq -e '[.notes["12"][] | select(.body | startswith("<!-- platci:scan:dev-uaenorth -->"))][0].body
  == "<!-- platci:scan:dev-uaenorth -->\nnot ours to touch"' >/dev/null || fail "another marker's note was touched"
[ "$(fake_get state | jq '.notes["12"] | length')" = 5 ] || fail "notes: $(fake_get state | jq '.notes["12"] | length'), wanted 5"

# Not an MR pipeline: no note, the exit code stays.
: >"$T_TMP/fake.log"
expect_exit 1 -- env -u CI_MERGE_REQUEST_IID "$PLATCI_BIN/platci-scan" --policy policies/scan.yaml --env stg-uaenorth \
  --now "$NOW" --gitlab --ignore examples/trivy/waivers.yaml --reports "$T_TMP/s4" examples/trivy/orders-api.trivy.json
[ -s "$T_TMP/fake.log" ] && fail "not an MR pipeline, yet GitLab was called"

# GitLab down: a warning, the stage's own exit code, reports written in full.
start_fake
seed_mr
fake_ctl faults '{"status": 503, "times": -1}'
expect_exit 1 -- scan stg-uaenorth "$T_TMP/s5"
assert_contains "$T_TMP/err" "warning"
assert_contains "$T_TMP/err" "GitLab unavailable, the MR note was not posted"
assert_no_token "$T_TMP/out" "$T_TMP/err"
cmp -s "$T_TMP/s1/summary.md" "$T_TMP/s5/summary.md" || fail "GitLab down changed the scan's summary.md"
expect_exit 0 -- plan dev-uaenorth examples/plans/dev-uaenorth.json "$T_TMP/d5"
assert_contains "$T_TMP/err" "GitLab unavailable, the MR note was not posted"
[ -s "$T_TMP/d5/summary.md" ] && [ -s "$T_TMP/d5/junit.xml" ] || fail "GitLab down: plan reports missing"
[ "$(notes_with "$PLAN_DEV")" = 0 ] || fail "a note appeared while GitLab was down"
# Nothing listening: the same.
stop_fake
expect_exit 0 -- plan dev-uaenorth examples/plans/dev-uaenorth.json "$T_TMP/d6"
assert_contains "$T_TMP/err" "GitLab unavailable"

finish
