#!/usr/bin/env bash
# Promotion respects the gate policy's freeze windows (policies/gates.yaml,
# Asia/Dubai): the repo's own stg -> prd promotion is refused on the UAE
# weekend and allowed on a Wednesday morning; --dry-run changes no file.
. "$(dirname "$0")/../lib/common.sh"
P="$PLATCI_BIN/platci-promote"
cd "$PLATCI_SOURCE_DIR"
before=$(git status --porcelain -- gitops | md5sum)
# Saturday 2026-11-28 14:00 in Dubai: the "weekend" window.
expect_exit 1 -- "$P" --from stg-uaenorth --to prd-uaenorth --now 2026-11-28T10:00:00Z --reports "$T_TMP/sat" &&
  assert_contains "$T_TMP/err" 'freeze window "weekend"'
# Friday 15:59 Dubai is still open; 16:00 is frozen (the window's edge).
expect_exit 0 -- "$P" --from stg-uaenorth --to prd-uaenorth --now 2026-11-27T11:59:00Z --reports "$T_TMP/fri1"
expect_exit 1 -- "$P" --from stg-uaenorth --to prd-uaenorth --now 2026-11-27T12:00:00Z --reports "$T_TMP/fri2"
# Wednesday 14:00 Dubai: open, and the dry run shows a real diff.
expect_exit 0 -- "$P" --from stg-uaenorth --to prd-uaenorth --now 2026-11-25T10:00:00Z --reports "$T_TMP/wed"
[ -s "$T_TMP/wed/promotion.diff" ] || fail "no promotion.diff on an open day"
# Year-end date range.
expect_exit 1 -- "$P" --from stg-uaenorth --to prd-uaenorth --now 2026-12-30T06:00:00Z --reports "$T_TMP/ye" &&
  assert_contains "$T_TMP/err" 'year-end'
[ "$(git status --porcelain -- gitops | md5sum)" = "$before" ] || fail "a dry run changed files under gitops/"
finish
