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

# measure CMD...: prints "elapsed_s cpu_s peak_kb". CPU time (user+sys) is the
# fairer figure on a shared machine; elapsed is shown too.
measure() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >"$tmp/out" 2>/dev/null || true
    awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$tmp/time"
  else
    # no GNU time: poll the child's peak RSS (VmHWM) and CPU ticks from /proc
    local s e pid hwm=0 v ticks cpu=0
    s=$(date +%s.%N)
    "$@" >"$tmp/out" 2>/dev/null & pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
      ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
      [ -n "$ticks" ] && cpu=$ticks
      sleep 0.01
    done
    wait "$pid" || true
    e=$(date +%s.%N)
    awk -v a="$s" -v b="$e" -v t="$cpu" -v hz="$(getconf CLK_TCK)" -v m="$hwm" \
      'BEGIN { printf "%.2f %.2f %s\n", b - a, t / hz, m }'
  fi
}

printf '%-7s %-4s | %-27s | %-27s | %s\n' changes MB "platci elapsed/CPU/RSS" "jq elapsed/CPU/RSS" "CPU ratio (elapsed)"
for n in $sizes; do
  python3 "$(dirname "$0")/gen-plan.py" "$n" "$tmp/plan.json"
  mb=$(( $(stat -c %s "$tmp/plan.json") / 1000000 ))
  read -r pe pt pm < <(measure "$bin" summarize -q --reports "$tmp/r" "$tmp/plan.json")
  cp "$tmp/r/terraform-report.json" "$tmp/platci.json"
  read -r je jt jm < <(measure jq -c "$JQ" "$tmp/plan.json")
  same=$(jq -e --slurpfile a "$tmp/platci.json" --slurpfile b "$tmp/out" -n '$a[0]==$b[0]' >/dev/null && echo same || echo DIFFERENT)
  ratio=$(awk -v a="$jt" -v b="$pt" -v c="$je" -v d="$pe" 'BEGIN {
    if (b > 0 && d > 0) printf "%.1fx (%.1fx)", a / b, c / d; else print "n/a" }')
  printf '%-7s %-4s | %5ss %5ss %5s MB | %5ss %5ss %5s MB | %s, widget counts %s\n' "$n" "$mb" \
    "$pe" "$pt" "$((pm / 1024))" "$je" "$jt" "$((jm / 1024))" "$ratio" "$same"
  rm -f "$tmp/plan.json"
done
