#!/usr/bin/env bash
# Drift over a ~100 MB refresh-only plan: platci-drift (full run: drift, redacted
# diffs, every report) beside jq listing only the drifted addresses from the same
# file. Prints wall time, peak RSS and the ratios. Usage: bench/drift.sh [BIN_DIR] [MB]
set -uo pipefail
bin=${1:-build/bin}
mb=${2:-100}
cd "$(dirname "$0")/.."
command -v jq >/dev/null || { echo "jq is not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed for peak RSS" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/platci-bench-drift.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
plan=$tmp/refresh-only.json
echo "version: 1" >"$tmp/policy.yaml"
python3 bench/gen-drift.py "$plan" --mb "$mb"
echo "input: $(du -m "$plan" | cut -f1) MB"

measure() { # label command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$tmp/$label.out" 2>"$tmp/$label.err"
  local rc=$?
  read -r secs kb < <(tail -n 1 "$tmp/time")
  printf '%-34s %8.2f s %9.1f MB  (exit %d)\n' "$label" "$secs" "$(echo "$kb / 1024" | bc -l)" "$rc"
  eval "${label//[^a-z]/_}_s=$secs; ${label//[^a-z]/_}_kb=$kb"
}
measure platci "$bin/platci-drift" --config platci.yaml --env prd-uaenorth --terraform "$plan" \
  --reports "$tmp/reports" --policy "$tmp/policy.yaml" --quiet
measure jq jq -r '.resource_drift[] | select(.change.actions != ["no-op"]) | .address' "$plan"
n_platci=$(jq '[.items[] | select(.drift)] | length' "$tmp/reports/drift.json")
n_jq=$(wc -l <"$tmp/jq.out")
echo "drifted: platci-drift $n_platci, jq $n_jq"
[ "$n_platci" = "$n_jq" ] || echo "WARNING: the counts differ" >&2
printf 'ratio (jq / platci-drift): time %.1fx, peak memory %.1fx\n' \
  "$(echo "$jq_s / $platci_s" | bc -l)" "$(echo "$jq_kb / $platci_kb" | bc -l)"
