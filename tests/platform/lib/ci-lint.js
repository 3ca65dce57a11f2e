// ci-lint.js DIR: house rules for the GitLab CI files converted to JSON in DIR
// (the schema cannot express them). Prints one line per problem; exit 1 if any.
'use strict';
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const problems = [];
const jobs = {};
const RESERVED = new Set(['stages', 'variables', 'default', 'include', 'workflow',
  'image', 'services', 'cache', 'before_script', 'after_script', 'spec']);

for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) || {};
  for (const [name, job] of Object.entries(doc)) {
    if (RESERVED.has(name) || typeof job !== 'object' || job === null) continue;
    if (jobs[name]) problems.push(`${f}: job ${name} also defined in ${jobs[name].file}`);
    jobs[name] = { file: f, job };
  }
}
for (const [name, { file, job }] of Object.entries(jobs)) {
  const where = `${file}: ${name}`;
  if ('only' in job || 'except' in job) problems.push(`${where}: uses only/except; use rules:`);
  if (job.artifacts && !job.artifacts.expire_in) problems.push(`${where}: artifacts without expire_in`);
  if (name.startsWith('.')) continue;
  if (!Array.isArray(job.rules)) problems.push(`${where}: no rules:`);
  if (!job.trigger && !job.script && !(job.extends)) problems.push(`${where}: no script`);
}
// Apply jobs: a resource_group and an environment that records a deployment.
for (const env of ['dev-uaenorth', 'stg-uaenorth', 'prd-uaenorth']) {
  for (const kind of ['plan', 'apply']) {
    const j = jobs[`${kind}:${env}`];
    if (!j) { problems.push(`missing job ${kind}:${env}`); continue; }
    if (j.job.resource_group !== env) problems.push(`${kind}:${env}: resource_group must be ${env}`);
    const e = j.job.environment || {};
    if (e.name !== env) problems.push(`${kind}:${env}: environment.name must be ${env}`);
    if (kind === 'plan' && e.action !== 'prepare') problems.push(`plan:${env}: environment.action must be prepare`);
    if (kind === 'apply' && e.action && e.action !== 'start') problems.push(`apply:${env}: must record a deployment`);
    // a plan can hold sensitive values in clear text: its artifacts are for developers and up
    if (kind === 'plan' && (!j.job.artifacts || j.job.artifacts.access !== 'developer')) problems.push(`plan:${env}: artifacts need access: developer`);
    if (!j.job.id_tokens || !j.job.id_tokens.ARM_OIDC_TOKEN) problems.push(`${kind}:${env}: no ARM_OIDC_TOKEN id_token`);
  }
}
const drift = jobs.drift && jobs.drift.job;
if (!drift) problems.push('missing job drift');
else {
  if (!drift.parallel || !drift.parallel.matrix) problems.push('drift: needs parallel:matrix');
  if (!drift.environment || drift.environment.action !== 'verify') problems.push('drift: environment.action must be verify');
  const codes = drift.allow_failure && drift.allow_failure.exit_codes;
  if (!codes || ![].concat(codes).includes(2)) problems.push('drift: allow_failure exit_codes must include 2');
}
const prdApply = jobs['apply:prd-uaenorth'];
if (prdApply && !prdApply.job.rules.every((r) => r.when === 'manual')) problems.push('apply:prd-uaenorth must be manual');
for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
