#!/bin/sh
# `terraform fmt -check -recursive infra` passes (offline; no providers needed).
# A deliberately misformatted copy must be reported.
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$PLATCI_SOURCE_DIR" || fail "cannot cd to $PLATCI_SOURCE_DIR"
command -v terraform >/dev/null 2>&1 || skip "terraform not installed"
[ -d infra ] || fail "infra/ missing"
make_tmp
# No user CLI config needed (and none wanted: avoids a warning per run).
: >"$TMPD/terraformrc"
TF_CLI_CONFIG_FILE=$TMPD/terraformrc
export TF_CLI_CONFIG_FILE

if ! terraform fmt -check -recursive -diff infra >"$TMPD/fmt.log" 2>&1; then
	cat "$TMPD/fmt.log" >&2
	fail "terraform fmt -check -recursive infra reports unformatted files"
fi

mkdir -p "$TMPD/bad"
sed 's/^  source = /  source     =   /' infra/envs/dev-uaenorth/main.tf >"$TMPD/bad/main.tf"
if terraform fmt -check "$TMPD/bad" >/dev/null 2>&1; then
	fail "a misformatted copy of infra/envs/dev-uaenorth/main.tf passed fmt -check"
fi
pass "$(find infra -name '*.tf' | wc -l | tr -d ' ') files formatted"
