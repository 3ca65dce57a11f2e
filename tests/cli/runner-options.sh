#!/usr/bin/env bash
# Every runner parses its options from one table and the common flags from
# cmd/common: the same messages naming the flag, exit 64, one --help layout.
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"
B=$PLATCI_BIN

# runner NAME ARGV...: a runner and the subcommand it needs, if any
runners=("platci-gate" "platci-drift" "platci-promote" "platci-scan" "platci-note"
  "platci-plan summarize" "platci-plan bundle" "platci-plan verify" "platci-validate")
# a flag of each that takes a value
value_flag=(--plan --terraform --from --policy --file --max-summary --out --max-age --base)

for i in "${!runners[@]}"; do
  read -r -a r <<<"${runners[$i]}"
  r[0]=$B/${r[0]}
  name=${runners[$i]}
  expect_exit 64 -- "${r[@]}" --bogus && assert_contains "$T_TMP/err" 'usage: unknown argument "--bogus"'
  expect_exit 64 -- "${r[@]}" "${value_flag[$i]}" &&
    assert_contains "$T_TMP/err" "${value_flag[$i]} needs a value"
  expect_exit 64 -- "${r[@]}" --quiet=yes && assert_contains "$T_TMP/err" "--quiet takes no value"
  expect_exit 64 -- "${r[@]}" --now yesterday && assert_contains "$T_TMP/err" '--now: "yesterday"'
  expect_exit 64 -- "${r[@]}" --reports= && assert_contains "$T_TMP/err" "--reports needs a non-empty value"
  # --help: the runner's options, then the common ones from one place
  expect_exit 0 -- "${r[@]}" --help || { echo "  in: $name" >&2; continue; }
  assert_contains "$T_TMP/out" "Usage: ${r[0]##*/} "
  assert_contains "$T_TMP/out" "  ${value_flag[$i]} "
  for common in "--config FILE" "--reports DIR" "--env ENV" "--now TIME" "--gitlab" "--no-gitlab" \
    "-q, --quiet" "--no-color" "-h, --help" "--version"; do
    assert_contains "$T_TMP/out" "  $common "
  done
  assert_contains "$T_TMP/out" "64 usage, 65 bad input data"
  expect_exit 0 -- "${r[@]}" --version && assert_contains "$T_TMP/out" "(platci) "
  [ -s "$T_TMP/err" ] && fail "$name --version wrote to stderr"
done

# A list that names nothing is refused, not read as "everything".
expect_exit 64 -- "$B/platci-promote" --from stg-uaenorth --to prd-uaenorth --only , &&
  assert_contains "$T_TMP/err" '--only: "," names nothing'
# A required flag is named with its value; -- ends the options.
expect_exit 64 -- "$B/platci-gate" --env dev-uaenorth && assert_contains "$T_TMP/err" "--plan FILE is required"
expect_exit 64 -- "$B/platci-gate" --plan x.json && assert_contains "$T_TMP/err" "--env ENV is required"
expect_exit 66 -- "$B/platci-plan" summarize -- --a-file-named-like-a-flag.json
finish
