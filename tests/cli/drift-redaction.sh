#!/usr/bin/env bash
# Secrets planted everywhere Terraform and Kubernetes put them never reach a log or report.
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"
cat >"$T_TMP/plan.json" <<'JSON'
{"format_version":"1.2","terraform_version":"1.11.4",
 "variables":{"admin_password":{"value":"PLANTED-SECRET-1"}},
 "resource_drift":[
  {"address":"azurerm_linux_virtual_machine.vm","mode":"managed","type":"azurerm_linux_virtual_machine","name":"vm",
   "change":{"actions":["update"],
     "before":{"admin_password":"PLANTED-SECRET-2","size":"Standard_B2s","custom_data":{"script":"PLANTED-SECRET-3"},"list":["PLANTED-SECRET-4","ok"]},
     "after":{"admin_password":"PLANTED-SECRET-5","size":"Standard_B4ms","custom_data":{"script":"PLANTED-SECRET-6"},"list":["PLANTED-SECRET-7","ok2"]},
     "before_sensitive":{"admin_password":true,"custom_data":true,"list":[true,false]},
     "after_sensitive":{"admin_password":true,"custom_data":{"script":true},"list":[true,false]},
     "after_unknown":{}}},
  {"address":"azurerm_key_vault_secret.s","change":{"actions":["delete"],"before":{"value":"PLANTED-SECRET-8"},"after":null,
   "before_sensitive":{"value":true},"after_sensitive":false}},
  {"address":"random_password.p","change":{"actions":["update"],"before":"PLANTED-SECRET-9","after":"PLANTED-SECRET-10",
   "before_sensitive":true,"after_sensitive":true}}],
 "prior_state":{"values":{"root_module":{"resources":[{"address":"azurerm_linux_virtual_machine.vm","values":{"admin_password":"PLANTED-SECRET-11"}}]}}},
 "output_changes":{"pw":{"actions":["update"],"before":"PLANTED-SECRET-12","after_unknown":true,"before_sensitive":true,"after_sensitive":true}}}
JSON
cat >"$T_TMP/flux.json" <<'JSON'
{"apiVersion":"v1","kind":"List","items":[
 {"apiVersion":"v1","kind":"Secret","metadata":{"name":"sops-age","namespace":"flux-system"},"data":{"age.agekey":"PLANTED-SECRET-13"}},
 {"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"apps","namespace":"flux-system"},
  "spec":{"postBuild":{"substitute":{"DB_PASSWORD":"PLANTED-SECRET-14"}}},
  "status":{"conditions":[{"type":"Ready","status":"True"}]}}]}
JSON
"$PLATCI_BIN/platci-drift" --config platci.yaml --env dev-uaenorth --now 2026-11-26T02:05:00Z \
  --terraform "$T_TMP/plan.json" --flux "$T_TMP/flux.json" --reports "$T_TMP/r" --gitlab >"$T_TMP/stdout" 2>"$T_TMP/stderr"
rc=$?
[ $rc = 2 ] || fail "exit $rc, wanted 2"
[ -s "$T_TMP/r/summary.md" ] || fail "no summary written"
if grep -rl "PLANTED" "$T_TMP/r" "$T_TMP/stdout" "$T_TMP/stderr"; then
  fail "a planted secret reached an output: $(grep -rho 'PLANTED-SECRET-[0-9]*' "$T_TMP/r" "$T_TMP/stdout" "$T_TMP/stderr" | sort -u | tr '\n' ' ')"
fi
# What is not secret is still reported, and the masked paths are named.
assert_contains "$T_TMP/r/summary.md" '"Standard_B4ms"'
assert_contains "$T_TMP/r/summary.md" '`admin_password`'
assert_contains "$T_TMP/r/summary.md" "(sensitive value)"
finish
