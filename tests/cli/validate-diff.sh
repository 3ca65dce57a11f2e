#!/usr/bin/env bash
# platci-validate --base: changed files -> environments (module, base, overlay and
# env edits, renames, deletions, config), affected.json and the child pipeline
# against goldens.
# These pin the source-level checks: --no-render (the fixture lists folders without a
# kustomization.yaml as resources, which kustomize refuses; tests/corpus/validate-render.sh
# covers validate on rendered objects).
. "$(dirname "$0")/../lib/common.sh"
. "$PLATCI_SOURCE_DIR/tests/golden/validate/make-fixture.sh"
need_cmd git
need_cmd jq
V="$PLATCI_BIN/platci-validate"
G="$PLATCI_SOURCE_DIR/tests/golden/validate"
R="$T_TMP/repo"
(make_fixture "$R") >/dev/null || { fail "fixture"; finish; }
cd "$R" || exit 1

# scenario NAME: commit the working-tree edits on a branch and compare affected envs
scenario() {
  local name=$1 want=$2
  git checkout -q -b "$name" main && git add -A && git commit -qm "$name" || { fail "$name: commit"; return; }
  expect_exit 0 -- "$V" --no-render --base main --reports "$T_TMP/r-$name" --no-terraform-fmt \
    --child-pipeline "$T_TMP/r-$name/child.yml" || { git checkout -q main; return; }
  got=$(jq -r '[.environments[] | select(.affected) | .name] | join(",")' "$T_TMP/r-$name/affected.json")
  [ "$got" = "$want" ] && pass "$name -> [$got]" || fail "$name: affected [$got], wanted [$want]"
  [ "$(jq -r .mode "$T_TMP/r-$name/affected.json")" = diff ] || fail "$name: mode is not diff"
  git checkout -q main
}

echo '# tuned' >> infra/modules/network/main.tf;                scenario module-edit "dev-uaenorth,stg-uaenorth,prd-uaenorth"
echo '# tuned' >> infra/modules/unused/main.tf;                 scenario unused-module ""
echo '# tuned' >> infra/envs/stg-uaenorth/main.tf;              scenario env-edit "stg-uaenorth"
sed -i 's/1.4.2/1.4.3/' gitops/apps/base/web/deployment.yaml;   scenario base-edit "dev-uaenorth,stg-uaenorth,prd-uaenorth"
sed -i 's/replicas: 2/replicas: 3/' gitops/apps/prd-uaenorth/web-patch.yaml; scenario overlay-edit "prd-uaenorth"
sed -i 's/4.10.1/4.10.2/' gitops/infrastructure/controllers/base/helmrepository.yaml; scenario infra-base-edit "dev-uaenorth,stg-uaenorth,prd-uaenorth"
git mv -k gitops/apps/base/web/deployment.yaml gitops/apps/base/web/web.yaml; scenario rename "dev-uaenorth,stg-uaenorth,prd-uaenorth"
echo 'x: 1' > README.yaml;                                      scenario unrelated ""
sed -i 's/maxExceptionDays: 180/maxExceptionDays: 90/' policies/manifests.yaml; scenario policy-edit "dev-uaenorth,stg-uaenorth,prd-uaenorth"

# a rename is reported with its old path
jq -e '.changed[0] | .status == "renamed" and .old_path == "gitops/apps/base/web/deployment.yaml"' \
  "$T_TMP/r-rename/affected.json" >/dev/null || fail "rename: old path missing"

# deleting a patch the prd overlay still names: prd is affected and the dangling reference is a deny finding
git checkout -q -b deletion main && git rm -q gitops/apps/prd-uaenorth/web-patch.yaml && git commit -qm rm
expect_exit 1 -- "$V" --no-render --base main --reports "$T_TMP/r-del" --no-terraform-fmt && pass "deletion denies"
assert_contains "$T_TMP/err" 'gitops/apps/prd-uaenorth/kustomization.yaml:5:11: error: "web-patch.yaml" does not exist [kustomize.missing-ref]'
[ "$(jq -r '[.environments[] | select(.affected) | .name] | join(",")' "$T_TMP/r-del/affected.json")" = prd-uaenorth ] \
  || fail "deletion: wrong environments"
git checkout -q main

# a policy change is judged everywhere: tightening the registry flags the unchanged base
git checkout -q -b tighten main && sed -i 's|in: \[acrplatform.azurecr.io\]|in: [other.azurecr.io]|' policies/manifests.yaml \
  && git commit -qam tighten
expect_exit 1 -- "$V" --no-render --base main --reports "$T_TMP/r-tight" --no-terraform-fmt && pass "policy change judged everywhere"
assert_contains "$T_TMP/err" "gitops/apps/base/web/deployment.yaml:12:18: error:"
assert_contains "$T_TMP/err" "[PCI-K8S-003]"
# ...while an unrelated change does not re-report the old finding of an untouched file
git checkout -q -b untouched tighten && git commit -q --allow-empty -m base2 && git branch -q base2 && echo 'x: 1' > other.yaml \
  && git add other.yaml && git commit -qm other
expect_exit 0 -- "$V" --no-render --base base2 --reports "$T_TMP/r-untouched" --no-terraform-fmt && pass "old policy findings stay out of an unrelated change"
git checkout -q main

# goldens: revisions are normalised away
for s in module-edit overlay-edit rename unrelated; do
  jq 'del(.merge_base, .head_sha)' "$T_TMP/r-$s/affected.json" > "$T_TMP/$s.json"
  if [ -n "${PLATCI_UPDATE_GOLDEN:-}" ]; then cp "$T_TMP/$s.json" "$G/affected-$s.json"; fi
  diff -u "$G/affected-$s.json" "$T_TMP/$s.json" || fail "affected.json golden: $s"
done
for s in overlay-edit unrelated; do
  if [ -n "${PLATCI_UPDATE_GOLDEN:-}" ]; then cp "$T_TMP/r-$s/child.yml" "$G/child-$s.yml"; fi
  diff -u "$G/child-$s.yml" "$T_TMP/r-$s/child.yml" || fail "child pipeline golden: $s"
done

# the child pipeline is valid GitLab CI (schema from the shared fixtures, checked with ajv)
AJV="$PLATCI_SOURCE_DIR/node_modules/.bin/ajv"
SCHEMA="$PLATCI_FIXTURES/schemas/gitlab-ci-schema.json"
if [ -x "$AJV" ] && [ -f "$SCHEMA" ]; then
  for s in module-edit unrelated; do
    "$AJV" validate -s "$SCHEMA" -d "$T_TMP/r-$s/child.yml" --strict=false -c ajv-formats >"$T_TMP/ajv" 2>&1 \
      && pass "child pipeline $s matches GitLab's CI schema" || { fail "child pipeline $s: schema"; cat "$T_TMP/ajv"; }
  done
else
  echo "note: ajv or the GitLab CI schema is missing; schema check skipped"
fi

# a new branch (all-zeros before-sha) validates everything
CI_COMMIT_BEFORE_SHA=0000000000000000000000000000000000000000 expect_exit 0 -- "$V" --no-render --reports "$T_TMP/r-new" --no-terraform-fmt
[ "$(jq -r .mode "$T_TMP/r-new/affected.json")" = all ] || fail "new branch: mode is not all"
# the merge-request base wins over the before-sha
git checkout -q overlay-edit
CI_MERGE_REQUEST_DIFF_BASE_SHA=main CI_COMMIT_BEFORE_SHA=0000000000000000000000000000000000000000 \
  expect_exit 0 -- "$V" --no-render --reports "$T_TMP/r-mr" --no-terraform-fmt
[ "$(jq -r '[.environments[] | select(.affected) | .name] | join(",")' "$T_TMP/r-mr/affected.json")" = prd-uaenorth ] \
  || fail "CI_MERGE_REQUEST_DIFF_BASE_SHA not used"
finish
