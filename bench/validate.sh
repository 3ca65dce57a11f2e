#!/usr/bin/env bash
# Side by side on a generated tree of 20,000 manifests in 4,000 files:
#   yaml_floor      bare libyaml event loop (the floor)
#   doc_load        platci's document model alone (the foundation figure)
#   platci-validate --all with every check and the shipped policy (1 thread, then default)
#   yamllint        on a subset, extrapolated (it is ~200x slower)
# usage: bench/validate.sh [BUILD_DIR]   (default build/). Keeps runs short.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$SRC/build}
BIN=$B/bin
for t in yaml_floor doc_load platci-validate; do
  [ -x "$BIN/$t" ] || { echo "missing $BIN/$t: build first (cmake --build build -j2)"; exit 69; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/platci-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
python3 "$SRC/bench/gen-manifests.py" "$W/repo" --policy "$SRC/policies/manifests.yaml" || exit 70
(cd "$W/repo" && git init -q . 2>/dev/null)

# best of 3 wall-clock seconds
best() {
  local best=999999 t s e
  for _ in 1 2 3; do
    s=$(date +%s.%N); "$@" >"$W/out" 2>"$W/err"; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l); if (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  printf '%.3f' "$best"
}
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

cat "$W/repo/gitops/apps/base"/*/*.yaml >/dev/null   # warm the page cache
floor=$(best "$BIN/yaml_floor" "$W/repo/gitops"); head -1 "$W/out"
load=$(best "$BIN/doc_load" "$W/repo/gitops"); head -1 "$W/out"
v1=$(best "$BIN/platci-validate" --config "$W/repo/platci.yaml" --all --threads 1 --no-terraform-fmt --reports "$W/r1" --quiet)
v=$(best "$BIN/platci-validate" --config "$W/repo/platci.yaml" --all --no-terraform-fmt --reports "$W/r" --quiet)
tail -1 "$W/err"
echo
printf '%-44s %8s s  %6sx\n' "bare libyaml event loop (floor)" "$floor" "1.00"
printf '%-44s %8s s  %6sx\n' "doc model load alone (1 thread)" "$load" "$(ratio "$load" "$floor")"
printf '%-44s %8s s  %6sx\n' "platci-validate --all (1 thread)" "$v1" "$(ratio "$v1" "$floor")"
printf '%-44s %8s s  %6sx\n' "platci-validate --all ($(nproc) cores)" "$v" "$(ratio "$v" "$floor")"
if command -v yamllint >/dev/null 2>&1; then
  N=200
  mkdir -p "$W/sub" && ls "$W/repo/gitops/apps/base"/*/*.yaml | head -$N | xargs -I{} cp {} "$W/sub/"
  s=$(date +%s.%N); timeout 120 yamllint -d relaxed "$W/sub" >/dev/null 2>&1; e=$(date +%s.%N)
  y=$(echo "($e - $s) * 4000 / $N" | bc -l)
  printf '%-44s %8.1f s  %6sx   (measured on %d files, extrapolated)\n' "yamllint -d relaxed" "$y" "$(ratio "$y" "$floor")" $N
else
  echo "yamllint: not installed, skipped"
fi
echo "target: platci-validate within 1.60x of the floor"
