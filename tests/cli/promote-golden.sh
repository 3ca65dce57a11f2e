#!/usr/bin/env bash
# platci-promote on the test tree: reports byte-for-byte against goldens,
# the diff applies with git and gives the golden after-tree, a refusal
# writes its reports and changes no file.
. "$(dirname "$0")/../lib/common.sh"
need_cmd git
res=$PLATCI_SOURCE_DIR/tests/resources/promote
gold=$PLATCI_SOURCE_DIR/tests/golden/promote
tree=$T_TMP/tree
cp -R "$res/tree" "$tree"
cd "$tree" || exit 1
run() { "$PLATCI_BIN/platci-promote" --now 2026-01-31T10:00:00Z "$@"; }

# 1. The jobs digest is pinned in prd only: refused (exit 1), reports say why, nothing written.
if expect_exit 1 -- run --from stg-uaenorth --to prd-uaenorth --reports "$T_TMP/refused"; then
  assert_contains "$T_TMP/err" "refused: image:ghcr.io/acme/jobs.digest"
  assert_contains "$T_TMP/refused/summary.md" "### Refused"
  assert_contains "$T_TMP/refused/findings.json" "promote.refused"
  jq -e '.refusals | length == 1' "$T_TMP/refused/promotion.json" >/dev/null || fail "refusals in promotion.json"
fi
diff -r "$res/tree" "$tree" >/dev/null || fail "a refused promotion changed files"

# 2. With --drop-digest: the dry run writes the reports and still changes nothing.
if expect_exit 0 -- run --from stg-uaenorth --to prd-uaenorth --drop-digest --reports "$T_TMP/r"; then
  for f in promotion.diff promotion.json summary.md; do
    cmp -s "$gold/stg-to-prd/$f" "$T_TMP/r/$f" || { fail "$f differs from the golden"; diff -u "$gold/stg-to-prd/$f" "$T_TMP/r/$f" | head -20; }
  done
  assert_contains "$T_TMP/err" "16 pins to change in 4 files"
  jq -e 'type == "array"' "$T_TMP/r/gl-code-quality-report.json" >/dev/null || fail "code quality report is not an array"
  grep -q '<testsuite' "$T_TMP/r/junit.xml" || fail "junit.xml"
  if [ -x "$PLATCI_SOURCE_DIR/node_modules/.bin/ajv" ]; then
    "$PLATCI_SOURCE_DIR/node_modules/.bin/ajv" validate --spec=draft2020 -s "$gold/promotion.schema.json" \
      -d "$T_TMP/r/promotion.json" >/dev/null 2>&1 || fail "promotion.json does not match its schema"
  fi
fi
diff -r "$res/tree" "$tree" >/dev/null || fail "a dry run changed files"

# 3. The diff is a real unified diff: git applies it and the result is the golden after-tree.
git init -q . && git apply --check "$T_TMP/r/promotion.diff" && git apply "$T_TMP/r/promotion.diff" || fail "git apply refused promotion.diff"
(cd "$res/expected/stg-to-prd" && find . -type f) | while read -r f; do
  cmp -s "$res/expected/stg-to-prd/$f" "$tree/$f" || fail "$f after git apply differs from the golden"
done

# 4. Promoting what is already there: nothing to promote, exit 0, empty diff.
if expect_exit 0 -- run --from stg-uaenorth --to prd-uaenorth --drop-digest --reports "$T_TMP/r2"; then
  assert_contains "$T_TMP/err" "nothing to promote"
  [ ! -s "$T_TMP/r2/promotion.diff" ] || fail "promotion.diff not empty"
  jq -e '.changes == []' "$T_TMP/r2/promotion.json" >/dev/null || fail "changes not empty"
fi

# 5. --only and --force/--reason end up in the outputs.
cd "$T_TMP" && rm -rf "$tree" && cp -R "$res/tree" "$tree" && cd "$tree" || exit 1
if expect_exit 0 -- run --from dev-uaenorth --to prd-uaenorth --force --reason "INC-7 hotfix" --only web --reports "$T_TMP/r3"; then
  jq -e '.forced == true and .reason == "INC-7 hotfix" and (.changes | length == 2)' "$T_TMP/r3/promotion.json" >/dev/null \
    || fail "forced --only promotion.json"
  assert_contains "$T_TMP/r3/summary.md" "INC-7 hotfix"
fi
expect_exit 1 -- run --from dev-uaenorth --to prd-uaenorth --only web --reports "$T_TMP/r4" &&
  assert_contains "$T_TMP/err" "prd-uaenorth promotes from stg-uaenorth, not from dev-uaenorth"
finish
