#!/usr/bin/env bash
# Every fault of the fake GitLab, end to end through platci-note: retries are
# bounded, a down GitLab is exit 69 (or a warning with --best-effort), and
# no fault ever produces a second note.
. "$(dirname "$0")/helpers.bash"

NOTE="$PLATCI_BIN/platci-note"
MARK='<!-- platci:plan:stg-uaenorth -->'
printf '%s\n### plan\n\n3 to add\n' "$MARK" >"$T_TMP/a.md"
mkdir -p "$T_TMP/reports" && cp "$T_TMP/a.md" "$T_TMP/reports/summary.md"

# run_fault NAME FAULT-JSON WANT-EXIT: fresh fake, one fault, one run.
run_fault() {
  start_fake
  seed_mr
  fake_ctl faults "$2"
  expect_exit "$3" -- "$NOTE" --file "$T_TMP/a.md" || echo "  in: $1" >&2
  assert_no_token "$T_TMP/out" "$T_TMP/err"
  local n; n=$(notes_with "$MARK")
  if [ "$3" = 0 ]; then [ "$n" = 1 ] || fail "$1: $n notes"; else [ "$n" = 0 ] || fail "$1: $n notes"; fi
}

for s in 500 502 503; do
  run_fault "GET $s twice" "{\"method\": \"GET\", \"status\": $s, \"times\": 2}" 0
  [ "$(count_req GET '/notes')" = 3 ] || fail "GET $s: $(count_req GET '/notes') attempts, wanted 3"
  assert_contains "$T_TMP/err" "retry 1 of 3"
done

# Down for good: 1 + PLATCI_GITLAB_RETRIES attempts, then 69 with the reason.
run_fault "503 forever" '{"status": 503, "times": -1}' 69
[ "$(count_req GET '/notes')" = 4 ] || fail "503 forever: $(count_req GET '/notes') attempts, wanted 4"
assert_contains "$T_TMP/err" "gave up after 4 attempts"
assert_contains "$T_TMP/err" "GitLab unavailable"

# 429 with Retry-After: 1 s is honoured although the backoff alone would be 20 ms.
run_fault "429" '{"status": 429, "retry_after": "1", "times": 1}' 0
gap=$(jq -s '[.[] | select(.path | test("/notes")) | .time] | .[1] - .[0]' "$T_TMP/fake.log")
jq -n -e --argjson g "$gap" '$g >= 0.9' >/dev/null || fail "Retry-After: 1 not honoured (gap $gap s)"
# A Retry-After longer than a job should wait: give up at once.
run_fault "429 for an hour" '{"status": 429, "retry_after": "3600", "times": -1}' 69
[ "$(count_req GET '/notes')" = 1 ] || fail "429 for an hour was retried"
assert_contains "$T_TMP/err" "asks to wait 3600 s"

# Slower than the timeout: retried, bounded.
export PLATCI_GITLAB_TIMEOUT_MS=400
run_fault "slow once" '{"method": "GET", "delay": 1.5, "times": 1}' 0
# The fake logs the slow request when it finally answers, after we have gone.
for _ in $(seq 1 40); do [ "$(count_req GET '/notes')" = 2 ] && break; sleep 0.05; done
[ "$(count_req GET '/notes')" = 2 ] || fail "slow once: $(count_req GET '/notes') attempts"
run_fault "slow always" '{"method": "GET", "delay": 1.5, "times": -1}' 69
assert_contains "$T_TMP/err" "imed out"
unset PLATCI_GITLAB_TIMEOUT_MS

# Broken bodies on a GET: retried.
run_fault "truncated JSON" '{"method": "GET", "body": "truncated", "times": 1}' 0
run_fault "malformed JSON" '{"method": "GET", "body": "malformed", "times": 2}' 0
run_fault "short body" '{"method": "GET", "body": "short", "times": 1}' 0
run_fault "dropped" '{"method": "GET", "drop": true, "times": 1}' 0
run_fault "malformed forever" '{"method": "GET", "body": "malformed", "times": -1}' 69
assert_contains "$T_TMP/err" "malformed JSON"

# POST: a 5xx is never sent again blindly (a proxy answers 502/504 after GitLab has acted):
# the note is looked up by its marker first, and posted anew only when it is not there.
for s in 500 502 503 504; do
  run_fault "POST $s before GitLab acted" "{\"method\": \"POST\", \"status\": $s, \"times\": 1}" 0
  [ "$(count_req POST '/notes$')" = 2 ] || fail "POST $s: $(count_req POST '/notes$') POSTs, wanted 2"
  [ "$(count_req GET '/notes')" = 2 ] || fail "POST $s: not looked up before posting again"
  # GitLab stored the note, then the proxy answered the error: exactly one note, one POST.
  run_fault "POST $s after GitLab acted" \
    "{\"method\": \"POST\", \"path\": \"/notes\$\", \"after\": true, \"status\": $s}" 0
  [ "$(count_req POST '/notes$')" = 1 ] || fail "POST $s after: $(count_req POST '/notes$') POSTs, wanted 1"
  assert_contains "$T_TMP/err" "looking for the object before creating it again"
done
# 429 is GitLab saying it did not take the request: sent again after the wait.
run_fault "POST 429" '{"method": "POST", "status": 429, "retry_after": "0", "times": 1}' 0
[ "$(count_req POST '/notes$')" = 2 ] || fail "POST 429 not sent again"
[ "$(count_req GET '/notes')" = 1 ] || fail "POST 429 looked up as if GitLab might have acted"
# Down for good on POST: bounded, then 69 with the reason.
run_fault "POST 502 forever" '{"method": "POST", "status": 502, "times": -1}' 69
[ "$(count_req POST '/notes$')" = 4 ] || fail "POST 502 forever: $(count_req POST '/notes$') POSTs, wanted 4"
assert_contains "$T_TMP/err" "gave up after 4 attempts"
# The note was stored but the answer got lost: found again, never posted twice.
run_fault "POST answer lost" '{"method": "POST", "path": "/notes$", "after": true}' 0
[ "$(count_req POST '/notes$')" = 1 ] || fail "lost answer: $(count_req POST '/notes$') POSTs"
# PUT 502 on update: retried (idempotent), still one note.
start_fake; seed_mr
expect_exit 0 -- "$NOTE" --file "$T_TMP/a.md"
fake_ctl faults '{"method": "PUT", "status": 502, "times": 1}'
printf '%s\n### plan\n\n4 to add\n' "$MARK" >"$T_TMP/b.md"
expect_exit 0 -- "$NOTE" --file "$T_TMP/b.md"
[ "$(count_req PUT '/notes/')" = 2 ] || fail "PUT 502 not retried"
[ "$(notes_with "$MARK")" = 1 ] || fail "PUT retry made a second note"

# --best-effort (what the runners do): GitLab down is a warning, exit 0, reports untouched.
start_fake; seed_mr
fake_ctl faults '{"status": 503, "times": -1}'
sum_before=$(sha256sum <"$T_TMP/reports/summary.md")
expect_exit 0 -- "$NOTE" --best-effort --reports "$T_TMP/reports"
assert_contains "$T_TMP/err" "warning: GitLab unavailable, the MR note was not posted"
[ "$(sha256sum <"$T_TMP/reports/summary.md")" = "$sum_before" ] || fail "summary.md changed"
# Nothing listening at all: connection refused, retried, 69.
stop_fake
expect_exit 69 -- "$NOTE" --file "$T_TMP/a.md"
assert_contains "$T_TMP/err" "gave up after 4 attempts"

finish
