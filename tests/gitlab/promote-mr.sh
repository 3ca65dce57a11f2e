#!/usr/bin/env bash
# platci-promote --commit --push --open-mr in a temp repository with a local bare
# remote, against the fake GitLab: one MR from promote/<from>-to-<to>/<sha> into main
# whose description is summary.md; a rerun reuses it (no second POST).
. "$(dirname "$0")/helpers.bash"
need_cmd git
[ -x "$PLATCI_BIN/platci-promote" ] || skip "platci-promote is not built in $PLATCI_BIN"
# Under ASan: a leak inside Debian's libgit2/pcre2 is not ours (see the file).
export LSAN_OPTIONS="suppressions=$PLATCI_SOURCE_DIR/tests/resources/promote/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

tree=$T_TMP/tree
cp -R "$PLATCI_SOURCE_DIR/tests/resources/promote/tree" "$tree"
cd "$tree" || exit 1
git init -q -b main . && git add -A && git -c user.name=Init -c user.email=init@example.com commit -qm init
git init -q --bare "$T_TMP/remote.git" && git remote add origin "$T_TMP/remote.git"
base=$(git rev-parse --short=8 HEAD)
branch=promote/stg-uaenorth-to-prd-uaenorth/$base
P=$PLATCI_BIN/platci-promote
export GITLAB_USER_NAME="Rita Release" GITLAB_USER_EMAIL=rita@example.com
# A push to the local remote, not to GitLab's HTTPS URL; a default-branch pipeline.
unset CI_SERVER_URL CI_PROJECT_PATH CI_DEFAULT_BRANCH

start_fake
unset CI_MERGE_REQUEST_IID
# Someone's open MR from another branch, and a merged one from the same branch into
# another target: neither is the promotion's MR.
fake_ctl seed "{\"merge_requests\": [
  {\"iid\": 12, \"source_branch\": \"feature\", \"target_branch\": \"main\", \"title\": \"other\"},
  {\"iid\": 13, \"source_branch\": \"$branch\", \"target_branch\": \"release\", \"title\": \"old\", \"state\": \"merged\"}]}"
mrs() { fake_get state | jq --arg s "$branch" '[.merge_requests[] | select(.source_branch == $s and .state == "opened")]'; }

# First run: committed, pushed, one MR opened.
if expect_exit 0 -- "$P" --from stg-uaenorth --to prd-uaenorth --drop-digest --commit --push --open-mr \
  --now 2026-11-26T10:00:00Z --reports "$T_TMP/r1"; then
  assert_contains "$T_TMP/err" "pushed $branch"
fi
assert_no_token "$T_TMP/out" "$T_TMP/err" "$T_TMP/r1"/*
git --git-dir="$T_TMP/remote.git" rev-parse -q --verify "refs/heads/$branch" >/dev/null || fail "branch not pushed"
[ "$(count_req POST '/merge_requests$')" = 1 ] || fail "first run: $(count_req POST '/merge_requests$') MR POSTs, wanted 1"
[ "$(mrs | jq length)" = 1 ] || fail "first run: $(mrs | jq length) open MRs from $branch"
jq -s -e --arg s "$branch" '[.[] | select(.method == "POST" and (.path | test("/merge_requests$")))][0].body
  | .source_branch == $s and .target_branch == "main" and (.title | length > 0)' "$T_TMP/fake.log" >/dev/null ||
  fail "the MR was not opened from $branch into main with a title"
mrs | jq -r '.[0].description' >"$T_TMP/desc"
[ "$(cat "$T_TMP/desc")" = "$(cat "$T_TMP/r1/summary.md")" ] || fail "the MR description is not summary.md"
assert_contains "$T_TMP/desc" "<!-- platci:"
url=$(mrs | jq -r '.[0].web_url')
assert_contains "$T_TMP/out" "merge request: $url"
iid=$(mrs | jq '.[0].iid')

# Rerun from main, same base: the branch is already there, the MR is reused.
git checkout -q main
: >"$T_TMP/fake.log"
if expect_exit 0 -- "$P" --from stg-uaenorth --to prd-uaenorth --drop-digest --commit --push --open-mr \
  --now 2026-11-26T10:00:00Z --reports "$T_TMP/r2"; then
  assert_contains "$T_TMP/err" "already committed on branch $branch"
  assert_contains "$T_TMP/out" "merge request: $url"
fi
[ "$(count_req POST '.')" = 0 ] || fail "rerun: $(count_req POST '.') POSTs (a second MR?)"
[ "$(count_req GET '/merge_requests[?]')" -ge 1 ] || fail "rerun: the open MRs were not looked up"
jq -s -e --arg s "$(printf %s "$branch" | jq -sRr @uri)" \
  'any(.[]; .method == "GET" and (.path | contains("source_branch=" + $s)) and (.path | contains("target_branch=main")))' \
  "$T_TMP/fake.log" >/dev/null || fail "rerun: the lookup did not ask for source $branch and target main"
[ "$(mrs | jq length)" = 1 ] && [ "$(mrs | jq '.[0].iid')" = "$iid" ] || fail "rerun: not the same MR"
[ "$(git --git-dir="$T_TMP/remote.git" rev-list --count "refs/heads/$branch")" = 2 ] || fail "rerun: a second commit was pushed"
[ "$(fake_get state | jq '.merge_requests | length')" = 3 ] || fail "MRs: $(fake_get state | jq '.merge_requests | length'), wanted 3"
assert_no_token "$T_TMP/out" "$T_TMP/err" "$T_TMP/r2"/*

# GitLab down at the MR step: the push is done, the MR step is 69 with the reason.
git checkout -q main
start_fake
unset CI_MERGE_REQUEST_IID
fake_ctl faults '{"status": 503, "times": -1}'
expect_exit 69 -- "$P" --from stg-uaenorth --to prd-uaenorth --drop-digest --commit --push --open-mr \
  --now 2026-11-26T10:00:00Z --reports "$T_TMP/r3"
assert_contains "$T_TMP/err" "--open-mr"
assert_contains "$T_TMP/err" "gave up after 4 attempts"
assert_no_token "$T_TMP/out" "$T_TMP/err"

finish
