#!/usr/bin/env bash
# In a scheduled pipeline the expected revision defaults to the job's own commit, for the
# GitRepositories that fetch this project's branch; an explicit flag overrides it.
. "$(dirname "$0")/../lib/common.sh"
need_cmd jq
cd "$PLATCI_SOURCE_DIR"
run() { # reports env-assignments...
  local r=$1; shift
  env "$@" "$PLATCI_BIN/platci-drift" --config platci.yaml --env prd-uaenorth --reports "$r" \
    --flux examples/drift/flux-status-prd-uaenorth.json >/dev/null 2>"$T_TMP/err"
}
behind='any(.items[]; .category == "flux.source-behind" and .identity == "GitRepository/flux-system/flux-system")'
new=0123456789abcdef0123456789abcdef01234567
run "$T_TMP/a" CI_COMMIT_BRANCH=main CI_COMMIT_SHA=$new CI_PROJECT_PATH=platform/platform
jq -e "$behind" "$T_TMP/a/drift.json" >/dev/null || fail "the job's own commit was not expected"
jq -e 'any(.items[]; .category == "flux.source-behind" and .expected == "'$new'")' "$T_TMP/a/drift.json" >/dev/null || fail "expected revision not recorded"
run "$T_TMP/b" CI_COMMIT_BRANCH=main CI_COMMIT_SHA=3f1c2b7e9a4d5c6b8e0f1a2b3c4d5e6f7a8b9c0d CI_PROJECT_PATH=platform/platform
jq -e "$behind | not" "$T_TMP/b/drift.json" >/dev/null || fail "a source at the job's commit was reported behind"
run "$T_TMP/c" CI_COMMIT_BRANCH=main CI_COMMIT_SHA=$new CI_PROJECT_PATH=someone/else
jq -e "$behind | not" "$T_TMP/c/drift.json" >/dev/null || fail "another project's branch head was applied to this source"
run "$T_TMP/d" CI_COMMIT_BRANCH=release CI_COMMIT_SHA=$new CI_PROJECT_PATH=platform/platform
jq -e "$behind | not" "$T_TMP/d/drift.json" >/dev/null || fail "a source tracking main was compared with the release branch"
run "$T_TMP/e" -u CI_COMMIT_SHA -u CI_COMMIT_BRANCH
jq -e "$behind | not" "$T_TMP/e/drift.json" >/dev/null || fail "no expectation should skip the check"
finish
