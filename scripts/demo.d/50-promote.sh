#!/usr/bin/env bash
# Promotion preview: what would move from stg-uaenorth to prd-uaenorth in
# this repository's own gitops tree (dry run: no file changes, no git).
# Reports land in platci-reports/promote/. "Nothing to promote" is a fine
# outcome; so is a refusal (printed); anything else fails the demo.
out=platci-reports/promote
echo "== platci-promote --from stg-uaenorth --to prd-uaenorth --dry-run (this repository)"
platci-promote --from stg-uaenorth --to prd-uaenorth --dry-run --reports "$out"
rc=$?
case $rc in
  0) ;;
  1) echo "   the promotion was refused (see $out/summary.md); expected while the tree says so" ;;
  *) echo "   platci-promote failed with exit $rc" >&2; exit "$rc" ;;
esac
if [ -s "$out/promotion.diff" ]; then
  echo "   promotion.diff ($(grep -c '^[-+] ' "$out/promotion.diff") changed lines), first lines:"
  head -n 20 "$out/promotion.diff" | sed 's/^/   | /'
else
  echo "   nothing to promote: prd-uaenorth already runs what stg-uaenorth runs"
fi
echo "   reports: $(ls "$out" | tr '\n' ' ')"
exit 0
