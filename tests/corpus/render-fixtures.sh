#!/usr/bin/env bash
# platci-render over the real Flux trees in ../shared/fixtures/gitops/: for
# each cluster, the Kustomizations (path, source, dependsOn), HelmReleases
# (chart, version, source) and findings must be what Flux itself would
# apply. The expected lists are tests/golden/render/<case>.txt; each says
# how it was worked out from the tree and Flux's documentation (they were
# checked by hand, not copied from the tool). flux-local's own expected
# outputs are cited there where they exist.
. "$(dirname "$0")/../lib/common.sh"
need_fixtures gitops
need_cmd jq
command -v kubectl >/dev/null 2>&1 || command -v kustomize >/dev/null 2>&1 ||
  skip "neither kustomize nor kubectl is installed: nothing can be rendered"
R="$PLATCI_BIN/platci-render"
G="$PLATCI_SOURCE_DIR/tests/golden/render"
FX="$PLATCI_FIXTURES/gitops"
AJV="$PLATCI_SOURCE_DIR/node_modules/.bin/ajv"
[ -x "$AJV" ] || echo "note: ajv-cli is missing (scripts/npm-tools); render.json not checked against its schema"

# summary ROOT CLUSTER [platci-render args...]: the model in the golden's terms
summary() {
  local root=$1 path=$2; shift 2
  (cd "$root" && "$R" --path "$path" --no-cache --reports "$T_TMP/r" -q "$@" >/dev/null 2>"$T_TMP/err")
  local rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then echo "exit $rc"; cat "$T_TMP/err"; return; fi
  if [ -x "$AJV" ] && ! "$AJV" validate --spec=draft7 -s "$PLATCI_SOURCE_DIR/docs/render.schema.json" \
      -d "$T_TMP/r/render.json" >"$T_TMP/ajv" 2>&1; then
    echo "render.json does not match docs/render.schema.json"; cat "$T_TMP/ajv"
  fi
  jq -r '.clusters[] |
    (.kustomizations[] | "ks \(.namespace)/\(.name) path=\(.repo_path // "-") source=\(.source.kind)/\(.source.namespace)/\(.source.name) deps=\([.depends_on[] | "\(.namespace)/\(.name)"] | join(",") | if . == "" then "-" else . end) rendered=\(.rendered)"),
    (.helmreleases[] | "hr \(.namespace)/\(.name) chart=\(.chart) version=\(.version) source=\(.chart_source.kind)/\(.chart_source.namespace)/\(.chart_source.name) rendered=\(.rendered)"),
    (.findings[] | "finding \(.rule_id) \(.enforcement) \(.file // "-"):\(.line)")' "$T_TMP/r/render.json"
  echo "exit $rc"
}

# check CASE ROOT CLUSTER [args...]
check() {
  local case=$1; shift
  summary "$@" > "$T_TMP/$case.got"
  grep -v '^#' "$G/$case.txt" | sed '/^$/d' > "$T_TMP/$case.want"
  if diff -u "$T_TMP/$case.want" "$T_TMP/$case.got" > "$T_TMP/$case.diff"; then
    pass "$case"
  else
    fail "$case differs from tests/golden/render/$case.txt"; sed 's/^/  | /' "$T_TMP/$case.diff" >&2
  fi
}

K=flux2-kustomize-helm-example
check classic-staging "$FX/$K/classic-a484a05-gitrepository" clusters/staging
check classic-production "$FX/$K/classic-a484a05-gitrepository" clusters/production
check artifactgenerator-staging "$FX/$K/head-flux2.7-artifactgenerator" clusters/staging
check artifactgenerator-production "$FX/$K/head-flux2.7-artifactgenerator" clusters/production
check multi-tenancy-staging "$FX/flux2-multi-tenancy/main" clusters/staging
check multi-tenancy-production "$FX/flux2-multi-tenancy/main" clusters/production
check multi-tenancy-staging-dev-team "$FX/flux2-multi-tenancy/main" clusters/staging \
  --sources apps/dev-team="$FX/flux2-multi-tenancy/dev-team-branch"
FL="$FX/flux-local-testdata"
for c in cluster/clusters/prod cluster3/clusters/cluster3 cluster5/clusters/prod \
         cluster6/cluster cluster7/clusters/home cluster8/cluster cluster9/clusters/dev \
         cluster10/clusters/dev cluster11/cluster cluster12/cluster image_error/cluster; do
  case $c in cluster9/*|cluster12/*)
    # their HelmReleases use charts in the tree: the expected list says rendered=true
    command -v helm >/dev/null 2>&1 || { echo "note: helm is missing; ${c%%/*} not checked"; continue; } ;;
  esac
  check "flux-local-${c%%/*}" "$FL" "tests/testdata/$c"
done
# cluster2 and cluster4 keep their manifests in a GitRepository named
# home-ops-kubernetes: mapped to this tree with --sources, as flux-local does.
for c in cluster2 cluster4; do
  check "flux-local-$c" "$FL" "tests/testdata/$c/flux" --sources home-ops-kubernetes=.
done
finish
