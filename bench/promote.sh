#!/usr/bin/env bash
# Promote-all CPU time: platci-promote stg -> prd (dry run, every report
# written) on generated trees of 200 and 2,000 apps per environment, next
# to platci-validate --all on the same tree: one parse of every file of the
# three environments, the floor promotion works against (it reads all three
# too: stg and prd for the edit, dev for the summary's flowchart). There is
# no command-line editor to compare with here (kubectl has no
# `kustomize edit`; yq is not installed). 10x the apps should cost at most
# about 10x the time.
# Usage: bench/promote.sh [BIN_DIR]   (default build/bin)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${1:-build/bin}" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/platci-bench-promote.XXXXXX")
trap 'rm -rf "$work"' EXIT

# CPU time (user + sys) rather than wall time, as floor.sh does: the
# machine is shared, and a process that waits for a core is not slower.
best_of() { # best of 3 runs of "$@", in CPU seconds
  local best= t
  for _ in 1 2 3; do
    /usr/bin/time -o "$work/cpu" -f '%U %S' "$@" >/dev/null 2>&1 || true
    t=$(tail -1 "$work/cpu" | awk '{print $1 + $2}')
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  printf '%.3f' "$best"
}

declare -A took
printf '%-6s %10s %8s %12s %12s %10s\n' apps files pins promote_s validate_s ratio
for n in 200 2000; do
  tree=$work/t$n
  python3 bench/gen-apps.py "$tree" "$n"
  files=$(find "$tree/gitops" -name '*.yaml' | wc -l)
  t=$(best_of "$bin/platci-promote" --config "$tree/platci.yaml" --from stg-uaenorth --to prd-uaenorth --reports "$work/r$n" --quiet)
  "$bin/platci-promote" --config "$tree/platci.yaml" --from stg-uaenorth --to prd-uaenorth --reports "$work/r$n" --quiet >/dev/null 2>&1 || true
  pins=$(jq '.changes | length' "$work/r$n/promotion.json")
  ftime=$(best_of "$bin/platci-validate" --all --config "$tree/platci.yaml" --reports "$work/v$n" --quiet)
  took[$n]=$t
  printf '%-6s %10s %8s %12s %12s %9.1fx\n' "$n" "$files" "$pins" "$t" "$ftime" "$(echo "$t / $ftime" | bc -l)"
done
ratio=$(echo "${took[2000]} / ${took[200]}" | bc -l)
printf '2000 vs 200 apps: %.1fx the time for 10x the apps (%s)\n' "$ratio" \
  "$( [ "$(echo "$ratio <= 12" | bc -l)" = 1 ] && echo "linear: ok" || echo "WORSE than linear")"
