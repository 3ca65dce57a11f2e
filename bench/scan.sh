#!/usr/bin/env bash
# platci-scan against jq on a large Trivy report: per-severity counts of every
# vulnerability, time and peak memory side by side, at two sizes so the memory
# trend shows. Usage: bench/scan.sh [BIN_DIR] (default build/bin). Keep runs short:
# the machine is shared.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/bin}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/platci-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
policy=$tmp/policy.yaml
printf 'version: 1\ndefaults: {fail_severity: none, report_severity: unknown}\n' >"$policy"
JQ='[.Results[].Vulnerabilities[]?.Severity] | group_by(.) | map({(.[0]): length}) | add'

measure() { # label command... -> "seconds rss_kb"
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || true
  cat "$tmp/time"
}

printf '%-9s %9s %10s %10s %12s %12s %7s\n' vulns MB 'jq s' 'platci s' 'jq RSS MB' 'platci RSS MB' ratio
for n in 50000 200000; do
  python3 "$here/gen-trivy.py" "$tmp/r.json" --vulns $n --targets $((n / 500))
  mb=$(( $(stat -c %s "$tmp/r.json") / 1000000 ))
  read -r jt jm < <(measure jq -c "$JQ" "$tmp/r.json"); jqout=$(cat "$tmp/out")
  read -r pt pm < <(measure "$bin/platci-scan" --quiet --policy "$policy" --counts "$tmp/r.json")
  pout=$(sed -n 's/^read: //p' "$tmp/out")
  for s in CRITICAL HIGH MEDIUM LOW UNKNOWN; do
    a=$(echo "$jqout" | jq -r ".$s // 0"); l=$(echo "$s" | tr A-Z a-z)
    b=$(echo "$pout" | tr ',' '\n' | sed -n "s/^ *$l //p")
    [ "$a" = "$b" ] || { echo "MISMATCH $s: jq $a platci $b" >&2; exit 1; }
  done
  ratio=$(awk -v a="$jt" -v b="$pt" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }')
  printf '%-9s %9s %10s %10s %12s %12s %7s\n' $n $mb $jt $pt $((jm / 1024)) $((pm / 1024)) $ratio
  rm -f "$tmp/r.json"
done
echo "(counts equal at both sizes; platci-scan also folds duplicates and applies policy)"
