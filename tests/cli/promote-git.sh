#!/usr/bin/env bash
# platci-promote --commit --push --open-mr in a temp repository with a local remote:
# one commit on promote/<from>-to-<to>/<sha>, author from GitLab's variables,
# idempotent, --open-mr without GitLab's variables says which one is missing (69),
# a token never shows up in the output; --rollback-to goes back.
. "$(dirname "$0")/../lib/common.sh"
need_cmd git
# Under ASan: a leak inside Debian's libgit2/pcre2 is not ours (see the file).
export LSAN_OPTIONS="suppressions=$PLATCI_SOURCE_DIR/tests/resources/promote/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
res=$PLATCI_SOURCE_DIR/tests/resources/promote
tree=$T_TMP/tree
cp -R "$res/tree" "$tree"
cd "$tree" || exit 1
git init -q -b main . && git add -A && git -c user.name=Init -c user.email=init@example.com commit -qm init
git init -q --bare "$T_TMP/remote.git" && git remote add origin "$T_TMP/remote.git"
base=$(git rev-parse --short=8 HEAD)
P=$PLATCI_BIN/platci-promote
export GITLAB_USER_NAME="Rita Release" GITLAB_USER_EMAIL=rita@example.com PLATCI_GITLAB_TOKEN=glpat-DoNotPrintMe42

if expect_exit 69 -- "$P" --from stg-uaenorth --to prd-uaenorth --drop-digest --commit --push --open-mr --reports "$T_TMP/r"; then
  assert_contains "$T_TMP/err" "committed on branch promote/stg-uaenorth-to-prd-uaenorth/$base"
  assert_contains "$T_TMP/err" "pushed promote/stg-uaenorth-to-prd-uaenorth/$base"
  assert_contains "$T_TMP/err" "CI_API_V4_URL is not set"
fi
assert_not_contains "$T_TMP/err" "DoNotPrintMe42"
assert_not_contains "$T_TMP/out" "DoNotPrintMe42"
grep -rq DoNotPrintMe42 "$T_TMP/r" && fail "token in a report"
[ "$(git symbolic-ref --short HEAD)" = "promote/stg-uaenorth-to-prd-uaenorth/$base" ] || fail "HEAD is not on the promote branch"
[ -z "$(git status --porcelain)" ] || fail "work tree not clean after --commit"
[ "$(git log -1 --format='%an <%ae>')" = "Rita Release <rita@example.com>" ] || fail "author not from GITLAB_USER_*"
git --git-dir="$T_TMP/remote.git" rev-parse -q --verify "refs/heads/promote/stg-uaenorth-to-prd-uaenorth/$base" >/dev/null || fail "branch not pushed"
git diff HEAD~1 HEAD > "$T_TMP/git.diff"
[ "$(grep -c '^[-+] ' "$T_TMP/git.diff")" = "$(grep -c '^[-+] ' "$T_TMP/r/promotion.diff")" ] || fail "git's diff and promotion.diff disagree"

# Again: nothing to promote, no new commit.
expect_exit 0 -- "$P" --from stg-uaenorth --to prd-uaenorth --drop-digest --commit --reports "$T_TMP/r2" &&
  assert_contains "$T_TMP/err" "nothing to promote"
[ "$(git rev-list --count HEAD)" = 2 ] || fail "a second commit was made"

# Rollback to main: a rollback branch, prd pins as they were.
if expect_exit 0 -- "$P" --to prd-uaenorth --rollback-to main --drop-digest --commit --reports "$T_TMP/r3"; then
  assert_contains "$T_TMP/err" "committed on branch rollback/prd-uaenorth/$base-on-"
  jq -e '.rollback_to == "main" and (.changes | length == 16)' "$T_TMP/r3/promotion.json" >/dev/null || fail "rollback promotion.json"
fi
git diff --quiet main -- gitops/clusters gitops/apps/prd-uaenorth/podinfo-values.yaml || fail "rollback did not restore prd"
finish
