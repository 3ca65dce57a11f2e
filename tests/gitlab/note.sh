#!/usr/bin/env bash
# platci-note against the fake GitLab: one sticky note per marker, ever.
. "$(dirname "$0")/helpers.bash"

NOTE="$PLATCI_BIN/platci-note"
MARK='<!-- platci:validate:all -->'
printf '%s\n### platci validate: passed\n\nNo findings.\n' "$MARK" >"$T_TMP/a.md"
printf '%s\n### platci validate: failed\n\n| deny | 1 |\n' "$MARK" >"$T_TMP/b.md"

start_fake --max-per-page 2
seed_mr
# Other people's notes first, so ours is found on a later page.
fake_ctl seed '{"notes": {"12": [{"body": "LGTM"}, {"body": "please rebase"}, {"body": "merged main", "system": true}]}}'

# Same result twice: exactly one note, the second run writes nothing.
expect_exit 0 -- "$NOTE" --file "$T_TMP/a.md" && assert_contains "$T_TMP/out" "created note"
expect_exit 0 -- "$NOTE" --file "$T_TMP/a.md" && assert_contains "$T_TMP/out" "unchanged note"
[ "$(notes_with "$MARK")" = 1 ] || fail "two runs with the same result: $(notes_with "$MARK") notes"
[ "$(count_req POST '/notes$')" = 1 ] || fail "expected one POST, got $(count_req POST '/notes$')"
[ "$(count_req PUT '/notes/')" = 0 ] || fail "an unchanged result must not be written"

# A different result: still one note; the old body collapsed under <details>.
expect_exit 0 -- "$NOTE" --file "$T_TMP/b.md" && assert_contains "$T_TMP/out" "updated note"
[ "$(notes_with "$MARK")" = 1 ] || fail "a changed result made a second note"
fake_get state | jq -r --arg m "$MARK" '.notes["12"][] | select(.body | startswith($m)) | .body' >"$T_TMP/body"
assert_contains "$T_TMP/body" "platci validate: failed"
assert_contains "$T_TMP/body" "<details><summary>Previous result (superseded)</summary>"
assert_contains "$T_TMP/body" "platci validate: passed"
[ "$(grep -cF "$MARK" "$T_TMP/body")" = 1 ] || fail "the marker appears more than once"
# The body before the collapsed part is the new result only.
sed -n '1,/platci:previous/p' "$T_TMP/body" | grep -qF "passed" && fail "old result outside <details>"

# Five more runs alternating results: never a second note.
for i in 1 2 3 4 5; do
  f=$T_TMP/a.md; [ $((i % 2)) = 0 ] && f=$T_TMP/b.md
  expect_exit 0 -- "$NOTE" --file "$f"
done
[ "$(notes_with "$MARK")" = 1 ] || fail "five runs: $(notes_with "$MARK") notes"
[ "$(count_req POST '/notes$')" = 1 ] || fail "five runs: more than one POST"
[ "$(fake_get state | jq '.notes["12"] | length')" = 4 ] || fail "other notes were touched"

# --stage/--env give a marker of their own: a second sticky note, then updated in place.
expect_exit 0 -- "$NOTE" --stage plan --env dev-uaenorth --file "$T_TMP/a.md"
expect_exit 0 -- "$NOTE" --stage plan --env dev-uaenorth --file "$T_TMP/a.md"
[ "$(notes_with '<!-- platci:plan:dev-uaenorth -->')" = 1 ] || fail "--stage/--env note not sticky"
[ "$(notes_with "$MARK")" = 1 ] || fail "--stage/--env touched the other note"

# Default file: REPORTS/summary.md.
mkdir -p "$T_TMP/reports" && cp "$T_TMP/a.md" "$T_TMP/reports/summary.md"
expect_exit 0 -- "$NOTE" --reports "$T_TMP/reports"

# The right header, a User-Agent with the version, and the token nowhere in our output.
jq -s -e --arg t "$TOKEN" 'all(.[]; .headers["PRIVATE-TOKEN"] == $t and (.headers["JOB-TOKEN"] == null))' \
  "$T_TMP/fake.log" >/dev/null || fail "a request lacked PRIVATE-TOKEN or carried JOB-TOKEN"
ver=$("$NOTE" --version | awk '{print $NF}')
jq -s -e --arg v "platci/$ver (platci-note)" 'all(.[]; .headers["User-Agent"] == $v)' "$T_TMP/fake.log" \
  >/dev/null || fail "User-Agent is not platci/$ver (platci-note)"
PLATCI_GITLAB_DEBUG=1 "$NOTE" --file "$T_TMP/b.md" >"$T_TMP/dbg.out" 2>"$T_TMP/dbg.err" || fail "debug run failed"
assert_contains "$T_TMP/dbg.err" "debug: GitLab: GET /projects/1/merge_requests/12/notes"
assert_no_token "$T_TMP/out" "$T_TMP/err" "$T_TMP/dbg.out" "$T_TMP/dbg.err" "$T_TMP/reports/summary.md"

# Over GitLab's limit: cut with a pointer to the job's artifacts, accepted by the fake (which refuses > 1,000,000).
{ echo "$MARK"; for i in $(seq 1 40000); do echo "| module.big.aws_instance.web[$i] | update | long enough row |"; done; } >"$T_TMP/big.md"
expect_exit 0 -- "$NOTE" --file "$T_TMP/big.md"
assert_contains "$T_TMP/err" "cut at GitLab's limit"
fake_get state | jq -r --arg m "$MARK" '.notes["12"][] | select(.body | startswith($m)) | .body' >"$T_TMP/body"
[ "$(wc -c <"$T_TMP/body")" -le 1000001 ] || fail "the note is over the limit"
assert_contains "$T_TMP/body" "[the job's artifacts](https://gitlab.example.com/g/p/-/jobs/42/artifacts/file/platci-reports/summary.md)"
[ "$(notes_with "$MARK")" = 1 ] || fail "the cut note is a second note"

finish
