#!/usr/bin/env bash
# Schema validation at scale: every object of the generated 20,000-manifest tree
# (bench/gen-manifests.py: 4,000 files, 5 documents each) checked against
# Kubernetes 1.31's OpenAPI document (../shared/fixtures/k8s-openapi), side by side
# with the bare libyaml event loop over the same files (yaml_floor, the floor).
# platci-schemas check loads and compiles the 3.3 MB OpenAPI document, parses every
# file into the document model and validates every object: that whole run is timed.
# Median of 5 runs, wall and CPU (user + sys); the machine is shared, so CPU time is
# the steadier figure. PLATCI_BENCH_INSTR=1 adds callgrind instruction counts.
# Then platci-validate --all, every check plus the schema checks (each of the three
# environments on Kubernetes 1.31; the base reached by all three), against the same
# floor: median, min and max of 5 runs. Target 2.5x the floor's wall time.
# kubeconform runs alongside when it is on PATH; it cannot be built offline here.
# usage: bench/schema.sh [BUILD_DIR]   (default build/)
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-${PLATCI_BUILD_DIR:-$SRC/build}}
BIN=$B/bin
FIX=${PLATCI_FIXTURES:-$SRC/../shared/fixtures}
for t in yaml_floor platci-schemas; do
  [ -x "$BIN/$t" ] || { echo "missing $BIN/$t: build first (cmake --build build -j2)"; exit 69; }
done
[ -f "$FIX/k8s-openapi/swagger-release-1.31.json" ] ||
  { echo "schema bench: $FIX/k8s-openapi not found: skipped"; exit 0; }
W=$(mktemp -d "${TMPDIR:-/tmp}/platci-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
python3 "$SRC/bench/gen-manifests.py" "$W/repo" --policy "$SRC/policies/manifests.yaml" >/dev/null || exit 70
mkdir -p "$W/schemas/1.31"
ln -s "$FIX/k8s-openapi/swagger-release-1.31.json" "$W/schemas/1.31/openapi-v2.json"
CRDS=()
[ -d "$FIX/flux-crds" ] && CRDS=(--crds "$FIX/flux-crds")

# median of 5: "wall cpu" seconds; the five wall times are kept in $W/walls
median5() {
  local ws=() cs=() w u s
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%e %U %S' -o "$W/time" "$@" >"$W/out" 2>"$W/err"
    read -r w u s <<< "$(tail -1 "$W/time")"
    ws+=("$w"); cs+=("$(echo "$u + $s" | bc -l)")
  done
  printf '%s\n' "${ws[@]}" | sort -g > "$W/walls"
  printf '%s %s' "$(sed -n 3p "$W/walls")" \
    "$(printf '%s\n' "${cs[@]}" | sort -g | sed -n 3p)"
}
minmax() { printf '%s..%s' "$(sed -n 1p "$W/walls")" "$(sed -n 5p "$W/walls")"; }
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

cat "$W/repo/gitops/apps/base"/*/*.yaml >/dev/null   # warm the page cache
read -r fw fc <<< "$(median5 "$BIN/yaml_floor" "$W/repo/gitops")"; head -1 "$W/out"; fm=$(minmax)
read -r vw vc <<< "$(median5 "$BIN/platci-schemas" check --schemas "$W/schemas" --k8s-version 1.31 "${CRDS[@]}" "$W/repo/gitops")"
grep "objects in" "$W/err"
read -r sw sc <<< "$(median5 "$BIN/platci-schemas" check --strict --schemas "$W/schemas" --k8s-version 1.31 "${CRDS[@]}" "$W/repo/gitops")"
grep "objects in" "$W/err"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo
printf '%-52s %8s %8s %8s %8s\n' "" "wall s" "x floor" "cpu s" "x floor"
row() { printf '%-52s %8s %8s %8s %8s\n' "$1" "$2" "$(ratio "$2" "$fw")" "$3" "$(ratio "$3" "$fc")"; }
row "bare libyaml event loop (floor)" "$fw" "$fc"
row "platci-schemas check, Kubernetes 1.31 (+ Flux CRDs)" "$vw" "$vc"
row "platci-schemas check --strict" "$sw" "$sc"

# platci-validate --all: every check, then with the schema checks for every environment
sed -i 's|^  - {name: \(.*\)}$|  - {name: \1, kubernetes_version: "1.31"}|' "$W/repo/platci.yaml"
(cd "$W/repo" && git init -q . 2>/dev/null)
[ -d "$FIX/flux-crds" ] && cp -r "$FIX/flux-crds" "$W/schemas/crds"
V=(--config "$W/repo/platci.yaml" --all --no-terraform-fmt --reports "$W/vr" --quiet)
read -r aw ac <<< "$(median5 "$BIN/platci-validate" "${V[@]}")"; am=$(minmax)
read -r bw bc <<< "$(median5 "$BIN/platci-validate" "${V[@]}" --schemas "$W/schemas")"; bm=$(minmax)
tail -1 "$W/err"
read -r cw cc <<< "$(median5 "$BIN/platci-validate" "${V[@]}" --schemas "$W/schemas" --strict)"; cm=$(minmax)
row "platci-validate --all (no schema folder)" "$aw" "$ac"
row "platci-validate --all --schemas (3 environments)" "$bw" "$bc"
row "platci-validate --all --schemas --strict" "$cw" "$cc"
echo "wall min..max of the 5 runs: floor $(printf '%s' "$fm"), validate $am, --schemas $bm, --strict $cm"
if command -v kubeconform >/dev/null 2>&1; then
  read -r kw kc <<< "$(median5 kubeconform -summary -schema-location default "$W/repo/gitops")"
  row "kubeconform (its own schema cache)" "$kw" "$kc"
else
  echo "kubeconform: not installed; it is a Go program and its modules cannot be"
  echo "downloaded on this offline machine, so there is no side-by-side figure"
fi
if [ -n "${PLATCI_BENCH_INSTR:-}" ] && command -v valgrind >/dev/null 2>&1; then
  instr() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
  fi_=$(instr "$BIN/yaml_floor" "$W/repo/gitops")
  vi_=$(instr "$BIN/platci-schemas" check --schemas "$W/schemas" --k8s-version 1.31 "${CRDS[@]}" "$W/repo/gitops")
  echo
  printf '%-52s %14s %8s\n' "instructions (callgrind)" "count" "x floor"
  printf '%-52s %14s %8s\n' "bare libyaml event loop (floor)" "$fi_" "1.00"
  printf '%-52s %14s %8s\n' "platci-schemas check, Kubernetes 1.31" "$vi_" "$(ratio "$vi_" "$fi_")"
  ai_=$(instr "$BIN/platci-validate" "${V[@]}" --threads 1)
  bi_=$(instr "$BIN/platci-validate" "${V[@]}" --threads 1 --schemas "$W/schemas")
  printf '%-52s %14s %8s\n' "platci-validate --all (no schema folder)" "$ai_" "$(ratio "$ai_" "$fi_")"
  printf '%-52s %14s %8s\n' "platci-validate --all --schemas (3 environments)" "$bi_" "$(ratio "$bi_" "$fi_")"
fi
echo "target: platci-schemas check and platci-validate --all --schemas within 2.50x of the floor (wall)"
