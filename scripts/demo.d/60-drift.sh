#!/usr/bin/env bash
# Scheduled drift detection, as the nightly pipeline runs it, over the example inputs in
# examples/drift/ (a refresh-only plan and a kubectl Flux list for prd-uaenorth); what waits
# to be promoted comes from this repository's own stg and prd overlays. Drift is expected
# here: exit 2 is a success of the demo.
env=prd-uaenorth
out=platci-reports/drift-$env
echo "== platci-drift --env $env (examples/drift)"
platci-drift --env "$env" --reports "$out" \
  --terraform examples/drift/refresh-only-prd-uaenorth.json \
  --flux examples/drift/flux-status-prd-uaenorth.json \
  --expect-revision main=3f1c2b7e9a4d5c6b8e0f1a2b3c4d5e6f7a8b9c0d
rc=$?
case $rc in
  2) echo "   drift found, as expected in the demo: see $out/summary.md" ;;
  0) echo "   no drift (the demo inputs should show some)" ;;
  *) echo "   platci-drift failed with exit $rc" >&2; exit $rc ;;
esac
echo "   reports: $(ls "$out" | tr '\n' ' ')"
exit 0
