#!/usr/bin/env bash
# platci-scan against jq on a large Trivy report: per-severity counts of every
# vulnerability, time and peak memory side by side. Two sizes with every finding
# distinct (an image with a huge number of packages), then two sizes where the same
# 10,000 findings repeat across targets (a cluster report: one image, many workloads),
# so the memory trend shows: platci keeps one record per distinct finding, never the
# report. Usage: bench/scan.sh [BIN_DIR] (default build/bin). Keep runs short: the
# machine is shared.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/bin}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/platci-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
policy=$tmp/policy.yaml
printf 'version: 1\ndefaults: {fail_severity: none, report_severity: unknown}\n' >"$policy"
JQ='[.Results[].Vulnerabilities[]?.Severity] | group_by(.) | map({(.[0]): length}) | add'

measure() { # command... -> "wall_s rss_kb cpu_s" (CPU time is steadier on a shared machine)
  /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || true
  awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$tmp/time"
}

printf '%-8s %-9s %5s %7s %9s %10s %14s %7s %11s\n' vulns distinct MB 'jq s' 'platci s' 'jq RSS MB' 'platci RSS MB' ratio 'CPU ratio'
echo "(wall seconds; CPU ratio = jq user+sys / platci user+sys)"
for row in 50000:all 200000:all 50000:10000 200000:10000; do
  n=${row%:*}; d=${row#*:}
  python3 "$here/gen-trivy.py" "$tmp/r.json" --vulns $n --targets $((n / 500)) \
    $([ "$d" = all ] || echo --distinct "$d")
  mb=$(( $(stat -c %s "$tmp/r.json") / 1000000 ))
  read -r jt jm jc < <(measure jq -c "$JQ" "$tmp/r.json"); jqout=$(cat "$tmp/out")
  read -r pt pm pc < <(measure "$bin/platci-scan" --quiet --policy "$policy" --counts "$tmp/r.json")
  pout=$(sed -n 's/^read: //p' "$tmp/out")
  for s in CRITICAL HIGH MEDIUM LOW UNKNOWN; do
    a=$(echo "$jqout" | jq -r ".$s // 0"); l=$(echo "$s" | tr A-Z a-z)
    b=$(echo "$pout" | tr ',' '\n' | sed -n "s/^ *$l //p")
    [ "$a" = "$b" ] || { echo "MISMATCH $s: jq $a platci $b" >&2; exit 1; }
  done
  ratio=$(awk -v a="$jt" -v b="$pt" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }')
  cratio=$(awk -v a="$jc" -v b="$pc" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }')
  printf '%-8s %-9s %5s %7s %9s %10s %14s %7s %11s\n' $n $d $mb $jt $pt $((jm / 1024)) $((pm / 1024)) $ratio $cratio
  rm -f "$tmp/r.json"
done
echo "(counts equal at both sizes; platci-scan also folds duplicates and applies policy)"
