// Opens a platci-report page in Debian's headless Chromium through playwright-core.
//
//   node report-page.js demo  PAGE EXPECT.json SHOT.png   DOM checks against EXPECT (computed
//                                                          with jq from the input reports)
//   node report-page.js time  PAGE RUNS                    open RUNS times, print the times
//   node report-page.js nojs  PAGE                         the page without its script
//
// Every mode routes every request and fails on any that is not file:. Exit 0 when every check
// passes, 1 otherwise; each failed check is printed as "FAIL: ...".
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
let failures = 0;
const fail = (msg) => { failures++; console.log('FAIL: ' + msg); };
const ok = (msg) => console.log('ok: ' + msg);

// A fresh profile per browser, removed afterwards; every request that is not file: is refused.
async function open(options, fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platci-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, args: ARGS,
    viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, ...options,
  });
  const outside = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  context.on('request', (req) => {
    if (!req.url().startsWith('file:') && !outside.includes(req.url())) outside.push(req.url());
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('pageerror', (e) => fail('script error on the page: ' + e.message));
    await fn(page);
    await page.waitForTimeout(200); // anything late (a lazy image, a font) would show here
  } finally {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (outside.length) fail('requests left the page: ' + outside.slice(0, 5).join(', '));
  else ok('no request left the page');
}

async function load(page, file) {
  await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-ready'));
}

// Environment name -> the index the page uses in data-e and the filter radios.
async function envIndexes(page) {
  return page.$$eval('label[for^="f"]', (ls) => Object.fromEntries(ls
    .filter((l) => /^f\d+$/.test(l.htmlFor)).map((l) => [l.textContent, Number(l.htmlFor.slice(1))])));
}

async function checkMatrix(page, want) {
  const head = await page.$$eval('table.matrix thead', (hs) =>
    Array.from(hs[0].rows[0].cells).map((c) => c.textContent.replace(/[\u2195\u2191\u2193]/g, '').trim()));
  for (const pin of want.pending) {
    const cells = await page.$$eval('table.matrix tr', (rows, key) => {
      const r = rows.find((x) => x.getAttribute('data-key') === key);
      return r ? Array.from(r.cells).map((c) => ({ text: c.textContent, cls: c.className })) : null;
    }, pin.key);
    if (!cells) { fail('no matrix row for ' + pin.key); continue; }
    const from = cells[head.indexOf(pin.from)], to = cells[head.indexOf(pin.to)];
    const shown = (v) => (v.startsWith('sha256:') && v.length > 19 ? v.slice(0, 19) : v);
    if (!from || !from.text.startsWith(shown(pin.new)) || !from.text.includes('\u25b2') || from.cls !== 'a')
      fail(`${pin.key}: the ${pin.from} cell is "${from && from.text}" (${from && from.cls}), ` +
        `wanted ${pin.new} marked ahead`);
    else if (!to || !to.text.startsWith(shown(pin.old)) || !to.text.includes('\u25bc') || to.cls !== 'b')
      fail(`${pin.key}: the ${pin.to} cell is "${to && to.text}" (${to && to.cls}), wanted ${pin.old} marked behind`);
    else ok(`matrix: ${pin.key} ${pin.to} ${shown(pin.old)} behind ${pin.from} ${shown(pin.new)}`);
  }
}

async function checkDrift(page, want, idx) {
  for (const [env, items] of Object.entries(want.drift)) {
    const rows = await page.$$eval(`div.drift-env[data-e="${idx[env]}"] table tbody tr`, (rs) =>
      rs.map((r) => Array.from(r.cells).map((c) => c.textContent)));
    const got = rows.map((c) => `${c[0].replace(/^\W+/, '')}|${c[2]}|${c[3]}`).sort();
    const exp = items.map((i) => `${i.state}|${i.category}|${i.identity}`).sort();
    if (JSON.stringify(got) !== JSON.stringify(exp))
      fail(`drift rows of ${env}:\n  got  ${got.join('\n       ')}\n  want ${exp.join('\n       ')}`);
    else ok(`drift: ${env} has the ${exp.length} rows of drift.json`);
  }
}

async function checkVulns(page, want, idx) {
  const cols = ['critical', 'high', 'medium', 'low', 'unknown', 'fixable', 'waived'];
  for (const [env, images] of Object.entries(want.vulns)) {
    const rows = await page.$$eval(`table.vulns tbody tr[data-e="${idx[env]}"]`, (rs) =>
      rs.map((r) => Array.from(r.cells).map((c) => c.textContent)));
    const got = Object.fromEntries(rows.map((c) => [c[1],
      Object.fromEntries(cols.map((k, i) => [k, Number(c[2 + i])]))]));
    for (const [image, exp] of Object.entries(images)) {
      const g = got[image];
      const diff = g ? cols.filter((k) => g[k] !== exp[k]) : cols;
      if (diff.length) fail(`vulnerabilities ${env} ${image}: got ${JSON.stringify(g)}, want ${JSON.stringify(exp)}`);
      else ok(`vulnerabilities: ${env} ${image} ${cols.map((k) => k + ' ' + exp[k]).join(', ')}`);
    }
    if (Object.keys(got).length !== Object.keys(images).length)
      fail(`${env}: ${Object.keys(got).length} image rows, the reports name ${Object.keys(images).length}`);
  }
}

// Sorting and the environment filter: the two things the script and the style do.
async function checkInteraction(page, idx) {
  const th = page.locator('table.matrix').first().locator('thead th').last();
  await th.locator('button').click();
  await th.locator('button').click();
  const first = await page.$eval('table.matrix tbody tr', (r) => Number(r.cells[r.cells.length - 1].textContent));
  const max = await page.$$eval('table.matrix tbody tr', (rs) =>
    Math.max(...rs.map((r) => Number(r.cells[r.cells.length - 1].textContent))));
  if ((await th.getAttribute('aria-sort')) !== 'descending' || first !== max)
    fail(`sorting by "Steps waiting" put ${first} first (max ${max})`);
  else ok('sorting: the pins waiting most come first');
  const env = Object.keys(idx)[0];
  await page.click(`label[for="f${idx[env]}"]`);
  const visible = await page.$$eval('table.matrix', (ts) => Array.from(ts[0].tHead.rows[0].cells)
    .filter((c) => getComputedStyle(c).display !== 'none').map((c) => c.textContent));
  const others = Object.keys(idx).filter((e) => e !== env);
  if (others.some((e) => visible.some((t) => t.includes(e))) || !visible.some((t) => t.includes(env)))
    fail(`filter ${env}: visible matrix columns ${visible.join(', ')}`);
  else ok(`filter: only ${env} is shown`);
  await page.click('label[for="f-all"]');
}

async function demo(file, expectFile, shot) {
  const want = JSON.parse(fs.readFileSync(expectFile, 'utf8'));
  await open({}, async (page) => {
    await load(page, file);
    const idx = await envIndexes(page);
    await checkMatrix(page, want);
    await checkDrift(page, want, idx);
    await checkVulns(page, want, idx);
    await page.screenshot({ path: shot });
    ok('screenshot: ' + shot);
    await checkInteraction(page, idx);
  });
}

// Everything is on the page without the script: rows, numbers, no sort buttons.
async function nojs(file) {
  await open({ javaScriptEnabled: false }, async (page) => {
    await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
    const rows = await page.$$eval('table.matrix tbody tr', (rs) => rs.length);
    const buttons = await page.$$eval('th button', (bs) => bs.length);
    const sections = await page.$$eval('main section h2', (hs) => hs.map((h) => h.textContent));
    if (!rows || buttons || sections.length < 7)
      fail(`without JavaScript: ${rows} matrix rows, ${buttons} buttons, sections ${sections.join(', ')}`);
    else ok(`without JavaScript: ${rows} matrix rows and every section (${sections.join(', ')})`);
  });
}

function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }

// Two figures per run. Time to interactive as the page sees it: from navigation start to the
// end of its script, which runs once the whole document is parsed and wires the sort buttons;
// it grows with the machine's load. And the renderer main thread's CPU time over the same
// navigation (trace events' thread durations): what the page costs on an idle core.
async function traced(page, cdp, url) {
  const events = [];
  const collect = (d) => events.push(...d.value);
  cdp.on('Tracing.dataCollected', collect);
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline', transferMode: 'ReportEvents' });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-ready'));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await done;
  cdp.off('Tracing.dataCollected', collect);
  const parse = events.find((e) => e.name === 'ParseHTML');
  let cpu = 0;
  for (const e of events)
    if (parse && e.ph === 'X' && e.pid === parse.pid && e.tid === parse.tid &&
        e.name === 'ThreadControllerImpl::RunTask') cpu += (e.tdur || 0) / 1000;
  return cpu;
}

async function time(file, runs) {
  const ready = [], cpu = [];
  await open({}, async (page) => {
    const cdp = await page.context().newCDPSession(page);
    for (let i = 0; i < runs; i++) {
      cpu.push(await traced(page, cdp, 'file://' + path.resolve(file) + '?run=' + i));
      ready.push(await page.evaluate(() => Number(document.documentElement.getAttribute('data-ready'))));
    }
  });
  const r = (xs) => xs.map((x) => Math.round(x)).join(' ');
  console.log(`interactive, wall clock (ms): ${r(ready)}; median ${Math.round(median(ready))}`);
  console.log(`renderer main thread CPU until interactive (ms): ${r(cpu)}; median ${Math.round(median(cpu))}`);
  console.log('MEDIAN_READY_MS=' + Math.round(median(ready)));
  console.log('MEDIAN_CPU_MS=' + Math.round(median(cpu)));
}

(async () => {
  const [mode, file, a, b] = process.argv.slice(2);
  if (mode === 'demo') await demo(file, a, b);
  else if (mode === 'time') await time(file, Number(a) || 3);
  else if (mode === 'nojs') await nojs(file);
  else { console.log('usage: report-page.js demo|time|nojs PAGE ...'); process.exit(64); }
  process.exit(failures ? 1 : 0);
})().catch((e) => { console.log('FAIL: ' + (e && e.stack || e)); process.exit(1); });
