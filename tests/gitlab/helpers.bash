# Shared by tests/gitlab/*.sh (not a test itself: the name does not end in .sh).
# Starts the fake GitLab on a free loopback port and always stops it.
. "$(dirname "$0")/../lib/common.sh"

need_cmd python3
need_cmd curl
need_cmd jq
[ -x "$PLATCI_BIN/platci-note" ] || skip "platci-note is not built in $PLATCI_BIN"

# Loopback only: a proxy from the environment must not get in between.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

unset PLATCI_GITLAB_TIMEOUT_MS PLATCI_GITLAB_DEBUG CI_JOB_TOKEN
TOKEN=glpat-SECRET-$$-do-not-print
JOB_TOKEN=jobtok-SECRET-$$-do-not-print
FAKE_PID=
FAKE_PORT=

stop_fake() {
  if [ -n "$FAKE_PID" ]; then
    kill "$FAKE_PID" 2>/dev/null
    wait "$FAKE_PID" 2>/dev/null
    FAKE_PID=
  fi
}
trap 'stop_fake; rm -rf "$T_TMP"' EXIT
trap 'exit 130' INT TERM

# start_fake [fake flags...]: (re)starts the fake with the test tokens; exports the CI variables.
start_fake() {
  stop_fake
  rm -f "$T_TMP/port" "$T_TMP/fake.log"
  python3 "$PLATCI_SOURCE_DIR/tests/gitlab/fake_gitlab.py" --port-file "$T_TMP/port" \
    --log "$T_TMP/fake.log" --token "$TOKEN" --job-token "$JOB_TOKEN" "$@" &
  FAKE_PID=$!
  for _ in $(seq 1 200); do [ -s "$T_TMP/port" ] && break; sleep 0.05; done
  [ -s "$T_TMP/port" ] || { echo "FAIL: the fake GitLab did not start" >&2; exit 1; }
  FAKE_PORT=$(cat "$T_TMP/port")
  export CI_API_V4_URL="http://127.0.0.1:$FAKE_PORT/api/v4"
  export CI_PROJECT_ID=1 CI_MERGE_REQUEST_IID=12 PLATCI_GITLAB_TOKEN="$TOKEN"
  export CI_JOB_URL=https://gitlab.example.com/g/p/-/jobs/42
  # Fast, bounded retries for tests; the policy itself is the same.
  export PLATCI_GITLAB_BACKOFF_MS=20 PLATCI_GITLAB_RETRIES=3
  unset CI_JOB_TOKEN
}

fake_ctl() { curl -sf -X POST "http://127.0.0.1:$FAKE_PORT/__fake/$1" -d "$2" >/dev/null; }
fake_get() { curl -sf "http://127.0.0.1:$FAKE_PORT/__fake/$1"; }

# The notes of MR 12 that carry MARKER (exact first line).
notes_with() { fake_get state | jq --arg m "$1" '[.notes["12"][]? | select(.body | startswith($m))] | length'; }
# Requests in the log: count_req METHOD PATH-REGEX
count_req() { jq -s --arg m "$1" --arg p "$2" '[.[] | select(.method == $m and (.path | test($p)))] | length' "$T_TMP/fake.log"; }

seed_mr() {
  fake_ctl seed '{"merge_requests": [{"iid": 12, "source_branch": "feature", "target_branch": "main",
    "sha": "abc123", "labels": ["infra"], "approved_by": ["alice"]}]}'
}

# The token must never reach what we print or write.
assert_no_token() {
  for f in "$@"; do
    if grep -qF -e "$TOKEN" -e "$JOB_TOKEN" "$f" 2>/dev/null; then fail "$f contains the token"; fi
  done
}
