// gitops-rules.js BUILD_DIR ENV...: checks a built GitOps tree.
// BUILD_DIR/<env>/{cluster,controllers,configs,apps}.yaml come from
// `kubectl kustomize`. Checks the Flux layout the platci engine relies on,
// the manifest rules platci-validate enforces, and that version pins differ
// between environments so promotion has work. Prints problems; exit 1 if any.
'use strict';
const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

const [buildDir, ...envs] = process.argv.slice(2);
const root = process.env.PLATCI_SOURCE_DIR || '.';
const problems = [];
const bad = (msg) => problems.push(msg);
const load = (f) => yaml.loadAll(fs.readFileSync(f, 'utf8')).filter((d) => d);
const id = (o) => `${o.kind}/${(o.metadata && o.metadata.namespace) || '-'}/${o.metadata && o.metadata.name}`;

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);
const CURRENT_FLUX = {
  'kustomize.toolkit.fluxcd.io': ['v1'],
  'helm.toolkit.fluxcd.io': ['v2'],
  'source.toolkit.fluxcd.io': ['v1'],
  'image.toolkit.fluxcd.io': ['v1', 'v1beta2'],
  'notification.toolkit.fluxcd.io': ['v1', 'v1beta3'],
};
const GPU = { 'nvidia.com/gpu': 'nvidia.com/gpu', 'amd.com/gpu': 'amd.com/gpu' };
const REGISTRY = 'acrplatform.azurecr.io/';
const SYSTEM_NS = new Set(['flux-system', 'kube-system', 'kube-public', 'kube-node-lease', 'default']);

function podSpec(o) {
  const s = o.spec || {};
  if (o.kind === 'Pod') return s;
  if (o.kind === 'CronJob') return (((s.jobTemplate || {}).spec || {}).template || {}).spec;
  return (s.template || {}).spec;
}

function checkWorkload(env, o) {
  const w = `${env}: ${id(o)}`;
  const spec = podSpec(o);
  if (!spec) return bad(`${w}: no pod spec`);
  for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[k]) bad(`${w}: ${k} is set`);
  const containers = [].concat(spec.containers || [], spec.initContainers || []);
  let gpu = null;
  for (const c of containers) {
    const cw = `${w} container ${c.name}`;
    const img = c.image || '';
    if (!img.startsWith(REGISTRY)) bad(`${cw}: image ${img} not from ${REGISTRY}`);
    const last = img.split('/').pop();
    if (!img.includes('@') && !last.includes(':')) bad(`${cw}: image ${img} has no tag`);
    if (/:latest(@|$)/.test(img)) bad(`${cw}: image ${img} uses :latest`);
    const r = c.resources || {};
    for (const kind of ['requests', 'limits'])
      for (const res of ['cpu', 'memory'])
        if (!(r[kind] && r[kind][res])) bad(`${cw}: missing ${kind}.${res}`);
    if (c.securityContext && c.securityContext.privileged) bad(`${cw}: privileged`);
    for (const g of Object.keys(GPU))
      if ((r.limits && r.limits[g]) || (r.requests && r.requests[g])) gpu = g;
  }
  if (gpu) {
    const tol = (spec.tolerations || []).some((t) => t.key === GPU[gpu] && t.effect === 'NoSchedule');
    if (!tol) bad(`${w}: requests ${gpu} without a ${GPU[gpu]}:NoSchedule toleration`);
    const sel = spec.nodeSelector && Object.keys(spec.nodeSelector).length;
    const aff = spec.affinity && spec.affinity.nodeAffinity;
    if (!sel && !aff) bad(`${w}: GPU workload without nodeSelector or node affinity`);
  }
}

const exact = (v) => /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(String(v));

function checkEnv(env) {
  const files = ['cluster', 'controllers', 'configs', 'apps'];
  const docs = {};
  for (const f of files) docs[f] = load(path.join(buildDir, env, `${f}.yaml`));
  const all = files.flatMap((f) => docs[f]);

  // Flux layout.
  const cl = docs.cluster;
  const find = (kind, name) => cl.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === 'flux-system');
  const repo = find('GitRepository', 'flux-system');
  if (!repo) bad(`${env}: no GitRepository flux-system/flux-system`);
  else if (!repo.spec.ref || repo.spec.ref.branch !== 'main') bad(`${env}: flux-system GitRepository does not track main`);
  const chain = [
    ['infra-controllers', `./gitops/infrastructure/controllers/${env}`, null],
    ['infra-configs', `./gitops/infrastructure/configs/${env}`, 'infra-controllers'],
    ['apps', `./gitops/apps/${env}`, 'infra-configs'],
  ];
  for (const [name, p, dep] of chain) {
    const k = find('Kustomization', name);
    if (!k) { bad(`${env}: no Flux Kustomization ${name}`); continue; }
    if (k.apiVersion !== 'kustomize.toolkit.fluxcd.io/v1') bad(`${env}: ${name} is ${k.apiVersion}`);
    const s = k.spec || {};
    if (s.path !== p) bad(`${env}: ${name}.spec.path is ${s.path}, want ${p}`);
    if (!fs.existsSync(path.join(root, p, 'kustomization.yaml'))) bad(`${env}: ${p}/kustomization.yaml missing`);
    if (s.prune !== true) bad(`${env}: ${name}.spec.prune must be true`);
    if (!s.interval) bad(`${env}: ${name}.spec.interval missing`);
    if (!s.sourceRef || s.sourceRef.kind !== 'GitRepository' || s.sourceRef.name !== 'flux-system') bad(`${env}: ${name}.spec.sourceRef must be GitRepository flux-system`);
    const deps = (s.dependsOn || []).map((d) => d.name);
    if (dep && !deps.includes(dep)) bad(`${env}: ${name} must dependOn ${dep}`);
  }

  // Every object: identity, no duplicates, current Flux APIs.
  const seen = new Map();
  for (const o of all) {
    if (!o.apiVersion || !o.kind || !o.metadata || !o.metadata.name) { bad(`${env}: object without apiVersion/kind/metadata.name: ${JSON.stringify(o).slice(0, 80)}`); continue; }
    const key = id(o);
    if (seen.has(key)) bad(`${env}: duplicate ${key}`);
    seen.set(key, o);
    const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
    if (CURRENT_FLUX[group] && !CURRENT_FLUX[group].includes(version)) bad(`${env}: ${key} uses ${o.apiVersion}`);
  }

  // Labels, workloads, network policies.
  const namespaces = all.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
  for (const o of all) {
    if (!(WORKLOADS.has(o.kind) || o.kind === 'Namespace')) continue;
    const l = o.metadata.labels || {};
    for (const k of ['team', 'owner', 'environment', 'region']) if (!l[k]) bad(`${env}: ${id(o)} lacks label ${k}`);
    if (l.environment && l.environment !== env) bad(`${env}: ${id(o)} has environment=${l.environment}`);
    if (WORKLOADS.has(o.kind)) checkWorkload(env, o);
  }
  for (const ns of namespaces) {
    if (SYSTEM_NS.has(ns)) continue;
    const deny = all.some((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns &&
      o.spec && o.spec.podSelector && Object.keys(o.spec.podSelector).length === 0 &&
      (o.spec.policyTypes || []).includes('Ingress') && !(o.spec.ingress && o.spec.ingress.length));
    if (!deny) bad(`${env}: namespace ${ns} has no default-deny NetworkPolicy`);
  }

  // HelmReleases: sources resolve; exact versions outside dev.
  for (const hr of all.filter((o) => o.kind === 'HelmRelease')) {
    const cs = ((hr.spec || {}).chart || {}).spec || {};
    const ref = cs.sourceRef || {};
    const ns = ref.namespace || hr.metadata.namespace;
    if (!['HelmRepository', 'OCIRepository'].includes(ref.kind) || !seen.has(`${ref.kind}/${ns}/${ref.name}`))
      bad(`${env}: ${id(hr)} chart source ${ref.kind}/${ns}/${ref.name} not defined in the tree`);
    if (!env.startsWith('dev-') && !exact(cs.version)) bad(`${env}: ${id(hr)} chart version "${cs.version}" is not exact`);
  }
  return all;
}

function pins(env) {
  const dir = path.join(root, 'gitops/apps', env);
  const k = yaml.load(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8'));
  const out = {};
  for (const i of k.images || []) out[`image ${i.name}`] = `${i.newName || ''}:${i.newTag || ''}@${i.digest || ''}`;
  const built = load(path.join(buildDir, env, 'apps.yaml'));
  for (const hr of built.filter((o) => o.kind === 'HelmRelease')) out[`chart ${id(hr)}`] = String(hr.spec.chart.spec.version);
  return { out, images: k.images || [] };
}

for (const env of envs) checkEnv(env);

// Promotion has work: pins differ dev -> stg -> prd; digests in stg and prd.
const P = Object.fromEntries(envs.map((e) => [e, pins(e)]));
const diff = (a, b) => Object.keys(P[a].out).filter((k) => P[a].out[k] !== P[b].out[k]);
const [dev, stg, prd] = envs;
if (P[stg] && P[prd]) {
  const d = diff(stg, prd);
  if (d.length < 2) bad(`stg and prd differ on ${d.length} pins, want at least 2`);
  for (const e of [stg, prd]) if (!P[e].images.some((i) => i.digest)) bad(`${e}: no image pinned by digest`);
}
if (P[dev] && P[stg] && diff(dev, stg).length < 1) bad('dev is not ahead of stg on any pin');
const overlays = envs.map((e) => fs.readFileSync(path.join(root, 'gitops/apps', e, 'kustomization.yaml'), 'utf8'));
if (!overlays.some((t) => /#\s*\{"\$imagepolicy":\s*"flux-system:vllm/.test(t))) bad('no $imagepolicy setter marker in the apps overlays');
overlays.forEach((t, i) => { if (!/^\s*#/m.test(t)) bad(`${envs[i]}: apps overlay has no comments`); });
const clusterText = envs.map((e) => fs.readFileSync(path.join(buildDir, e, 'cluster.yaml'), 'utf8')).join('\n');
const clusterDocs = envs.flatMap((e) => load(path.join(buildDir, e, 'cluster.yaml')));
const versionVar = clusterDocs.some((o) => o.kind === 'Kustomization' && o.spec && o.spec.postBuild && o.spec.postBuild.substitute &&
  Object.keys(o.spec.postBuild.substitute).some((k) => /_VERSION$/.test(k)));
if (!versionVar || !clusterText) bad('no postBuild.substitute *_VERSION variable in any cluster Kustomization');

for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
