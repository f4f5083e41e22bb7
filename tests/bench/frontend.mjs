// Frontend load benchmark (issue 6): bytes transferred and time until usable
// for the app shell (login form) and the reception form (Acopio › Recepción),
// in Debian's Chromium with the network throttled through the DevTools
// protocol (400 ms latency, 50 000 bytes/s each way), cold and warm cache.
//
//   node tests/bench/frontend.mjs [RUNS]          (default 5; medians printed)
//   PERGAMINO_BIN=build/pergamino  CHROMIUM_PATH=/usr/bin/chromium
//   BENCH_LATENCY_MS=400  BENCH_BYTES_PER_S=50000  BENCH_JSON=1 (raw samples)
//
// Not a test: ctest never runs it.  It starts `pergamino serve --demo` the
// way the browser tests do (tests/e2e/server.mjs) and uses their
// playwright-core (cd tests/e2e && npm ci).
//
// Scenarios, each in a fresh browser context (empty HTTP cache) and then
// again in the same context (warm cache, a second visit):
//   shell      GET /login until the "Usuario" input is in the page, enabled
//              and visible.  Warm: the same after clearing cookies.
//   flow       shell, then log in through the form (coop-acopio, a clerk),
//              then click Acopio in the navigation: its first tab is
//              Recepción; until the "DNI" input is usable.  Bytes are the
//              whole visit (shell + login + reception); the time is the
//              reception step alone (click -> usable).
//   deep       with a session already (cookie set through the API, not
//              throttled), GET /acopio/recepcion until the DNI input is
//              usable: the first load of "app shell + reception form".
//
// "Usable" is taken in the page: an init script (CDP, so the page's CSP does
// not apply to it) watches the DOM with a MutationObserver and records
// performance.now() when the input first exists, is enabled and has a
// layout box; the time is relative to navigation start (shell, deep) or to
// the click (flow).  The benchmark then types into the input and checks
// the value, so "accepts typing" is verified, not assumed.
// Bytes: the sum of encodedDataLength of Network.loadingFinished (headers +
// body as received, after compression), plus failed loads' none.
import { createRequire } from 'node:module';
import path from 'node:path';
import os from 'node:os';
import { execSync } from 'node:child_process';
import { startServer, REPO } from '../e2e/server.mjs';

const require = createRequire(path.join(REPO, 'tests', 'e2e', 'package.json'));
const { chromium } = require('playwright-core');

const RUNS = Number(process.argv[2] || 5);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS || 400);
const BYTES_PER_S = Number(process.env.BENCH_BYTES_PER_S || 50000);
const CLERK = 'coop-acopio';

const WATCH = `(() => {
  const want = { login: 'input[name="username"]', dni: 'form.reception-form input[name="dni"]' };
  const seen = (window.__seen = {});
  const check = () => {
    for (const [k, sel] of Object.entries(want)) {
      if (seen[k]) continue;
      const e = document.querySelector(sel);
      if (e && !e.disabled && e.getClientRects().length) seen[k] = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
})();`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Throttles the page and counts what crosses the network from now on. */
async function meter(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: LATENCY_MS, downloadThroughput: BYTES_PER_S, uploadThroughput: BYTES_PER_S,
  });
  const m = { bytes: 0, requests: 0, notModified: 0, fromCache: 0, urls: [] };
  const status = new Map();
  cdp.on('Network.responseReceived', (e) => status.set(e.requestId, e.response.status));
  cdp.on('Network.requestServedFromCache', () => { m.fromCache += 1; });
  cdp.on('Network.loadingFinished', (e) => {
    m.bytes += e.encodedDataLength;
    if (e.encodedDataLength > 0) m.requests += 1;
    if (status.get(e.requestId) === 304) m.notModified += 1;
  });
  const started = new Map();
  m.trace = [];
  cdp.on('Network.requestWillBeSent', (e) => { m.urls.push(e.request.url); started.set(e.requestId, [e.timestamp, e.request.url]); });
  cdp.on('Network.loadingFinished', (e) => {
    const s = started.get(e.requestId);
    if (s) m.trace.push([s[0], e.timestamp, e.encodedDataLength, s[1]]);
  });
  m.printTrace = (what) => {
    if (!process.env.BENCH_TRACE || !m.trace.length) return;
    const t0 = Math.min(...m.trace.map((t) => t[0]));
    console.log(`-- ${what}: request start/end (ms from the first request), bytes, URL`);
    for (const [a, b, n, u] of m.trace.sort((x, y) => x[0] - y[0])) {
      console.log(`${String(Math.round((a - t0) * 1000)).padStart(6)} ${String(Math.round((b - t0) * 1000)).padStart(6)} ${String(n).padStart(6)} ${new URL(u).pathname}`);
    }
  };
  m.reset = () => { m.trace = []; m.bytes = 0; m.requests = 0; m.notModified = 0; m.fromCache = 0; m.urls = []; };
  m.snap = () => ({ bytes: m.bytes, requests: m.requests, notModified: m.notModified, fromCache: m.fromCache });
  return m;
}

/** Fails when a module or stylesheet was fetched under two URLs (loaded twice). */
function checkOnce(m, what) {
  const seen = new Map();
  for (const u of m.urls) {
    const url = new URL(u);
    if (!/\.(js|css)$/.test(url.pathname)) continue;
    const prev = seen.get(url.pathname);
    if (prev !== undefined && prev !== url.search) throw new Error(`${what}: ${url.pathname} pedido con dos URL (${prev} y ${url.search})`);
    seen.set(url.pathname, url.search);
  }
}

async function usableAt(page, key) {
  await page.waitForFunction((k) => window.__seen && window.__seen[k] !== undefined, key, { timeout: 60000 });
  return page.evaluate((k) => window.__seen[k], key);
}

/** Types one character into sel and checks it arrived; clears it again. */
async function typeCheck(page, sel) {
  const box = page.locator(sel);
  await box.click();
  await page.keyboard.type('7');
  const v = await box.inputValue();
  if (!v.endsWith('7')) throw new Error(`${sel} no aceptó lo tecleado`);
  await box.fill('');
}

async function newContext(browser, server) {
  const context = await browser.newContext({ baseURL: server.baseURL, viewport: { width: 1280, height: 800 }, locale: 'es-PE' });
  await context.addInitScript(WATCH);
  return context;
}

async function shell(page, m) {
  m.reset();
  await page.goto('/login', { waitUntil: 'commit' });
  const t = await usableAt(page, 'login');
  const r = { ms: t, ...m.snap() };
  await typeCheck(page, 'input[name="username"]');
  return r;
}

async function loginAndReception(page, m, server) {
  const a = server.account(CLERK);
  await page.locator('input[name="username"]').fill(a.username);
  await page.locator('input[name="password"]').fill(a.password);
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await page.getByRole('button', { name: 'Salir' }).waitFor({ timeout: 60000 });
  const t0 = await page.evaluate(() => performance.now());
  await page.locator('#nav a[href="/acopio"]').click();
  const t = await usableAt(page, 'dni');
  const r = { ms: t - t0, ...m.snap() };
  await typeCheck(page, 'form.reception-form input[name="dni"]');
  return r;
}

async function apiLogin(context, server) {
  const a = server.account(CLERK);
  const res = await context.request.post('/api/v1/session', { data: { username: a.username, password: a.password } });
  if (!res.ok()) throw new Error(`login por API: ${res.status()}`);
}

async function deep(page, m) {
  m.reset();
  await page.goto('/acopio/recepcion', { waitUntil: 'commit' });
  const t = await usableAt(page, 'dni');
  const r = { ms: t, ...m.snap() };
  await typeCheck(page, 'form.reception-form input[name="dni"]');
  return r;
}

async function oneRun(browser, server) {
  const out = {};
  // shell + flow, cold then warm (same context: its HTTP cache survives).
  let context = await newContext(browser, server);
  let page = await context.newPage();
  let m = await meter(context, page);
  out.shellCold = await shell(page, m);
  out.flowCold = await loginAndReception(page, m, server);
  checkOnce(m, 'flowCold');
  await page.close();
  await context.clearCookies();
  page = await context.newPage();
  m = await meter(context, page);
  out.shellWarm = await shell(page, m);
  out.flowWarm = await loginAndReception(page, m, server);
  await context.close();

  // deep link with a session, cold then warm.
  context = await newContext(browser, server);
  await apiLogin(context, server);
  page = await context.newPage();
  m = await meter(context, page);
  out.deepCold = await deep(page, m);
  checkOnce(m, 'deepCold');
  m.printTrace('deepCold');
  await page.close();
  page = await context.newPage();
  m = await meter(context, page);
  out.deepWarm = await deep(page, m);
  await context.close();
  return out;
}

function report(runs) {
  const names = Object.keys(runs[0]);
  const rows = names.map((n) => {
    const pick = (f) => median(runs.map((r) => r[n][f]));
    return { scenario: n, ms: Math.round(pick('ms')), kB: +(pick('bytes') / 1000).toFixed(1), requests: pick('requests'), notModified: pick('notModified'), fromCache: pick('fromCache') };
  });
  console.log(`\nmedians of ${runs.length} runs; latency ${LATENCY_MS} ms, ${BYTES_PER_S} bytes/s each way; ${os.cpus().length} CPUs`);
  console.log('scenario     time-to-usable  transferred  requests  from-cache');
  for (const r of rows) {
    console.log(`${r.scenario.padEnd(12)} ${String(r.ms).padStart(9)} ms ${String(r.kB).padStart(9)} kB ${String(r.requests).padStart(9)} ${String(r.fromCache).padStart(11)}`);
  }
  const sc = rows.find((r) => r.scenario === 'deepCold');
  console.log(`\ntargets (deepCold: app shell + reception form): ${sc.kB} kB / 150 kB = ${(sc.kB / 150).toFixed(2)}; ${sc.ms} ms / 3000 ms = ${(sc.ms / 3000).toFixed(2)}`);
  if (process.env.BENCH_JSON) console.log(JSON.stringify(runs, null, 1));
}

async function main() {
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    let version = '';
    try { version = execSync(`${process.env.CHROMIUM_PATH || '/usr/bin/chromium'} --version`, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { /* */ }
    console.log(`${version}; server ${server.baseURL}`);
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await oneRun(browser, server);
      runs.push(r);
      console.log(`run ${i + 1}: ` + Object.entries(r).map(([k, v]) => `${k} ${Math.round(v.ms)} ms ${(v.bytes / 1000).toFixed(1)} kB`).join(', '));
    }
    report(runs);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
