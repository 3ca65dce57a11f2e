#!/bin/sh
# GitLab's CI JSON schema (draft-07, ajv-cli) over:
#   - .gitlab-ci.yml and every pipelines/*.yml as written;
#   - the spec: header of every CI/CD component in templates/;
#   - the pipeline as GitLab would run it: gitlab-ci-local expands the
#     includes, the components with their inputs, extends and anchors, and
#     the expanded file is checked (every component's body is in it);
# a deliberately broken copy of a job is rejected; house rules hold on the
# expanded pipeline (rules: not only/except, artifact expiry, resource_group
# and environment per plan/apply job, drift matrix, access: developer on
# plan artifacts); the components follow GitLab's layout (component-lint.js).
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
. "$(dirname "$0")/lib/ci-repo.sh"
need_gcl

set -- .gitlab-ci.yml
for f in pipelines/*.yml; do set -- "$@" "$f"; done
ajv_args=
mkdir "$TMPD/json" "$TMPD/spec"
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

# Components: layout and conventions, then each spec: header against the schema.
node "$PLATCI_SOURCE_DIR/tests/platform/lib/component-lint.js" README.md "$TMPD/spec" templates/*.yml \
	>"$TMPD/clint.log" 2>&1 || { cat "$TMPD/clint.log" >&2; fail "component layout"; }
ncomp=0
for name in validate plan apply scan drift promote; do
	[ -f "templates/$name.yml" ] || fail "templates/$name.yml missing"
	validate "-d $TMPD/spec/$name.spec.json" || { cat "$TMPD/ajv.log" >&2; fail "$name: spec header"; }
	ncomp=$((ncomp + 1))
done

# The expanded pipeline, components and all.
repo=$TMPD/repo
ci_repo "$repo"
ci_init "$repo" platform/platci
(cd "$repo" && "$GCL" --preview --no-color) >"$TMPD/expanded.yml" 2>"$TMPD/gcl.log" ||
	{ cat "$TMPD/gcl.log" >&2; fail "gitlab-ci-local could not expand the pipeline"; }
node "$PLATCI_SOURCE_DIR/tests/platform/lib/yaml2json.js" "$TMPD/expanded.yml" "$TMPD/expanded.json" ||
	fail "expanded pipeline is not YAML"
validate "-d $TMPD/expanded.json" || { cat "$TMPD/ajv.log" >&2; fail "expanded pipeline: schema"; }
for name in validate validate:environments plan:dev-uaenorth apply:prd-uaenorth scan:images drift promote:prd-uaenorth; do
	grep -q "^\"\{0,1\}$name\"\{0,1\}:" "$TMPD/expanded.yml" || fail "expanded pipeline has no job $name"
done

# The check must be able to fail: break one real job in three ways.
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
}' "$TMPD/expanded.json" "$TMPD" || fail "could not build the broken copies"
for variant in when report keyword; do
	if validate "-d $TMPD/broken-$variant.json"; then
		fail "a broken copy of plan:dev-uaenorth ($variant) passed the schema"
	fi
done

mkdir "$TMPD/lint"
cp "$TMPD/expanded.json" "$TMPD/lint/"
node "$PLATCI_SOURCE_DIR/tests/platform/lib/ci-lint.js" "$TMPD/lint" >"$TMPD/lint.log" 2>&1 ||
	{ cat "$TMPD/lint.log" >&2; fail "CI house rules"; }

pass "$# files, $ncomp component headers and the expanded pipeline valid, 3 broken copies rejected"
