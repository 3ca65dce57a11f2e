#!/usr/bin/env bash
# The jobs docs/report.md proposes (validate with expose_as, the scheduled pages job) are
# valid GitLab CI: each YAML block, as a whole .gitlab-ci.yml, against GitLab's CI schema;
# a broken copy (expose_as with a variable path is allowed by the schema, so: a bad
# artifacts key) is refused.
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"
schema=$PLATCI_FIXTURES/schemas/gitlab-ci-schema.json
[ -f "$schema" ] || skip "GitLab CI schema not found at $schema"
ajv=node_modules/.bin/ajv
[ -x "$ajv" ] || skip "ajv-cli is not installed (scripts/npm-tools)"
need_cmd python3
need_cmd node

# Each block to YAML, to JSON (js-yaml, as tests/platform does), with the stages it names.
python3 - docs/report.md "$T_TMP" <<'PY' || fail "cannot extract the YAML blocks of docs/report.md"
import re, sys
blocks = re.findall(r"```yaml\n(.*?)```", open(sys.argv[1]).read(), re.S)
assert len(blocks) == 2, "expected the validate and pages jobs"
for i, b in enumerate(blocks):
    open("%s/job%d.yml" % (sys.argv[2], i), "w").write(b)
PY
for i in 0 1; do
  node tests/platform/lib/yaml2json.js "$T_TMP/job$i.yml" "$T_TMP/raw$i.json" || fail "block $i is not YAML"
  python3 - "$T_TMP/raw$i.json" "$T_TMP/job$i.json" "$T_TMP/broken$i.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["stages"] = ["build", "validate", "drift", "report"]
json.dump(doc, open(sys.argv[2], "w"))
doc[list(doc)[0]]["artifacts"]["expose"] = "x"
json.dump(doc, open(sys.argv[3], "w"))
PY
done
for i in 0 1; do
  "$ajv" validate --spec=draft7 -c ajv-formats --strict=false -s "$schema" -d "$T_TMP/job$i.json" \
    >"$T_TMP/ajv" 2>&1 || { fail "block $i of docs/report.md is not valid GitLab CI"; cat "$T_TMP/ajv" >&2; }
  "$ajv" validate --spec=draft7 -c ajv-formats --strict=false -s "$schema" -d "$T_TMP/broken$i.json" \
    >/dev/null 2>&1 && fail "the schema accepts a broken copy of block $i"
done
grep -q 'expose_as: "platform page"' docs/report.md || fail "the validate job does not expose the page"
finish
