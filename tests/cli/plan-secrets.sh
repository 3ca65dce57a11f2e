#!/usr/bin/env bash
# Secrets planted in sensitive attributes, variables and outputs never reach a
# report or the log, whatever the command.
. "$(dirname "$0")/../lib/common.sh"
need_cmd python3
python3 - "$T_TMP/plan.json" <<'PY'
import json, sys
plan = {
  "format_version": "1.2", "terraform_version": "1.11.4",
  "variables": {"admin_password": {"value": "PLANTED-var-9f3k"}, "region": {"value": "uaenorth"}},
  "resource_changes": [
    {"address": "azurerm_key_vault_secret.s", "type": "azurerm_key_vault_secret", "name": "s",
     "change": {"actions": ["update"], "before": {"value": "PLANTED-attr-before", "name": "s"},
                "after": {"value": "PLANTED-attr-after", "name": "s", "derived": "PLANTED-attr-before"},
                "after_unknown": {}, "before_sensitive": {"value": True}, "after_sensitive": {"value": True}}},
    {"address": "azurerm_storage_account.tls", "type": "azurerm_storage_account", "name": "tls",
     "change": {"actions": ["create"], "before": None,
                "after": {"min_tls_version": "PLANTED-tls-secret", "allow_nested_items_to_be_public": False,
                          "tags": {"environment": "prd-uaenorth", "region": "uaenorth", "team": "t", "owner": "o"}},
                "after_unknown": {}, "before_sensitive": False, "after_sensitive": {"min_tls_version": True}}},
    {"address": "azurerm_storage_account.st", "type": "azurerm_storage_account", "name": "st",
     "action_reason": "replace_because_cannot_update",
     "change": {"actions": ["delete", "create"], "before": {"keys": ["PLANTED-list-0", "open"]},
                "after": {"keys": ["PLANTED-list-1", "open"]}, "after_unknown": {},
                "before_sensitive": {"keys": [True, False]}, "after_sensitive": {"keys": [True, False]},
                "replace_paths": [["keys"]]}}],
  "output_changes": {
    "conn": {"actions": ["create"], "before": None, "after": "PLANTED-output", "after_unknown": False,
             "before_sensitive": False, "after_sensitive": True},
    "cfg": {"actions": ["create"], "before": None, "after": "PLANTED-config-output", "after_unknown": False,
            "before_sensitive": False, "after_sensitive": False}},
  "configuration": {"root_module": {"variables": {"admin_password": {"sensitive": True}, "region": {}},
                                    "outputs": {"cfg": {"sensitive": True}}}},
  "applyable": True, "complete": True, "errored": False}
json.dump(plan, open(sys.argv[1], "w"))
PY
P="$PLATCI_BIN"
"$P/platci-plan" summarize --env dev-uaenorth --reports "$T_TMP/plan" "$T_TMP/plan.json" >"$T_TMP/log" 2>&1
"$P/platci-plan" bundle --env dev-uaenorth --commit abc --plan "$T_TMP/plan.json" --plan-json "$T_TMP/plan.json" \
  --out "$T_TMP/b.tar.gz" >>"$T_TMP/log" 2>&1 || fail "bundle"
"$P/platci-plan" verify "$T_TMP/b.tar.gz" --env dev-uaenorth --commit abc >>"$T_TMP/log" 2>&1 || fail "verify"
"$P/platci-gate" --config platci.yaml --env dev-uaenorth --plan "$T_TMP/b.tar.gz" --commit abc \
  --facts examples/facts/dev-uaenorth.json --now 2026-11-26T10:00:00Z --reports "$T_TMP/gate" >>"$T_TMP/log" 2>&1
# the plan policy tests a sensitive value (PCI-TF-005 on min_tls_version) and the
# fingerprint hashes masked values: neither may print one, on paper or in the note
"$P/platci-plan" summarize --env prd-uaenorth --reports "$T_TMP/prd" "$T_TMP/plan.json" >>"$T_TMP/log" 2>&1
jq -e '[.findings[] | select(.rule == "PCI-TF-005" and (.message | startswith("azurerm_storage_account.tls: ")))] | length == 1' \
  "$T_TMP/prd/findings.json" >/dev/null || fail "the sensitive TLS version was not tested"
"$P/platci-gate" --config platci.yaml --env prd-uaenorth --plan "$T_TMP/plan.json" --commit abc \
  --facts examples/facts/prd-uaenorth.json --now 2026-11-26T10:00:00Z --reports "$T_TMP/gate-prd" \
  --reviewed "$T_TMP/prd/summary.md" >>"$T_TMP/log" 2>&1
assert_contains "$T_TMP/gate-prd/decision.json" "PCI-TF-005"
grep -q "PLANTED" "$T_TMP/plan.json" || fail "the test plan lost its secrets"
if grep -rl "PLANTED" "$T_TMP/plan" "$T_TMP/gate" "$T_TMP/prd" "$T_TMP/gate-prd" "$T_TMP/log"; then
  fail "a planted secret reached a report or the log"
fi
assert_contains "$T_TMP/plan/summary.md" "(sensitive value)"
assert_contains "$T_TMP/plan/summary.md" "uaenorth"
finish
