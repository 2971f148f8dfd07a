// The browser half of the bench, in headless Chromium, PixelGuard (dist/chrome) beside uBlock Origin
// Lite (../shared/anchors/ubol-chromium, unmodified; when absent it says so and measures the rest):
//  - page loads, round-robin in one run (no extension / the minimal DNR logger below / uBOL /
//    PixelGuard / PixelGuard with its Global Privacy Control off, five browsers open together, one
//    load each in turn): 150 first-party images and 100 tracker pixels, and the same page without
//    trackers; `loadEventStart` of the navigation entry;
//  - the content scripts' main-thread time on a page of 1,000 elements (Chromium's trace; the
//    logger's content script is empty: what injecting one costs);
//  - extension process memory (RSS, PSS from /proc, 12 s after the last request and a garbage collection in the workers) over an empty MV3 extension: idle after
//    start-up, after the tracker page, and for PixelGuard before and after adding a 30,000-filter
//    custom list (the options page opened and closed in both, so only the list differs);
//  - service-worker cold start to the first logged entry: the worker stopped and its process
//    gone, a page adds a tracker pixel, until its entry is in storage.session (read through CDP,
//    which wakes nothing); the same for a minimal DNR logger built here, the floor; and the
//    popup's request from a stopped worker until it answers with the entry labelled.
// Prints one JSON object. Every host is answered by the local server (the browsers' proxy).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from '../tests/e2e/harness.mjs';
import { CLEAN_PAGE, SITE, TRACKER_COUNT, TRACKER_PAGE, coldStartTracker, elementsPage, trackerUrls } from './browser/pages.mjs';
import { UBOL, launch, settledMemory, ubolVersion } from './browser/systems.mjs';
import { traceExtensionScripts } from './browser/trace.mjs';

const LOADS = Number(process.env.BENCH_LOADS ?? 15);
const WARMUP = 2;
const TRACES = Number(process.env.BENCH_TRACES ?? 5);
const MEMORY_RUNS = Number(process.env.BENCH_MEMORY_RUNS ?? 3);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 10);
const LIST_FILTERS = 30_000;
// Each memory phase is read after this long without a new request, every system alike: past
// PixelGuard's 10 s idle release of its engine (extension/src/engine.js), which is what a user's idle browser holds.
const MEMORY_WAIT_MS = 12_000;
// BENCH_BROWSER_ONLY=loads,scripts,memory,cold: a subset while iterating.
const ONLY = process.env.BENCH_BROWSER_ONLY?.split(',');
const want = (part) => !ONLY || ONLY.includes(part);
const EASYLIST = fileURLToPath(new URL('../../shared/data/lists/easylist-202607140953.txt', import.meta.url));

const ubol = ubolVersion();
if (!ubol) console.error(`bench: ${UBOL} is absent: uBlock Origin Lite is not measured; everything else is.`);
const present = (names) => names.filter((n) => n !== 'ubol' || ubol);
const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.ceil(s.length / 2) - 1]; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (m) => console.error(`# bench browser: ${m}`);

const server = await startServer({
  [`${SITE}/trackers`]: TRACKER_PAGE, [`${SITE}/clean`]: CLEAN_PAGE, [`${SITE}/elements`]: elementsPage(),
});
const trackerHosts = new Set(trackerUrls().map((u) => new URL(u).hostname));

/** Opens a tab in each session, then loads `path` once per round in each, in turn (order rotating per round). */
async function roundRobin(sessions, rounds, load) {
  const tabs = await Promise.all(sessions.map((s) => s.browser.newPage()));
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < sessions.length; k++) {
      const j = (i + k) % sessions.length;
      await load(sessions[j], tabs[j], i);
    }
  }
  await Promise.all(tabs.map((t) => t.close()));
}

async function pageLoads(sessions) {
  const out = { trackers: {}, clean: {} };
  for (const s of sessions) for (const p of Object.keys(out)) out[p][s.name] = { allMs: [], trackerRequestsReachingServer: 0 };
  await roundRobin(sessions, LOADS + WARMUP, async (s, tab, i) => {
    for (const p of Object.keys(out)) {
      server.log.length = 0;
      await tab.goto(`http://${SITE}/${p}?load=${i}`, { waitUntil: 'load' });
      const ms = await tab.evaluate(() => { const nav = performance.getEntriesByType('navigation')[0]; return nav.loadEventStart - nav.startTime; });
      const r = out[p][s.name];
      if (i >= WARMUP) r.allMs.push(ms);
      r.trackerRequestsReachingServer = server.log.filter((q) => trackerHosts.has(q.host)).length;
    }
  });
  for (const p of Object.values(out)) for (const r of Object.values(p)) r.medianMs = median(r.allMs);
  return out;
}

async function contentScripts(sessions) {
  const out = Object.fromEntries(sessions.map((s) => [s.name, { allMs: [], wallMs: [] }]));
  await roundRobin(sessions, TRACES + 1, async (s, tab, i) => {
    const trace = await traceExtensionScripts(tab);
    await tab.goto(`http://${SITE}/elements?trace=${i}`, { waitUntil: 'load' });
    await sleep(1500);  // document_idle, the first scan and a debounced rescan
    const { ms, wallMs } = await trace.stop();
    if (i >= 1) { out[s.name].allMs.push(ms); out[s.name].wallMs.push(wallMs); }
  });
  for (const r of Object.values(out)) { r.medianMs = median(r.allMs); r.wallMedianMs = median(r.wallMs); }
  return out;
}

/** 30,000 network filters from EasyList (its first ones that are neither comments nor cosmetic). */
function customList() {
  const lines = readFileSync(EASYLIST, 'utf8').split('\n').map((l) => l.trim())
    .filter((l) => l && !l.startsWith('!') && !l.startsWith('[') && !/#[@?$%]*#/.test(l));
  return `! Title: bench custom list\n${lines.slice(0, LIST_FILTERS).join('\n')}\n`;
}

async function extensionPage(session, path) {
  const page = await session.browser.newPage();
  await page.goto(`chrome-extension://${session.id}/${path}`);
  await page.waitForFunction(() => document.body?.dataset.ready === '1', { timeout: 60000 });
  return page;
}

/** Switches PixelGuard's Global Privacy Control off on its options page, as a user would. */
async function gpcOff(session) {
  const options = await extensionPage(session, 'options/options.html');
  await options.click('#gpc');
  await options.waitForFunction(() => !document.getElementById('gpc').checked && /saved/.test(document.getElementById('message').textContent));
  await options.close();
}

/** One run of the memory phases in a fresh browser with system `name`. */
async function memoryRun(name, list) {
  const s = await launch(name, server.port);
  try {
    const settled = () => settledMemory(s, { min: MEMORY_WAIT_MS });
    const r = { idle: await settled() };
    const tab = await s.browser.newPage();
    await tab.goto(`http://${SITE}/trackers?memory`, { waitUntil: 'load' });
    r.page = await settled();
    if (name === 'pixelguard') {
      await (await extensionPage(s, 'options/options.html')).close();
      r.beforeList = await settled();
      const options = await extensionPage(s, 'options/options.html');
      const reply = await options.evaluate((text) => chrome.runtime.sendMessage({ type: 'add-list', title: 'bench', text }), list);
      if (!reply?.ok) throw new Error(`adding the list failed: ${JSON.stringify(reply)}`);
      await options.close();
      r.afterList = await settled();
    }
    return r;
  } finally {
    await s.close();
  }
}

async function memory() {
  const names = present(['empty', 'floor', 'ubol', 'pixelguard']);
  const list = customList();
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < MEMORY_RUNS; i++) for (const n of names) { say(`memory ${n} run ${i + 1}`); runs[n].push(await memoryRun(n, list)); }
  const out = {};
  for (const [n, rs] of Object.entries(runs)) {
    out[n] = {};
    for (const phase of Object.keys(rs[0])) {
      const v = rs.map((r) => r[phase]);
      out[n][phase] = { rss: median(v.map((m) => m.rss)), pss: median(v.map((m) => m.pss)), runs: v };
    }
  }
  return out;
}

/** Storage.session entries whose URL is `url`, read through CDP (the browser answers; the worker is not woken). */
async function entryFor(cdp, id, url) {
  const { data } = await cdp.send('Extensions.getStorageItems', { id, storageArea: 'session' });
  return Object.values(data).flatMap((log) => log?.entries ?? []).find((e) => e.url === url);
}

/**
 * `COLD_STARTS` cold starts of each system, alternating: the worker stopped through CDP, then a
 * tracker pixel added to an open page, until its entry is in storage.session. `processGone`: the
 * extension's process exited before the pixel (what a real cold start pays); `keepProcess`: a page
 * of the extension is open in a tab (PixelGuard's options page), so only the worker starts, and for
 * PixelGuard the worker is stopped again and the popup's request timed until it answers with the
 * entry labelled (`labelMs`: what opening the popup costs when the worker had stopped).
 */
async function coldStarts(names, { keepProcess = false } = {}) {
  const sessions = [];
  for (const n of names) sessions.push(await launch(n, server.port));
  try {
    const out = {};
    const tabs = [];
    for (const s of sessions) {
      const ext = keepProcess ? await s.browser.newPage() : null;
      await ext?.goto(`chrome-extension://${s.id}/${s.name === 'pixelguard' ? 'options/options.html' : 'manifest.json'}`);
      const tab = await s.browser.newPage();
      await tab.goto(`http://${SITE}/clean?cold`, { waitUntil: 'load' });
      const cdp = await tab.createCDPSession();
      const worker = { status: null };  // the extension's worker's last running status, as CDP reports it
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        for (const v of versions) if (v.scriptURL.startsWith(`chrome-extension://${s.id}/`)) worker.status = v.runningStatus;
      });
      await cdp.send('ServiceWorker.enable');
      const tabId = s.name === 'pixelguard' && ext ? await ext.evaluate(async () => (await chrome.tabs.query({ url: 'http://*/clean*' }))[0].id) : null;
      tabs.push({ tab, cdp, ext, tabId, worker });
      out[s.name] = { allMs: [], processGone: 0, ...(tabId !== null && { labelMs: [] }) };
    }
    /** Stops the worker, proven by CDP's report that it stopped, and waits for its process to exit (unless a page of it is open). */
    const stop = async (s, { cdp, worker }) => {
      await cdp.send('ServiceWorker.stopAllWorkers');
      for (let w = 0; w < 100 && worker.status !== 'stopped'; w++) await sleep(50);
      if (worker.status !== 'stopped') throw new Error(`${s.name}: the worker did not stop within 5 s (${worker.status})`);
      for (let w = 0; w < (keepProcess ? 10 : 100) && s.processes().length > 0; w++) await sleep(50);
    };
    let n = 0;
    for (let i = 0; i < COLD_STARTS; i++) {
      for (const [j, s] of sessions.entries()) {
        const { tab, cdp, ext, tabId } = tabs[j];
        await stop(s, tabs[j]);
        if (s.processes().length === 0) out[s.name].processGone += 1;
        const url = coldStartTracker(n++);
        const t0 = await tab.evaluate((u) => { const img = new Image(); img.src = u; document.body.append(img); return Date.now(); }, url);
        let ms = null;
        while (ms === null && Date.now() - t0 < 10000) if (await entryFor(cdp, s.id, url)) ms = Date.now() - t0;
        if (ms === null) throw new Error(`${s.name}: no log entry for ${url} within 10 s of a cold start`);
        out[s.name].allMs.push(ms);
        if (tabId === null) continue;
        await stop(s, tabs[j]);
        const asked = Date.now();
        const reply = await ext.evaluate((id) => chrome.runtime.sendMessage({ type: 'popup', tabId: id }), tabId);
        if (!reply?.result?.entries.some((e) => e.url === url && e.filter)) throw new Error(`the popup's answer lacks a labelled entry for ${url}: ${JSON.stringify(reply).slice(0, 300)}`);
        out[s.name].labelMs.push(Date.now() - asked);
      }
    }
    for (const r of Object.values(out)) {
      r.medianMs = median(r.allMs);
      if (r.labelMs) r.labelMedianMs = median(r.labelMs);
    }
    return out;
  } finally {
    for (const s of sessions) await s.close();
  }
}

// How many of the page's pixels the shipped engine's verdict blocks (what the extension could stop).
const { Engine, bundledSnapshot } = await import('../tests/node/shipped.mjs');
const shipped = Engine.fromSnapshot(bundledSnapshot());
const verdictBlocked = trackerUrls().filter((u) => shipped.check(u, `http://${SITE}/`, 'image').decision === 'blocked').length;

const result = { ubol, loads: LOADS, trackers: TRACKER_COUNT, verdictBlocked, listFilters: LIST_FILTERS, memoryWaitMs: MEMORY_WAIT_MS };
try {
  if (want('loads') || want('scripts')) {
    const sessions = [];
    for (const n of present(['none', 'floor', 'ubol', 'pixelguard', 'pixelguardGpcOff'])) sessions.push(await launch(n, server.port));
    await gpcOff(sessions.find((s) => s.name === 'pixelguardGpcOff'));
    await sleep(3000);  // start-up work done before the first load
    try {
      if (want('loads')) { say('page loads, round-robin'); result.pageLoad = await pageLoads(sessions); }
      if (want('scripts')) { say('content scripts, traced'); result.contentScripts = await contentScripts(sessions); }
    } finally {
      for (const s of sessions) await s.close();
    }
  }
  if (want('memory')) { say('memory'); result.memory = await memory(); }
  if (want('cold')) {
    say('cold starts');
    result.coldStart = await coldStarts(['floor', 'pixelguard']);
    result.workerStart = await coldStarts(['floor', 'pixelguard'], { keepProcess: true });
  }
} finally {
  await server.close();
}
process.stdout.write(JSON.stringify(result) + '\n');
