#!/usr/bin/env bash
# Rules files as a user writes them (issue 13): environment names checked against
# platci.yaml with a did-you-mean, exceptions of built-in rules, paths normalised
# once (`infra: .`), and repositories that hold only a Flux tree or only Terraform.
# These pin the source-level checks: --no-render (the fixture lists folders without a
# kustomization.yaml as resources, which kustomize refuses; tests/corpus/validate-render.sh
# covers validate on rendered objects).
. "$(dirname "$0")/../lib/common.sh"
. "$PLATCI_SOURCE_DIR/tests/golden/validate/make-fixture.sh"
need_cmd git
need_cmd jq
V="$PLATCI_BIN/platci-validate"
NOW=2026-11-26T00:00:00Z
R="$T_TMP/repo"
(make_fixture "$R") >/dev/null || { fail "fixture"; finish; }
cd "$R" || exit 1
run() { "$V" --no-render --all --no-terraform-fmt --now "$NOW" --reports "$1"; }
rules() { jq -r '.findings[] | "\(.rule) \(.file) \(.env // "-")\(if .waiver then " waived" else "" end)"' "$1/findings.json" | sort; }

# --- environment names in every policy file ---------------------------------------------
cp policies/manifests.yaml "$T_TMP/manifests.yaml"
sed -i 's|^  stg-uaenorth: deny$|  stagin: deny|' policies/manifests.yaml
expect_exit 65 -- run "$T_TMP/r"
assert_contains "$T_TMP/err" 'policies/manifests.yaml:14:3: error: enforcement: unknown environment "stagin"; did you mean "stg-uaenorth"?'
cp "$T_TMP/manifests.yaml" policies/manifests.yaml
sed -i 's|      environments: \[prd-uaenorth\]|      environments: [prodution]|' policies/manifests.yaml
expect_exit 65 -- run "$T_TMP/r"
assert_contains "$T_TMP/err" 'unknown environment "prodution"; did you mean "prd-uaenorth"?'
assert_contains "$T_TMP/err" 'policies/manifests.yaml:'
cp "$T_TMP/manifests.yaml" policies/manifests.yaml

# gates, scan and drift name environments too: each is checked where the runner loads it
printf 'version: 1\nenvironments:\n  prod-uaenorth: {min_approvals: 2}\n' >policies/gates.yaml
printf 'version: 1\nenvironments:\n  dev-uaenorht: {fail_severity: none}\nimages:\n  - {match: "x/*", environments: [stg], fail_severity: none}\n' >policies/scan.yaml
printf 'version: 1\nignore:\n  - {id: a, address: "*", envs: ["prod-*"], reason: r, owner: o, expires: 2027-01-01}\n' >policies/drift.yaml
cat >>platci.yaml <<'EOF'
  gates: policies/gates.yaml
  scan: policies/scan.yaml
  drift: policies/drift.yaml
EOF
echo '{"SchemaVersion": 2, "ArtifactName": "x/y:1", "Results": []}' >"$T_TMP/trivy.json"
expect_exit 65 -- "$PLATCI_BIN/platci-gate" --env prd-uaenorth --plan "$PLATCI_SOURCE_DIR/examples/plans/prd-uaenorth.json" --facts /dev/null --reports "$T_TMP/g"
assert_contains "$T_TMP/err" 'policies/gates.yaml:3:3: error: environments: unknown environment "prod-uaenorth"; did you mean "prd-uaenorth"?'
expect_exit 65 -- "$PLATCI_BIN/platci-scan" --env dev-uaenorth --reports "$T_TMP/s" "$T_TMP/trivy.json"
assert_contains "$T_TMP/err" 'policies/scan.yaml:3:3: error: environments: unknown environment "dev-uaenorht"; did you mean "dev-uaenorth"?'
assert_contains "$T_TMP/err" 'policies/scan.yaml:5:35: error: environments: unknown environment "stg"; did you mean "stg-uaenorth"?'
expect_exit 65 -- "$PLATCI_BIN/platci-drift" --env prd-uaenorth --now "$NOW" --reports "$T_TMP/d" \
  --terraform "$PLATCI_SOURCE_DIR/examples/drift/refresh-only-prd-uaenorth.json"
assert_contains "$T_TMP/err" 'policies/drift.yaml:3:34: error: envs: "prod-*" matches no environment of platci.yaml'
git checkout -q platci.yaml && rm -f policies/gates.yaml policies/scan.yaml policies/drift.yaml

# --- built-in findings can be waived like the set's own ---------------------------------
sed -i 's|      version: "4.10.1"|      version: ">=4.10.0"|' gitops/infrastructure/controllers/base/helmrepository.yaml
expect_exit 1 -- run "$T_TMP/range"
rules "$T_TMP/range" | grep -q '^flux.helm-version-range gitops/infrastructure/controllers/base/helmrepository.yaml' \
  || fail "the fixture has no flux.helm-version-range finding to waive"
sed -i 's|^exceptions: \[\]$|exceptions:|' policies/manifests.yaml
cat >>policies/manifests.yaml <<'EOF'
  - rule: flux.helm-version-range
    match: {paths: ["gitops/infrastructure/**"]}
    reason: the controllers follow the chart's minor releases until PLAT-77
    owner: team-platform
    expires: "2026-12-31"
EOF
expect_exit 0 -- run "$T_TMP/waived" && pass "an exception waives a built-in rule"
rules "$T_TMP/waived" | grep -q '^flux.helm-version-range .* waived$' || fail "flux.helm-version-range is not waived"
[ "$(rules "$T_TMP/waived" | grep -v '^schema.unavailable ' | grep -vc ' waived$')" = 0 ] || fail "findings left: $(rules "$T_TMP/waived")"
# the same exception, expired: the finding is back and the exception says so
expect_exit 1 -- "$V" --no-render --all --no-terraform-fmt --now 2027-01-01T00:00:00Z --reports "$T_TMP/late"
rules "$T_TMP/late" | grep -q '^policy.exception-expired policies/manifests.yaml' || fail "expired exception not reported"
jq -e '[.findings[] | select(.rule == "policy.exception-expired")][0].message | test("1 finding")' "$T_TMP/late/findings.json" >/dev/null \
  || fail "the expired exception does not say what came back"
# a misspelt built-in id is an error with a did-you-mean, not a silent no-op
sed -i 's|  - rule: flux.helm-version-range|  - rule: flux.helm-version-rang|' policies/manifests.yaml
expect_exit 65 -- run "$T_TMP/r"
assert_contains "$T_TMP/err" 'exception names unknown rule "flux.helm-version-rang"; did you mean "flux.helm-version-range"?'
# built-in findings carry no object: an exception of them cannot match on kinds
sed -i 's|  - rule: flux.helm-version-rang$|  - rule: flux.helm-version-range|; s|    match: {paths: \["gitops/infrastructure/\*\*"\]}|    match: {kinds: [HelmRelease]}|' policies/manifests.yaml
expect_exit 65 -- run "$T_TMP/r"
assert_contains "$T_TMP/err" 'matches on paths and environments only'
git checkout -q .

# --- paths are normalised once: `infra: .` finds what `infra: infra` finds ---------------
sed -i '/backend "azurerm" {/,/^  }/d' infra/envs/dev-uaenorth/main.tf
sed -i 's|key = "stg-uaenorth.tfstate"|key = "prd-uaenorth.tfstate"|' infra/envs/stg-uaenorth/main.tf
expect_exit 1 -- run "$T_TMP/infra"
rules "$T_TMP/infra" | grep -q '^tf.no-backend infra/envs/dev-uaenorth/main.tf dev-uaenorth$' || fail "no tf.no-backend: $(rules "$T_TMP/infra")"
rules "$T_TMP/infra" | grep -q '^tf.shared-state-key infra/envs/prd-uaenorth/main.tf prd-uaenorth$' || fail "no tf.shared-state-key"
for root in . ./ ./infra/../; do
  sed -i "s|^infra: .*|infra: $root|" platci.yaml
  expect_exit 1 -- run "$T_TMP/dot"
  [ "$(rules "$T_TMP/dot")" = "$(rules "$T_TMP/infra")" ] || fail "infra: $root finds other things: $(rules "$T_TMP/dot")"
  assert_not_contains "$T_TMP/dot/findings.json" '"./'
done
git checkout -q .

# --- a repository may lack a part: only a Flux tree, or only Terraform -----------------
rm -rf infra
sed -i 's|^infra: infra$||; s| infra: infra/envs/[a-z-]*,||' platci.yaml
expect_exit 0 -- run "$T_TMP/flux-only" && pass "a Flux-only repository validates"
rules "$T_TMP/flux-only" | grep -q '^tf\.' && fail "Terraform findings without Terraform"
git checkout -q . && git clean -qfd
rm -rf gitops
sed -i 's|^gitops: gitops$||; s|, cluster: gitops/clusters/[a-z-]*, overlay: gitops/apps/[a-z-]*||' platci.yaml
expect_exit 0 -- run "$T_TMP/tf-only" && pass "a Terraform-only repository validates"
git checkout -q . && git clean -qfd
# an environment with neither is an error where it is declared
sed -i 's| infra: infra/envs/dev-uaenorth, cluster: gitops/clusters/dev-uaenorth, overlay: gitops/apps/dev-uaenorth||' platci.yaml
expect_exit 65 -- run "$T_TMP/r"
assert_contains "$T_TMP/err" 'platci.yaml:5:5: error: environment "dev-uaenorth" needs "infra"'
finish
