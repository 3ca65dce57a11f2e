#!/usr/bin/env bash
# platci-validate on bad input: the contract's exit codes with clear messages
# (64 usage, 65 bad data, 66 missing input), never a crash or a silent pass.
. "$(dirname "$0")/../lib/common.sh"
. "$PLATCI_SOURCE_DIR/tests/golden/validate/make-fixture.sh"
need_cmd git
V="$PLATCI_BIN/platci-validate"
R="$T_TMP/repo"
(make_fixture "$R") >/dev/null || { fail "fixture"; finish; }
cd "$R" || exit 1

expect_exit 64 -- "$V" --frobnicate && assert_contains "$T_TMP/err" 'unknown argument "--frobnicate"'
expect_exit 64 -- "$V" --all --base main && assert_contains "$T_TMP/err" "exclude each other"
expect_exit 64 -- "$V" --base && assert_contains "$T_TMP/err" "--base needs a value"
expect_exit 64 -- "$V" --threads 0 && assert_contains "$T_TMP/err" "--threads"
expect_exit 64 -- "$V" --child-pipeline
expect_exit 66 -- "$V" --config "$T_TMP/nope.yaml" --all
expect_exit 65 -- "$V" --base no-such-rev --reports "$T_TMP/r" && assert_contains "$T_TMP/err" 'unknown revision "no-such-rev"'
expect_exit 65 -- "$V" --base main --head nope --reports "$T_TMP/r"

# outside a git repository, --base cannot work
mkdir -p "$T_TMP/nogit" && cp -r "$R/." "$T_TMP/nogit/" && rm -rf "$T_TMP/nogit/.git"
(cd "$T_TMP/nogit" && expect_exit 66 -- "$V" --base main --reports "$T_TMP/r") || fail "no repository"

# a broken policy stops the run with its position, and no half-written reports
sed -i 's|exists: true}|exist: true}|' policies/manifests.yaml
rm -rf "$T_TMP/r2"
expect_exit 65 -- "$V" --all --reports "$T_TMP/r2" && assert_contains "$T_TMP/err" 'policies/manifests.yaml:26:'
assert_contains "$T_TMP/err" 'unknown key "exist" in a condition; did you mean "exists"?'
[ ! -e "$T_TMP/r2/findings.json" ] || fail "reports written after a failed run"
git checkout -q policies/manifests.yaml

# garbage YAML in the tree is a finding with its position (exit 1), not a crash
printf 'apiVersion: v1\nkind: [\n' > gitops/apps/base/web/garbage.yaml
printf 'a: \xc3\x28\n' > gitops/apps/base/web/binary.yaml
printf 'just a string\n' > gitops/apps/base/web/scalar.yaml
expect_exit 1 -- "$V" --all --reports "$T_TMP/r3" --no-terraform-fmt
assert_contains "$T_TMP/err" "gitops/apps/base/web/garbage.yaml:3:1: error:"
assert_contains "$T_TMP/err" "gitops/apps/base/web/binary.yaml:1:5: error: invalid trailing UTF-8 octet"
assert_contains "$T_TMP/err" "gitops/apps/base/web/scalar.yaml:1:1: error: document 1 is a scalar, not a Kubernetes object [k8s.not-an-object]"
rm gitops/apps/base/web/garbage.yaml gitops/apps/base/web/binary.yaml gitops/apps/base/web/scalar.yaml

# garbage Terraform and CI files
printf 'terraform {\n  backend "azurerm" {\n' > infra/envs/dev-uaenorth/broken.tf
printf 'stages: [a\n' > pipelines/validate.yml
expect_exit 1 -- "$V" --all --reports "$T_TMP/r4" --no-terraform-fmt
assert_contains "$T_TMP/err" "infra/envs/dev-uaenorth/broken.tf:2:3: error: block is not closed [tf.syntax]"
assert_contains "$T_TMP/err" "pipelines/validate.yml:"
assert_contains "$T_TMP/err" "[ci.syntax]"
finish
