#!/usr/bin/env bash
# platci-validate on bad input: the contract's exit codes with clear messages
# (64 usage, 65 bad data, 66 missing input), never a crash or a silent pass.
# These pin the source-level checks: --no-render (the fixture lists folders without a
# kustomization.yaml as resources, which kustomize refuses; tests/corpus/validate-render.sh
# covers validate on rendered objects).
. "$(dirname "$0")/../lib/common.sh"
. "$PLATCI_SOURCE_DIR/tests/golden/validate/make-fixture.sh"
need_cmd git
V="$PLATCI_BIN/platci-validate"
R="$T_TMP/repo"
(make_fixture "$R") >/dev/null || { fail "fixture"; finish; }
cd "$R" || exit 1

expect_exit 64 -- "$V" --no-render --frobnicate && assert_contains "$T_TMP/err" 'unknown argument "--frobnicate"'
expect_exit 64 -- "$V" --no-render --all --base main && assert_contains "$T_TMP/err" "exclude each other"
expect_exit 64 -- "$V" --no-render --base && assert_contains "$T_TMP/err" "--base needs a value"
expect_exit 64 -- "$V" --no-render --threads 0 && assert_contains "$T_TMP/err" "--threads"
expect_exit 64 -- "$V" --no-render --child-pipeline
expect_exit 66 -- "$V" --no-render --config "$T_TMP/nope.yaml" --all
expect_exit 65 -- "$V" --no-render --base no-such-rev --reports "$T_TMP/r" && assert_contains "$T_TMP/err" 'unknown revision "no-such-rev"'
expect_exit 65 -- "$V" --no-render --base main --head nope --reports "$T_TMP/r"

# outside a git repository, --base cannot work
mkdir -p "$T_TMP/nogit" && cp -r "$R/." "$T_TMP/nogit/" && rm -rf "$T_TMP/nogit/.git"
(cd "$T_TMP/nogit" && expect_exit 66 -- "$V" --no-render --base main --reports "$T_TMP/r") || fail "no repository"

# a broken policy stops the run with its position, and no half-written reports
sed -i 's|exists: true}|exist: true}|' policies/manifests.yaml
rm -rf "$T_TMP/r2"
expect_exit 65 -- "$V" --no-render --all --reports "$T_TMP/r2" && assert_contains "$T_TMP/err" 'policies/manifests.yaml:26:'
assert_contains "$T_TMP/err" 'unknown key "exist" in a condition; did you mean "exists"?'
[ ! -e "$T_TMP/r2/findings.json" ] || fail "reports written after a failed run"
git checkout -q policies/manifests.yaml

# garbage YAML in the tree is a finding with its position (exit 1), not a crash
printf 'apiVersion: v1\nkind: [\n' > gitops/apps/base/web/garbage.yaml
printf 'a: \xc3\x28\n' > gitops/apps/base/web/binary.yaml
printf 'just a string\n' > gitops/apps/base/web/scalar.yaml
expect_exit 1 -- "$V" --no-render --all --reports "$T_TMP/r3" --no-terraform-fmt
assert_contains "$T_TMP/err" "gitops/apps/base/web/garbage.yaml:3:1: error:"
assert_contains "$T_TMP/err" "gitops/apps/base/web/binary.yaml:1:5: error: invalid trailing UTF-8 octet"
assert_contains "$T_TMP/err" "gitops/apps/base/web/scalar.yaml:1:1: error: document 1 is a scalar, not a Kubernetes object [k8s.not-an-object]"
rm gitops/apps/base/web/garbage.yaml gitops/apps/base/web/binary.yaml gitops/apps/base/web/scalar.yaml

# garbage Terraform and CI files: platci's scanner only reads facts, so a .tf file it cannot
# read is a warning with its position; the syntax error itself is terraform's to report
printf 'terraform {\n  backend "azurerm" {\n' > infra/envs/dev-uaenorth/broken.tf
printf 'stages: [a\n' > pipelines/validate.yml
expect_exit 1 -- "$V" --no-render --all --reports "$T_TMP/r4" --no-terraform-fmt
assert_contains "$T_TMP/err" "infra/envs/dev-uaenorth/broken.tf:2:3: warning: could not read facts from infra/envs/dev-uaenorth/broken.tf at 2:3 (block is not closed)"
assert_not_contains "$T_TMP/err" "[tf.syntax]"
assert_contains "$T_TMP/err" "pipelines/validate.yml:"
assert_contains "$T_TMP/err" "[ci.syntax]"
git checkout -q pipelines/validate.yml
if command -v terraform >/dev/null 2>&1; then
  expect_exit 1 -- "$V" --no-render --all --reports "$T_TMP/r5"
  assert_contains "$T_TMP/err" "infra/envs/dev-uaenorth/broken.tf:2:0: error: terraform fmt: Unclosed configuration block [tf.syntax]"
else
  echo "note: terraform is not installed; tf.syntax from terraform fmt is not exercised"
fi
rm infra/envs/dev-uaenorth/broken.tf

# valid Terraform the scanner once refused at deny (issue 13, item 5): object constructors
# with ':' and strings inside an interpolation; the facts after them are still read
cat > infra/envs/dev-uaenorth/locals.tf <<'EOF'
locals {
  labels = {
    "pool" : "system"
  }
  name = "${format("%s-{x}", local.labels.pool)}"
}

terraform {
  backend "azurerm" {
    key = "dev-uaenorth.tfstate"
  }
}
EOF
sed -i '/backend "azurerm" {/,/^  }/d' infra/envs/dev-uaenorth/main.tf
expect_exit 0 -- "$V" --no-render --all --reports "$T_TMP/r6" --no-terraform-fmt && pass "valid Terraform passes"
assert_not_contains "$T_TMP/err" "infra/envs/dev-uaenorth/"
if command -v terraform >/dev/null 2>&1; then
  expect_exit 0 -- "$V" --no-render --all --reports "$T_TMP/r7" && pass "terraform fmt agrees"
  assert_not_contains "$T_TMP/err" "[tf.syntax]"
fi
# the backend after those constructs is read: its key now clashes with stg's
sed -i 's/dev-uaenorth.tfstate/stg-uaenorth.tfstate/' infra/envs/dev-uaenorth/locals.tf
expect_exit 1 -- "$V" --no-render --all --reports "$T_TMP/r8" --no-terraform-fmt
assert_contains "$T_TMP/err" "error: stg-uaenorth uses state key \"stg-uaenorth.tfstate\", already used by dev-uaenorth"
finish
