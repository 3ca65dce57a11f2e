#!/usr/bin/env bash
# platci-drift reads plans through the one plan reader (issue 12 item 3, issue 13 item 1):
# - terraform_data copies a sensitive `input` into `output` without a marker; neither the old
#   nor the new secret reaches drift.json, summary.md or any other output, as with
#   platci-plan summarize;
# - the same plan saved as UTF-16 with a byte-order mark, or behind setup-terraform's
#   `[command]` line, is accepted by drift exactly as by platci-plan summarize, with the same
#   drift found.
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"
need_cmd python3
need_cmd jq
plan=$T_TMP/plan.json
cat >"$plan" <<'JSON'
{"format_version":"1.2","terraform_version":"1.11.4",
 "resource_drift":[
  {"address":"terraform_data.db_password","mode":"managed","type":"terraform_data","name":"db_password",
   "provider_name":"terraform.io/builtin/terraform",
   "change":{"actions":["update"],
     "before":{"id":"8c5a","input":"S3cr3t-old-Kq81","output":"S3cr3t-old-Kq81","triggers_replace":null},
     "after":{"id":"8c5a","input":"S3cr3t-new-Zt44","output":"S3cr3t-new-Zt44","triggers_replace":null},
     "after_unknown":{},"before_sensitive":{"input":true},"after_sensitive":{"input":true}}},
  {"address":"terraform_data.tier","mode":"managed","type":"terraform_data","name":"tier",
   "change":{"actions":["update"],"before":{"id":"1","input":"small","output":"small"},
     "after":{"id":"1","input":"large","output":"large"},"after_unknown":{},
     "before_sensitive":{},"after_sensitive":{}}}],
 "prior_state":{"values":{"root_module":{"resources":[
   {"address":"terraform_data.db_password","mode":"managed"},{"address":"terraform_data.tier","mode":"managed"}]}}},
 "errored":false}
JSON
python3 - "$plan" "$T_TMP/utf16.json" "$T_TMP/wrapped.json" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))
open(sys.argv[3], "w").write("[command]/home/runner/_temp/terraform show -json tfplan\n" + text)
PY
common=(--config platci.yaml --env dev-uaenorth --now 2026-11-26T02:05:00Z)
for input in plan utf16 wrapped; do
  expect_exit 2 -- "$PLATCI_BIN/platci-drift" "${common[@]}" --reports "$T_TMP/d-$input" \
    --terraform "$T_TMP/$input.json" && cp "$T_TMP/err" "$T_TMP/d-$input.log"
  expect_exit 0 -- "$PLATCI_BIN/platci-plan" summarize --env dev-uaenorth --reports "$T_TMP/p-$input" \
    "$T_TMP/$input.json" || fail "platci-plan summarize refused the $input input"
  [ -s "$T_TMP/d-$input/drift.json" ] || { fail "$input: no drift.json"; continue; }
  # The same drift, whatever the encoding or the wrapper (the plan's path aside).
  jq -S 'del(.inputs.terraform.plan, .items[].file, .items[].line)' "$T_TMP/d-$input/drift.json" >"$T_TMP/d-$input.norm"
done
for input in utf16 wrapped; do
  cmp -s "$T_TMP/d-plan.norm" "$T_TMP/d-$input.norm" || {
    fail "drift of the $input input differs"; diff "$T_TMP/d-plan.norm" "$T_TMP/d-$input.norm" | head >&2; }
done
assert_contains "$T_TMP/d-utf16.log" "UTF-16"
assert_contains "$T_TMP/d-wrapped.log" "[command] line"
if grep -rl "S3cr3t" "$T_TMP"/d-* "$T_TMP"/p-*; then
  fail "a secret reached an output: $(grep -rho 'S3cr3t-[a-zA-Z0-9-]*' "$T_TMP"/d-* "$T_TMP"/p-* | sort -u | tr '\n' ' ')"
fi
# The masked attributes are still named, and what is not secret is still shown.
jq -e '[.items[] | select(.identity == "terraform_data.db_password") | .attributes[]
        | select(.sensitive and .before == "(sensitive value)")] | length == 2' \
  "$T_TMP/d-plan/drift.json" >/dev/null || fail "input and output are not both masked in drift.json"
assert_contains "$T_TMP/d-plan/summary.md" "output"
assert_contains "$T_TMP/d-plan/summary.md" '"large"'
finish
