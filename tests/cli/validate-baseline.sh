#!/usr/bin/env bash
# Diff mode compares the head's findings with the merge base's by fingerprint, as
# GitLab's Code Quality widget does (issue 13, item 8): debt already on the target
# branch does not block an unrelated merge request; findings the change introduces
# keep their level; findings it removes are listed as fixed. The merge base is read
# from git (exported to a temporary folder), never from the working tree.
#
# The fixture's prd-uaenorth is protected, so a HelmRelease whose chart version is a
# range is a flux.helm-version-range deny there (docs/validate.md §3). At the base,
# two HelmReleases reach prd with ranges: podinfo (gitops/apps/base/podinfo.yaml) and
# cert-manager (gitops/infrastructure/controllers/base/cert-manager.yaml).
# These pin the source-level checks: --no-render (the fixture lists folders without a
# kustomization.yaml as resources, which kustomize refuses; tests/corpus/validate-render.sh
# covers validate on rendered objects).
. "$(dirname "$0")/../lib/common.sh"
. "$PLATCI_SOURCE_DIR/tests/golden/validate/make-fixture.sh"
need_cmd git
need_cmd jq
V="$PLATCI_BIN/platci-validate"
R="$T_TMP/repo"
(make_fixture "$R") >/dev/null || { fail "fixture"; finish; }
cd "$R" || exit 1

helmrelease() { # NAME NAMESPACE VERSION REPO
  cat <<EOF
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: $4, namespace: flux-system}
spec: {interval: 1h, url: "https://charts.example.com/$4"}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: $1, namespace: $2}
spec:
  interval: 1h
  chart:
    spec:
      chart: $1
      version: "$3"
      sourceRef: {kind: HelmRepository, name: $4, namespace: flux-system}
EOF
}
helmrelease podinfo web ">=6.0.0" podinfo > gitops/apps/base/podinfo.yaml
sed -i 's|resources: \[namespace.yaml, web\]|resources: [namespace.yaml, web, podinfo.yaml]|' gitops/apps/base/kustomization.yaml
helmrelease cert-manager cert-manager ">=1.0.0" jetstack > gitops/infrastructure/controllers/base/cert-manager.yaml
printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [helmrepository.yaml, cert-manager.yaml]\n' \
  > gitops/infrastructure/controllers/base/kustomization.yaml
git add -A && git commit -qm "debt: two chart ranges reach prd"
expect_exit 1 -- "$V" --no-render --all --reports "$T_TMP/all" --no-terraform-fmt --now 2026-11-26T00:00:00Z \
  && pass "--all still denies the debt"
[ "$(jq '[.findings[] | select(.rule == "flux.helm-version-range")] | length' "$T_TMP/all/findings.json")" = 2 ] \
  || fail "--all: two ranges expected"
jq -e '[.findings[] | select(has("baseline"))] | length == 0' "$T_TMP/all/findings.json" >/dev/null \
  || fail "--all compares with nothing"
jq -e 'has("fixed") | not' "$T_TMP/all/findings.json" >/dev/null || fail "--all has no fixed list"

# the merge request only pins cert-manager
git checkout -q -b pin-cert-manager
sed -i 's|">=1.0.0"|"1.14.4"|' gitops/infrastructure/controllers/base/cert-manager.yaml
git commit -qam "pin cert-manager"
echo "# untracked, and the working tree stays as it is" > notes.txt
mkdir "$T_TMP/tmp"
TMPDIR="$T_TMP/tmp" expect_exit 0 -- "$V" --no-render --base main --reports "$T_TMP/pin" --no-terraform-fmt --now 2026-11-26T00:00:00Z \
  && pass "the podinfo range on the target branch does not deny the cert-manager pin"
F="$T_TMP/pin/findings.json"
jq -e '[.findings[] | select(.rule == "flux.helm-version-range")] | length == 1' "$F" >/dev/null \
  || fail "the existing range is still reported"
jq -e '.findings[] | select(.rule == "flux.helm-version-range") |
  .file == "gitops/apps/base/podinfo.yaml" and .env == "prd-uaenorth" and .enforcement == "warn" and .baseline == "existing"' \
  "$F" >/dev/null || fail "podinfo: existing, at warn"
jq -e '[.fixed[] | select(.rule == "flux.helm-version-range" and .file == "gitops/infrastructure/controllers/base/cert-manager.yaml" and .baseline == "fixed")] | length == 1' \
  "$F" >/dev/null || fail "cert-manager's range is listed as fixed"
jq -e '[.findings[] | select(.baseline == "new")] | length == 0' "$F" >/dev/null || fail "nothing is new"
# existing: the podinfo range, and the note that no schema folder is configured (schema.unavailable)
assert_contains "$T_TMP/pin/summary.md" "Compared with the merge base: 0 new, 2 existing, "
assert_contains "$T_TMP/pin/summary.md" "| warn (existing) | critical | \`flux.helm-version-range\` | gitops/apps/base/podinfo.yaml:"
assert_contains "$T_TMP/pin/summary.md" "fixed by this change:"
assert_contains "$T_TMP/pin/summary.md" "| prd-uaenorth | critical | \`flux.helm-version-range\` | gitops/infrastructure/controllers/base/cert-manager.yaml:"
assert_contains "$T_TMP/err" "gitops/apps/base/podinfo.yaml:14:16: warning: HelmRelease podinfo: chart version \">=6.0.0\" is a range in protected environment prd-uaenorth; pin one version (already at the merge base) [flux.helm-version-range]"
[ "$(git status --porcelain)" = "?? notes.txt" ] || fail "the working tree changed"
[ "$(git rev-parse --abbrev-ref HEAD)" = pin-cert-manager ] || fail "HEAD moved"
[ -z "$(ls -A "$T_TMP/tmp")" ] || fail "the merge base's temporary folder was left behind"
rm notes.txt

# a merge request that adds a range of its own is denied for it, and only for it
git checkout -q -b new-range main
sed -i 's|">=1.0.0"|"1.x"|' gitops/infrastructure/controllers/base/cert-manager.yaml
helmrelease redis web "~18" bitnami > gitops/apps/base/redis.yaml
sed -i 's|podinfo.yaml\]|podinfo.yaml, redis.yaml]|' gitops/apps/base/kustomization.yaml
git add -A && git commit -qm "redis with a range"
expect_exit 1 -- "$V" --no-render --base main --reports "$T_TMP/new" --no-terraform-fmt --now 2026-11-26T00:00:00Z \
  && pass "a new range denies"
F="$T_TMP/new/findings.json"
jq -e '[.findings[] | select(.rule == "flux.helm-version-range" and .baseline == "new" and .enforcement == "deny") | .file] ==
  ["gitops/apps/base/redis.yaml"]' "$F" >/dev/null || fail "redis: new, at deny"
jq -e '[.findings[] | select(.rule == "flux.helm-version-range" and .baseline == "existing") | .file] | sort ==
  ["gitops/apps/base/podinfo.yaml", "gitops/infrastructure/controllers/base/cert-manager.yaml"]' "$F" >/dev/null \
  || fail "podinfo and cert-manager: existing (a new range value keeps the finding's identity)"

# platci.yaml can keep existing findings at their own level
git checkout -q main
printf 'validate:\n  existing: deny\n' >> platci.yaml && git commit -qam "existing: deny"
git checkout -q -b pin-again main
sed -i 's|">=1.0.0"|"1.14.4"|' gitops/infrastructure/controllers/base/cert-manager.yaml
git commit -qam "pin cert-manager"
expect_exit 1 -- "$V" --no-render --base main --reports "$T_TMP/strict" --no-terraform-fmt --now 2026-11-26T00:00:00Z \
  && pass "validate.existing: deny keeps the debt blocking"
jq -e '.findings[] | select(.rule == "flux.helm-version-range") | .enforcement == "deny" and .baseline == "existing"' \
  "$T_TMP/strict/findings.json" >/dev/null || fail "existing at deny"
sed -i 's/existing: deny/existing: block/' platci.yaml
expect_exit 65 -- "$V" --no-render --base main --reports "$T_TMP/bad" --no-terraform-fmt
assert_contains "$T_TMP/err" "platci.yaml:11:13: error: \"existing\" must be warn or deny, not \"block\""
git checkout -q platci.yaml

# a merge base without platci.yaml (the change adds it): every finding is new, and the run says why
git checkout -q -b fresh-base main && git mv platci.yaml platci.yaml.tmp && git commit -qm "no config"
git checkout -q -b fresh-mr && git mv platci.yaml.tmp platci.yaml && git commit -qm "add config"
expect_exit 1 -- "$V" --no-render --base fresh-base --reports "$T_TMP/fresh" --no-terraform-fmt --now 2026-11-26T00:00:00Z
assert_contains "$T_TMP/err" "cannot be compared"
jq -e 'has("fixed") | not' "$T_TMP/fresh/findings.json" >/dev/null || fail "not compared: no fixed list"
finish
