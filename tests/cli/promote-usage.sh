#!/usr/bin/env bash
# platci-promote: every bad flag and bad input gets a clear message and the contract's exit code.
. "$(dirname "$0")/../lib/common.sh"
res=$PLATCI_SOURCE_DIR/tests/resources/promote
tree=$T_TMP/tree
cp -R "$res/tree" "$tree"
cd "$tree" || exit 1
P=$PLATCI_BIN/platci-promote

expect_exit 0 -- "$P" --help && assert_contains "$T_TMP/out" "--rollback-to REV"
expect_exit 0 -- "$P" --version
expect_exit 64 -- "$P" --from stg-uaenorth && assert_contains "$T_TMP/err" "--to ENV is required"
expect_exit 64 -- "$P" --to prd-uaenorth && assert_contains "$T_TMP/err" "--from ENV is required"
expect_exit 64 -- "$P" --from stg-uaenorth --to prd-uaenorth --bogus && assert_contains "$T_TMP/err" "unknown argument"
expect_exit 64 -- "$P" --from stg-uaenorth --to prd-uaenorth --dry-run --commit
expect_exit 64 -- "$P" --from stg-uaenorth --to prd-uaenorth --push
expect_exit 64 -- "$P" --from stg-uaenorth --to prd-uaenorth --commit --open-mr
expect_exit 64 -- "$P" --from stg-uaenorth --to prd-uaenorth --force && assert_contains "$T_TMP/err" "--force needs --reason"
expect_exit 64 -- "$P" --from stg-uaenorth --to prd-uaenorth --reason why
expect_exit 64 -- "$P" --from stg-uaenorth --to prd-uaenorth --only
expect_exit 64 -- "$P" --from= --to prd-uaenorth
expect_exit 64 -- "$P" --from stg-uaenorth --to stg-uaenorth --reports "$T_TMP/r"
expect_exit 66 -- "$P" --from stg-uaenorth --to qa-uaenorth --reports "$T_TMP/r" && assert_contains "$T_TMP/err" "qa-uaenorth"
expect_exit 66 -- "$P" --config "$T_TMP/none.yaml" --from stg-uaenorth --to prd-uaenorth
expect_exit 66 -- "$P" --from stg-uaenorth --to prd-uaenorth --flux-status "$T_TMP/missing.json" && assert_contains "$T_TMP/err" "does not exist"
echo '{"items": [' > "$T_TMP/flux.json"
expect_exit 65 -- "$P" --from stg-uaenorth --to prd-uaenorth --flux-status "$T_TMP/flux.json" --reports "$T_TMP/r"
cat > "$T_TMP/flux.json" <<'JSON'
{"apiVersion": "v1", "kind": "List", "items": [
 {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
  "metadata": {"name": "apps", "namespace": "flux-system", "generation": 2},
  "spec": {"sourceRef": {"kind": "GitRepository", "name": "flux-system"}},
  "status": {"observedGeneration": 2, "lastAppliedRevision": "main@sha1:1111111111111111111111111111111111111111",
   "conditions": [{"type": "Ready", "status": "False", "reason": "HealthCheckFailed", "message": "timeout"}]}}]}
JSON
expect_exit 1 -- "$P" --from stg-uaenorth --to prd-uaenorth --flux-status "$T_TMP/flux.json" --reports "$T_TMP/r" &&
  assert_contains "$T_TMP/err" "Kustomization/flux-system/apps is not Ready"
sed -i 's/"status": "False", "reason": "HealthCheckFailed"/"status": "True", "reason": "ReconciliationSucceeded"/' "$T_TMP/flux.json"
# Ready now: the only refusal left is this tree's own digest rule.
expect_exit 1 -- "$P" --from stg-uaenorth --to prd-uaenorth --flux-status "$T_TMP/flux.json" --reports "$T_TMP/r2" &&
  assert_not_contains "$T_TMP/err" "not Ready" && assert_contains "$T_TMP/err" "pins digest"
expect_exit 66 -- "$P" --to prd-uaenorth --rollback-to HEAD --reports "$T_TMP/r" && assert_contains "$T_TMP/err" "no git repository"

# Garbage YAML in the target: exit 65 with file:line:column, no report half-written.
printf 'images:\n  - name: x\n    newTag: [1, 2\n' > gitops/apps/prd-uaenorth/broken.yaml
expect_exit 65 -- "$P" --from stg-uaenorth --to prd-uaenorth --reports "$T_TMP/bad" &&
  grep -Eq 'gitops/apps/prd-uaenorth/broken.yaml:[0-9]+:[0-9]+: error' "$T_TMP/err" || fail "no file:line:column for broken YAML"
[ ! -e "$T_TMP/bad/promotion.json" ] || fail "reports written for an unreadable tree"
rm gitops/apps/prd-uaenorth/broken.yaml
# Binary garbage and an invalid UTF-8 byte.
printf 'images:\n  - name: x\n    newTag: \377\376\n' > gitops/apps/prd-uaenorth/bin.yaml
expect_exit 65 -- "$P" --from stg-uaenorth --to prd-uaenorth --reports "$T_TMP/bad" &&
  assert_contains "$T_TMP/err" "gitops/apps/prd-uaenorth/bin.yaml:"
rm gitops/apps/prd-uaenorth/bin.yaml
# A bad platci.yaml.
printf 'version: 1\nenvironments: 7\n' > "$T_TMP/bad.yaml"
expect_exit 65 -- "$P" --config "$T_TMP/bad.yaml" --from a --to b
finish
