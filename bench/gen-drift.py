#!/usr/bin/env python3
"""Writes a large `terraform show -json` refresh-only plan for the drift benchmark.

usage: gen-drift.py OUT.json [--mb 100] [--drift-every 4]

Azure-shaped resources in resource_drift: most are unchanged (no-op, as a
refresh-only plan lists everything), every Nth drifted (tags added by a policy,
a SKU changed, a sensitive key rotated, some deleted); prior_state repeats
every resource, as Terraform writes it. Deterministic for a given size.
"""
import json
import sys


def resource(i, drift_every):
    rg = "rg-app-%04d" % (i // 50)
    addr = "module.app_%03d.azurerm_storage_account.sa[\"%05d\"]" % (i // 200, i)
    before = {
        "id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/%s/"
              "providers/Microsoft.Storage/storageAccounts/st%08d" % (rg, i),
        "name": "st%08d" % i,
        "location": "uaenorth",
        "account_tier": "Standard",
        "account_replication_type": "ZRS",
        "min_tls_version": "TLS1_2",
        "primary_access_key": "bench-key-%08d" % i,
        "network_rules": [{"default_action": "Deny", "ip_rules": ["203.0.113.%d" % (i % 250)],
                           "virtual_network_subnet_ids": []}],
        "blob_properties": [{"versioning_enabled": True, "delete_retention_policy": [{"days": 7}]}],
        "tags": {"env": "prd-uaenorth", "owner": "team-%02d" % (i % 40)},
    }
    after = json.loads(json.dumps(before))
    actions = ["no-op"]
    kind = (i // drift_every) % 4
    if i % drift_every == 0:
        actions = ["update"]
        if kind == 0:
            after["tags"]["CostCenter"] = "cc-%d" % (i % 97)
        elif kind == 1:
            after["account_replication_type"] = "LRS"
        elif kind == 2:
            after["primary_access_key"] = "bench-rotated-%08d" % i
        else:
            actions = ["delete"]
            after = None
    sens = {"primary_access_key": True}
    change = {"actions": actions, "before": before, "after": after, "after_unknown": {},
              "before_sensitive": sens, "after_sensitive": sens if after is not None else False}
    rc = {"address": addr, "module_address": "module.app_%03d" % (i // 200), "mode": "managed",
          "type": "azurerm_storage_account", "name": "sa", "index": "%05d" % i,
          "provider_name": "registry.terraform.io/hashicorp/azurerm", "change": change}
    state = {"address": addr, "mode": "managed", "type": "azurerm_storage_account", "name": "sa",
             "index": "%05d" % i, "provider_name": "registry.terraform.io/hashicorp/azurerm",
             "schema_version": 4, "values": after or before, "sensitive_values": {"primary_access_key": True}}
    return rc, state


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    out, mb, every = args[0], 100, 4
    if "--mb" in args:
        mb = int(args[args.index("--mb") + 1])
    if "--drift-every" in args:
        every = int(args[args.index("--drift-every") + 1])
    target = mb * 1000 * 1000
    with open(out, "w") as f:
        f.write('{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{"root_module":{}},')
        f.write('"resource_drift":[')
        states, size, i = [], 0, 0
        # prior_state adds about 0.6 of the drift entries again.
        while size * 1.6 < target:
            rc, st = resource(i, every)
            text = json.dumps(rc, separators=(",", ":"))
            f.write(("," if i else "") + text)
            size += len(text)
            states.append(i)
            i += 1
        f.write('],"prior_state":{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"child_modules":[')
        module = None
        first_mod = True
        first_res = True
        for n in states:
            m = n // 200
            if m != module:
                if module is not None:
                    f.write("]}")
                f.write(("" if first_mod else ",") + '{"address":"module.app_%03d","resources":[' % m)
                first_mod, first_res, module = False, True, m
            _, st = resource(n, every)
            f.write(("" if first_res else ",") + json.dumps(st, separators=(",", ":")))
            first_res = False
        if module is not None:
            f.write("]}")
        f.write(']}}},"timestamp":"2026-11-26T02:00:00Z","applyable":true,"complete":true,"errored":false}\n')
    print("%s: %d resources, every %dth drifted" % (out, i, every), file=sys.stderr)


if __name__ == "__main__":
    main()
