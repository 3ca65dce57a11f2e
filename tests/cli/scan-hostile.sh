#!/usr/bin/env bash
# Garbage in: the contract exit code, a clear message with a position, no crash, no
# half-written reports; and a secret's matched text never reaches a log or report.
. "$(dirname "$0")/../lib/common.sh"
SCAN=$PLATCI_BIN/platci-scan
P=$T_TMP/policy.yaml
printf 'version: 1\ndefaults: {fail_severity: critical, report_severity: unknown}\nenvironments: {test: {}}\n' >"$P"
run() { "$SCAN" --policy "$P" --reports "$T_TMP/rep" --now 2026-11-26T10:00:00Z "$@"; }

# Usage and missing input.
expect_exit 64 -- run
expect_exit 64 -- run --bogus x.json
expect_exit 64 -- run --env nowhere "$T_TMP/none.json"
assert_contains "$T_TMP/err" "no environment \"nowhere\""
expect_exit 64 -- run --ignore
expect_exit 66 -- run "$T_TMP/none.json"
assert_contains "$T_TMP/err" "none.json: error: cannot open"

# 0-byte file, not JSON, truncated JSON.
: >"$T_TMP/empty.json"
expect_exit 65 -- run "$T_TMP/empty.json"
assert_contains "$T_TMP/err" "empty.json"
assert_contains "$T_TMP/err" "the input is empty"
printf '{"SchemaVersion": 2,\n  "Results": [ {"Target": "x" ]\n}' >"$T_TMP/broken.json"
expect_exit 65 -- run "$T_TMP/broken.json"
assert_contains "$T_TMP/err" "broken.json:2:"
printf '{"SchemaVersion": 2, "Results": [' >"$T_TMP/trunc.json"
expect_exit 65 -- run "$T_TMP/trunc.json"
assert_contains "$T_TMP/err" "truncated"

# JSON that is not a Trivy report, and versions platci does not know.
printf '{"name": "package", "version": "1.0.0"}\n' >"$T_TMP/pkg.json"
expect_exit 65 -- run "$T_TMP/pkg.json"
assert_contains "$T_TMP/err" "not a Trivy report"
printf '"just a string"\n' >"$T_TMP/str.json"
expect_exit 65 -- run "$T_TMP/str.json"
assert_contains "$T_TMP/err" "not a Trivy report: the document is a string"
printf '[{"Name": "x"}]\n' >"$T_TMP/arr.json"
expect_exit 65 -- run "$T_TMP/arr.json"
assert_contains "$T_TMP/err" "no Target"
printf '{"SchemaVersion": 3, "Results": []}\n' >"$T_TMP/v3.json"
expect_exit 65 -- run "$T_TMP/v3.json"
assert_contains "$T_TMP/err" "v3.json:1: error: unsupported Trivy SchemaVersion 3"

# Wrong types, with the line of the offending finding.
printf '{"SchemaVersion": 2, "Results": [{"Target": "t",\n "Vulnerabilities": [\n {"VulnerabilityID": "CVE-1", "Severity": 5}]}]}\n' >"$T_TMP/types.json"
expect_exit 65 -- run "$T_TMP/types.json"
assert_contains "$T_TMP/err" "types.json:3: error: vulnerability: Severity must be a string"
printf '{"SchemaVersion": 2, "Results": [{"Target": "t", "Vulnerabilities": [{"VulnerabilityID": "CVE-1", "Severity": "SEVERE"}]}]}\n' >"$T_TMP/sev.json"
expect_exit 65 -- run "$T_TMP/sev.json"
assert_contains "$T_TMP/err" "unknown Severity \"SEVERE\""
printf '{"SchemaVersion": 2, "Results": [{"Target": 7, "Vulnerabilities": []}]}\n' >"$T_TMP/target.json"
expect_exit 65 -- run "$T_TMP/target.json"
assert_contains "$T_TMP/err" "Result.Target must be a string"
printf '{"SchemaVersion": 2, "Results": {"a": {"Target": "t"}}}\n' >"$T_TMP/results.json"
expect_exit 65 -- run "$T_TMP/results.json"
assert_contains "$T_TMP/err" "Results must be an array"
printf '{"SchemaVersion": 2, "Results": [{"Target": "t", "Vulnerabilities": {"x": {"VulnerabilityID": "CVE-1"}}}]}\n' >"$T_TMP/vobj.json"
expect_exit 65 -- run "$T_TMP/vobj.json"
assert_contains "$T_TMP/err" "Vulnerabilities must be an array"
printf '{"SchemaVersion": 2, "Results": [{"Target": "t", "Vulnerabilities": ["CVE-1"]}]}\n' >"$T_TMP/vstr.json"
expect_exit 65 -- run "$T_TMP/vstr.json"
assert_contains "$T_TMP/err" "vulnerability: must be an object"
printf '{"SchemaVersion": 2, "Results": [{"Target": "t", "Vulnerabilities": [{"VulnerabilityID": "CVE-1", "CVSS": []}]}]}\n' >"$T_TMP/cvss.json"
expect_exit 65 -- run "$T_TMP/cvss.json"
assert_contains "$T_TMP/err" "CVSS must be an object"

# Deep nesting stops at the limit with a position, without a crash.
python3 -c 'import sys; sys.stdout.write("{\"SchemaVersion\": 2, \"Results\": [{\"Target\": \"t\", \"Vulnerabilities\": [{\"VulnerabilityID\": \"CVE-1\", \"X\": " + "[" * 100000 + "]" * 100000 + "}]}]}")' >"$T_TMP/deep.json"
expect_exit 65 -- run "$T_TMP/deep.json"
assert_contains "$T_TMP/err" "nested deeper than the limit"
python3 -c 'import sys; sys.stdout.write("[" * 100000)' >"$T_TMP/deep2.json"
expect_exit 65 -- run "$T_TMP/deep2.json"

# A huge string inside one finding is refused; a huge string that platci skips is not.
python3 -c 'import sys; sys.stdout.write("{\"SchemaVersion\": 2, \"Results\": [{\"Target\": \"t\", \"Vulnerabilities\": [{\"VulnerabilityID\": \"CVE-1\", \"Severity\": \"LOW\", \"Description\": \"" + "A" * (20 * 1024 * 1024) + "\"}]}]}")' >"$T_TMP/huge.json"
expect_exit 65 -- run "$T_TMP/huge.json"
assert_contains "$T_TMP/err" "larger than the limit"
python3 -c 'import sys; sys.stdout.write("{\"SchemaVersion\": 2, \"Metadata2\": \"" + "B" * (30 * 1024 * 1024) + "\", \"Results\": [{\"Target\": \"t\", \"Vulnerabilities\": [{\"VulnerabilityID\": \"CVE-1\", \"Severity\": \"LOW\", \"Title\": \"" + "T" * 100000 + "\"}]}]}")' >"$T_TMP/huge2.json"
expect_exit 0 -- run "$T_TMP/huge2.json"
[ "$(jq -r '.vulnerabilities[0].name | length' "$T_TMP/rep/gl-container-scanning-report.json")" -le 255 ] || fail "name not cut to 255"

# A failed run leaves no report behind; a good run before it is not half-overwritten.
rm -rf "$T_TMP/rep"
expect_exit 65 -- run "$T_TMP/types.json"
[ ! -e "$T_TMP/rep/gl-container-scanning-report.json" ] || fail "a failed run wrote reports"

# Bad policies: position and exit 65.
printf 'version: 1\nenvironments:\n  test:\n    fail_severity: severe\n' >"$T_TMP/badpol.yaml"
expect_exit 65 -- "$SCAN" --policy "$T_TMP/badpol.yaml" "$T_TMP/pkg.json"
assert_contains "$T_TMP/err" "badpol.yaml:4:20: error: fail_severity: unknown severity \"severe\""
printf 'version: 1\ndefaults:\n  ignore_statuses: [fixed, wontfix]\n' >"$T_TMP/badpol.yaml"
expect_exit 65 -- "$SCAN" --policy "$T_TMP/badpol.yaml" "$T_TMP/pkg.json"
assert_contains "$T_TMP/err" "unknown status \"wontfix\""
printf 'version: 1\ndefaults:\n  fail_severty: high\n' >"$T_TMP/badpol.yaml"
expect_exit 65 -- "$SCAN" --policy "$T_TMP/badpol.yaml" "$T_TMP/pkg.json"
assert_contains "$T_TMP/err" "badpol.yaml:3:3: error: unknown key \"fail_severty\""
printf 'version: 2\n' >"$T_TMP/badpol.yaml"
expect_exit 65 -- "$SCAN" --policy "$T_TMP/badpol.yaml" "$T_TMP/pkg.json"

# Secrets: the matched text (here unmasked, as a careless tool could write it) never leaks.
SECRET=AKIAZZZZSECRETVALUE9
cat >"$T_TMP/secret.json" <<J
{"SchemaVersion": 2, "ArtifactName": ".", "ArtifactType": "filesystem",
 "Results": [{"Target": "deploy/env.sh", "Class": "secret",
   "Secrets": [{"RuleID": "aws-access-key-id", "Category": "AWS", "Severity": "CRITICAL",
     "Title": "AWS Access Key ID", "StartLine": 3, "EndLine": 3,
     "Code": {"Lines": [{"Number": 3, "Content": "export AWS_ACCESS_KEY_ID=$SECRET", "IsCause": true}]},
     "Match": "export AWS_ACCESS_KEY_ID=$SECRET"}]}]}
J
expect_exit 1 -- run "$T_TMP/secret.json"
cat "$T_TMP/out" "$T_TMP/err" >"$T_TMP/all"
cat "$T_TMP"/rep/* >>"$T_TMP/all"
assert_not_contains "$T_TMP/all" "$SECRET"
jq -e '.[0].location.path == "deploy/env.sh"' "$T_TMP/rep/gl-code-quality-report.json" >/dev/null ||
  fail "the secret's Code Quality issue is not at deploy/env.sh"
assert_contains "$T_TMP/rep/junit.xml" "aws-access-key-id deploy/env.sh:3"
finish
