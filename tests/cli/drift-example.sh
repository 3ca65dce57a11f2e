#!/usr/bin/env bash
# platci-drift over the example Azure/Flux inputs: every report against its golden.
# Regenerate the goldens with UPDATE_GOLDEN=1 after an intended change, and review the diff.
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"
golden=tests/golden/drift/example
out=$T_TMP/reports

expect_exit 2 -- env -u CI_COMMIT_SHA -u CI_COMMIT_BRANCH "$PLATCI_BIN/platci-drift" \
  --config platci.yaml --env prd-uaenorth --now 2026-11-26T02:05:00Z --reports "$out" \
  --terraform examples/drift/refresh-only-prd-uaenorth.json \
  --flux examples/drift/flux-status-prd-uaenorth.json \
  --pending examples/drift/pending-prd-uaenorth.json \
  --expect-revision main=3f1c2b7e9a4d5c6b8e0f1a2b3c4d5e6f7a8b9c0d

for f in drift.json summary.md junit.xml findings.json gl-code-quality-report.json drift-issue.md; do
  [ -s "$out/$f" ] || { fail "$f missing or empty"; continue; }
  if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
    mkdir -p "$golden"; cp "$out/$f" "$golden/$f"
  elif [ "${f##*.}" = json ]; then
    # JSON reports are compact unless --pretty: compare them parsed.
    same_json "$golden/$f" "$out/$f" || fail "$f differs from $golden/$f"
  elif ! diff -u "$golden/$f" "$out/$f" >"$T_TMP/diff"; then
    fail "$f differs from $golden/$f"; head -40 "$T_TMP/diff" >&2
  fi
done
# The log names each drifted object with file:line and category.
assert_contains "$T_TMP/err" "examples/drift/refresh-only-prd-uaenorth.json:"
assert_contains "$T_TMP/err" "[terraform.deleted]"
assert_contains "$T_TMP/err" "[flux.helm-drifted]"
# The report files parse, and the JUnit file has one case per checked object.
need_cmd jq
jq -e '.drift == true and .counts.terraform_checked == 7 and .counts.flux_checked == 9' "$out/drift.json" >/dev/null ||
  fail "drift.json counts"
jq -e 'type == "array"' "$out/gl-code-quality-report.json" >/dev/null || fail "code quality is not an array"
cases=$(grep -c '<testcase ' "$out/junit.xml")
[ "$cases" = $((7 + 9 + 2)) ] || fail "junit has $cases cases, wanted 18 (7 resources, 9 objects, 2 pending)"
finish
