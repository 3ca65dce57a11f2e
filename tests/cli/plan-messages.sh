#!/usr/bin/env bash
# What a user sees when the input is not a plan: the last line says what is
# wrong (never "well formed but not valid" for something unreadable), and
# other Terraform outputs are named for what they are.
. "$(dirname "$0")/../lib/common.sh"
P=$PLATCI_BIN/platci-plan
cd "$T_TMP" || exit 1

# terraform.tfstate (no format_version, resources at the top)
printf '{"version": 4, "terraform_version": "1.9.8", "serial": 3, "lineage": "5b0c", "outputs": {}, "resources": []}\n' >terraform.tfstate
expect_exit 65 -- "$P" summarize terraform.tfstate
assert_contains "$T_TMP/err" "terraform.tfstate: error: not a Terraform plan: this is a Terraform state file"
# terraform show -json without a plan file: state, with a format_version
printf '{"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {}}}\n' >state.json
expect_exit 65 -- "$P" summarize state.json
assert_contains "$T_TMP/err" "this is Terraform state as terraform show -json prints it without a plan file"
assert_not_contains "$T_TMP/err" "validate -json output?"
# terraform validate -json
printf '{"format_version": "1.0", "valid": false, "error_count": 1, "warning_count": 0, "diagnostics": []}\n' >validate.json
expect_exit 65 -- "$P" summarize validate.json
assert_contains "$T_TMP/err" "this is the output of terraform validate -json"
# Something else with a format_version: no guess.
printf '{"format_version": "1.0", "whatever": {}}\n' >other.json
expect_exit 65 -- "$P" summarize other.json
assert_contains "$T_TMP/err" "but none of resource_changes"
assert_not_contains "$T_TMP/err" "validate -json"

# The last line of an exit 65 names the file and leaves the why to the diagnostic above it.
printf '\xff\xfe{\0}\0' >utf16-junk.json
printf '{"format_version": "1.2", "resource_changes": [' >cut.json
for f in terraform.tfstate cut.json utf16-junk.json; do
  expect_exit 65 -- "$P" summarize "$f"
  assert_not_contains "$T_TMP/err" "well formed"
  tail -1 "$T_TMP/err" | grep -qx "platci-plan: error: cannot summarize $f" ||
    fail "$f: last line is \"$(tail -1 "$T_TMP/err")\""
  grep -q "^$f:.*error: " "$T_TMP/err" || fail "$f: no diagnostic with the file name"
done
finish
