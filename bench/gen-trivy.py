#!/usr/bin/env python3
"""Generate a large Trivy report (SchemaVersion 2) for the scan benchmark.

    bench/gen-trivy.py OUT.json [--vulns N] [--targets T] [--seed S]

The shape is what `trivy image` writes for a fat image with many language
lockfiles: Metadata, then Results[] (one os-pkgs target and many lang-pkgs
targets), each vulnerability carrying the fields real reports carry
(PkgIdentifier, Layer, DataSource, VendorSeverity, CVSS, References, a
Description of a few hundred bytes). About 1 KB per vulnerability, so the
default 200,000 vulnerabilities make roughly 200 MB.

Vulnerability ids are drawn from a pool, as in real scans where the same CVE
shows up in many packages and targets; every (package, version, id) triple
within a target is distinct. Python standard library only.
"""
import argparse
import json
import random
import sys

SEVERITIES = ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
WEIGHTS = [5, 30, 40, 18, 7]
STATUSES = ["fixed", "affected", "will_not_fix", "fix_deferred"]
WORDS = ("buffer overflow use after free heap out-of-bounds read write integer "
         "underflow crafted request remote attacker denial of service memory "
         "corruption parser allows via function length check missing validation "
         "certificate handling timing side channel").split()


def sentence(rnd, n):
    return " ".join(rnd.choice(WORDS) for _ in range(n))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--vulns", type=int, default=200000)
    ap.add_argument("--targets", type=int, default=400)
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--distinct", type=int, default=0,
                    help="draw every vulnerability from this many distinct ones, as a cluster "
                         "report repeats an image's findings in every workload (0: all distinct)")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    pool = max(1000, a.vulns // 20)
    cves = []
    for i in range(pool):
        sev = rnd.choices(range(5), WEIGHTS)[0]
        cves.append({
            "id": "CVE-%d-%05d" % (2015 + i % 11, i),
            "sev": sev,
            "title": sentence(rnd, 8),
            "desc": sentence(rnd, 28),
            "score": round(rnd.uniform(1.0, 10.0), 1),
        })
    per_target = a.vulns // a.targets
    extra = a.vulns - per_target * a.targets
    with open(a.out, "w") as f:
        head = {
            "SchemaVersion": 2,
            "CreatedAt": "2026-11-20T10:00:00.000000001Z",
            "ArtifactName": "acrplatform.azurecr.io/bench/monolith:1.0.0",
            "ArtifactType": "container_image",
            "Metadata": {
                "OS": {"Family": "debian", "Name": "12.5"},
                "ImageID": "sha256:" + "ab" * 32,
                "RepoTags": ["acrplatform.azurecr.io/bench/monolith:1.0.0"],
                "RepoDigests": ["acrplatform.azurecr.io/bench/monolith@sha256:" + "cd" * 32],
            },
        }
        text = json.dumps(head, indent=2)
        f.write(text[:-2] + ',\n  "Results": [\n')
        for t in range(a.targets):
            n = per_target + (1 if t < extra else 0)
            if t == 0:
                target, cls, typ = ("acrplatform.azurecr.io/bench/monolith:1.0.0 (debian 12.5)",
                                    "os-pkgs", "debian")
            else:
                target, cls, typ = ("app/svc%04d/package-lock.json" % t, "lang-pkgs", "npm")
            vulns = []
            for j in range(n):
                if a.distinct:
                    k = (t * per_target + j) % a.distinct
                    rnd.seed(a.seed * 1000003 + k)  # the same finding each time it repeats
                    c = cves[rnd.randrange(pool)]
                    pkg = "pkg%05d" % (k // 3)
                    ver = "2.0.%d" % k
                else:
                    c = cves[rnd.randrange(pool)]
                    pkg = "pkg%05d" % (j // 3)
                    ver = "1.%d.%d" % (t % 17, j)
                fixed = "1.%d.%d" % (t % 17 + 1, j) if rnd.random() < 0.6 else ""
                v = {
                    "VulnerabilityID": c["id"],
                    "PkgID": pkg + "@" + ver,
                    "PkgName": pkg,
                    "PkgIdentifier": {"PURL": "pkg:npm/%s@%s" % (pkg, ver), "UID": "%016x" % rnd.getrandbits(64)},
                    "InstalledVersion": ver,
                    "FixedVersion": fixed,
                    "Status": "fixed" if fixed else rnd.choice(STATUSES[1:]),
                    "Layer": {"DiffID": "sha256:" + "ef" * 32},
                    "SeveritySource": "nvd",
                    "PrimaryURL": "https://avd.aquasec.com/nvd/" + c["id"].lower(),
                    "DataSource": {"ID": "ghsa", "Name": "GitHub Security Advisory npm",
                                   "URL": "https://github.com/advisories?query=type%3Areviewed+ecosystem%3Anpm"},
                    "Title": c["title"],
                    "Description": c["desc"],
                    "Severity": SEVERITIES[c["sev"]],
                    "CweIDs": ["CWE-%d" % (100 + c["sev"])],
                    "VendorSeverity": {"nvd": c["sev"], "ghsa": c["sev"]},
                    "CVSS": {"nvd": {"V3Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                                     "V3Score": c["score"]}},
                    "References": ["https://nvd.nist.gov/vuln/detail/" + c["id"],
                                   "https://github.com/advisories/" + c["id"]],
                    "PublishedDate": "2023-01-01T00:00:00Z",
                    "LastModifiedDate": "2024-01-01T00:00:00Z",
                }
                vulns.append(v)
            # One vulnerability per line keeps the file near 1 KB per entry.
            f.write('    {"Target": %s, "Class": "%s", "Type": "%s", "Vulnerabilities": [\n'
                    % (json.dumps(target), cls, typ))
            f.write(",\n".join("      " + json.dumps(v, separators=(",", ":")) for v in vulns))
            f.write("\n    ]}")
            f.write(",\n" if t + 1 < a.targets else "\n")
        f.write("  ]\n}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
