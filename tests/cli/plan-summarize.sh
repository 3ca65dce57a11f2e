#!/usr/bin/env bash
# platci-plan summarize: golden reports for the example plans, and the exit codes
# of the contract for bad input and bad usage.
. "$(dirname "$0")/../lib/common.sh"
P="$PLATCI_BIN/platci-plan"
G=tests/golden/plan

# prd's plan replaces a Key Vault without purge protection: the plan policy
# (policies/plan.yaml, PCI-TF-004) denies it there, so prd exits 1
for env in dev-uaenorth stg-uaenorth prd-uaenorth; do
  out="$T_TMP/$env"
  want=0; [ "$env" = prd-uaenorth ] && want=1
  expect_exit "$want" -- "$P" summarize --env "$env" --reports "$out" "examples/plans/$env.json" || continue
  for f in terraform-report.json summary.md findings.json plan-fingerprint.json; do
    if [ "${PLATCI_UPDATE_GOLDEN:-}" = 1 ]; then cp "$out/$f" "$G/$env.$f"; fi
    # JSON reports are compact unless --pretty: compare them parsed.
    if [ "${f##*.}" = json ]; then same_json "$G/$env.$f" "$out/$f" || fail "$env $f differs from golden"; continue; fi
    diff -u "$G/$env.$f" "$out/$f" >"$T_TMP/diff" || { fail "$env $f differs from golden"; head -40 "$T_TMP/diff"; }
  done
  jq -e 'has("create") and has("update") and has("delete") and (.create|type=="number")' \
    "$out/terraform-report.json" >/dev/null || fail "$env widget file shape"
  [ -s "$out/junit.xml" ] && [ -s "$out/gl-code-quality-report.json" ] || fail "$env: common reports missing"
done
pass "golden summaries"
jq -e '[.findings[] | select(.rule == "PCI-TF-004" and .enforcement == "deny")] | length == 1' \
  "$T_TMP/prd-uaenorth/findings.json" >/dev/null || fail "prd: no PCI-TF-004 deny for the Key Vault"
assert_contains "$T_TMP/prd-uaenorth/summary.md" "<!-- platci:fingerprint:prd-uaenorth v1 sha256:"

# --cost: the note shows the monthly total and the difference (examples/cost: hand-made,
# 2843.60 USD a month, +200.00 from 2643.60); a file that is not Infracost's is 65
expect_exit 1 -- "$P" summarize --env prd-uaenorth --reports "$T_TMP/cost" \
  --cost examples/cost/prd-uaenorth.infracost.json examples/plans/prd-uaenorth.json
assert_contains "$T_TMP/cost/summary.md" "**Cost** (Infracost, project \`infra/envs/prd-uaenorth\`): 2843.60 USD a month, +200.00 USD from 2643.60."
expect_exit 65 -- "$P" summarize --env prd-uaenorth --reports "$T_TMP/cost2" --cost examples/facts/dev-uaenorth.json \
  examples/plans/prd-uaenorth.json
assert_contains "$T_TMP/err" "Infracost JSON"

# bad data: 65 with a message that says what was found
printf '' >"$T_TMP/empty.json"
expect_exit 65 -- "$P" summarize --reports "$T_TMP/r" "$T_TMP/empty.json" && assert_contains "$T_TMP/err" "empty"
printf '{"format_version":"1.2","resource_changes":[{"addr' >"$T_TMP/trunc.json"
expect_exit 65 -- "$P" summarize --reports "$T_TMP/r" "$T_TMP/trunc.json" && assert_contains "$T_TMP/err" "trunc.json:1:"
printf '{"format_version":"2.0","resource_changes":[]}' >"$T_TMP/v2.json"
expect_exit 65 -- "$P" summarize --reports "$T_TMP/r" "$T_TMP/v2.json" && assert_contains "$T_TMP/err" "not supported"
printf 'Terraform will perform the following actions:\n' >"$T_TMP/text.json"
expect_exit 65 -- "$P" summarize --reports "$T_TMP/r" "$T_TMP/text.json" && assert_contains "$T_TMP/err" "found text"
[ -e "$T_TMP/r/summary.md" ] && fail "a refused plan left reports behind"

# missing input: 66; usage: 64
expect_exit 66 -- "$P" summarize --reports "$T_TMP/r" "$T_TMP/nope.json"
expect_exit 64 -- "$P" summarize
expect_exit 64 -- "$P" summarize --bogus x.json
expect_exit 64 -- "$P" frobnicate
expect_exit 64 -- "$P" summarize --max-summary lots examples/plans/dev-uaenorth.json
expect_exit 0 -- "$P" --help

# an errored plan is a deny (exit 1), never a silent 0/0/0
printf '{"format_version":"1.2","errored":true,"applyable":false,"complete":false,"resource_changes":[]}' >"$T_TMP/errored.json"
expect_exit 1 -- "$P" summarize --reports "$T_TMP/e" "$T_TMP/errored.json" && assert_contains "$T_TMP/e/summary.md" "The plan errored"

# a summary over its budget says where it stopped
if [ -d "$PLATCI_FIXTURES/tfplan" ]; then
  expect_exit 0 -- "$P" summarize --max-summary 20000 --reports "$T_TMP/cut" \
    "$PLATCI_FIXTURES/tfplan/local-terraform-1.11.4__large-300-create.json"
  assert_contains "$T_TMP/cut/summary.md" "more not shown"
  [ "$(wc -c <"$T_TMP/cut/summary.md")" -lt 60000 ] || fail "summary not cut"
fi

# plan JSON from standard input
"$P" summarize -q --reports "$T_TMP/stdin" - <examples/plans/dev-uaenorth.json || fail "stdin"
cmp -s "$T_TMP/stdin/terraform-report.json" "$G/dev-uaenorth.terraform-report.json" || fail "stdin widget differs"
finish
