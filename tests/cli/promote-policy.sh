#!/usr/bin/env bash
# platci-promote refuses what the target environment's policy would deny (a
# chart version range over a pin in a protected environment, as validate's
# flux.helm-version-range and the manifest policy would), unless --force
# --reason lets it through on record; with no pins it says what it looked for.
. "$(dirname "$0")/../lib/common.sh"
need_cmd jq
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
    protected: true
YAML
hr() { printf 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: apps\nspec:\n  chart:\n    spec:\n      version: "%s"\n' "$1"; }
hr '>=1.0.0-alpha' >"$t/a/stg/podinfo.yaml"
hr '6.9.0' >"$t/a/prd/podinfo.yaml"
P=("$PLATCI_BIN/platci-promote" --config "$t/platci.yaml" --from stg --to prd --now 2026-11-26T10:00:00Z)

# Refused: exit 1, the rule named, reports written, the file untouched.
expect_exit 1 -- "${P[@]}" --reports "$T_TMP/r1"
assert_contains "$T_TMP/err" 'refused: helm:apps/podinfo.version: a/prd/podinfo.yaml:9: chart version ">=1.0.0-alpha" is a range, which flux.helm-version-range denies in protected environment prd'
jq -e '.refusals | length == 1' "$T_TMP/r1/promotion.json" >/dev/null || fail "promotion.json lacks the refusal"
jq -e '[.[] | select(.check_name == "promote.refused")] | length == 1' "$T_TMP/r1/gl-code-quality-report.json" \
  >/dev/null || fail "no promote.refused finding"
grep -q '"6.9.0"' "$t/a/prd/podinfo.yaml" || fail "the target was changed"

# --force without a reason is still a usage error; with one it goes through, on record.
expect_exit 64 -- "${P[@]}" --force --reports "$T_TMP/r2"
expect_exit 0 -- "${P[@]}" --force --reason "INC-7: registry pulled 6.9.0" --reports "$T_TMP/r3"
assert_contains "$T_TMP/err" "warning: let through by --force: helm:apps/podinfo.version"
jq -e '.forced and (.overridden | length == 1) and (.refusals | length == 0)' "$T_TMP/r3/promotion.json" \
  >/dev/null || fail "promotion.json does not record the override"
assert_contains "$T_TMP/r3/summary.md" "Let through by --force"

# The same with the manifest policy of the target (policies.manifests in platci.yaml).
hr '6.10.0-rc.1' >"$t/a/stg/podinfo.yaml"
mkdir -p "$t/policies"
cat >"$t/policies/manifests.yaml" <<'YAML'
apiVersion: platci/v1alpha1
kind: PolicySet
metadata:
  name: t
enforcement:
  default: deny
rules:
  - id: HELM-STABLE
    title: no pre-releases in production
    severity: critical
    match: {kinds: [HelmRelease], environments: [prd]}
    require:
      - {path: spec.chart.spec.version, notRegex: '-'}
YAML
printf 'policies:\n  manifests: policies/manifests.yaml\n' >>"$t/platci.yaml"
expect_exit 1 -- "${P[@]}" --reports "$T_TMP/r4" && assert_contains "$T_TMP/err" "[HELM-STABLE, the policy of prd]"

# No pins at all (an image tag in a strategic-merge patch): nothing to promote, and why.
rm "$t/a/stg/podinfo.yaml" "$t/a/prd/podinfo.yaml"
for e in stg prd; do
  printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web:%s\n' \
    "$e" >"$t/a/$e/patch.yaml"
done
expect_exit 0 -- "${P[@]}" --reports "$T_TMP/r5"
assert_contains "$T_TMP/err" "nothing to promote stg -> prd: no version pins were found in stg or prd."
assert_contains "$T_TMP/err" "kustomize \`images:\` entries"
assert_contains "$T_TMP/err" "strategic-merge patches"
assert_contains "$T_TMP/r5/summary.md" "Nothing to promote: no version pins were found in stg or prd"
finish
