#!/usr/bin/env bash
# The defects issue 14 lists under "Why", each planted in a temporary copy of
# a real Flux tree from ../shared/fixtures/gitops/, must be caught by
# platci-render in the cluster that has it, at the right file:line, and in no
# other cluster. Names resolve per cluster: a cycle, a missing dependency or
# a source defined elsewhere in the repository belongs to one cluster only.
. "$(dirname "$0")/../lib/common.sh"
need_fixtures gitops
need_cmd jq
command -v kubectl >/dev/null 2>&1 || command -v kustomize >/dev/null 2>&1 ||
  skip "neither kustomize nor kubectl is installed: nothing can be rendered"
R="$PLATCI_BIN/platci-render"
FX="$PLATCI_FIXTURES/gitops/flux2-kustomize-helm-example"

# render TREE CLUSTER NAME: reports in $T_TMP/NAME, objects in $T_TMP/NAME/out
render() {
  (cd "$1" && "$R" --path "$2" --no-cache --reports "$T_TMP/$3" --out "$T_TMP/$3/out" -q >/dev/null 2>&1)
  echo $? > "$T_TMP/$3/rc"
}
# findings NAME RULE: "file:line" of each finding with that rule
findings() { jq -r --arg r "$2" '.clusters[].findings[] | select(.rule_id == $r) | "\(.file):\(.line)"' "$T_TMP/$1/render.json"; }
expect_finding() { # NAME RULE FILE:LINE
  findings "$1" "$2" | grep -qxF "$3" || { fail "$1: no $2 at $3"; findings "$1" "$2" | sed 's/^/  got: /' >&2; }
}
expect_none() { # NAME RULE
  [ -z "$(findings "$1" "$2")" ] || fail "$1: $2 reported where the cluster does not have it: $(findings "$1" "$2" | tr '\n' ' ')"
}
copy() { rm -rf "$T_TMP/$1"; mkdir -p "$T_TMP/$1"; cp -r "$2/." "$T_TMP/$1/"; echo "$T_TMP/$1"; }

# 1. a dependsOn cycle only in clusters/staging (infra-controllers -> apps -> infra-configs -> ...)
t=$(copy t1 "$FX/classic-a484a05-gitrepository")
sed -i '/name: infra-controllers/,/^spec:/{s/^spec:/spec:\n  dependsOn:\n    - name: apps/}' "$t/clusters/staging/infrastructure.yaml"
render "$t" clusters/staging cycle-stg; render "$t" clusters/production cycle-prd
[ -n "$(findings cycle-stg render.dependson-cycle)" ] || fail "staging: the dependsOn cycle is not reported"
findings cycle-stg render.dependson-cycle | grep -qv '^clusters/staging/' && fail "staging: the cycle is reported outside clusters/staging"
expect_none cycle-prd render.dependson-cycle
[ "$(cat "$T_TMP/cycle-stg/rc")" = 1 ] || fail "staging with a cycle exits $(cat "$T_TMP/cycle-stg/rc"), wanted 1"
[ "$(cat "$T_TMP/cycle-prd/rc")" = 0 ] || fail "production without the cycle exits $(cat "$T_TMP/cycle-prd/rc"), wanted 0"

# 2. production's infra-configs deleted while its apps still depends on it
t=$(copy t2 "$FX/classic-a484a05-gitrepository")
awk 'BEGIN{RS="---\n"; ORS="---\n"} !/name: infra-configs\n  namespace/' \
  "$FX/classic-a484a05-gitrepository/clusters/production/infrastructure.yaml" > "$t/clusters/production/infrastructure.yaml"
grep -q "name: infra-configs" "$t/clusters/production/infrastructure.yaml" && fail "the test could not delete infra-configs"
render "$t" clusters/production dep-prd; render "$t" clusters/staging dep-stg
expect_finding dep-prd render.dependson-missing clusters/production/apps.yaml:2
expect_none dep-stg render.dependson-missing

# 3. a GitRepository defined only under clusters/staging, referenced from production
t=$(copy t3 "$FX/classic-a484a05-gitrepository")
cat > "$t/clusters/staging/extra-source.yaml" <<'YAML'
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: extra
  namespace: flux-system
spec:
  interval: 1m
  url: https://example.com/extra.git
  ref:
    branch: main
YAML
cat > "$t/clusters/production/extra.yaml" <<'YAML'
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: extra
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./deploy
  sourceRef:
    kind: GitRepository
    name: extra
YAML
render "$t" clusters/production src-prd; render "$t" clusters/staging src-stg
expect_finding src-prd render.source-missing clusters/production/extra.yaml:1
expect_none src-stg render.source-missing

# 4. Flux 2.7 layout: apps/staging lists a missing ../base/redis (staging only)
A="$FX/head-flux2.7-artifactgenerator"
t=$(copy t4 "$A")
sed -i 's#^  - ../base/podinfo#  - ../base/podinfo\n  - ../base/redis#' "$t/apps/staging/kustomization.yaml"
render "$t" clusters/staging redis-stg; render "$t" clusters/production redis-prd
expect_finding redis-stg render.build-failed apps/staging/kustomization.yaml:5
expect_none redis-prd render.build-failed

# 5. the base lists a missing hpa.yaml: both clusters build that base, both fail there
t=$(copy t5 "$A")
sed -i 's#^  - release.yaml#  - release.yaml\n  - hpa.yaml#' "$t/apps/base/podinfo/kustomization.yaml"
render "$t" clusters/staging hpa-stg; render "$t" clusters/production hpa-prd
expect_finding hpa-stg render.build-failed apps/base/podinfo/kustomization.yaml:8
expect_finding hpa-prd render.build-failed apps/base/podinfo/kustomization.yaml:8

# 6. a change to infrastructure/controllers/cert-manager.yaml reaches both clusters through the
#    infrastructure artifact; a change to apps/staging/ reaches staging only
t=$(copy t6 "$A")
render "$t" clusters/staging base-stg; render "$t" clusters/production base-prd
sed -i 's/interval: 12h/interval: 6h/' "$t/infrastructure/controllers/cert-manager.yaml"
sed -i 's/podinfo.staging/podinfo.example.com/' "$t/apps/staging/podinfo-values.yaml"
render "$t" clusters/staging head-stg; render "$t" clusters/production head-prd
diff -r "$T_TMP/base-stg/out" "$T_TMP/head-stg/out" > "$T_TMP/d-stg"
diff -r "$T_TMP/base-prd/out" "$T_TMP/head-prd/out" > "$T_TMP/d-prd"
grep -q "HelmRelease.cert-manager.yaml" "$T_TMP/d-stg" || fail "the cert-manager change does not reach staging"
grep -q "HelmRelease.cert-manager.yaml" "$T_TMP/d-prd" || fail "the cert-manager change does not reach production"
grep -q "podinfo.example.com" "$T_TMP/d-stg" || fail "the apps/staging change does not reach staging"
grep -q "podinfo.example.com" "$T_TMP/d-prd" && fail "the apps/staging change reaches production"
[ -f "$T_TMP/head-stg/out/clusters_staging/_cluster/ClusterIssuer.letsencrypt.yaml" ] || fail "staging's objects are not written"
grep -q "acme-staging-v02" "$T_TMP/head-stg/out/clusters_staging/_cluster/ClusterIssuer.letsencrypt.yaml" ||
  fail "staging's infra-configs patch (spec.patches) is not applied"
grep -q "acme-staging-v02" "$T_TMP/head-prd/out/clusters_production/_cluster/ClusterIssuer.letsencrypt.yaml" &&
  fail "production got staging's patch"

# 7. an OCIRepository ref.semver ">=4.0.0" behind a chartRef is in the model (for version rules)
t=$(copy t7 "$A")
sed -i 's/semver: "1.x"/semver: ">=4.0.0"/' "$t/infrastructure/controllers/cert-manager.yaml"
render "$t" clusters/production semver-prd
v=$(jq -r '.clusters[].helmreleases[] | select(.name == "cert-manager") | "\(.chart_ref) \(.chart_source.kind) \(.chart) \(.version)"' "$T_TMP/semver-prd/render.json")
[ "$v" = "true OCIRepository cert-manager >=4.0.0" ] || fail "cert-manager's chartRef version is \"$v\""
finish
