#!/usr/bin/env bash
# platci-drift on bad flags and bad inputs: the contract's exit codes, clear messages, no reports.
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"
d="$PLATCI_BIN/platci-drift"
r=$T_TMP/reports
plan=examples/drift/refresh-only-prd-uaenorth.json
common=(--config platci.yaml --reports "$r" --now 2026-11-26T02:05:00Z)

# usage: 64
expect_exit 64 -- "$d" "${common[@]}" --terraform "$plan" && assert_contains "$T_TMP/err" "--env ENV is required"
expect_exit 64 -- "$d" "${common[@]}" --env prd-uaenorth && assert_contains "$T_TMP/err" "nothing to check"
expect_exit 64 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$plan" --bogus && assert_contains "$T_TMP/err" "unknown argument"
expect_exit 64 -- "$d" "${common[@]}" --env prd-uaenorth --terraform
expect_exit 64 -- "$d" "${common[@]}" --env nowhere --terraform "$plan" && assert_contains "$T_TMP/err" "not an environment"
expect_exit 64 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$plan" --expect-revision main=xyz && assert_contains "$T_TMP/err" "[BRANCH=]SHA"
expect_exit 64 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$plan" --now yesterday
expect_exit 0 -- "$d" --help && assert_contains "$T_TMP/out" "--expect-revision"

# missing input: 66
expect_exit 66 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$T_TMP/none.json" && assert_contains "$T_TMP/err" "none.json"
expect_exit 66 -- "$d" "${common[@]}" --env prd-uaenorth --flux "$T_TMP/none.json"
expect_exit 66 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$plan" --policy "$T_TMP/none.yaml"
expect_exit 66 -- "$d" "${common[@]}" --env prd-uaenorth --pending "$T_TMP/none.json"

# bad data: 65, with file:line
bad() { # name content
  printf '%b' "$2" >"$T_TMP/$1"
}
bad empty.json ''
expect_exit 65 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$T_TMP/empty.json" && assert_contains "$T_TMP/err" "empty.json"
head -c 3000 "$plan" >"$T_TMP/truncated.json"
expect_exit 65 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$T_TMP/truncated.json" && assert_contains "$T_TMP/err" "truncated.json:"
bad wrapper.json '[not a command]\n{"format_version":"1.2","resource_drift":[]}\n'
expect_exit 65 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$T_TMP/wrapper.json" && assert_contains "$T_TMP/err" "wrapper.json:1"
bad twice.json '{"format_version": "1.2",\n "resource_drift": [],\n "resource_drift": []}'
expect_exit 65 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$T_TMP/twice.json" && assert_contains "$T_TMP/err" "twice.json:3:2: error: duplicate key"
bad notplan.json '{"hello": "world"}'
expect_exit 65 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$T_TMP/notplan.json" && assert_contains "$T_TMP/err" "not a Terraform plan"
bad future.json '{"format_version": "2.0", "resource_drift": []}'
expect_exit 65 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$T_TMP/future.json" && assert_contains "$T_TMP/err" "not supported"
bad errored.json '{"format_version": "1.2", "errored": true}'
expect_exit 65 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$T_TMP/errored.json" && assert_contains "$T_TMP/err" "errored"
bad flux.json '{"apiVersion":"v1","kind":"List","items":[\n{"kind":"Kustomization","metadata":{}}]}'
expect_exit 65 -- "$d" "${common[@]}" --env prd-uaenorth --flux "$T_TMP/flux.json" && assert_contains "$T_TMP/err" "flux.json:2"
bad policy.yaml 'version: 1\nignore:\n  - id: x\n    address: "*"\n    reason: r\n'
expect_exit 65 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$plan" --policy "$T_TMP/policy.yaml" && assert_contains "$T_TMP/err" "policy.yaml:3:5"
bad pending.json '{"identity": "x"}'
expect_exit 65 -- "$d" "${common[@]}" --env prd-uaenorth --pending "$T_TMP/pending.json" && assert_contains "$T_TMP/err" "JSON array"
printf '\xff\xfe{\0"\0}\0' >"$T_TMP/utf16.json"
expect_exit 65 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$T_TMP/utf16.json" && assert_contains "$T_TMP/err" "UTF-16"
expect_exit 65 -- "$d" "${common[@]}" --env prd-uaenorth --flux "$T_TMP/utf16.json" && assert_contains "$T_TMP/err" "UTF-16"
# An input error writes no reports at all: nothing half-done for the pipeline to publish.
[ ! -e "$r" ] || fail "reports were written although every run failed: $(ls "$r")"

# A UTF-8 byte-order mark is not an error, nor is setup-terraform's [command] line.
printf '\xef\xbb\xbf{"format_version":"1.2","errored":false}' >"$T_TMP/bom.json"
expect_exit 0 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$T_TMP/bom.json"
printf '[command]/usr/bin/terraform show -json tfplan\n{"format_version":"1.2","errored":false}\n' >"$T_TMP/wrapped.json"
expect_exit 0 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$T_TMP/wrapped.json" && assert_contains "$T_TMP/err" "[command] line"
# "-" reads the plan from standard input.
"$d" "${common[@]}" --env prd-uaenorth --terraform - <"$plan" >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || fail "--terraform - exited $rc, wanted 2"
rm -rf "$r"
# A real errored plan from Terraform 1.11.4 is refused, not read as "no drift".
if [ -d "$PLATCI_FIXTURES/tfplan" ]; then
  expect_exit 65 -- "$d" "${common[@]}" --env prd-uaenorth --terraform "$PLATCI_FIXTURES/tfplan/local-terraform-1.11.4__errored-precondition.json"
fi
finish
