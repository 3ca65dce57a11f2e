#!/usr/bin/env bash
# platci-plan outside CI, as docs/plan.md shows it: bundle defaults --commit
# to the planfile's checkout at HEAD, verify --extract leaves nothing (not
# even DIR) for a refused bundle, summarize --env must name an environment.
. "$(dirname "$0")/../lib/common.sh"
need_cmd git
need_cmd tar
P=$PLATCI_BIN/platci-plan
unset CI_COMMIT_SHA CI_MERGE_REQUEST_DIFF_BASE_SHA CI_PIPELINE_ID
cd "$PLATCI_SOURCE_DIR" || exit 1
plan_json=$PLATCI_SOURCE_DIR/examples/plans/dev-uaenorth.json

# In a checkout: the example of docs/plan.md works as written, with HEAD's commit.
repo=$T_TMP/repo
mkdir -p "$repo/infra" && cd "$repo" || exit 1
git init -q && git -c user.name=t -c user.email=t@example.com commit -q --allow-empty -m init
head=$(git rev-parse HEAD)
printf 'planfile' >infra/tfplan
cp "$plan_json" infra/plan.json
expect_exit 0 -- "$P" bundle --env dev-uaenorth --plan infra/tfplan --plan-json infra/plan.json \
  --out plan.tar.gz
assert_contains "$T_TMP/err" "--commit defaults to HEAD of the repository holding infra/tfplan"
tar -xzOf plan.tar.gz manifest.json | grep -q "\"commit_sha\": *\"$head\"" ||
  fail "the bundle does not carry HEAD ($head): $(tar -xzOf plan.tar.gz manifest.json)"
expect_exit 0 -- "$P" verify plan.tar.gz --env dev-uaenorth --commit "$head" --max-age 24h --extract plan/
[ -s plan/plan.json ] || fail "verify did not extract"

# Outside any repository and CI: a usage error that says what to pass.
cd "$T_TMP" || exit 1
mkdir -p norepo && printf 'planfile' >norepo/tfplan
expect_exit 64 -- env GIT_CEILING_DIRECTORIES="$T_TMP" "$P" bundle --env dev-uaenorth --plan norepo/tfplan \
  --plan-json "$plan_json" --out x.tar.gz
assert_contains "$T_TMP/err" "bundle needs --commit SHA"
[ -e x.tar.gz ] && fail "a bundle was written without a commit"

# A refused bundle creates no folder, not even the one named by --extract.
expect_exit 1 -- "$P" verify "$repo/plan.tar.gz" --env prd-uaenorth --extract new/deeper
[ -e new ] && fail "verify created $(find new) for a refused bundle"
expect_exit 1 -- "$P" verify "$repo/plan.tar.gz" --env dev-uaenorth --commit 0000000 --extract new2
[ -e new2 ] && fail "verify created new2 for a bundle of another commit"

# summarize --env must be an environment of platci.yaml: 64, naming the flag and the choices.
cd "$PLATCI_SOURCE_DIR" || exit 1
expect_exit 64 -- "$P" summarize --env nope --reports "$T_TMP/r" "$plan_json"
assert_contains "$T_TMP/err" '--env: "nope" is not an environment in'
assert_contains "$T_TMP/err" "(dev-uaenorth, stg-uaenorth, prd-uaenorth)"
[ -e "$T_TMP/r" ] && fail "reports written for a bad --env"
expect_exit 0 -- "$P" summarize --env dev-uaenorth --reports "$T_TMP/r" "$plan_json"
finish
