#!/bin/sh
# gitlab-ci-local (4.73.0) lists exactly the expected jobs for:
#   - a merge request changing one environment's Terraform root,
#   - a merge request changing a shared Terraform module,
#   - a merge request changing only the GitOps tree,
#   - a push to the default branch,
#   - a scheduled pipeline.
# Runs in a temporary git repository (gitlab-ci-local writes
# .gitlab-ci-local/ and evaluates rules:changes against origin/main).
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$PLATCI_SOURCE_DIR" || fail "cannot cd to $PLATCI_SOURCE_DIR"

gcl=$PLATCI_SOURCE_DIR/node_modules/.bin/gitlab-ci-local
command -v node >/dev/null 2>&1 || skip "node not installed"
[ -x "$gcl" ] || skip "gitlab-ci-local not installed (node_modules/.bin/gitlab-ci-local)"
command -v rsync >/dev/null 2>&1 || skip "rsync not installed (gitlab-ci-local needs it)"
command -v git >/dev/null 2>&1 || skip "git not installed"
[ -f .gitlab-ci.yml ] || fail ".gitlab-ci.yml missing"
make_tmp

repo=$TMPD/repo
mkdir -p "$repo/infra/envs" "$repo/infra/modules/aks" "$repo/gitops/apps"
{ cp .gitlab-ci.yml "$repo/" && cp -R pipelines "$repo/"; } || fail "copy failed"
for env in $ENVIRONMENTS; do
	mkdir -p "$repo/infra/envs/$env" "$repo/gitops/apps/$env"
	echo "# $env" >"$repo/infra/envs/$env/main.tf"
	echo "# $env" >"$repo/gitops/apps/$env/kustomization.yaml"
done
echo "# aks" >"$repo/infra/modules/aks/main.tf"

g() { git -C "$repo" -c user.name=test -c user.email=test@example.com "$@"; }
g init -q -b main || fail "git init"
g remote add origin https://gitlab.example.com/platform/platci.git
{ g add -A && g commit -q -m base; } || fail "git commit"
g update-ref refs/remotes/origin/main HEAD
g symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main

HOME=$TMPD/home
export HOME
mkdir -p "$HOME"
GCL_IGNORE_PREDEFINED_VARS=CI_PIPELINE_SOURCE,CI_COMMIT_BRANCH,CI_DEFAULT_BRANCH,CI_COMMIT_REF_NAME,CI_MERGE_REQUEST_IID
export GCL_IGNORE_PREDEFINED_VARS

# list NAME ARGS...: "name;stage;when" for every job gitlab-ci-local would
# run, sorted, into $TMPD/NAME.got
list() {
	name=$1
	shift
	(cd "$repo" && "$gcl" --list-csv --no-color "$@") >"$TMPD/$name.raw" 2>&1 ||
		{ cat "$TMPD/$name.raw" >&2; fail "gitlab-ci-local --list-csv failed ($name)"; }
	sed -n '/^name;stage;when;/,$p' "$TMPD/$name.raw" | sed 1d |
		cut -d';' -f1-3 | sort >"$TMPD/$name.got"
}

expect() {
	name=$1
	sort >"$TMPD/$name.want"
	if ! cmp -s "$TMPD/$name.want" "$TMPD/$name.got"; then
		echo "--- expected jobs ($name)" >&2
		cat "$TMPD/$name.want" >&2
		echo "--- gitlab-ci-local listed" >&2
		cat "$TMPD/$name.got" >&2
		fail "wrong job list for the $name pipeline"
	fi
}

mr_list() {
	list "$1" --variable CI_PIPELINE_SOURCE=merge_request_event \
		--variable CI_MERGE_REQUEST_IID=42 \
		--variable "CI_MERGE_REQUEST_TITLE=test" \
		--variable CI_COMMIT_REF_NAME=feature \
		--unset-variable CI_COMMIT_BRANCH
}

# 1. Merge request touching only dev-uaenorth's Terraform root.
g checkout -q -b mr-dev
echo 'locals {}' >>"$repo/infra/envs/dev-uaenorth/main.tf"
g commit -q -am "dev change"
mr_list mr-infra-dev
expect mr-infra-dev <<'EOF_JOBS'
build:platci;build;on_success
validate;validate;on_success
validate:environments;validate;on_success
plan:dev-uaenorth;plan;on_success
gate:preview:dev-uaenorth;gate;on_success
EOF_JOBS

# 2. Merge request touching a shared module: every environment is affected.
g checkout -q main && g checkout -q -b mr-module
echo 'locals {}' >>"$repo/infra/modules/aks/main.tf"
g commit -q -am "module change"
mr_list mr-infra-module
expect mr-infra-module <<'EOF_JOBS'
build:platci;build;on_success
validate;validate;on_success
validate:environments;validate;on_success
plan:dev-uaenorth;plan;on_success
plan:stg-uaenorth;plan;on_success
plan:prd-uaenorth;plan;on_success
gate:preview:dev-uaenorth;gate;on_success
gate:preview:stg-uaenorth;gate;on_success
gate:preview:prd-uaenorth;gate;on_success
EOF_JOBS

# 3. Merge request touching only the GitOps tree (a promotion MR).
g checkout -q main && g checkout -q -b mr-gitops
echo '# promoted' >>"$repo/gitops/apps/prd-uaenorth/kustomization.yaml"
g commit -q -am "gitops change"
mr_list mr-gitops
expect mr-gitops <<'EOF_JOBS'
build:platci;build;on_success
validate;validate;on_success
validate:environments;validate;on_success
scan:images: [dev-uaenorth];scan;on_success
scan:images: [stg-uaenorth];scan;on_success
scan:images: [prd-uaenorth];scan;on_success
EOF_JOBS

# 4. Push to the default branch.
g checkout -q main
list default-branch --variable CI_PIPELINE_SOURCE=push \
	--variable CI_COMMIT_BRANCH=main --variable CI_DEFAULT_BRANCH=main
expect default-branch <<'EOF_JOBS'
build:platci;build;on_success
plan:dev-uaenorth;plan;on_success
plan:stg-uaenorth;plan;on_success
plan:prd-uaenorth;plan;on_success
apply:dev-uaenorth;dev;on_success
gate:stg-uaenorth;stg;on_success
apply:stg-uaenorth;stg;on_success
gate:prd-uaenorth;prd;on_success
apply:prd-uaenorth;prd;manual
promote:prd-uaenorth;prd;manual
EOF_JOBS

# 5. Scheduled pipeline (on the default branch).
list schedule --variable CI_PIPELINE_SOURCE=schedule \
	--variable CI_COMMIT_BRANCH=main --variable CI_DEFAULT_BRANCH=main
expect schedule <<'EOF_JOBS'
build:platci;build;on_success
drift: [dev-uaenorth];drift;on_success
drift: [stg-uaenorth];drift;on_success
drift: [prd-uaenorth];drift;on_success
EOF_JOBS

pass "MR (3 kinds), default branch and schedule job lists match"
