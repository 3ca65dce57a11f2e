#!/usr/bin/env bash
# When the pending promotions cannot be computed (an unreadable overlay in
# the environment promoted from), drift says so once, as a warning, and goes
# on: each diagnostic is printed exactly once.
. "$(dirname "$0")/../lib/common.sh"
t=$T_TMP/tree
mkdir -p "$t/infra" "$t/c/stg" "$t/c/prd" "$t/a/stg" "$t/a/prd"
cat >"$t/platci.yaml" <<'YAML'
version: 1
environments:
  - name: stg
    infra: infra
    cluster: c/stg
    overlay: a/stg
  - name: prd
    infra: infra
    cluster: c/prd
    overlay: a/prd
    promote_from: stg
YAML
printf 'images:\n  - name: web\n    newTag: [1, 2\n' >"$t/a/stg/kustomization.yaml"
printf 'images:\n  - name: web\n    newTag: "1.0"\n' >"$t/a/prd/kustomization.yaml"
printf '{"apiVersion": "v1", "kind": "List", "items": []}\n' >"$T_TMP/flux.json"

expect_exit 0 -- "$PLATCI_BIN/platci-drift" --config "$t/platci.yaml" --env prd --no-gitlab \
  --flux "$T_TMP/flux.json" --reports "$T_TMP/r" --now 2026-11-26T02:00:00Z
n=$(grep -c 'a/stg/kustomization.yaml:[0-9]' "$T_TMP/err")
[ "$n" = 1 ] || fail "the overlay's diagnostic was printed $n times, wanted once: $(cat "$T_TMP/err")"
grep -q 'a/stg/kustomization.yaml:[0-9]*:[0-9]*: warning:' "$T_TMP/err" ||
  fail "the diagnostic is not a warning: $(cat "$T_TMP/err")"
assert_contains "$T_TMP/err" "warning: cannot compare versions with stg"
assert_not_contains "$T_TMP/err" "error:"
[ -s "$T_TMP/r/drift.json" ] || fail "no drift.json"
finish
