#!/usr/bin/env bash
# platci-render on bad input: each gets a clear finding or error at
# file:line:column with the contract's exit code, never a crash or a hang.
. "$(dirname "$0")/../lib/common.sh"
need_cmd jq
command -v kubectl >/dev/null 2>&1 || command -v kustomize >/dev/null 2>&1 ||
  skip "neither kustomize nor kubectl is installed: nothing can be rendered"
R="$PLATCI_BIN/platci-render"

# tree NAME: an empty repository with a cluster folder clusters/c
tree() { rm -rf "$T_TMP/$1"; mkdir -p "$T_TMP/$1/clusters/c"; echo "$T_TMP/$1"; }
run() { # ROOT -> reports in ROOT/.r, exit code in $rc
  (cd "$1" && "$R" --path clusters/c --no-cache --reports "$1/.r" >"$1/.out" 2>&1); rc=$?
}
has() { # ROOT RULE FILE:LINE:COLUMN TEXT
  jq -e --arg r "$2" --arg w "$3" --arg t "$4" '.findings[] | select(.rule == $r and
    "\(.file):\(.line):\(.column)" == $w and (.message | contains($t)))' "$1/.r/findings.json" \
    >/dev/null || { fail "$(basename "$1"): no $2 at $3 saying \"$4\""; jq -r '.findings[] |
    "  got: \(.rule) \(.file):\(.line):\(.column) \(.message)"' "$1/.r/findings.json" >&2; }
}

# The same tree through platci-validate (environment c, cluster clusters/c): the same finding
# in findings.json with the environment set, and exit 1.
V="$PLATCI_BIN/platci-validate"
vhas() { # ROOT RULE FILE:LINE
  mkdir -p "$1/infra/c"
  printf 'version: 1\ngitops: .\ninfra: infra\nenvironments:\n  - {name: c, infra: infra/c, cluster: clusters/c}\n' > "$1/platci.yaml"
  (cd "$1" && "$V" --all --no-terraform-fmt --no-cache --reports "$1/.v" >"$1/.vout" 2>&1); local vrc=$?
  [ $vrc = 1 ] || fail "$(basename "$1"): platci-validate exits $vrc, wanted 1"
  jq -e --arg r "$2" --arg w "$3" '.findings[] | select(.rule == $r and .env == "c" and "\(.file):\(.line)" == $w)' \
    "$1/.v/findings.json" >/dev/null || { fail "$(basename "$1"): platci-validate has no $2 at $3 in c"; jq -r \
    '.findings[] | "  got: \(.rule) \(.env) \(.file):\(.line) \(.message)"' "$1/.v/findings.json" >&2; }
}

# A kustomization that includes itself.
t=$(tree self)
printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\n  - .\n' \
  > "$t/clusters/c/kustomization.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' > "$t/clusters/c/cm.yaml"
run "$t"
[ $rc = 1 ] || fail "self-including kustomization: exit $rc, wanted 1"
has "$t" render.build-failed clusters/c/kustomization.yaml:5:5 "includes a folder that includes it"
vhas "$t" kustomize.cycle clusters/c/kustomization.yaml:5 # said once: the resolver saw it first

# A symbolic link out of the repository, as a Kustomization's path and as a file a build reads.
t=$(tree link)
mkdir -p "$T_TMP/outside" && printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside\n' > "$T_TMP/outside/cm.yaml"
ln -s "$T_TMP/outside" "$t/escape"
mkdir -p "$t/apps" && ln -s "$T_TMP/outside/cm.yaml" "$t/apps/cm.yaml"
cat > "$t/clusters/c/ks.yaml" <<'YAML'
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: escape
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./escape
  sourceRef:
    kind: GitRepository
    name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./apps
  sourceRef:
    kind: GitRepository
    name: flux-system
YAML
run "$t"
[ $rc = 1 ] || fail "symlinks out of the repository: exit $rc, wanted 1"
has "$t" render.path-escapes clusters/c/ks.yaml:1:1 "leaves the repository through a symbolic link"
has "$t" render.escapes-repo clusters/c/ks.yaml:14:1 "outside the repository"
vhas "$t" render.path-escapes clusters/c/ks.yaml:1
[ -e "$t/.r/rendered/clusters_c/_cluster" ] || true
ls "$t/.r/rendered/clusters_c/default" 2>/dev/null | grep -q outside && fail "an object from outside the repository was rendered"

# An ExternalArtifact with no generator: the object alone (warn) and a Kustomization on it (deny).
t=$(tree ea)
cat > "$t/clusters/c/ea.yaml" <<'YAML'
apiVersion: source.toolkit.fluxcd.io/v1
kind: ExternalArtifact
metadata:
  name: orphan
  namespace: flux-system
spec:
  sourceRef:
    apiVersion: example.com/v1
    kind: Builder
    name: b
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./
  sourceRef:
    kind: ExternalArtifact
    name: orphan
YAML
run "$t"
[ $rc = 1 ] || fail "ExternalArtifact without a generator: exit $rc, wanted 1"
has "$t" render.externalartifact-no-generator clusters/c/ea.yaml:1:1 "no ArtifactGenerator"
has "$t" render.externalartifact-no-generator clusters/c/ea.yaml:12:1 "so Flux never builds it"
vhas "$t" render.externalartifact-no-generator clusters/c/ea.yaml:12

# 10,000 Kustomizations in one folder without a kustomization.yaml: Flux's generated
# kustomization would list them all, which kustomize cannot build in reasonable time
# (its time grows with the square of the objects): a finding at the folder, at once.
t=$(tree many)
mkdir -p "$t/empty" && printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n' > "$t/empty/kustomization.yaml"
for i in $(seq 1 10000); do
  printf 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: k%05d\n  namespace: flux-system\nspec:\n  interval: 1h\n  prune: true\n  path: ./empty\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n' "$i" > "$t/clusters/c/k$i.yaml"
done
run "$t"
[ $rc = 1 ] || fail "10,000 Kustomizations: exit $rc, wanted 1"
has "$t" render.build-failed clusters/c:0:0 "holds 10000 objects"
vhas "$t" render.build-failed clusters/c:0
# Below that limit, the number of Flux Kustomizations a cluster may have is capped too.
find "$t/clusters/c" -name 'k*.yaml' | awk -F/ '{ n = substr($NF, 2) + 0; if (n > 100) print }' | xargs rm -f
(cd "$t" && "$R" --path clusters/c --no-cache --max-kustomizations 50 --reports "$t/.r" >/dev/null 2>&1); rc=$?
[ $rc = 1 ] || fail "more Kustomizations than --max-kustomizations: exit $rc, wanted 1"
n=$(jq '[.findings[] | select(.rule == "render.too-many-kustomizations")] | length' "$t/.r/findings.json")
[ "$n" = 1 ] || fail "too many Kustomizations: $n findings, wanted 1"
jq -e '.clusters[0].kustomizations | length == 50' "$t/.r/render.json" >/dev/null ||
  fail "the model does not stop at --max-kustomizations"

# Usage and missing input.
expect_exit 64 -- "$R" --jobs 0 --path x
expect_exit 64 -- "$R" --sources nodir --path x
expect_exit 64 -- "$R" --bogus
(cd "$T_TMP" && "$R" --path does/not/exist --no-cache --reports "$T_TMP/r0" >/dev/null 2>"$T_TMP/e0"); rc=$?
[ $rc = 66 ] || fail "a missing cluster folder: exit $rc, wanted 66"
grep -q "cluster folder not found" "$T_TMP/e0" || fail "a missing cluster folder is not named: $(cat "$T_TMP/e0")"
(cd "$T_TMP" && "$R" --path ../.. --no-cache --reports "$T_TMP/r1" >/dev/null 2>"$T_TMP/e1"); rc=$?
[ $rc = 65 ] || [ $rc = 66 ] || fail "a cluster folder outside the repository: exit $rc"
finish
