// component-lint.js README TEMPLATE...: GitLab's CI/CD component layout and
// this project's conventions, for each templates/<name>.yml:
//   - two YAML documents: a `spec:` header and the jobs;
//   - a header comment that starts "# platci <name> component";
//   - typed inputs (every input has a type or a default to infer it from),
//     including stage, image, reports, rules, and config (a platci.yaml path);
//     terraform_binary limited to terraform|tofu where a job runs Terraform;
//   - every input declared is used in the body, every $[[ inputs.X ]] is declared;
//   - the README names the component.
// Writes <name>.spec.json (the header) beside nothing: prints problems; exit 1 if any.
'use strict';
const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

const [readmePath, outDir, ...files] = process.argv.slice(2);
const readme = fs.readFileSync(readmePath, 'utf8');
const problems = [];
const common = ['stage', 'image', 'reports', 'rules', 'config'];

for (const file of files) {
  const name = path.basename(file, '.yml');
  const text = fs.readFileSync(file, 'utf8');
  const where = `${file}`;
  if (!text.startsWith(`# platci ${name} component`)) problems.push(`${where}: header comment must start "# platci ${name} component"`);
  let docs;
  try { docs = yaml.loadAll(text); } catch (e) { problems.push(`${where}: ${e.message}`); continue; }
  if (docs.length !== 2 || !docs[0] || !docs[0].spec) { problems.push(`${where}: want a spec: header and a body`); continue; }
  fs.writeFileSync(path.join(outDir, `${name}.spec.json`), JSON.stringify(docs[0]));
  const inputs = docs[0].spec.inputs || {};
  for (const k of common) if (!(k in inputs)) problems.push(`${where}: no input ${k}`);
  for (const [k, v] of Object.entries(inputs)) {
    if (!v || (!v.type && !('default' in v))) problems.push(`${where}: input ${k} has no type`);
  }
  const body = text.slice(text.indexOf('\n---\n') + 5);
  const used = new Set([...body.matchAll(/\$\[\[\s*inputs\.([\w-]+)\s*\]\]/g)].map((m) => m[1]));
  for (const k of used) if (!(k in inputs)) problems.push(`${where}: $[[ inputs.${k} ]] is not declared`);
  for (const k of Object.keys(inputs)) if (!used.has(k)) problems.push(`${where}: input ${k} is never used`);
  if (/terraform_binary \]\]/.test(body) || /-chdir=/.test(body)) {
    const tb = inputs.terraform_binary;
    if (!tb || JSON.stringify(tb.options) !== JSON.stringify(['terraform', 'tofu'])) problems.push(`${where}: terraform_binary must be an input with options [terraform, tofu]`);
  }
  if (!readme.includes(`templates/${name}.yml`)) problems.push(`README.md does not describe templates/${name}.yml`);
}
for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
