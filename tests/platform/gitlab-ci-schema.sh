#!/bin/sh
# .gitlab-ci.yml and every pipelines/*.yml validate against GitLab's CI JSON
# schema (draft-07, ajv-cli); a deliberately broken copy of a job is
# rejected; house rules hold (rules: not only/except, artifact expiry,
# resource_group and environment per plan/apply job, drift matrix).
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$PLATCI_SOURCE_DIR" || fail "cannot cd to $PLATCI_SOURCE_DIR"

schema=$PLATCI_FIXTURES/schemas/gitlab-ci-schema.json
[ -f "$schema" ] || skip "GitLab CI schema not found at $schema"
need_node
ajv=$PLATCI_SOURCE_DIR/node_modules/.bin/ajv
[ -x "$ajv" ] || skip "ajv-cli not installed (node_modules/.bin/ajv)"
[ -f .gitlab-ci.yml ] || fail ".gitlab-ci.yml missing"
make_tmp

set -- .gitlab-ci.yml
for f in pipelines/*.yml; do set -- "$@" "$f"; done
ajv_args=
mkdir "$TMPD/json"
for f in "$@"; do
	out=$TMPD/json/$(printf '%s' "$f" | tr '/' '_').json
	node "$PLATCI_SOURCE_DIR/tests/platform/lib/yaml2json.js" "$f" "$out" ||
		fail "$f is not valid YAML"
	ajv_args="$ajv_args -d $out"
done

validate() {
	# shellcheck disable=SC2086
	"$ajv" validate --spec=draft7 -c ajv-formats --strict=false --all-errors \
		-s "$schema" $1 >"$TMPD/ajv.log" 2>&1
}

validate "$ajv_args" || { cat "$TMPD/ajv.log" >&2; fail "schema validation failed"; }

# The check must be able to fail: break one real job in three ways.
plan_json=$TMPD/json/pipelines_plan.yml.json
node -e '
const fs = require("fs");
const [src, dir] = process.argv.slice(1);
const doc = JSON.parse(fs.readFileSync(src, "utf8"));
const job = doc["plan:dev-uaenorth"];
if (!job) { console.error("plan:dev-uaenorth not found"); process.exit(2); }
const variants = {
  when: (j) => { j.rules[0].when = "sometimes"; },
  report: (j) => { j.artifacts = { paths: ["x"], reports: { terraform: 42 } }; },
  keyword: (j) => { j.enviroment = { name: "dev-uaenorth" }; },
};
for (const [name, mutate] of Object.entries(variants)) {
  const copy = JSON.parse(JSON.stringify(doc));
  mutate(copy["plan:dev-uaenorth"]);
  fs.writeFileSync(`${dir}/broken-${name}.json`, JSON.stringify(copy));
}' "$plan_json" "$TMPD" || fail "could not build the broken copies"
for variant in when report keyword; do
	if validate "-d $TMPD/broken-$variant.json"; then
		fail "a broken copy of plan:dev-uaenorth ($variant) passed the schema"
	fi
done

node "$PLATCI_SOURCE_DIR/tests/platform/lib/ci-lint.js" "$TMPD/json" >"$TMPD/lint.log" 2>&1 ||
	{ cat "$TMPD/lint.log" >&2; fail "CI house rules"; }

pass "$# files valid, 3 broken copies rejected"
