#!/bin/sh
# gitlab-ci-local (4.73.0) lists exactly the expected jobs of this
# repository's own pipeline (.gitlab-ci.yml made of templates/ components) for:
#   - a merge request changing one environment's Terraform root, or a shared
#     module (planning is the child pipeline's: no plan:<env> job in the parent),
#   - a merge request changing only the GitOps tree,
#   - a push to the default branch,
#   - a scheduled pipeline,
#   - a semver tag (release), and no pipeline for another tag.
# Runs in a temporary git repository (gitlab-ci-local writes
# .gitlab-ci-local/ and evaluates rules:changes against origin/main).
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$PLATCI_SOURCE_DIR" || fail "cannot cd to $PLATCI_SOURCE_DIR"
[ -f .gitlab-ci.yml ] || fail ".gitlab-ci.yml missing"
make_tmp
. "$(dirname "$0")/lib/ci-repo.sh"
need_gcl

repo=$TMPD/repo
ci_repo "$repo"
mkdir -p "$repo/infra/envs" "$repo/infra/modules/aks" "$repo/gitops/apps"
for env in $ENVIRONMENTS; do
	mkdir -p "$repo/infra/envs/$env" "$repo/gitops/apps/$env"
	echo "# $env" >"$repo/infra/envs/$env/main.tf"
	echo "# $env" >"$repo/gitops/apps/$env/kustomization.yaml"
done
echo "# aks" >"$repo/infra/modules/aks/main.tf"
ci_init "$repo" platform/platci

mr_jobs='build:platci;build;on_success
validate;validate;on_success
validate:environments;validate;on_success'

# 1. Merge request touching only dev-uaenorth's Terraform root.
g "$repo" checkout -q -b mr-dev
echo 'locals {}' >>"$repo/infra/envs/dev-uaenorth/main.tf"
g "$repo" commit -q -am "dev change"
gcl_mr "$repo" mr-infra-dev
echo "$mr_jobs" | gcl_expect mr-infra-dev

# 2. Merge request touching a shared module: the child plans every environment.
g "$repo" checkout -q main && g "$repo" checkout -q -b mr-module
echo 'locals {}' >>"$repo/infra/modules/aks/main.tf"
g "$repo" commit -q -am "module change"
gcl_mr "$repo" mr-infra-module
echo "$mr_jobs" | gcl_expect mr-infra-module

# 3. Merge request touching only the GitOps tree (a promotion MR).
g "$repo" checkout -q main && g "$repo" checkout -q -b mr-gitops
echo '# promoted' >>"$repo/gitops/apps/prd-uaenorth/kustomization.yaml"
g "$repo" commit -q -am "gitops change"
gcl_mr "$repo" mr-gitops
gcl_expect mr-gitops <<EOF_JOBS
$mr_jobs
scan:images: [dev-uaenorth];scan;on_success
scan:images: [stg-uaenorth];scan;on_success
scan:images: [prd-uaenorth];scan;on_success
EOF_JOBS

# 4. Push to the default branch.
g "$repo" checkout -q main
gcl_default "$repo" default-branch
gcl_expect default-branch <<'EOF_JOBS'
build:platci;build;on_success
plan:dev-uaenorth;plan;on_success
plan:stg-uaenorth;plan;on_success
plan:prd-uaenorth;plan;on_success
apply:dev-uaenorth;dev;on_success
apply:stg-uaenorth;stg;on_success
apply:prd-uaenorth;prd;manual
promote:prd-uaenorth;prd;manual
EOF_JOBS

# 5. Scheduled pipeline (on the default branch).
gcl_schedule "$repo" schedule
gcl_expect schedule <<'EOF_JOBS'
build:platci;build;on_success
drift: [dev-uaenorth];drift;on_success
drift: [stg-uaenorth];drift;on_success
drift: [prd-uaenorth];drift;on_success
pages;report;on_success
EOF_JOBS

# 6. A semver tag publishes the components and builds the image; "v1.2.3" runs nothing.
gcl_list "$repo" tag --variable CI_PIPELINE_SOURCE=push --variable CI_COMMIT_TAG=1.2.3 \
	--unset-variable CI_COMMIT_BRANCH
gcl_expect tag <<'EOF_JOBS'
build:image;build;on_success
release:components;release;on_success
EOF_JOBS
gcl_list "$repo" vtag --variable CI_PIPELINE_SOURCE=push --variable CI_COMMIT_TAG=v1.2.3 \
	--unset-variable CI_COMMIT_BRANCH
: | gcl_expect vtag

pass "MR (3 kinds), default branch, schedule and tag job lists match"
