#!/usr/bin/env bash
# Every waiver kind, expiry at its edge, expired and stale waivers, dedupe across
# targets and reports.
. "$(dirname "$0")/../lib/common.sh"
need_cmd jq
SCAN=$PLATCI_BIN/platci-scan
P=$T_TMP/policy.yaml
cat >"$P" <<'Y'
version: 1
defaults: {fail_severity: high, report_severity: unknown}
environments:
  test: {}
  other: {}
Y
# Two images; CVE-A appears twice in img1 (two targets), CVE-B once per image.
cat >"$T_TMP/r1.json" <<'J'
{"SchemaVersion": 2, "ArtifactName": "reg.example/app/img1:1.0", "ArtifactType": "container_image",
 "Results": [
  {"Target": "reg.example/app/img1:1.0 (alpine 3.20)", "Class": "os-pkgs", "Type": "alpine",
   "Vulnerabilities": [
    {"VulnerabilityID": "CVE-2024-0001", "PkgName": "openssl", "InstalledVersion": "3.1", "FixedVersion": "3.2",
     "Severity": "CRITICAL", "PkgIdentifier": {"PURL": "pkg:apk/alpine/openssl@3.1?arch=x86_64"}},
    {"VulnerabilityID": "CVE-2024-0002", "PkgName": "zlib", "InstalledVersion": "1.3", "Severity": "HIGH"}]},
  {"Target": "usr/lib/node_modules/app/package-lock.json", "Class": "lang-pkgs", "Type": "npm",
   "Vulnerabilities": [
    {"VulnerabilityID": "CVE-2024-0001", "PkgName": "openssl", "InstalledVersion": "3.1", "Severity": "CRITICAL"},
    {"VulnerabilityID": "GHSA-aaaa-bbbb-cccc", "PkgName": "lodash", "InstalledVersion": "4.17.4",
     "PkgPath": "usr/lib/node_modules/app/node_modules/lodash/package.json", "Severity": "HIGH",
     "PkgIdentifier": {"PURL": "pkg:npm/lodash@4.17.4"}}]}]}
J
cat >"$T_TMP/r2.json" <<'J'
{"SchemaVersion": 2, "ArtifactName": "reg.example/app/img2:2.0", "ArtifactType": "container_image",
 "Results": [{"Target": "reg.example/app/img2:2.0 (debian 12.5)", "Class": "os-pkgs", "Type": "debian",
   "Vulnerabilities": [{"VulnerabilityID": "CVE-2024-0002", "PkgName": "zlib", "InstalledVersion": "1.3", "Severity": "HIGH"}]}]}
J
run() { "$SCAN" --policy "$P" --env test --reports "$T_TMP/rep" "$@"; }

# Dedupe: r1 twice plus r2 -> CVE-0001 once for img1, CVE-0002 once per image.
expect_exit 1 -- run --now 2026-11-26T10:00:00Z "$T_TMP/r1.json" "$T_TMP/r1.json" "$T_TMP/r2.json"
assert_contains "$T_TMP/err" "4 unique findings (5 duplicates folded)"
assert_contains "$T_TMP/out" "reg.example/app/img1:1.0: critical 1, high 2,"
assert_contains "$T_TMP/out" "reg.example/app/img2:2.0: critical 0, high 1,"
[ "$(jq '.vulnerabilities | length' "$T_TMP/rep/gl-container-scanning-report.json")" = 4 ] || fail "dedupe: want 4 vulnerabilities"
[ "$(jq '[.vulnerabilities[].id] | unique | length' "$T_TMP/rep/gl-container-scanning-report.json")" = 4 ] || fail "ids not unique"

# .trivyignore with exp: one live, one expired the day before, one never matching.
printf '# comment\nCVE-2024-0001 exp:2026-11-27\nCVE-2024-0002 exp:2026-11-25 key:value\nCVE-1999-9999\n' >"$T_TMP/.trivyignore"
expect_exit 1 -- run --now 2026-11-26T10:00:00Z --ignore "$T_TMP/.trivyignore" "$T_TMP/r1.json"
assert_contains "$T_TMP/err" "1 waived, 1 expired and 1 stale waivers"
jq -e '[.findings[] | select(.rule == "scan.waiver-expired")] | length == 1' "$T_TMP/rep/findings.json" >/dev/null \
  || fail "expired waiver finding missing"
grep -q 'CVE-2024-0002.*expired on 2026-11-25; the 1 finding(s) it covered are reported again' "$T_TMP/rep/findings.json" \
  || fail "expired waiver message"
jq -e '[.findings[] | select(.rule == "scan.waiver-stale")][0].message | test("CVE-1999-9999")' "$T_TMP/rep/findings.json" >/dev/null \
  || fail "stale waiver finding missing"

# Expiry edge: every waiver holds through the end of its date in the platform's zone
# (Asia/Dubai, +04:00: midnight is 20:00 UTC), not a second later; Trivy's own reading
# (until 00:00 UTC of the date) is not used, so one date means one thing in every file.
printf 'CVE-2024-0001 exp:2026-11-26\nCVE-2024-0002\nGHSA-aaaa-bbbb-cccc\n' >"$T_TMP/edge"
expect_exit 0 -- run --now 2026-11-26T19:59:59Z --ignore "$T_TMP/edge" "$T_TMP/r1.json"
expect_exit 1 -- run --now 2026-11-26T20:00:00Z --ignore "$T_TMP/edge" "$T_TMP/r1.json"
assert_contains "$T_TMP/err" "CVE-2024-0001"

# .trivyignore.yaml: paths against the target or package path, purls without a version.
cat >"$T_TMP/ignore.yaml" <<'Y'
vulnerabilities:
  - id: GHSA-aaaa-bbbb-cccc
    paths: ["**/node_modules/lodash/package.json"]
    statement: lodash is only used in tests
  - id: CVE-2024-0001
    purls: ["pkg:apk/alpine/openssl"]
  - id: CVE-2024-0002
    paths: ["nowhere/*"]
Y
expect_exit 1 -- run --now 2026-11-26T10:00:00Z --ignore "$T_TMP/ignore.yaml" "$T_TMP/r1.json"
# The purl matches only the os-pkgs copy; the lockfile copy (no purl) merged into it.
assert_contains "$T_TMP/err" "2 waived"
assert_contains "$T_TMP/err" "1 stale waivers"
assert_contains "$T_TMP/rep/findings.json" "lodash is only used in tests"

# GitLab's vulnerability-allowlist.yml: image key is a substring of the image without tag.
cat >"$T_TMP/allow.yml" <<'Y'
generalallowlist:
  cve-2024-0002: zlib
images:
  reg.example/app/img1:
    CVE-2024-0001: openssl
Y
expect_exit 1 -- run --now 2026-11-26T10:00:00Z --ignore "$T_TMP/allow.yml" "$T_TMP/r1.json" "$T_TMP/r2.json"
assert_contains "$T_TMP/err" "3 waived"   # CVE-0002 in both images and CVE-0001 in img1; GHSA still fails

# platci waivers: environments scope them; reason, owner and expiry are required.
cat >"$T_TMP/w.yaml" <<'Y'
waivers:
  - id: GHSA-aaaa-bbbb-cccc
    image: "reg.example/app/img1:*"
    package: lodash
    environments: [other]
    reason: accepted for the other environment
    owner: team-a
    expires: 2027-01-01
Y
expect_exit 1 -- run --now 2026-11-26T10:00:00Z --ignore "$T_TMP/w.yaml" "$T_TMP/r1.json"
assert_contains "$T_TMP/err" "0 waived"
expect_exit 1 -- "$SCAN" --policy "$P" --env other --reports "$T_TMP/rep" --now 2026-11-26T10:00:00Z --ignore "$T_TMP/w.yaml" "$T_TMP/r1.json"
assert_contains "$T_TMP/err" "1 waived"
printf 'waivers:\n  - id: CVE-2024-0001\n    reason: r\n    owner: o\n' >"$T_TMP/bad.yaml"
expect_exit 65 -- run --ignore "$T_TMP/bad.yaml" "$T_TMP/r1.json"
assert_contains "$T_TMP/err" "bad.yaml:2:5: error: a waiver needs \"expires\""
printf 'waivers:\n  - id: X\n    reason: r\n    owner: o\n    expires: 2026-13-01\n' >"$T_TMP/bad.yaml"
expect_exit 65 -- run --ignore "$T_TMP/bad.yaml" "$T_TMP/r1.json"
assert_contains "$T_TMP/err" "bad.yaml:5:14: error: \"expires\": 2026-13-01 is not a date (there is no month 13)"
printf 'CVE-1 exp:2026-02-30\n' >"$T_TMP/bad.ignore"
expect_exit 65 -- run --ignore "$T_TMP/bad.ignore" "$T_TMP/r1.json"
assert_contains "$T_TMP/err" "bad.ignore:1:11: error: bad expiry \"exp:2026-02-30\""
expect_exit 66 -- run --ignore "$T_TMP/missing.ignore" "$T_TMP/r1.json"

# Licences: an SPDX expression is waived only when every licence in it is ("X WITH Y" is one).
cat >"$T_TMP/lic.json" <<'J'
{"SchemaVersion": 2, "ArtifactName": "reg.example/app/img1:1.0", "Results": [{"Target": "OS Packages", "Class": "license",
 "Licenses": [{"Severity": "HIGH", "Category": "restricted", "PkgName": "gcc", "Name": "GPL-3.0-only OR Apache-2.0 WITH LLVM-exception"},
              {"Severity": "HIGH", "Category": "restricted", "PkgName": "bash", "Name": "GPL-3.0-only AND MIT"}]}]}
J
printf 'licenses:\n  - id: GPL-3.0-only\n  - id: Apache-2.0 WITH LLVM-exception\n' >"$T_TMP/lic.yaml"
expect_exit 1 -- run --now 2026-11-26T10:00:00Z --ignore "$T_TMP/lic.yaml" "$T_TMP/lic.json"
assert_contains "$T_TMP/err" "1 waived"
assert_contains "$T_TMP/err" "license GPL-3.0-only AND MIT"
printf 'licenses:\n  - id: GPL-3.0-only\n  - id: Apache-2.0 WITH LLVM-exception\n  - id: MIT\n' >"$T_TMP/lic.yaml"
expect_exit 0 -- run --now 2026-11-26T10:00:00Z --ignore "$T_TMP/lic.yaml" "$T_TMP/lic.json"
assert_contains "$T_TMP/err" "2 waived"

# The shared fixtures of every format load.
if [ -d "$PLATCI_FIXTURES/trivyignore" ]; then
  for f in aquasecurity_trivy__trivyignore aquasecurity_trivy__trivyignore.yaml gitlab-container-scanning__general-allowlist.yml \
           gitlab-container-scanning__image-allowlist.yml gitlab-container-scanning__image-sha-allowlist.yml \
           gitlab-container-scanning__vulnerability-allowlist.yml; do
    "$SCAN" --policy "$P" --env test --counts --ignore "$PLATCI_FIXTURES/trivyignore/$f" "$T_TMP/r1.json" >/dev/null 2>"$T_TMP/err"
    [ $? -le 1 ] || fail "fixture $f did not load: $(head -2 "$T_TMP/err")"
  done
else
  echo "SKIP fixture waiver files: shared fixtures not found"
fi
finish
