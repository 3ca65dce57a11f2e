#!/usr/bin/env bash
# Every drift-bearing plan and every Flux status file in the shared fixtures gives the
# expected categories; a refresh-only plan without drift is a clean 0.
. "$(dirname "$0")/../lib/common.sh"
need_fixtures tfplan
need_fixtures flux-status
need_cmd jq
cd "$PLATCI_SOURCE_DIR"
tf=$PLATCI_FIXTURES/tfplan
fs=$PLATCI_FIXTURES/flux-status

# check FILE-ARGS... -- EXIT "category identity" ...
check() {
  local args=() want n=0
  while [ "$1" != "--" ]; do args+=("$1"); shift; done; shift
  want=$1; shift
  n=$((n + 1)); local r="$T_TMP/r$RANDOM$RANDOM"
  "$PLATCI_BIN/platci-drift" --config platci.yaml --env dev-uaenorth --now 2026-11-26T00:00:00Z \
    --reports "$r" "${args[@]}" >"$T_TMP/out" 2>"$T_TMP/err"
  local got=$?
  [ "$got" = "$want" ] || { fail "${args[*]}: exit $got, wanted $want"; sed 's/^/  | /' "$T_TMP/err" | head -5 >&2; return; }
  for pair in "$@"; do
    local cat=${pair%% *} id=${pair#* }
    jq -e --arg c "$cat" --arg i "$id" 'any(.items[]; .category == $c and .identity == $i)' "$r/drift.json" >/dev/null ||
      fail "${args[*]}: no $cat for $id"
  done
  pass "${args[*]##*/}"
}

check --terraform "$tf/terraform__equivalence-drift_refresh_only.json" -- 2 "terraform.changed tfcoremock_simple_resource.drift"
check --terraform "$tf/terraform__equivalence-drift_simple.json" -- 2 "terraform.changed tfcoremock_simple_resource.drift"
check --terraform "$tf/terraform__equivalence-drift_relevant_attributes.json" -- 2 "terraform.changed tfcoremock_simple_resource.base"
check --terraform "$tf/terraform__equivalence-moved_with_drift.json" -- 2 "terraform.changed tfcoremock_simple_resource.base_after"
check --terraform "$tf/terraform__equivalence-moved_with_refresh_only.json" -- 0 "terraform.moved tfcoremock_simple_resource.second"
check --terraform "$tf/terraform__show-json-drift.json" -- 2 "terraform.changed test_instance.should_refresh"
check --terraform "$tf/terraform__show-json-moved-drift.json" -- 2 "terraform.changed test_instance.should_refresh_with_move"
check --terraform "$tf/terraform__cloud-plan-json-full-redacted.json" -- 2 "terraform.deleted tfcoremock_simple_resource.example"
check --terraform "$tf/local-terraform-1.11.4__refresh-only-nodrift.json" -- 0
# Plans without resource_drift are no drift; an errored plan is refused.
for p in "$tf"/*.json; do
  grep -q '"resource_drift"' "$p" && continue
  case $p in *errored*) want=65 ;; *) want=0 ;; esac
  check --terraform "$p" -- $want
done

k=$fs/kubectl-get-kustomizations-A-o-json.ASSEMBLED.json
h=$fs/kubectl-get-helmreleases-A-o-json.ASSEMBLED.json
s=$fs/kubectl-get-sources-A-o-json.ASSEMBLED.json
check --flux "$k" -- 2 \
  "flux.apply-behind Kustomization/flux-system/sass-dev" \
  "flux.reconciling Kustomization/flux-system/sass-dev" \
  "flux.stale-status Kustomization/flux-system/sass-dev" \
  "flux.not-ready Kustomization/flux-system/cronjobs" \
  "flux.apply-behind Kustomization/flux-system/cronjobs" \
  "flux.not-ready Kustomization/flux-system/mission-control-agent" \
  "flux.apply-behind Kustomization/flux-system/mission-control-agent" \
  "flux.not-ready Kustomization/default/canaries" \
  "flux.deprecated-api Kustomization/default/canaries"
check --flux "$h" -- 2 \
  "flux.not-ready HelmRelease/netflix/netflix-mission-control-tenant" \
  "flux.not-ready HelmRelease/mission-control/mission-control-helm" \
  "flux.deprecated-api HelmRelease/org-99ufqu0vnxbp/org-99ufqu0vnxbp"
check --flux "$s" -- 2 \
  "flux.not-ready GitRepository/mission-control/bad-git" \
  "flux.not-ready HelmRepository/mission-control/bad-helm-repo"
# Together, the legacy master/<sha> Kustomization is behind its legacy-format source.
check --flux "$k" --flux "$s" --flux "$h" --expect-revision master=8fbe8846976f32930c567362c3d890b312af7ada -- 2 \
  "flux.apply-behind Kustomization/default/canaries"
# The in-sync object has no finding at all.
r="$T_TMP/sync"; "$PLATCI_BIN/platci-drift" --config platci.yaml --env dev-uaenorth --flux "$k" --reports "$r" >/dev/null 2>&1
jq -e 'all(.items[]; .identity != "Kustomization/flux-system/saas-prod")' "$r/drift.json" >/dev/null || fail "saas-prod is in sync but was reported"
# Each is-healthy YAML object, converted to a one-object JSON, reads as well.
if command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
  for y in "$fs"/is-healthy/pkg/health/testdata/*.yaml "$fs"/is-healthy/pkg/health/testdata/Kubernetes/HelmRelease/*.yaml; do
    python3 -c 'import sys,yaml,json; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2],"w"), default=str)' "$y" "$T_TMP/one.json" || continue
    "$PLATCI_BIN/platci-drift" --config platci.yaml --env dev-uaenorth --flux "$T_TMP/one.json" --reports "$T_TMP/one" >/dev/null 2>&1
    rc=$?; [ $rc = 0 ] || [ $rc = 2 ] || fail "$y: exit $rc"
  done
fi
finish
