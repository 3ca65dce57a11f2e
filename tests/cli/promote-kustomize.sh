#!/usr/bin/env bash
# kubectl kustomize builds the target overlay before and after the promotion:
# every line that differs in the built output carries a promoted version.
. "$(dirname "$0")/../lib/common.sh"
need_cmd kubectl
need_cmd jq
res=$PLATCI_SOURCE_DIR/tests/resources/promote
tree=$T_TMP/tree
cp -R "$res/tree" "$tree"
cd "$tree" || exit 1
kubectl kustomize gitops/apps/prd-uaenorth > "$T_TMP/before.yaml" 2>"$T_TMP/kerr" || skip "kubectl kustomize cannot build here: $(head -1 "$T_TMP/kerr")"
"$PLATCI_BIN/platci-promote" --from stg-uaenorth --to prd-uaenorth --drop-digest --reports "$T_TMP/r" -q || fail "dry run"
git init -q . && git apply "$T_TMP/r/promotion.diff" || fail "apply"
kubectl kustomize gitops/apps/prd-uaenorth > "$T_TMP/after.yaml" || fail "the promoted overlay does not build"
diff "$T_TMP/before.yaml" "$T_TMP/after.yaml" > "$T_TMP/built.diff"
[ -s "$T_TMP/built.diff" ] || fail "the built output did not change"
jq -r '.changes[] | select(.file | startswith("gitops/apps/")) | (.new // empty), (.old // empty)' "$T_TMP/r/promotion.json" \
  | sed 's/^sha256://' > "$T_TMP/values"
n=0
while IFS= read -r line; do
  case $line in '<'*|'>'*) ;; *) continue ;; esac
  n=$((n + 1))
  grep -qF -f "$T_TMP/values" <<<"$line" || fail "built output changed beyond the promoted versions: $line"
done < "$T_TMP/built.diff"
[ "$n" -gt 0 ] || fail "no changed lines"
echo "built output: $n changed lines, all promoted versions"
finish
