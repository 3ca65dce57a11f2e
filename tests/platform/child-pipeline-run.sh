#!/bin/sh
# Issue 13.2 and 13.4: the child pipeline platci-validate writes is runnable.
# In a fixture repository made here with git (three environments, each a
# Terraform root with a terraform_data resource holding a sensitive value,
# and a Flux tree), gitlab-ci-local shows that:
#   - a one-line change in gitops/apps/prd/kustomization.yaml plans nothing
#     (the child holds only no-terraform-to-plan);
#   - a change to prd's Terraform gives exactly plan:prd, built from the plan
#     component with the parent's image, runner tags, OIDC id_token,
#     needs:pipeline:job on the job that built platci, resource_group and
#     environment, and artifacts with access: developer (plan.json holds the
#     secret in clear text);
#   - that job's script runs with --force-shell-executor and plans, and the
#     secret stays out of the reports (skipped with a message without terraform).
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$PLATCI_SOURCE_DIR" || fail "cannot cd to $PLATCI_SOURCE_DIR"
PLATCI_BIN=${PLATCI_BIN:-$PLATCI_SOURCE_DIR/build/bin}
[ -x "$PLATCI_BIN/platci-validate" ] || skip "platci-validate not built in $PLATCI_BIN"
need_node
make_tmp
. "$(dirname "$0")/lib/ci-repo.sh"
need_gcl

repo=$TMPD/fixture
mkdir -p "$repo/templates"
cp templates/plan.yml "$repo/templates/" || fail "copy"
{
	echo "version: 1"
	echo "environments:"
} >"$repo/platci.yaml"
prev=
for env in dev stg prd; do
	mkdir -p "$repo/infra/envs/$env" "$repo/gitops/clusters/$env" "$repo/gitops/apps/$env"
	cat >"$repo/infra/envs/$env/main.tf" <<EOF_TF
variable "db_password" {
  type      = string
  sensitive = true
  default   = "S3cr3t-fixture-$env"
}

resource "terraform_data" "db" {
  input = var.db_password
}
EOF_TF
	cat >"$repo/gitops/clusters/$env/apps.yaml" <<EOF_FLUX
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./gitops/apps/$env
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
EOF_FLUX
	cat >"$repo/gitops/apps/$env/kustomization.yaml" <<EOF_K
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - settings.yaml
EOF_K
	cat >"$repo/gitops/apps/$env/settings.yaml" <<EOF_CM
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  env: $env
EOF_CM
	line="  - {name: $env, infra: infra/envs/$env, cluster: gitops/clusters/$env, overlay: gitops/apps/$env"
	[ -n "$prev" ] && line="$line, promote_from: $prev"
	echo "$line}" >>"$repo/platci.yaml"
	prev=$env
done
ci_init "$repo" platform/fixture

# child BRANCH ARGS...: platci-validate's child pipeline for BRANCH against main
child() {
	br=$1
	shift
	(cd "$repo" && "$PLATCI_BIN/platci-validate" --base main --no-terraform-fmt --quiet \
		--reports "$TMPD/r-$br" --child-pipeline "$repo/child-$br.yml" "$@") >"$TMPD/v-$br.log" 2>&1
	rc=$?
	[ $rc -le 1 ] || { cat "$TMPD/v-$br.log" >&2; fail "platci-validate exited $rc ($br)"; }
}

# 1. GitOps only: one line in prd's apps overlay.
g "$repo" checkout -q -b gitops-only
echo "namespace: default" >>"$repo/gitops/apps/prd/kustomization.yaml"
g "$repo" commit -q -am "prd overlay"
child gitops-only
jq -e '[.environments[] | select(.name == "prd")][0] | .affected and .gitops and (.terraform | not)' \
	"$TMPD/r-gitops-only/affected.json" >/dev/null 2>&1 ||
	fail "affected.json: prd must be affected through GitOps only"
gcl_list "$repo" gitops-only --file child-gitops-only.yml
gcl_expect gitops-only <<'EOF_JOBS'
no-terraform-to-plan;plan;on_success
EOF_JOBS

# 2. prd's Terraform.
g "$repo" checkout -q main && g "$repo" checkout -q -b tf-prd
sed -i 's/S3cr3t-fixture-prd/S3cr3t-fixture-prd2/' "$repo/infra/envs/prd/main.tf"
g "$repo" commit -q -am "prd terraform"
sha=$(g "$repo" rev-parse HEAD)
child tf-prd --child-component "gitlab.example.com/platform/fixture/plan@$sha" \
	--child-needs build:platci --child-input image=debian:12 --child-input 'tags=["platform-uaenorth"]' \
	--child-input "platci_bin=$PLATCI_BIN" --child-input gate_preview=false
gcl_list "$repo" tf-prd --file child-tf-prd.yml
gcl_expect tf-prd <<'EOF_JOBS'
plan:prd;plan;on_success
EOF_JOBS
(cd "$repo" && "$GCL" --preview --no-color --file child-tf-prd.yml) >"$TMPD/child.yml" 2>"$TMPD/gcl.log" ||
	{ cat "$TMPD/gcl.log" >&2; fail "gitlab-ci-local could not expand the child pipeline"; }
node "$PLATCI_SOURCE_DIR/tests/platform/lib/yaml2json.js" "$TMPD/child.yml" "$TMPD/child.json" ||
	fail "expanded child is not YAML"
jq -e '."plan:prd" as $j
  | ($j.artifacts.access == "developer")
  and ([$j.needs[] | {pipeline, job}] == [{"pipeline": "$PARENT_PIPELINE_ID", "job": "build:platci"}])
  and ($j.image.name // $j.image) == "debian:12"
  and $j.tags == ["platform-uaenorth"]
  and ($j.id_tokens.ARM_OIDC_TOKEN.aud == "api://AzureADTokenExchange")
  and $j.resource_group == "prd"
  and $j.environment == {"name": "prd", "action": "prepare"}' "$TMPD/child.json" >/dev/null ||
	{ jq '."plan:prd"' "$TMPD/child.json" >&2; fail "plan:prd lacks access: developer, needs, image, tags, id_tokens, resource_group or environment"; }
[ "$(jq '[keys[] | select(startswith("plan:"))] | length' "$TMPD/child.json")" = 1 ] ||
	fail "the child plans more than prd"

# 3. The job's script runs.
if command -v terraform >/dev/null 2>&1; then
	(cd "$repo" && "$GCL" --file child-tf-prd.yml --force-shell-executor --no-color plan:prd) \
		>"$TMPD/run.log" 2>&1 || { tail -40 "$TMPD/run.log" >&2; fail "plan:prd failed under gitlab-ci-local"; }
	out=$repo/platci-reports/prd
	jq -e '.create == 1 and .update == 0 and .delete == 0' "$out/terraform-report.json" >/dev/null ||
		fail "terraform-report.json does not say 1 to add"
	[ -f "$out/bundle.tar.gz" ] || fail "no plan bundle"
	if grep -rl "S3cr3t-fixture" "$out"/*.json "$out"/*.md >/dev/null 2>&1; then
		fail "the sensitive value reached a report"
	fi
	grep -q "PASS  plan:prd" "$TMPD/run.log" || fail "gitlab-ci-local did not pass plan:prd"
else
	echo "note: terraform is not installed: the job's script was not run"
fi
pass "GitOps-only change plans nothing; prd's Terraform gives one runnable plan:prd from the plan component"
