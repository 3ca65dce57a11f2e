#!/usr/bin/env bash
# platform.json against docs/platform.schema.json: the fixture run, a run with unusable and
# hostile reports, a run without platci.yaml, and a broken copy that the schema must refuse.
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"
ajv=node_modules/.bin/ajv
[ -x "$ajv" ] || skip "ajv-cli is not installed (scripts/npm-tools)"
need_cmd jq
REPORT=$PLATCI_BIN/platci-report
RES=tests/resources/report
check() { # name file
  "$ajv" validate --spec=draft7 -c ajv-formats -s docs/platform.schema.json -d "$2" >"$T_TMP/ajv" 2>&1 ||
    { fail "$1: platform.json does not match its schema"; cat "$T_TMP/ajv" >&2; }
}

cp -R "$RES/reports" "$T_TMP/r1"
"$REPORT" --config "$RES/repo/platci.yaml" --now 2026-11-26T03:00:00Z --project-url https://gitlab.example.com/g/p \
  --out "$T_TMP/o1" "$T_TMP/r1" >/dev/null 2>&1 || fail "fixture run exited $?"
check fixture "$T_TMP/o1/platform.json"

cp -R "$RES/reports" "$T_TMP/r2"
printf '{"findings": [' >"$T_TMP/r2/findings.json"
mkdir -p "$T_TMP/r2/scan-qa\"<x>"
printf '%s' '{"version": "15.0.7", "vulnerabilities": [{"severity": "Critical", "location": {"image": "<img src=x>"}}]}' \
  >"$T_TMP/r2/scan-qa\"<x>/gl-container-scanning-report.json"
"$REPORT" --config "$RES/repo/platci.yaml" --out "$T_TMP/o2" "$T_TMP/r2" >/dev/null 2>&1
[ $? = 65 ] || fail "unusable run did not exit 65"
check unusable "$T_TMP/o2/platform.json"

"$REPORT" --config "$T_TMP/none.yaml" --out "$T_TMP/o3" "$T_TMP/r1" >/dev/null 2>&1
check no-config "$T_TMP/o3/platform.json"

# A schema that cannot fail proves nothing.
jq 'del(.inputs) | .drift[0].items[0].state = "maybe"' "$T_TMP/o1/platform.json" >"$T_TMP/broken.json"
"$ajv" validate --spec=draft7 -c ajv-formats -s docs/platform.schema.json -d "$T_TMP/broken.json" >/dev/null 2>&1 &&
  fail "the schema accepts a platform.json without inputs"
finish
