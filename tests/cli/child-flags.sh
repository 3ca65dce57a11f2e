#!/usr/bin/env bash
# platci-validate's --child-* flags: bad values are usage errors (64) found
# before any work (no report is written), with a message that names them.
. "$(dirname "$0")/../lib/common.sh"
V="$PLATCI_BIN/platci-validate"
cd "$PLATCI_SOURCE_DIR" || exit 1
r="$T_TMP/r"
expect_exit 64 -- "$V" --all --reports "$r" --child-pipeline "$T_TMP/c.yml" --child-input 'needs=[]'
assert_contains "$T_TMP/err" 'platci sets this input for each environment: "needs=[]"'
expect_exit 64 -- "$V" --all --reports "$r" --child-pipeline "$T_TMP/c.yml" --child-input image
assert_contains "$T_TMP/err" "KEY=VALUE"
expect_exit 64 -- "$V" --all --reports "$r" --child-pipeline "$T_TMP/c.yml" --child-component a/b/plan --child-local x.yml
assert_contains "$T_TMP/err" "not both"
expect_exit 64 -- "$V" --all --reports "$r" --child-pipeline "$T_TMP/c.yml" --child-component gitlab.example.com/a/plan
assert_contains "$T_TMP/err" "@VERSION"
expect_exit 64 -- "$V" --all --reports "$r" --child-needs build
assert_contains "$T_TMP/err" "need --child-pipeline FILE"
expect_exit 64 -- "$V" --all --reports "$r" --child-pipeline ""
[ -e "$r" ] && fail "a refused run wrote reports"
[ -e "$T_TMP/c.yml" ] && fail "a refused run wrote a child pipeline"
finish
