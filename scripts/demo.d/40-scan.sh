#!/usr/bin/env bash
# Scan the example image report under the repository's scan policy for staging and
# production. The example carries a fixable critical on purpose: both environments deny
# it (exit 1), which is the expected outcome here.
set -u
for env in stg-uaenorth prd-uaenorth; do
  echo "== platci-scan --env $env examples/trivy/orders-api.trivy.json"
  platci-scan --env "$env" --ignore examples/trivy/waivers.yaml \
    --reports "platci-reports/scan-$env" examples/trivy/orders-api.trivy.json
  rc=$?
  case $rc in
    0) echo "   $env: clean" ;;
    1) echo "   $env: denied, as expected for the example (see platci-reports/scan-$env/summary.md)" ;;
    *) exit $rc ;;
  esac
  echo "   reports: $(ls "platci-reports/scan-$env" | tr '\n' ' ')"
done
exit 0
