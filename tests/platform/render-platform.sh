#!/usr/bin/env bash
# The platform's own trees (platci.yaml's three clusters) render with
# platci-render: the Kustomizations Flux applies per environment (golden
# tests/golden/render/platform-list.txt), postBuild substitution from each
# cluster's cluster-vars, and no finding but the information that the Helm
# charts (all on remote repositories) were not at hand.
. "$(dirname "$0")/../lib/common.sh"
need_cmd jq
command -v kubectl >/dev/null 2>&1 || command -v kustomize >/dev/null 2>&1 ||
  skip "neither kustomize nor kubectl is installed: nothing can be rendered"
R="$PLATCI_BIN/platci-render"
cd "$PLATCI_SOURCE_DIR" || exit 1
r="$T_TMP/r"

"$R" --list --no-cache > "$T_TMP/list" 2>"$T_TMP/err" || fail "--list exits $?: $(cat "$T_TMP/err")"
diff -u "$PLATCI_SOURCE_DIR/tests/golden/render/platform-list.txt" "$T_TMP/list" || fail "--list differs from the golden"

"$R" --no-cache --reports "$r" > /dev/null 2>"$T_TMP/err"; rc=$?
[ $rc = 0 ] || fail "the platform renders with exit $rc: $(cat "$T_TMP/err")"
jq -r '.findings[] | select(.rule != "render.helm-not-rendered" or .severity != "info") | "\(.rule) \(.file):\(.line) \(.message)"' \
  "$r/findings.json" > "$T_TMP/other"
[ -s "$T_TMP/other" ] && fail "findings beyond charts not at hand: $(cat "$T_TMP/other")"
for env in dev-uaenorth stg-uaenorth prd-uaenorth; do
  hr=$(grep -l "^kind: HelmRelease" -r "$r/rendered/$env" | wc -l)
  nr=$(jq --arg e "$env" '[.findings[] | select(.env == $e and .rule == "render.helm-not-rendered")] | length' "$r/findings.json")
  [ "$hr" -gt 0 ] && [ "$hr" = "$nr" ] || fail "$env: $hr HelmReleases but $nr not-rendered findings"
  jq -e --arg e "$env" '.clusters[] | select(.env == $e) | .kustomizations | all(.rendered)' "$r/render.json" >/dev/null ||
    fail "$env: a Kustomization is not rendered"
done
v="$r/rendered/prd-uaenorth/ai-serving/Deployment.vllm.yaml"
grep -q "value: qwen2.5-3b-instruct-2024-09" "$v" || fail "postBuild.substitute MODEL_VERSION is not applied in prd"
grep -rq "host: llm.prd.uaenorth.platform.example.com" "$r/rendered/prd-uaenorth" ||
  fail "substituteFrom cluster-vars (CLUSTER_DOMAIN) is not applied in prd"
grep -rl '\${' "$r/rendered" | grep -v "ConfigMap.grafana-dashboards" > "$T_TMP/left" &&
  fail "variables left unsubstituted in: $(cat "$T_TMP/left")"
grep -q "digest\|@sha256" "$v" || fail "prd pins its images by digest"
ajv=node_modules/.bin/ajv
if [ -x "$ajv" ]; then
  "$ajv" validate --spec=draft7 -s docs/render.schema.json -d "$r/render.json" >"$T_TMP/ajv" 2>&1 ||
    fail "render.json does not match docs/render.schema.json: $(cat "$T_TMP/ajv")"
else
  echo "note: ajv-cli is missing (scripts/npm-tools); render.json not checked against its schema"
fi
"$R" --no-cache --strict-render --reports "$T_TMP/strict" > /dev/null 2>&1
[ $? = 1 ] || fail "--strict-render should deny the charts not rendered"
finish
