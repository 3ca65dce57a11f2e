#!/usr/bin/env bash
# platci-note's usage and configuration errors: the contract's exit codes and
# a message that says which variable to set.
. "$(dirname "$0")/helpers.bash"

NOTE="$PLATCI_BIN/platci-note"
MARK='<!-- platci:scan:prd-uaenorth -->'
printf '%s\nok\n' "$MARK" >"$T_TMP/a.md"
printf 'no marker here\n' >"$T_TMP/nomark.md"
start_fake
seed_mr

expect_exit 64 -- "$NOTE" --bogus
expect_exit 64 -- "$NOTE" --file
expect_exit 64 -- "$NOTE" --stage 'a b' --file "$T_TMP/a.md"
expect_exit 64 -- "$NOTE" --stage plan --env 'x:y' --file "$T_TMP/a.md"
expect_exit 66 -- "$NOTE" --file "$T_TMP/missing.md"
assert_contains "$T_TMP/err" "missing.md"
printf 'a\0b' >"$T_TMP/bin.md"
expect_exit 65 -- "$NOTE" --file "$T_TMP/bin.md"
expect_exit 64 -- "$NOTE" --file "$T_TMP/nomark.md"
assert_contains "$T_TMP/err" "pass --stage"
expect_exit 0 -- "$NOTE" --help
assert_contains "$T_TMP/out" "PLATCI_GITLAB_TOKEN"

# No token at all: say which variable to set.
( unset PLATCI_GITLAB_TOKEN; expect_exit 69 -- "$NOTE" --file "$T_TMP/a.md"; \
  assert_contains "$T_TMP/err" "set PLATCI_GITLAB_TOKEN"; finish ) >/dev/null || fail "no token"
# Only the job token: it cannot post notes; say so and do not even try.
( unset PLATCI_GITLAB_TOKEN; export CI_JOB_TOKEN="$JOB_TOKEN"
  expect_exit 69 -- "$NOTE" --file "$T_TMP/a.md"
  assert_contains "$T_TMP/err" "CI_JOB_TOKEN may not post notes"
  assert_no_token "$T_TMP/err" "$T_TMP/out"; finish ) >/dev/null || fail "job token only"
[ "$(count_req POST '/notes')" = 0 ] || fail "a note was attempted with the job token"
# No API URL / project / MR.
( unset CI_API_V4_URL; expect_exit 69 -- "$NOTE" --file "$T_TMP/a.md"
  assert_contains "$T_TMP/err" "CI_API_V4_URL is not set"; finish ) >/dev/null || fail "no URL"
( unset CI_PROJECT_ID; expect_exit 69 -- "$NOTE" --file "$T_TMP/a.md"
  assert_contains "$T_TMP/err" "CI_PROJECT_ID is not set"; finish ) >/dev/null || fail "no project"
( unset CI_MERGE_REQUEST_IID; expect_exit 64 -- "$NOTE" --file "$T_TMP/a.md"
  assert_contains "$T_TMP/err" "CI_MERGE_REQUEST_IID is not set"; finish ) >/dev/null || fail "no MR"
# Plain http to a real host would send the token in clear: refused before any request.
( export CI_API_V4_URL=http://gitlab.example.com/api/v4; expect_exit 69 -- "$NOTE" --file "$T_TMP/a.md"
  assert_contains "$T_TMP/err" "must be an https:// URL"; finish ) >/dev/null || fail "http refused"
# A wrong token: GitLab's 401, reported, not retried, not printed.
( export PLATCI_GITLAB_TOKEN=glpat-WRONG-SECRET-xyz; expect_exit 69 -- "$NOTE" --file "$T_TMP/a.md"
  assert_contains "$T_TMP/err" "401"
  grep -qF glpat-WRONG-SECRET-xyz "$T_TMP/err" "$T_TMP/out" && fail "wrong token printed"; finish ) >/dev/null \
  || fail "wrong token"
[ "$(count_req GET '/notes')" = 1 ] || fail "a 401 was retried"
# TLS is verified: a CA file that does not exist is an error, not a silent fallback.
( export CI_API_V4_URL=https://127.0.0.1:$FAKE_PORT/api/v4 SSL_CERT_FILE=$T_TMP/nonexistent.pem
  expect_exit 69 -- "$NOTE" --file "$T_TMP/a.md"; finish ) >/dev/null || fail "bad CA file accepted"

# --no-gitlab: nothing posted, exit 0.
expect_exit 0 -- "$NOTE" --no-gitlab --file "$T_TMP/a.md"
# --best-effort: every problem above becomes a warning and exit 0.
( unset PLATCI_GITLAB_TOKEN; expect_exit 0 -- "$NOTE" --best-effort --file "$T_TMP/a.md"
  assert_contains "$T_TMP/err" "warning"; finish ) >/dev/null || fail "best effort without a token"
[ "$(notes_with "$MARK")" = 0 ] || fail "a note appeared although every run failed"

finish
