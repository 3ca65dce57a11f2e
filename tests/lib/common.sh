# Shared helpers for the script tests (tests/<area>/*.sh). Source it:
#   . "$(dirname "$0")/../lib/common.sh"
# Exit 77 skips a test (ctest shows it as skipped).
set -u
PLATCI_SOURCE_DIR=${PLATCI_SOURCE_DIR:-$(git -C "$(dirname "$0")" rev-parse --show-toplevel)}
PLATCI_BUILD_DIR=${PLATCI_BUILD_DIR:-$PLATCI_SOURCE_DIR/build}
PLATCI_BIN=${PLATCI_BIN:-$PLATCI_BUILD_DIR/bin}
PLATCI_FIXTURES=${PLATCI_FIXTURES:-$PLATCI_SOURCE_DIR/../shared/fixtures}
export NO_COLOR=1
# helm and kubectl at the versions pinned in package-lock.json
# (scripts/npm-tools unpacks them) come before whatever the machine has.
[ -d "$PLATCI_SOURCE_DIR/.tools/bin" ] && PATH="$PLATCI_SOURCE_DIR/.tools/bin:$PATH"
export PATH
unset GITLAB_CI CI_API_V4_URL PLATCI_GITLAB_TOKEN CI_JOB_TOKEN PLATCI_CONFIG 2>/dev/null || true

T_FAILS=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/platci-test.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; T_FAILS=$((T_FAILS + 1)); }
pass() { echo "ok: $*"; }
need_fixtures() { [ -d "$PLATCI_FIXTURES/$1" ] || skip "shared fixtures not found at $PLATCI_FIXTURES/$1"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || skip "$1 is not installed"; }

# expect_exit CODE -- command...: runs the command, checks its exit code.
expect_exit() {
  local want=$1; shift; [ "$1" = "--" ] && shift
  "$@" >"$T_TMP/out" 2>"$T_TMP/err"; local got=$?
  if [ "$got" != "$want" ]; then
    fail "$* exited $got, wanted $want"; sed 's/^/  | /' "$T_TMP/err" >&2 | head -20
    return 1
  fi
  return 0
}

# assert_contains FILE TEXT
assert_contains() { grep -qF -- "$2" "$1" || fail "$1 does not contain: $2"; }
assert_not_contains() { ! grep -qF -- "$2" "$1" || fail "$1 contains: $2"; }

# same_json GOLDEN ACTUAL [FILTER]: the two JSON documents are equal once parsed (key order and
# layout aside: reports are compact unless --pretty, goldens are kept readable). FILTER (jq)
# normalises both first, e.g. to blank a version.
same_json() {
  local f=${3:-.}
  command -v jq >/dev/null 2>&1 || { echo "SKIP: jq is not installed"; exit 77; }
  if ! cmp -s <(jq -S "$f" "$1" 2>&1) <(jq -S "$f" "$2" 2>&1); then
    fail "$2 differs from $1 (parsed JSON)"
    diff <(jq -S "$f" "$1" 2>&1) <(jq -S "$f" "$2" 2>&1) | head -30 >&2
    return 1
  fi
  return 0
}

finish() {
  if [ "$T_FAILS" -gt 0 ]; then echo "$T_FAILS check(s) failed"; exit 1; fi
  echo "all checks passed"; exit 0
}
