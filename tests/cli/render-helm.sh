#!/usr/bin/env bash
# HelmReleases rendered with helm template, offline: a chart made with
# `helm create` in this repository (through the flux-system GitRepository),
# the same chart packaged in --chart-cache (through a HelmRepository),
# values from spec.values and valuesFrom (ConfigMap, Secret with targetPath)
# in helm-controller's order; the not-rendered findings when the chart or
# helm is missing; Secret values masked in every output.
. "$(dirname "$0")/../lib/common.sh"
need_cmd jq
need_cmd helm
command -v kubectl >/dev/null 2>&1 || command -v kustomize >/dev/null 2>&1 ||
  skip "neither kustomize nor kubectl is installed: nothing can be rendered"
R="$PLATCI_BIN/platci-render"
t="$T_TMP/repo"
mkdir -p "$t/charts" "$t/clusters/c" "$t/cache"
(cd "$t/charts" && helm create mychart >/dev/null) || fail "helm create failed"
(cd "$t" && helm package charts/mychart -d cache >/dev/null) || fail "helm package failed"
cat > "$t/clusters/c/apps.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: apps
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-values
  namespace: apps
data:
  values.yaml: |
    replicaCount: 2
    image:
      tag: "9.9.9"
---
apiVersion: v1
kind: Secret
metadata:
  name: web-secret
  namespace: apps
type: Opaque
data:
  port: ODQ0Mw==
stringData:
  token: hunter2-plaintext
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/mychart
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  valuesFrom:
    - kind: ConfigMap
      name: web-values
    - kind: Secret
      name: web-secret
      valuesKey: port
      targetPath: service.port
  values:
    replicaCount: 3
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: remote
  namespace: apps
spec:
  interval: 1h
  url: https://charts.example.com
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cached
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: mychart
      version: 0.1.0
      sourceRef:
        kind: HelmRepository
        name: remote
YAML
out="$t/.r/rendered/clusters_c"
(cd "$t" && "$R" --path clusters/c --no-cache --reports "$t/.r" --chart-cache cache >"$t/.out" 2>&1); rc=$?
[ $rc = 0 ] || { fail "render with charts at hand: exit $rc"; cat "$t/.out" >&2; }
jq -e '.clusters[0].helmreleases | map(select(.rendered)) | length == 2' "$t/.r/render.json" >/dev/null ||
  fail "both HelmReleases should be rendered: $(jq -c '.clusters[0].helmreleases' "$t/.r/render.json")"
d="$out/apps/Deployment.web-mychart.yaml"
[ -f "$d" ] || fail "the chart's Deployment is not written: $(ls -R "$out" | head -20)"
grep -q "replicas: 3" "$d" || fail "spec.values does not win over valuesFrom (replicas)"
grep -q "image: \"nginx:9.9.9\"" "$d" || fail "valuesFrom ConfigMap values are not applied (image tag)"
grep -q "port: 8443" "$out/apps/Service.web-mychart.yaml" || fail "valuesFrom targetPath (Secret, base64) is not applied"
[ -f "$out/apps/Deployment.cached-mychart.yaml" ] || fail "the --chart-cache chart is not rendered"
grep -q "hunter2-plaintext\|ODQ0Mw==" -r "$t/.r" "$t/.out" && fail "a Secret value reached a report or output"
grep -q '"\*\*\*"' "$out/apps/Secret.web-secret.yaml" || fail "the Secret is not masked"
grep -q "HelmRelease.web.yaml" <(ls "$out/apps") || fail "the HelmRelease object itself is not written"

# Without the cache: the HelmRepository chart is not rendered, said so (info; deny when strict).
(cd "$t" && "$R" --path clusters/c --no-cache --reports "$t/.r2" >/dev/null 2>&1); rc=$?
[ $rc = 0 ] || fail "a chart not at hand is only information: exit $rc"
jq -e '.findings[] | select(.rule == "render.helm-not-rendered" and .severity == "info" and
  (.message | contains("--chart-cache")) and .file == "clusters/c/apps.yaml" and .line == 61)' \
  "$t/.r2/findings.json" >/dev/null || fail "no helm-not-rendered finding at clusters/c/apps.yaml:61"
(cd "$t" && "$R" --path clusters/c --no-cache --strict-render --reports "$t/.r3" >/dev/null 2>&1); rc=$?
[ $rc = 1 ] || fail "--strict-render: a chart not at hand exits $rc, wanted 1"

# helm absent from PATH: every HelmRelease says so, the kustomize side still renders.
mkdir -p "$T_TMP/bin"
for tool in kubectl kustomize; do p=$(command -v $tool) && ln -sf "$p" "$T_TMP/bin/$tool"; done
(cd "$t" && PATH="$T_TMP/bin" "$R" --path clusters/c --no-cache --reports "$t/.r4" --chart-cache cache >/dev/null 2>&1); rc=$?
[ $rc = 0 ] || fail "render without helm: exit $rc"
jq -e '[.findings[] | select(.rule == "render.helm-not-rendered" and (.message | contains("helm is not on PATH")))] | length == 2' \
  "$t/.r4/findings.json" >/dev/null || fail "without helm, each HelmRelease should say helm is not on PATH"
jq -e '.helm.path == null and .clusters[0].objects > 0' "$t/.r4/render.json" >/dev/null ||
  fail "render.json should record helm as absent and still hold the kustomize objects"
finish
