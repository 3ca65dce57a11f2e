# Sourced by the tests in tests/platform/. POSIX sh.
# Sets PLATCI_SOURCE_DIR, PLATCI_FIXTURES and helper functions.

if [ -z "${PLATCI_SOURCE_DIR:-}" ]; then
	PLATCI_SOURCE_DIR=$(git rev-parse --show-toplevel 2>/dev/null) || PLATCI_SOURCE_DIR=$(pwd)
fi
: "${PLATCI_FIXTURES:=$PLATCI_SOURCE_DIR/../shared/fixtures}"
export PLATCI_SOURCE_DIR PLATCI_FIXTURES

# shellcheck disable=SC2034 # used by the tests that source this file
ENVIRONMENTS="dev-uaenorth stg-uaenorth prd-uaenorth"
TEST_NAME=$(basename "$0" .sh)

skip() { echo "SKIP $TEST_NAME: $*"; exit 77; }
fail() { echo "FAIL $TEST_NAME: $*" >&2; exit 1; }
pass() { echo "PASS $TEST_NAME${1:+: $1}"; exit 0; }

# need_node: node plus the js-yaml module installed with the npm test tools.
need_node() {
	command -v node >/dev/null 2>&1 || skip "node not installed"
	[ -d "$PLATCI_SOURCE_DIR/node_modules/js-yaml" ] ||
		skip "node_modules/js-yaml missing (run scripts/install-deps)"
	NODE_PATH="$PLATCI_SOURCE_DIR/node_modules"
	export NODE_PATH
}

# A scratch directory removed on exit.
make_tmp() {
	TMPD=$(mktemp -d "${TMPDIR:-/tmp}/platci-$TEST_NAME.XXXXXX") || fail "mktemp"
	trap 'rm -rf "$TMPD"' EXIT INT TERM
}
