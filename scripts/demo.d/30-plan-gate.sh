#!/usr/bin/env bash
# Plan and gate: summarize each environment's example plan, then ask the gate
# whether it may be applied (an allow, a needs-approval and a deny are expected).
# prd's plan is denied by the plan policy (policies/plan.yaml: the new Key Vault has
# no purge protection) and waits on the soak (stg has run the commit 3h 35m of 24h).
now=2026-11-26T10:00:00Z   # a Thursday, 14:00 in Asia/Dubai: outside every freeze window
status=0
for env in dev-uaenorth stg-uaenorth prd-uaenorth; do
  echo "== platci-plan summarize --env $env examples/plans/$env.json"
  cost=(); [ -f "examples/cost/$env.infracost.json" ] && cost=(--cost "examples/cost/$env.infracost.json")
  platci-plan summarize --env "$env" --reports "platci-reports/plan-$env" "${cost[@]}" "examples/plans/$env.json"
  rc=$?; [ $rc -le 1 ] || status=1
  [ "$env" = prd-uaenorth ] && { [ $rc = 1 ] && echo "   denied by the plan policy, as expected (PCI-TF-004)" || { echo "   prd: no plan policy deny"; status=1; }; }
  echo "   widget: $(cat "platci-reports/plan-$env/terraform-report.json")"
done
for env in dev-uaenorth stg-uaenorth prd-uaenorth; do
  echo "== platci-gate --env $env (facts: examples/facts/$env.json)"
  cost=(); [ -f "examples/cost/$env.infracost.json" ] && cost=(--cost "examples/cost/$env.infracost.json")
  platci-gate --env "$env" --plan "examples/plans/$env.json" --facts "examples/facts/$env.json" \
    --now "$now" --reports "platci-reports/gate-$env" "${cost[@]}" \
    --reviewed "platci-reports/plan-$env/plan-fingerprint.json"
  rc=$?
  case $rc in
    0) echo "   allowed (exit 0)";;
    1) echo "   denied (exit 1), as expected in prd: a Key Vault replace without allow-destroy,"
       echo "   the plan policy's deny, and $(sed -n 's/.*"reason": "\(soaking[^"]*\)".*/\1/p' "platci-reports/gate-$env/decision.json")";;
    3) echo "   needs approval (exit 3)";;
    *) echo "   unexpected exit $rc"; status=1;;
  esac
done
exit $status
