#!/usr/bin/env python3
"""Generates the report folders of a large platform for the report page's scale test.

Usage: gen-platform.py DIR APPS FINDINGS

DIR must hold a tree from bench/gen-apps.py (platci.yaml, gitops/ for three
environments). Writes DIR/reports/ as the stages would leave it:
  findings.json                       validate: FINDINGS/10 policy findings over the environments
  scan-<env>/gl-container-scanning-report.json and findings.json
                                      FINDINGS vulnerabilities in all, over APPS images per
                                      environment; every 10th waived (in findings.json only,
                                      as platci-scan writes them)
  drift-<env>/drift.json              APPS drifted Terraform resources and Flux objects
  plan-<env>/terraform-report.json, gate-<env>/decision.json, promote/promotion.json
The shapes are those platci writes (docs/*.md); the values are made up.
"""
import json
import os
import sys

ENVS = ["dev-uaenorth", "stg-uaenorth", "prd-uaenorth"]
SEVS = ["Critical", "High", "Medium", "Low", "Unknown"]
CQ = {"Critical": "critical", "High": "major", "Medium": "minor", "Low": "info", "Unknown": "info"}


def write(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))


def scan(root, env, ei, apps, n):
    vulns, findings = [], []
    for i in range(n):
        app = (i * 7919 + ei) % apps
        image = "registry.example.com/acme/app%05d:1.%d.0" % (app, 10 - ei)
        sev = SEVS[(i * 31 + app) % 5]
        fixable = i % 3 != 0
        cve = "CVE-2024-%05d" % (i % 40000)
        msg = "%s in pkg%d 1.0.%d (%s, %s) in %s" % (cve, i % 97, i % 13, sev.upper(),
                                                      "fix available" if fixable else "no fix", image)
        if fixable:
            msg += "; upgrade to 1.0.%d" % (i % 13 + 1)
        waived = i % 10 == 0
        waiver = None
        if waived:
            waiver = "%s (waivers.yaml:%d: accepted; owner team; expires 2026-%02d-15)" % (
                cve, i % 500 + 1, 12 if i % 20 == 0 else 6)
        findings.append({"rule": "scan.vulnerability", "severity": CQ[sev],
                         "enforcement": "deny" if sev in ("Critical", "High") and not waived else "warn",
                         "message": msg, "file": "trivy/app%05d.json" % app, "line": i % 900 + 1,
                         "column": 0, "env": env, "fingerprint": "%064x" % (i * 3 + ei),
                         "waiver": waiver, "details": "A made-up advisory for the scale test."})
        if waived:
            continue
        vulns.append({"id": "%08x-0000-0000-0000-%012x" % (ei, i), "name": cve, "description": cve,
                      "severity": sev,
                      "solution": "Upgrade pkg%d to 1.0.%d" % (i % 97, i % 13 + 1) if fixable
                      else "No solution provided",
                      "identifiers": [{"type": "cve", "name": cve, "value": cve}], "links": [],
                      "location": {"dependency": {"package": {"name": "pkg%d" % (i % 97)},
                                                  "version": "1.0.%d" % (i % 13)},
                                   "operating_system": "debian 12.5", "image": image}})
    d = os.path.join(root, "scan-" + env)
    write(os.path.join(d, "gl-container-scanning-report.json"),
          {"version": "15.0.7", "vulnerabilities": vulns, "remediations": [],
           "scan": {"type": "container_scanning", "status": "success",
                    "start_time": "2026-11-26T01:00:00", "end_time": "2026-11-26T01:05:00",
                    "analyzer": {"id": "platci", "name": "platci", "version": "0.1.0",
                                 "vendor": {"name": "platci"}},
                    "scanner": {"id": "trivy", "name": "Trivy", "version": "0.69.1",
                                "vendor": {"name": "Aqua Security"}}}})
    deny = sum(1 for f in findings if f["enforcement"] == "deny" and not f["waiver"])
    waived = sum(1 for f in findings if f["waiver"])
    write(os.path.join(d, "findings.json"),
          {"version": "1", "stage": "scan", "env": env,
           "counts": {"total": len(findings), "deny": deny, "warn": len(findings) - deny - waived,
                      "waived": waived}, "findings": findings})


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: gen-platform.py DIR APPS FINDINGS")
    top, apps, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    root = os.path.join(top, "reports")
    policy = []
    for i in range(total // 10):
        env = ENVS[i % 3] if i % 4 else None
        policy.append({"rule": "manifest.rule-%d" % (i % 40), "severity": ["info", "minor", "major",
                       "critical"][i % 4], "enforcement": "deny" if i % 9 == 0 else "warn",
                       "message": "app%05d: made-up policy finding %d" % (i % apps, i),
                       "file": "gitops/apps/%s/app%05d/kustomization.yaml" % (env or "base", i % apps),
                       "line": i % 40 + 1, "column": 3, "env": env, "fingerprint": "%064x" % i,
                       "waiver": None, "details": None})
    write(os.path.join(root, "findings.json"),
          {"version": "1", "stage": "validate", "env": None,
           "counts": {"total": len(policy), "deny": 0, "warn": 0, "waived": 0}, "findings": policy})
    per_env = total // 3
    for ei, env in enumerate(ENVS):
        scan(root, env, ei, apps, per_env + (total - 3 * per_env if ei == 2 else 0))
        items = []
        for a in range(apps):
            items.append({"source": "terraform", "category": "terraform.changed", "drift": True,
                          "identity": "module.app%05d.azurerm_storage_account.data" % a,
                          "action": "update", "reason": None, "ignored_by": None,
                          "file": "drift-plan.json", "line": a * 40 + 1})
            items.append({"source": "flux", "category": "flux.not-ready", "drift": True,
                          "identity": "Kustomization/flux-system/app%05d" % a, "action": None,
                          "reason": "HealthCheckFailed", "message": "timeout", "ignored_by": None,
                          "file": "flux-status.json", "line": a * 60 + 1})
        write(os.path.join(root, "drift-" + env, "drift.json"),
              {"version": 1, "env": env, "drift": True, "generated_at": "2026-11-26T02:05:00Z",
               "counts": {"terraform_checked": apps * 4, "flux_checked": apps * 2,
                          "terraform_drift": apps, "flux_drift": apps, "pending": 0, "notices": 0,
                          "ignored": 0, "expired_rules": 0},
               "inputs": {}, "items": items, "checked": []})
        write(os.path.join(root, "plan-" + env, "terraform-report.json"),
              {"create": 3, "update": apps, "delete": 0})
        write(os.path.join(root, "gate-" + env, "decision.json"),
              {"version": 1, "decision": "allow" if ei < 2 else "needs-approval", "env": env,
               "now": "2026-11-26T03:00:00Z", "commit_sha": "%040x" % 7,
               "rules": [{"id": "gate.approvals", "outcome": "pass" if ei < 2 else "needs-approval",
                          "reason": "1 of 2 required approvals"}], "plan": None})
    write(os.path.join(root, "promote", "promotion.json"),
          {"from": "stg-uaenorth", "to": "prd-uaenorth", "rollback_to": None, "forced": False,
           "reason": None, "drop_digest": False, "changes": [], "not_promoted": [], "refusals": [],
           "files": []})


if __name__ == "__main__":
    main()
