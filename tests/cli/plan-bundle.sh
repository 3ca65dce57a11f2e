#!/usr/bin/env bash
# platci-plan bundle / verify through the command line: exit codes of the contract.
. "$(dirname "$0")/../lib/common.sh"
P="$PLATCI_BIN/platci-plan"
cd "$T_TMP" || exit 1
printf 'planfile' >tfplan
cp "$PLATCI_SOURCE_DIR/examples/plans/prd-uaenorth.json" plan.json
expect_exit 0 -- "$P" bundle --env prd-uaenorth --plan tfplan --plan-json plan.json --out b.tar.gz \
  --commit abc123 --now 2026-11-26T10:00:00Z
CI_COMMIT_SHA=abc123 expect_exit 0 -- "$P" verify b.tar.gz --env prd-uaenorth --now 2026-11-26T12:00:00Z \
  --max-age 24h --extract extracted
cmp -s extracted/plan.json plan.json || fail "extracted plan.json differs"
expect_exit 1 -- "$P" verify b.tar.gz --env stg-uaenorth --now 2026-11-26T12:00:00Z
assert_contains "$T_TMP/err" "for prd-uaenorth, not stg-uaenorth"
expect_exit 1 -- "$P" verify b.tar.gz --env prd-uaenorth --commit other --now 2026-11-26T12:00:00Z
expect_exit 1 -- "$P" verify b.tar.gz --env prd-uaenorth --now 2026-11-28T12:00:00Z --max-age 1d
assert_contains "$T_TMP/err" "plan again"
# a changed member
mkdir t && tar -xzmf b.tar.gz -C t && printf 'X' >>t/tfplan && tar -czf bad.tar.gz -C t manifest.json tfplan plan.json
expect_exit 1 -- "$P" verify bad.tar.gz --env prd-uaenorth --now 2026-11-26T12:00:00Z
assert_contains "$T_TMP/err" "tfplan was changed"
# a traversal entry
mkdir -p u/sub && cp t/manifest.json t/plan.json u/ && printf 'planfile' >u/tfplan && printf x >u/sub/evil
tar -czf trav.tar.gz -C u manifest.json tfplan plan.json sub/evil
expect_exit 1 -- "$P" verify trav.tar.gz --env prd-uaenorth --now 2026-11-26T12:00:00Z --extract ex
assert_contains "$T_TMP/err" "would leave the folder"
[ -e ex/plan.json ] && fail "a refused bundle was extracted"
[ -e ex ] && fail "verify created the folder ex for a refused bundle"
printf 'not a tarball' >junk.tar.gz
expect_exit 65 -- "$P" verify junk.tar.gz --env prd-uaenorth
expect_exit 66 -- "$P" verify nope.tar.gz --env prd-uaenorth
expect_exit 64 -- "$P" verify b.tar.gz
expect_exit 64 -- "$P" verify b.tar.gz --env prd-uaenorth --max-age soon
expect_exit 64 -- "$P" bundle --env prd-uaenorth --plan tfplan
expect_exit 66 -- "$P" bundle --env prd-uaenorth --plan nope --plan-json plan.json --out x.tar.gz --commit a
printf 'garbage' >g.json
expect_exit 65 -- "$P" bundle --env prd-uaenorth --plan tfplan --plan-json g.json --out x.tar.gz --commit a
[ -e x.tar.gz ] && fail "a bundle was written from a garbage plan"
finish
