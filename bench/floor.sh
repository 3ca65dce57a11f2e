#!/usr/bin/env bash
# Issue 16's table: each large-input workload beside the floor (json_floor, a whole
# process making one bare yajl pass over the same file, built from bench/) and beside jq
# (what users reach for), in one run. Each row runs RUNS times (default 5), interleaved
# (platci, floor, jq, then again) so a busy machine slows all three alike, and prints the
# median, min and max of platci's CPU time (user+sys) as a ratio to the floor's and to
# jq's from the same round, and platci's peak RSS (the largest of the runs).
# CPU time, not wall time: the machine is shared, and a process waiting for a core is
# not slower. Wall-clock medians are printed too.
#
# usage: bench/floor.sh [BUILD_DIR] [ROW...]   rows: plan5k plan50k plan200k drift scancounts scan
#                                              planparts (what summarize's read costs, part by part)
#        RUNS=5 (rounds per row)
set -uo pipefail
build=${1:-${PLATCI_BUILD_DIR:-build}}; shift || true
rows=${*:-plan5k plan50k plan200k planparts drift scancounts scan}
runs=${RUNS:-5}
cd "$(dirname "$0")/.."
bin=$build/bin
for t in platci-plan platci-drift platci-scan json_floor plan_parts; do
  [ -x "$bin/$t" ] || { echo "build first: $bin/$t missing" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "jq is not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/platci-bench-floor.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
printf 'version: 1\ndefaults: {fail_severity: none, report_severity: unknown}\n' >"$tmp/scan.yaml"
echo "version: 1" >"$tmp/drift.yaml"
PLAN_JQ='([.resource_changes[]?.change.actions?]|flatten)|{"create":(map(select(.=="create"))|length),"update":(map(select(.=="update"))|length),"delete":(map(select(.=="delete"))|length)}'
DRIFT_JQ='.resource_drift[] | select(.change.actions != ["no-op"]) | .address'
SCAN_JQ='[.Results[].Vulnerabilities[]?.Severity] | group_by(.) | map({(.[0]): length}) | add'

# one NAME CMD...: appends "cpu_s wall_s rss_kb" of one run to $tmp/NAME. A small input
# runs $rep times in a row and the times are divided: the clock ticks in 10 ms.
one() {
  local name=$1; shift
  rm -rf "$tmp/reports"
  /usr/bin/time -f '%U %S %e %M' -o "$tmp/time" \
    sh -c 'i=0; while [ $i -lt '"$rep"' ]; do "$@" || exit $?; i=$((i + 1)); done' sh "$@" \
    >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ $rc -le 2 ] || { echo "$name exited $rc: $(head -3 "$tmp/err")" >&2; return 1; }
  # the last line: GNU time writes "Command exited with non-zero status 2" first (drift found)
  tail -n 1 "$tmp/time" |
    awk -v r="$rep" '{ printf "%.4f %.4f %s\n", ($1 + $2) / r, $3 / r, $4 }' >>"$tmp/$name"
}

# stats FILE COLUMN: "median min max" of a column
stats() {
  sort -g -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c }
    END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }'
}

printf '%-34s %5s | %-22s | %-22s | %-16s | %-6s | %s\n' workload MB \
  "x floor med (min-max)" "jq / platci med (min-max)" "CPU s platci/floor/jq" "RSS MB" "wall s platci/floor/jq"
row() { # label file platci-command... (jq expression in $JQ)
  local label=$1 file=$2; shift 2
  rm -f "$tmp/platci" "$tmp/floor" "$tmp/jq"
  rep=$(( 40000000 / $(stat -c %s "$file") )); [ "$rep" -ge 1 ] || rep=1
  for _ in $(seq "$runs"); do
    one platci "$@" || return 1
    one floor "$bin/json_floor" "$file" || return 1
    if [ -n "$JQ" ]; then one jq jq -c "$JQ" "$file" || return 1; else echo "0 0 0" >>"$tmp/jq"; fi
  done
  paste -d' ' "$tmp/platci" "$tmp/floor" "$tmp/jq" |
    awk '{ print $1 / $4, $7 / $1 }' >"$tmp/ratios"
  read -r fr frmin frmax < <(stats "$tmp/ratios" 1)
  read -r jr jrmin jrmax < <(stats "$tmp/ratios" 2)
  read -r pc _ < <(stats "$tmp/platci" 1); read -r fc _ < <(stats "$tmp/floor" 1)
  read -r jc _ < <(stats "$tmp/jq" 1)
  read -r pw _ < <(stats "$tmp/platci" 2); read -r fw _ < <(stats "$tmp/floor" 2)
  read -r jw _ < <(stats "$tmp/jq" 2)
  read -r _ _ rss < <(stats "$tmp/platci" 3)
  printf '%-34s %5d | %5.2fx (%4.2f-%4.2f)    | %5.1fx (%4.1f-%4.1f)     | %5.2f %5.2f %5.2f | %6.1f | %5.2f %5.2f %5.2f\n' \
    "$label" $(( $(stat -c %s "$file") / 1000000 )) "$fr" "$frmin" "$frmax" "$jr" "$jrmin" "$jrmax" \
    "$pc" "$fc" "$jc" "$(echo "$rss / 1024" | bc -l)" "$pw" "$fw" "$jw"
}

for r in $rows; do
  case $r in
  planparts)
    # The reader alone, then with the input's digest, then with every change's fingerprint
    # (summarize's whole read, no report written): what each part adds over the floor.
    python3 bench/gen-plan.py 50000 "$tmp/plan.json" >/dev/null
    for part in read hash check; do
      JQ= row "  plan 50k, parts: $part" "$tmp/plan.json" "$bin/plan_parts" "$part" "$tmp/plan.json"
    done
    rm -f "$tmp/plan.json" ;;
  plan5k|plan50k|plan200k)
    n=${r#plan}; n=${n%k}000
    python3 bench/gen-plan.py "$n" "$tmp/plan.json" >/dev/null
    JQ=$PLAN_JQ row "platci-plan summarize, $((n / 1000))k changes" "$tmp/plan.json" \
      "$bin/platci-plan" summarize -q --reports "$tmp/reports" "$tmp/plan.json"
    rm -f "$tmp/plan.json" ;;
  drift)
    python3 bench/gen-drift.py "$tmp/drift.json" --mb 94 >/dev/null
    JQ=$DRIFT_JQ row "platci-drift, refresh-only plan" "$tmp/drift.json" \
      "$bin/platci-drift" --config platci.yaml --env prd-uaenorth --terraform "$tmp/drift.json" \
      --reports "$tmp/reports" --policy "$tmp/drift.yaml" --quiet
    rm -f "$tmp/drift.json" ;;
  scancounts|scan)
    [ -s "$tmp/trivy.json" ] ||
      python3 bench/gen-trivy.py "$tmp/trivy.json" --vulns 200000 --targets 400 >/dev/null
    if [ "$r" = scancounts ]; then
      JQ=$SCAN_JQ row "platci-scan --counts, 200k vulns" "$tmp/trivy.json" \
        "$bin/platci-scan" --quiet --policy "$tmp/scan.yaml" --counts "$tmp/trivy.json"
    else
      JQ=$SCAN_JQ row "platci-scan, every report, 200k" "$tmp/trivy.json" \
        "$bin/platci-scan" --quiet --policy "$tmp/scan.yaml" --reports "$tmp/reports" "$tmp/trivy.json"
    fi ;;
  *) echo "unknown row $r" >&2; exit 64 ;;
  esac
done
echo "(x floor: platci CPU / json_floor CPU, targets 1.2x plan and drift, 1.5x scan --counts," \
  "5x scan; jq / platci: jq CPU / platci CPU; $runs rounds each; RSS: platci's peak)"
