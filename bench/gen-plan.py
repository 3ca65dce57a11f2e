#!/usr/bin/env python3
"""Writes a large Terraform plan JSON (terraform show -json shape) for benchmarks.

usage: gen-plan.py N OUT.json   (N resource changes; 50000 gives about 70 MB)
Standard library only. Values are made up; the shape follows Terraform 1.11.
"""
import json
import sys


def resource(i):
    kind = i % 5
    addr = f'module.app{i % 40}.azurerm_storage_container.c["{i}"]'
    before = {
        "id": f"/subscriptions/0000/resourceGroups/rg-{i % 40}/providers/x/c{i}",
        "name": f"container-{i}", "container_access_type": "private",
        "storage_account_name": f"st{i % 40:04d}", "metadata": {"team": "platform", "idx": str(i)},
        "has_immutability_policy": False, "has_legal_hold": False,
        "resource_manager_id": f"/subscriptions/0000/rm/{i}", "timeouts": None,
        "secret_token": f"tok-{i:08d}",
    }
    after = dict(before)
    actions = [["create"], ["update"], ["no-op"], ["delete", "create"], ["delete"]][kind]
    if kind == 0:
        before = None
    elif kind == 4:
        after = None
    else:
        after["metadata"] = {"team": "platform", "idx": str(i), "rev": "2"}
    sens = {"secret_token": True, "metadata": {}}
    rc = {
        "address": addr, "module_address": f"module.app{i % 40}", "mode": "managed",
        "type": "azurerm_storage_container", "name": "c", "index": str(i),
        "provider_name": "registry.terraform.io/hashicorp/azurerm",
        "change": {
            "actions": actions, "before": before, "after": after,
            "after_unknown": {"id": True} if kind in (0, 3) else {},
            "before_sensitive": sens if before is not None else False,
            "after_sensitive": sens if after is not None else False,
        },
    }
    if kind == 3:
        rc["action_reason"] = "replace_because_cannot_update"
        rc["change"]["replace_paths"] = [["name"]]
    return rc, before, after


def main():
    n = int(sys.argv[1])
    with open(sys.argv[2], "w") as out:
        out.write('{"format_version":"1.2","terraform_version":"1.11.4",')
        out.write('"variables":{"env":{"value":"dev-uaenorth"}},')
        # planned_values and prior_state repeat every resource, as real plans do
        for key in ("planned_values", "prior_state"):
            out.write(f'"{key}":{{"root_module":{{"resources":[')
            for i in range(n):
                _, before, after = resource(i)
                v = after if key == "planned_values" else before
                out.write(("," if i else "") + json.dumps(
                    {"address": f"r{i}", "type": "azurerm_storage_container", "values": v or {},
                     "sensitive_values": {"secret_token": True}}, separators=(",", ":")))
            out.write("]}},")
        out.write('"resource_changes":[')
        for i in range(n):
            rc, _, _ = resource(i)
            out.write(("," if i else "") + json.dumps(rc, separators=(",", ":")))
        out.write('],"output_changes":{},"configuration":{"root_module":{}},')
        out.write('"timestamp":"2026-11-26T06:00:00Z","applyable":true,"complete":true,"errored":false}\n')


if __name__ == "__main__":
    main()
