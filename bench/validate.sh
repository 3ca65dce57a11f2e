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

# best of 3: "wall cpu" seconds (cpu = user + sys). The machine is shared, so
# CPU time is the steadier figure; wall time shows what two cores buy.
best() {
  local bw=999999 bc=999999 w c
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %U %S' -o "$W/time" "$@" >"$W/out" 2>"$W/err"
    read -r w u s <<< "$(tail -1 "$W/time")"; c=$(echo "$u + $s" | bc -l)
    if (( $(echo "$w < $bw" | bc -l) )); then bw=$w; fi
    if (( $(echo "$c < $bc" | bc -l) )); then bc=$c; fi
  done
  printf '%.3f %.3f' "$bw" "$bc"
}
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

cat "$W/repo/gitops/apps/base"/*/*.yaml >/dev/null   # warm the page cache
read -r fw fc <<< "$(best "$BIN/yaml_floor" "$W/repo/gitops")"; head -1 "$W/out"
read -r lw lc <<< "$(best "$BIN/doc_load" "$W/repo/gitops")"; head -1 "$W/out"
read -r v1w v1c <<< "$(best "$BIN/platci-validate" --config "$W/repo/platci.yaml" --all --threads 1 --no-terraform-fmt --reports "$W/r1" --quiet)"
read -r vw vc <<< "$(best "$BIN/platci-validate" --config "$W/repo/platci.yaml" --all --no-terraform-fmt --reports "$W/r" --quiet)"
tail -1 "$W/err"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo
printf '%-40s %8s %8s %8s %8s\n' "" "wall s" "x floor" "cpu s" "x floor"
row() { printf '%-40s %8s %8s %8s %8s\n' "$1" "$2" "$(ratio "$2" "$fw")" "$3" "$(ratio "$3" "$fc")"; }
row "bare libyaml event loop (floor)" "$fw" "$fc"
row "doc model load alone (1 thread)" "$lw" "$lc"
row "platci-validate --all (1 thread)" "$v1w" "$v1c"
row "platci-validate --all ($(nproc) threads)" "$vw" "$vc"
if command -v yamllint >/dev/null 2>&1; then
  N=200
  mkdir -p "$W/sub" && ls "$W/repo/gitops/apps/base"/*/*.yaml | head -$N | xargs -I{} cp {} "$W/sub/"
  /usr/bin/time -f '%e %U %S' -o "$W/time" timeout 120 yamllint -d relaxed "$W/sub" >/dev/null 2>&1
  read -r w u s <<< "$(tail -1 "$W/time")"
  yw=$(echo "$w * 4000 / $N" | bc -l); yc=$(echo "($u + $s) * 4000 / $N" | bc -l)
  row "yamllint -d relaxed (*)" "$(printf '%.1f' "$yw")" "$(printf '%.1f' "$yc")"
  echo "(*) measured on $N of the 4000 files and scaled up: a full run takes minutes"
else
  echo "yamllint: not installed, skipped"
fi
# Instruction counts do not depend on the machine's load: with PLATCI_BENCH_INSTR=1
# (and valgrind installed) count them with callgrind, one thread each (~1 minute).
if [ -n "${PLATCI_BENCH_INSTR:-}" ] && command -v valgrind >/dev/null 2>&1; then
  instr() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
  fi_=$(instr "$BIN/yaml_floor" "$W/repo/gitops")
  li_=$(instr "$BIN/doc_load" "$W/repo/gitops")
  vi_=$(instr "$BIN/platci-validate" --config "$W/repo/platci.yaml" --all --threads 1 --no-terraform-fmt --reports "$W/ri" --quiet)
  echo
  printf '%-40s %14s %8s\n' "instructions (callgrind)" "count" "x floor"
  printf '%-40s %14s %8s\n' "bare libyaml event loop (floor)" "$fi_" "1.00"
  printf '%-40s %14s %8s\n' "doc model load alone" "$li_" "$(ratio "$li_" "$fi_")"
  printf '%-40s %14s %8s\n' "platci-validate --all (1 thread)" "$vi_" "$(ratio "$vi_" "$fi_")"
fi
echo "target: platci-validate within 1.60x of the floor"
