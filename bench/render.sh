#!/usr/bin/env bash
# platci-render against its floor, `kubectl kustomize` run once per Kustomization
# path one after another, on (a) this repository's three clusters and (b) a
# generated tree of 200 Kustomizations (bench/gen-render.py). platci-render is
# timed cold (empty cache) and again with nothing changed (warm cache).
# Median of 5 runs (PLATCI_BENCH_RUNS), wall seconds; the machine has $(nproc) cores.
# Targets (issue 14): cold <= 0.7x the floor, warm <= 0.2x.
# PLATCI_BENCH_RUNNER=validate times `platci-validate --all` instead (every
# check, each cluster rendered and judged as rendered; the generated tree
# gets a platci.yaml with one environment on clusters/c).
# usage: bench/render.sh [BUILD_DIR]
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$SRC/build}
RUNNER=${PLATCI_BENCH_RUNNER:-render}
R=$B/bin/platci-$RUNNER
L=$B/bin/platci-render
RUNS=${PLATCI_BENCH_RUNS:-5}
[ -x "$R" ] || { echo "missing $R: build first"; exit 69; }
[ -d "$SRC/.tools/bin" ] && PATH="$SRC/.tools/bin:$PATH"
command -v kubectl >/dev/null 2>&1 || { echo "kubectl not installed (scripts/npm-tools): skipped"; exit 0; }
W=$(mktemp -d "${TMPDIR:-/tmp}/platci-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
python3 "$SRC/bench/gen-render.py" "$W/gen" 200 || exit 70
mkdir -p "$W/gen/infra/c" && printf 'version: 1\ngitops: .\ninfra: infra\nenvironments:\n  - {name: c, infra: infra/c, cluster: clusters/c}\n' > "$W/gen/platci.yaml"

range() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {print lo "-" hi}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall() { /usr/bin/time -f '%e' -o "$W/t" "$@" >/dev/null 2>"$W/err"; tail -1 "$W/t"; }
# floor ROOT PATH...: kubectl kustomize once per path, sequentially
FLOOR='cd "$0" && for p in "$@"; do kubectl kustomize "$p" >/dev/null || exit 1; done'


bench_tree() { # LABEL ROOT RENDER-ARGS... -- FLOOR-PATHS...
  local label=$1 root=$2; shift 2
  local args=() paths=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done; shift; paths=("$@")
  local f=() c=() w=()
  for _ in $(seq "$RUNS"); do
    f+=("$(wall bash -c "$FLOOR" "$root" "${paths[@]}")")
    rm -rf "$W/cache"
    c+=("$(cd "$root" && wall "$R" "${args[@]}" --cache-dir "$W/cache" --reports "$W/r" -q)")
    w+=("$(cd "$root" && wall "$R" "${args[@]}" --cache-dir "$W/cache" --reports "$W/r" -q)")
  done
  local fm cm wm
  fm=$(printf '%s\n' "${f[@]}" | median); cm=$(printf '%s\n' "${c[@]}" | median); wm=$(printf '%s\n' "${w[@]}" | median)
  printf '%-34s %6d %9.2f %9.2f %6.2fx %9.2f %6.2fx\n' "$label" "${#paths[@]}" "$fm" "$cm" \
    "$(echo "$cm / $fm" | bc -l)" "$wm" "$(echo "$wm / $fm" | bc -l)"
  printf '%-34s        min-max: floor %s, cold %s, warm %s\n' "" "$(range "${f[@]}")" "$(range "${c[@]}")" "$(range "${w[@]}")"
}

echo "platci-$RUNNER; kubectl $(kubectl version --client 2>/dev/null | tr '\n' ' '); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); median of $RUNS"
printf '%-34s %6s %9s %9s %7s %9s %7s\n' "tree" "paths" "floor s" "cold s" "x" "warm s" "x"
# PLATCI_BENCH_ONLY=own|generated runs one tree
if [ "${PLATCI_BENCH_ONLY:-own}" = own ] || [ -z "${PLATCI_BENCH_ONLY:-}" ]; then
  mapfile -t own < <(cd "$SRC" && "$L" --list --no-cache 2>/dev/null | awk 'NR > 1 {print $4}')
  if [ "$RUNNER" = validate ]; then
    bench_tree "this repository (3 clusters)" "$SRC" --all --no-terraform-fmt -- "${own[@]}"
  else
    bench_tree "this repository (3 clusters)" "$SRC" --jobs 2 -- "${own[@]}"
  fi
fi
[ "${PLATCI_BENCH_ONLY:-generated}" = generated ] || exit 0
mapfile -t gen < <(cd "$W/gen" && "$L" --path clusters/c --list --no-cache 2>/dev/null | awk 'NR > 1 {print $3}')
if [ "$RUNNER" = validate ]; then
  bench_tree "generated: 200 Kustomizations" "$W/gen" --all --no-terraform-fmt -- "${gen[@]}"
else
  bench_tree "generated: 200 Kustomizations" "$W/gen" --path clusters/c --jobs 2 -- "${gen[@]}"
fi
