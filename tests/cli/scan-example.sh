#!/usr/bin/env bash
# platci-scan on the example report for stg and prd: every report equals its golden
# (UPDATE_GOLDEN=1 rewrites them), exit 1 for the fixable critical, the container
# scanning report validates against schema 15.0.7.
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"
SCAN=$PLATCI_BIN/platci-scan
GOLD=tests/golden/scan
NOW=2026-11-26T10:00:00Z
LIBVER=$("$SCAN" --version | grep -o '[0-9][0-9.]*[0-9]' | head -1)

for env in stg-uaenorth prd-uaenorth; do
  out=$T_TMP/$env
  expect_exit 1 -- "$SCAN" --policy policies/scan.yaml --env "$env" --now "$NOW" \
    --ignore examples/trivy/waivers.yaml --reports "$out" examples/trivy/orders-api.trivy.json
  cp "$T_TMP/out" "$out/stdout.txt"
  for f in gl-container-scanning-report.json summary.md findings.json gl-code-quality-report.json junit.xml stdout.txt; do
    # The library version is the only thing that may move between releases.
    [ "$f" = gl-container-scanning-report.json ] && cp "$out/$f" "$out/cs-raw.json"
    if [ "${f##*.}" = json ]; then
      # Reports are compact unless --pretty; the goldens compare parsed.
      unversion='(.. | objects | select(.id == "platci") | .version) |= "VERSION"'
      if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
        mkdir -p "$GOLD/example-$env"; jq "$unversion" "$out/$f" >"$GOLD/example-$env/$f"
      else
        same_json "$GOLD/example-$env/$f" "$out/$f" "$unversion" || fail "$env/$f differs from its golden"
      fi
      continue
    fi
    if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
      mkdir -p "$GOLD/example-$env"; cp "$out/$f" "$GOLD/example-$env/$f"
    elif ! diff -u "$GOLD/example-$env/$f" "$out/$f" >"$T_TMP/diff"; then
      fail "$env/$f differs from its golden"; head -40 "$T_TMP/diff" >&2
    fi
  done
  # --pretty gives the indented layout, the same document.
  if [ "$env" = prd-uaenorth ]; then
    expect_exit 1 -- "$SCAN" --policy policies/scan.yaml --env "$env" --now "$NOW" --pretty \
      --ignore examples/trivy/waivers.yaml --reports "$T_TMP/pretty" examples/trivy/orders-api.trivy.json
    for f in gl-container-scanning-report.json findings.json gl-code-quality-report.json; do
      [ "$(wc -l <"$T_TMP/pretty/$f")" -gt 10 ] || fail "--pretty: $f is not indented"
      [ "$(wc -l <"$out/$f")" -le 2 ] || fail "$f is not compact"
      same_json "$out/$f" "$T_TMP/pretty/$f"
    done
  fi
  assert_contains "$out/summary.md" "<!-- platci:scan:$env -->"
  assert_contains "$out/summary.md" "Waivers expiring within 14 days"
  assert_contains "$T_TMP/err" "CVE-2024-5535"
  # GitLab keys findings on the image without an "(os)" suffix; severities are title case.
  [ "$(jq -r '[.vulnerabilities[].location.image] | unique | join(",")' "$out/gl-container-scanning-report.json")" = \
    "acrplatform.azurecr.io/platform/orders-api:1.4.2" ] || fail "$env: location.image is not the bare image"
  jq -e '[.vulnerabilities[].severity] | all(. == "Critical" or . == "High" or . == "Medium" or . == "Low" or . == "Unknown")' \
    "$out/gl-container-scanning-report.json" >/dev/null || fail "$env: severities not title case"
  jq -e '[.vulnerabilities[].links[]?.url] | all(test("^(https?|ftp)://"))' "$out/gl-container-scanning-report.json" >/dev/null \
    || fail "$env: a link is not a URL"
  if [ -x node_modules/.bin/ajv ] && [ -d "$PLATCI_FIXTURES/schemas" ]; then
    node_modules/.bin/ajv validate --spec=draft7 --strict=false -c ajv-formats \
      -s "$PLATCI_FIXTURES/schemas/gitlab-container-scanning-report-format-15.0.7.json" \
      -d "$out/cs-raw.json" >/dev/null 2>&1 || fail "$env: schema 15.0.7 rejects the report"
  else
    echo "SKIP schema check: node_modules/.bin/ajv or the shared schemas are missing"
  fi
done
# stg ignores unfixed findings and will_not_fix; prd shows them.
grep -q "CVE-2022-0563" "$T_TMP/prd-uaenorth/findings.json" || fail "prd should report the unfixed low"
! grep -q "CVE-2022-0563" "$T_TMP/stg-uaenorth/gl-container-scanning-report.json" || fail "stg should drop unfixed"
finish
