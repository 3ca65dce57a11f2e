#!/usr/bin/env bash
# platci-validate judges what each cluster applies (issue 14 item 4): the
# defects issue 14 lists under "Why", planted in temporary copies of
# flux2-kustomize-helm-example (../shared/fixtures/gitops/), are reported by
# platci-validate in the environment that has them and in no other. The
# expected places come from Flux's rules (docs/render.md, "How a cluster is
# built"): names resolve per cluster; the Flux 2.7 layout builds apps/staging
# inside the `apps` ExternalArtifact, where ../base/redis is missing exactly
# as `kubectl kustomize apps/staging` says; a chartRef deploys its
# OCIRepository's ref. With a merge base, an environment counts as affected
# when its rendered objects change (the cert-manager change reaches both
# clusters through the infrastructure artifact), and the rendered diff
# names the changed object and never shows a Secret value.
. "$(dirname "$0")/../lib/common.sh"
need_fixtures gitops
need_cmd jq
need_cmd git
command -v kubectl >/dev/null 2>&1 || command -v kustomize >/dev/null 2>&1 ||
  skip "neither kustomize nor kubectl is installed: nothing can be rendered"
V="$PLATCI_BIN/platci-validate"
FX="$PLATCI_FIXTURES/gitops/flux2-kustomize-helm-example"

# copy NAME FIXTURE: a tree with a platci.yaml of two environments, production protected
copy() {
  local t="$T_TMP/$1"; rm -rf "$t"; mkdir -p "$t/infra/envs/stg" "$t/infra/envs/prd"; cp -r "$2/." "$t/"
  touch "$t/infra/envs/stg/.keep" "$t/infra/envs/prd/.keep" # so git keeps them for the merge base
  cat > "$t/platci.yaml" <<'YAML'
version: 1
gitops: .
infra: infra
environments:
  - {name: stg, infra: infra/envs/stg, cluster: clusters/staging}
  - {name: prd, infra: infra/envs/prd, cluster: clusters/production, protected: true}
YAML
  echo "$t"
}
# validate TREE NAME [ARGS...]: reports in $T_TMP/NAME.r
validate() {
  local t=$1 n=$2; shift 2
  (cd "$t" && "$V" --no-terraform-fmt --no-cache --reports "$T_TMP/$n.r" -q "$@" >"$T_TMP/$n.out" 2>&1)
  echo $? > "$T_TMP/$n.rc"
}
# findings NAME RULE: "env file:line" of each finding with that rule
findings() { jq -r --arg r "$2" '.findings[] | select(.rule == $r) | "\(.env) \(.file):\(.line)"' "$T_TMP/$1.r/findings.json"; }
expect() { # NAME RULE "ENV FILE:LINE"
  findings "$1" "$2" | grep -qxF "$3" || { fail "$1: no $2 at $3"; findings "$1" "$2" | sed 's/^/  got: /' >&2; }
}
expect_only_env() { # NAME RULE ENV: the rule is reported, and only in ENV
  [ -n "$(findings "$1" "$2")" ] || fail "$1: no $2 at all"
  findings "$1" "$2" | grep -v "^$3 " && fail "$1: $2 reported outside $3"
}
rc() { cat "$T_TMP/$1.rc"; }

# 0. the fixture as published: its only denies are its chart version ranges (podinfo ">=1.0.0",
#    cert-manager "1.x", ingress-nginx with none, so Flux's "*"), in protected production only
t=$(copy t0 "$FX/classic-a484a05-gitrepository"); validate "$t" clean --all
jq -r '.findings[] | select(.enforcement == "deny") | "\(.env) \(.rule) \(.file)"' "$T_TMP/clean.r/findings.json" | sort > "$T_TMP/clean.deny"
printf '%s\n' "prd flux.helm-version-range apps/base/podinfo/release.yaml" \
  "prd flux.helm-version-range infrastructure/controllers/cert-manager.yaml" \
  "prd flux.helm-version-range infrastructure/controllers/ingress-nginx.yaml" | diff -u - "$T_TMP/clean.deny" ||
  fail "the unchanged fixture's denies differ"
jq -e '[.findings[] | select(.rule == "render.source-only")] | length == 0' "$T_TMP/clean.r/findings.json" >/dev/null ||
  fail "kustomize is here, yet validate says it judged the sources"

# 1. a dependsOn cycle planted only in clusters/staging
t=$(copy t1 "$FX/classic-a484a05-gitrepository")
sed -i '/name: infra-controllers/,/^spec:/{s/^spec:/spec:\n  dependsOn:\n    - name: apps/}' "$t/clusters/staging/infrastructure.yaml"
validate "$t" cycle --all
expect_only_env cycle render.dependson-cycle stg
[ -z "$(findings cycle flux.dependson-cycle)" ] || fail "the source-level cycle check (names across clusters) still reports"
[ "$(rc cycle)" = 1 ] || fail "the cycle exits $(rc cycle), wanted 1"

# 2. production's infra-configs deleted while its apps still depends on it
t=$(copy t2 "$FX/classic-a484a05-gitrepository")
awk 'BEGIN{RS="---\n"; ORS="---\n"} !/name: infra-configs\n  namespace/' \
  "$FX/classic-a484a05-gitrepository/clusters/production/infrastructure.yaml" > "$t/clusters/production/infrastructure.yaml"
validate "$t" dep --all
expect dep render.dependson-missing "prd clusters/production/apps.yaml:2"
expect_only_env dep render.dependson-missing prd

# 3. a GitRepository defined only under clusters/staging, used by production
t=$(copy t3 "$FX/classic-a484a05-gitrepository")
printf 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: extra\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://example.com/extra.git\n  ref:\n    branch: main\n' \
  > "$t/clusters/staging/extra-source.yaml"
printf 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: extra\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./deploy\n  sourceRef:\n    kind: GitRepository\n    name: extra\n' \
  > "$t/clusters/production/extra.yaml"
validate "$t" src --all
expect src render.source-missing "prd clusters/production/extra.yaml:1"
expect_only_env src render.source-missing prd
[ -z "$(findings src flux.source-undefined)" ] || true # defined in the repository: the source check says nothing

# 4. Flux 2.7 layout: apps/staging lists a missing ../base/redis (staging only)
A="$FX/head-flux2.7-artifactgenerator"
t=$(copy t4 "$A")
sed -i 's#^  - ../base/podinfo#  - ../base/podinfo\n  - ../base/redis#' "$t/apps/staging/kustomization.yaml"
validate "$t" redis --all
expect redis render.build-failed "stg apps/staging/kustomization.yaml:5"
expect_only_env redis render.build-failed stg
[ "$(rc redis)" = 1 ] || fail "the missing ../base/redis exits $(rc redis), wanted 1"

# 5. the base lists a missing hpa.yaml: both clusters build it, both fail there
t=$(copy t5 "$A")
sed -i 's#^  - release.yaml#  - release.yaml\n  - hpa.yaml#' "$t/apps/base/podinfo/kustomization.yaml"
validate "$t" hpa --all
expect hpa render.build-failed "stg apps/base/podinfo/kustomization.yaml:8"
expect hpa render.build-failed "prd apps/base/podinfo/kustomization.yaml:8"

# 6. an OCIRepository ref.semver ">=4.0.0" behind a chartRef, in protected production only
t=$(copy t6 "$A")
sed -i 's/semver: "1.x"/semver: ">=4.0.0"/' "$t/infrastructure/controllers/cert-manager.yaml"
validate "$t" semver --all
expect_only_env semver flux.helm-version-range prd
findings semver flux.helm-version-range | grep -q "^prd infrastructure/controllers/cert-manager.yaml:" ||
  fail "the range is not cited at the OCIRepository in infrastructure/controllers/cert-manager.yaml"

# 7. affected by rendered output: a change to infrastructure/controllers/cert-manager.yaml
#    reaches both clusters (through the infrastructure artifact), one to apps/staging only staging
t=$(copy t7 "$A")
(cd "$t" && git init -q -b main && git add -A && git -c user.email=t@e -c user.name=t commit -qm base) || fail "git"
(cd "$t" && git checkout -q -b cm && sed -i 's/interval: 12h/interval: 6h/' infrastructure/controllers/cert-manager.yaml &&
  git -c user.email=t@e -c user.name=t commit -qam cm) || fail "git"
validate "$t" cm --base main
jq -e '[.environments[] | select(.affected)] | length == 2' "$T_TMP/cm.r/affected.json" >/dev/null ||
  fail "the cert-manager change affects $(jq '[.environments[] | select(.affected)] | length' "$T_TMP/cm.r/affected.json") of 2 environments"
grep -q "^# environment stg" "$T_TMP/cm.r/rendered.diff" && grep -q "^# environment prd" "$T_TMP/cm.r/rendered.diff" ||
  fail "rendered.diff lacks a section per environment"
grep -q "^+++ b/cert-manager/HelmRelease.cert-manager.yaml" "$T_TMP/cm.r/rendered.diff" || fail "rendered.diff does not name the HelmRelease"
grep -q "^+  interval: 6h" "$T_TMP/cm.r/rendered.diff" || fail "rendered.diff does not show the change"
grep -q "Rendered changes per environment" "$T_TMP/cm.r/summary.md" || fail "summary.md has no rendered diff section"
(cd "$t" && git checkout -q main && git checkout -q -b stg && sed -i 's/podinfo.staging/podinfo.example.com/' apps/staging/podinfo-values.yaml &&
  printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: podinfo\nstringData:\n  password: hunter2\n' > apps/staging/s.yaml &&
  sed -i 's#^  - ../base/podinfo#  - ../base/podinfo\n  - s.yaml#' apps/staging/kustomization.yaml &&
  git add -A && git -c user.email=t@e -c user.name=t commit -qm stg) || fail "git"
validate "$t" stgonly --base main
jq -r '.environments[] | select(.affected) | .name' "$T_TMP/stgonly.r/affected.json" | grep -qx prd &&
  fail "an apps/staging change affects production"
grep -q "podinfo.example.com" "$T_TMP/stgonly.r/rendered.diff" || fail "the staging change is not in rendered.diff"
grep -q "^# environment prd" "$T_TMP/stgonly.r/rendered.diff" && fail "production has a rendered diff"
grep -rq hunter2 "$T_TMP/stgonly.r" && fail "a Secret value reached the reports"
grep -q '^+  password: "\*\*\*"' "$T_TMP/stgonly.r/rendered.diff" || fail "the Secret's value is not shown masked"

# 8. without kustomize on PATH validate judges the sources and says so
t=$(copy t8 "$FX/classic-a484a05-gitrepository")
(cd "$t" && PATH=/usr/bin/nonexistent:/bin-not-here "$V" --all --no-terraform-fmt --no-cache --reports "$T_TMP/none.r" -q >/dev/null 2>&1)
jq -e '[.findings[] | select(.rule == "render.source-only" and .severity == "info")] | length == 1' "$T_TMP/none.r/findings.json" >/dev/null ||
  fail "no render.source-only finding without kustomize"
finish
