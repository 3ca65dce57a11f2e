#!/usr/bin/env bash
# platci-plan summarize against jq's canonical GitLab widget expression, on the
# same generated plans: time, peak RSS and the ratio, at two sizes.
# usage: bench/plan.sh [BUILD_DIR] [N...]   (default: build, 25000 50000)
set -euo pipefail
build=${1:-build}; shift || true
sizes=${*:-25000 50000}
bin="$build/bin/platci-plan"
[ -x "$bin" ] || { echo "build first: $bin missing" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/platci-bench.XXXXXX"); trap 'rm -rf "$tmp"' EXIT
JQ='([.resource_changes[]?.change.actions?]|flatten)|{"create":(map(select(.=="create"))|length),"update":(map(select(.=="update"))|length),"delete":(map(select(.=="delete"))|length)}'

# measure CMD...: prints "seconds peak_kb"
measure() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$tmp/out" 2>/dev/null || true
    cat "$tmp/time"
  else
    local s e; s=$(date +%s.%N); "$@" >"$tmp/out" 2>/dev/null || true; e=$(date +%s.%N)
    echo "$(echo "$e - $s" | bc) ?"
  fi
}

printf '%-8s %-8s | %-18s | %-18s | %s\n' changes MB "platci s / MB RSS" "jq s / MB RSS" "speed-up"
for n in $sizes; do
  python3 "$(dirname "$0")/gen-plan.py" "$n" "$tmp/plan.json"
  mb=$(( $(stat -c %s "$tmp/plan.json") / 1000000 ))
  read -r pt pm < <(measure "$bin" summarize -q --reports "$tmp/r" "$tmp/plan.json")
  cp "$tmp/r/terraform-report.json" "$tmp/platci.json"
  read -r jt jm < <(measure jq -c "$JQ" "$tmp/plan.json")
  same=$(jq -e --slurpfile a "$tmp/platci.json" --slurpfile b "$tmp/out" -n '$a[0]==$b[0]' >/dev/null && echo same || echo DIFFERENT)
  ratio=$(awk -v a="$jt" -v b="$pt" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "inf" }')
  printf '%-8s %-8s | %6s s %6s MB | %6s s %6s MB | %s (widget counts %s)\n' "$n" "$mb" "$pt" \
    "$((pm / 1024))" "$jt" "$((jm / 1024))" "$ratio" "$same"
  rm -f "$tmp/plan.json"
done
