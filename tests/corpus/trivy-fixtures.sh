#!/usr/bin/env bash
# Every file under fixtures/trivy/ is read or refused as not a report; for every
# report the vulnerability counts per severity equal what jq computes from the
# input, and gl-container-scanning-report.json validates against schema 15.0.7.
. "$(dirname "$0")/../lib/common.sh"
need_fixtures trivy
need_cmd jq
SCAN=$PLATCI_BIN/platci-scan
POLICY=$PLATCI_SOURCE_DIR/tests/golden/scan/inputs/report-all.yaml
SCHEMA=$PLATCI_FIXTURES/schemas/gitlab-container-scanning-report-format-15.0.7.json
mkdir -p "$T_TMP/cs"

# The same walk as platci's reader: every shape's Results, then Vulnerabilities.
JQ='def results: if type == "array" then .[]
      elif type == "object" then ((.Results // [])[]),
        ((.Resources // .Findings // [])[] | (.Results // [])[]),
        ((.Vulnerabilities // [])[] | objects | (.Results // [])[]),
        ((.Misconfigurations // [])[] | objects | (.Results // [])[])
      else empty end;
    def sev: if (.Severity // "") != "" then (.Severity | ascii_upcase)
      else ((.VendorSeverity // {}) as $v
        | ($v[.SeveritySource // ""] // ([$v[] | numbers] | max) // 0)
        | ["UNKNOWN","LOW","MEDIUM","HIGH","CRITICAL"][.]) end;
    [results | objects | (.Vulnerabilities // [])[] | select((.VulnerabilityID // "") != "") | sev] as $s
    | "critical \($s | map(select(. == "CRITICAL")) | length), high \($s | map(select(. == "HIGH")) | length), medium \($s | map(select(. == "MEDIUM")) | length), low \($s | map(select(. == "LOW")) | length), unknown \($s | map(select(. == "UNKNOWN")) | length)"'

n=0; refused=0
for f in "$PLATCI_FIXTURES"/trivy/*; do
  case "$f" in *LICENSE*|*NOTICE*|*SOURCES*) continue ;; esac
  n=$((n + 1)); b=$(basename "$f")
  "$SCAN" --policy "$POLICY" --env test --counts "$f" >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
  if [ $rc = 65 ]; then
    grep -q "not a Trivy report" "$T_TMP/err" || fail "$b: exit 65 without saying why: $(head -2 "$T_TMP/err")"
    refused=$((refused + 1)); continue
  fi
  [ $rc = 0 ] || { fail "$b: exit $rc: $(head -3 "$T_TMP/err")"; continue; }
  want=$(jq -r "$JQ" "$f")
  got=$(sed -n 's/^read: //p' "$T_TMP/out")
  [ "$want" = "$got" ] || fail "$b: platci read ($got), jq computed ($want)"
  reported=$(sed -n 's/^reported: //p' "$T_TMP/out")
  dups=$(sed -n 's/.*duplicates \([0-9]*\),.*/\1/p' "$T_TMP/out")
  "$SCAN" --policy "$POLICY" --env test --now 2026-11-26T10:00:00Z --reports "$T_TMP/r" "$f" >/dev/null 2>&1 \
    || fail "$b: full run failed"
  cp "$T_TMP/r/gl-container-scanning-report.json" "$T_TMP/cs/$b.json"
  cs=$(jq -r '[.vulnerabilities[].severity] as $s | "critical \($s | map(select(. == "Critical")) | length), high \($s | map(select(. == "High")) | length), medium \($s | map(select(. == "Medium")) | length), low \($s | map(select(. == "Low")) | length), unknown \($s | map(select(. == "Unknown")) | length)"' "$T_TMP/cs/$b.json")
  [ "$cs" = "$reported" ] || fail "$b: container scanning has ($cs), platci reported ($reported)"
  # Without duplicates nothing is folded: the report must hold exactly what jq counted.
  if [ "$dups" = 0 ]; then [ "$cs" = "$want" ] || fail "$b: container scanning ($cs) != jq ($want)"; fi
done
echo "read $n files, $refused refused as not a Trivy report"
[ "$refused" -ge 1 ] || fail "expected the non-report fixture to be refused"

if [ -x "$PLATCI_SOURCE_DIR/node_modules/.bin/ajv" ]; then
  "$PLATCI_SOURCE_DIR/node_modules/.bin/ajv" validate --spec=draft7 --strict=false -c ajv-formats \
    -s "$SCHEMA" -d "$T_TMP/cs/*.json" >"$T_TMP/ajv" 2>&1 || { fail "schema validation failed"; grep -v ' valid$' "$T_TMP/ajv" | head -20 >&2; }
  echo "ajv: $(grep -c ' valid$' "$T_TMP/ajv") reports valid against 15.0.7"
else
  echo "SKIP schema check: node_modules/.bin/ajv is missing (run scripts/install-deps)"
fi
finish
