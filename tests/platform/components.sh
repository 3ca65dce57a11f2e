#!/bin/sh
# The CI/CD components in templates/, used as another GitLab project would
# use them: a test repository made here with git (two environments, each a
# Terraform root with a terraform_data resource and a Flux cluster folder)
# includes all seven components with the inputs a consumer must give, and
# gitlab-ci-local lists the expected jobs for merge-request, default-branch
# and scheduled pipelines; the validate component's job runs with
# --force-shell-executor on a merge request and passes, writing a child
# pipeline that plans only the environment the change reaches. The expanded
# configuration passes GitLab's CI schema.
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$PLATCI_SOURCE_DIR" || fail "cannot cd to $PLATCI_SOURCE_DIR"
PLATCI_BIN=${PLATCI_BIN:-$PLATCI_SOURCE_DIR/build/bin}
[ -x "$PLATCI_BIN/platci-validate" ] || skip "platci-validate not built in $PLATCI_BIN"
need_node
make_tmp
. "$(dirname "$0")/lib/ci-repo.sh"
need_gcl

repo=$TMPD/consumer
mkdir -p "$repo/templates"
cp templates/*.yml "$repo/templates/" || fail "copy"
cat >"$repo/.gitlab-ci.yml" <<'EOF_CI'
# A project that uses platci's components as any GitLab project would
# (here at $CI_COMMIT_SHA of itself, which gitlab-ci-local resolves locally).
stages: [validate, plan, scan, deploy, drift, report]
variables:
  PLATCI_CI_IMAGE: debian:12
include:
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/validate@$CI_COMMIT_SHA
    inputs:
      platci_bin: $PLATCI_BIN
      plan_component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/plan@$CI_COMMIT_SHA
      plan_tags: [cloud]
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/plan@$CI_COMMIT_SHA
    inputs:
      environment: dev
      root: infra/envs/dev
      platci_bin: $PLATCI_BIN
      tags: [cloud]
      terraform_binary: tofu
      rules: [{if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == "push"}]
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/apply@$CI_COMMIT_SHA
    inputs:
      environment: dev
      root: infra/envs/dev
      platci_bin: $PLATCI_BIN
      tags: [cloud]
      terraform_binary: tofu
      needs: [plan:dev]
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/scan@$CI_COMMIT_SHA
    inputs:
      environments: [dev, prd]
      platci_bin: $PLATCI_BIN
      tags: [cloud]
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/drift@$CI_COMMIT_SHA
    inputs:
      environments: [dev, prd]
      platci_bin: $PLATCI_BIN
      tags: [cloud]
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/promote@$CI_COMMIT_SHA
    inputs:
      from: dev
      to: prd
      platci_bin: $PLATCI_BIN
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/report@$CI_COMMIT_SHA
    inputs:
      needs: [{job: drift, artifacts: true}]
      platci_bin: $PLATCI_BIN
      jobs: "plan:dev, apply:dev"
EOF_CI
{
	echo "version: 1"
	echo "environments:"
	echo "  - {name: dev, infra: infra/envs/dev, cluster: gitops/clusters/dev}"
	echo "  - {name: prd, infra: infra/envs/prd, cluster: gitops/clusters/prd, promote_from: dev}"
} >"$repo/platci.yaml"
for env in dev prd; do
	mkdir -p "$repo/infra/envs/$env" "$repo/gitops/clusters/$env"
	cat >"$repo/infra/envs/$env/main.tf" <<EOF_TF
terraform {
  backend "local" {}
}

resource "terraform_data" "app" {
  input = "$env"
}
EOF_TF
	cat >"$repo/gitops/clusters/$env/settings.yaml" <<EOF_CM
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  env: $env
EOF_CM
done
ci_init "$repo" platform/consumer
base=$(g "$repo" rev-parse HEAD)

g "$repo" checkout -q -b mr
echo '# reviewed' >>"$repo/infra/envs/prd/main.tf"
g "$repo" commit -q -am "prd change"
gcl_mr "$repo" mr
gcl_expect mr <<'EOF_JOBS'
validate;validate;on_success
validate:environments;validate;on_success
scan:images: [dev];scan;on_success
scan:images: [prd];scan;on_success
EOF_JOBS

g "$repo" checkout -q main
gcl_default "$repo" default-branch
gcl_expect default-branch <<'EOF_JOBS'
plan:dev;plan;on_success
apply:dev;deploy;on_success
promote:prd;deploy;manual
EOF_JOBS
gcl_schedule "$repo" schedule
gcl_expect schedule <<'EOF_JOBS'
drift: [dev];drift;on_success
drift: [prd];drift;on_success
pages;report;on_success
EOF_JOBS

# The expanded configuration against GitLab's CI schema.
schema=$PLATCI_FIXTURES/schemas/gitlab-ci-schema.json
ajv=$PLATCI_SOURCE_DIR/node_modules/.bin/ajv
if [ -f "$schema" ] && [ -x "$ajv" ]; then
	(cd "$repo" && "$GCL" --preview --no-color) >"$TMPD/expanded.yml" 2>"$TMPD/gcl.log" ||
		{ cat "$TMPD/gcl.log" >&2; fail "gitlab-ci-local could not expand the configuration"; }
	node "$PLATCI_SOURCE_DIR/tests/platform/lib/yaml2json.js" "$TMPD/expanded.yml" "$TMPD/expanded.json" ||
		fail "expanded configuration is not YAML"
	"$ajv" validate --spec=draft7 -c ajv-formats --strict=false --all-errors -s "$schema" \
		-d "$TMPD/expanded.json" >"$TMPD/ajv.log" 2>&1 || { cat "$TMPD/ajv.log" >&2; fail "schema"; }
else
	echo "note: GitLab's CI schema or ajv is missing: schema check skipped"
fi

# The validate component's job, on the merge request, in a shell.
g "$repo" checkout -q mr
(cd "$repo" && "$GCL" --force-shell-executor --no-color \
	--variable CI_PIPELINE_SOURCE=merge_request_event --unset-variable CI_COMMIT_BRANCH \
	--variable "PLATCI_BIN=$PLATCI_BIN" --variable "CI_MERGE_REQUEST_DIFF_BASE_SHA=$base" validate) \
	>"$TMPD/validate.log" 2>&1 || { tail -30 "$TMPD/validate.log" >&2; fail "the validate job failed"; }
grep -q "PASS  validate" "$TMPD/validate.log" || fail "gitlab-ci-local did not pass validate"
child=$repo/platci-reports/child-pipeline.yml
[ -f "$child" ] || fail "the validate job wrote no child pipeline"
assert() { grep -qF -- "$2" "$child" || fail "child pipeline: no $1 ($2)"; }
assert "prd" '      environment: "prd"'
assert "runner tags" '      tags: ["cloud"]'
assert "the plan component" "  - component: \"gitlab.example.com/platform/consumer/plan@"
! grep -q 'environment: "dev"' "$child" || fail "child pipeline plans dev, which the change does not reach"
jq -e '.mode == "diff" and ([.environments[] | select(.affected) | .name] == ["prd"])' \
	"$repo/platci-reports/affected.json" >/dev/null || fail "affected.json: only prd"
# platci-validate follows the project's own components as local files: the
# component bodies raise nothing, and a job in an undeclared stage is still found.
(cd "$repo" && "$PLATCI_BIN/platci-validate" --all --no-terraform-fmt --quiet --reports "$TMPD/v-clean") \
	>"$TMPD/v-clean.log" 2>&1 || { cat "$TMPD/v-clean.log" >&2; fail "platci-validate --all on the consumer"; }
printf '\nrogue:\n  stage: nonexistent\n  script: [echo]\n' >>"$repo/.gitlab-ci.yml"
(cd "$repo" && "$PLATCI_BIN/platci-validate" --all --no-terraform-fmt --quiet --reports "$TMPD/v-rogue") \
	>"$TMPD/v-rogue.log" 2>&1
jq -e '[.findings[] | select(.rule == "ci.undeclared-stage")] | length == 1' "$TMPD/v-rogue/findings.json" \
	>/dev/null 2>&1 || fail "a job in an undeclared stage beside the components was not found"
pass "MR, default-branch and schedule job lists; validate job passes; schema"
