// The systems the browser bench measures side by side, each in its own headless Chromium: no
// extension, an empty MV3 extension and the least a logging blocker can be (both built here), uBlock
// Origin Lite (../shared/anchors, unmodified, when present) and PixelGuard (dist/chrome). Also
// where an extension's process is and what it holds (RSS and PSS from /proc).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { DIST } from '../../tests/e2e/harness.mjs';
import { trackerUrls } from './pages.mjs';

export const UBOL = fileURLToPath(new URL('../../../shared/anchors/ubol-chromium/', import.meta.url));
export const ubolVersion = () => (existsSync(join(UBOL, 'manifest.json')) ? JSON.parse(readFileSync(join(UBOL, 'manifest.json'), 'utf8')).version : null);

/** An MV3 extension with a service worker that does nothing: the memory every extension costs. */
function emptyExtension(dir) {
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    manifest_version: 3, name: 'empty', version: '1.0', background: { service_worker: 'background.js' },
  }));
  writeFileSync(join(dir, 'background.js'), '// nothing\n');
}

/**
 * The least an extension can do to log what DNR blocked: one static rule per tracker host of the
 * bench's pages and an `onErrorOccurred` listener appending the URL to the tab's list in
 * storage.session — no engine, no label. Its cold start is the floor under PixelGuard's. (Its empty
 * content script is there because CDP reads an extension's storage only from a page it injects into.)
 */
function floorExtension(dir) {
  const hosts = [...new Set([...trackerUrls()].map((u) => new URL(u).hostname))];
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    manifest_version: 3, name: 'floor', version: '1.0', background: { service_worker: 'background.js' },
    permissions: ['declarativeNetRequest', 'webRequest', 'storage'], host_permissions: ['<all_urls>'],
    declarative_net_request: { rule_resources: [{ id: 'block', enabled: true, path: 'rules.json' }] },
    content_scripts: [{ matches: ['<all_urls>'], js: ['content.js'] }],
  }));
  writeFileSync(join(dir, 'content.js'), '// nothing\n');
  writeFileSync(join(dir, 'rules.json'), JSON.stringify([{ id: 1, action: { type: 'block' }, condition: { requestDomains: hosts } }]));
  writeFileSync(join(dir, 'background.js'), `chrome.webRequest.onErrorOccurred.addListener(async (d) => {
  if (d.error !== 'net::ERR_BLOCKED_BY_CLIENT' || d.tabId < 0) return;
  const key = 'tab:' + d.tabId;
  const { [key]: log = { entries: [] } } = await chrome.storage.session.get(key);
  log.entries.push({ url: d.url, time: d.timeStamp });
  await chrome.storage.session.set({ [key]: log });
}, { urls: ['<all_urls>'] });
`);
}

/** name → how to make its extension directory in `dir` (null: no extension). */
const SYSTEMS = {
  none: null,
  empty: emptyExtension,
  floor: floorExtension,
  ubol: (dir) => cpSync(UBOL, dir, { recursive: true }),
  // BENCH_EXTENSION_DIR: another build of PixelGuard, for before/after comparisons.
  pixelguard: (dir) => cpSync(process.env.BENCH_EXTENSION_DIR ?? join(DIST, 'chrome'), dir, { recursive: true }),
};
// The same build, its Global Privacy Control switched off on its options page once launched (bench/browser.mjs).
SYSTEMS.pixelguardGpcOff = SYSTEMS.pixelguard;

/**
 * Headless Chromium as tests/e2e/harness.mjs launches it, with system `name`'s extension from a
 * fresh copy. It never attaches DevTools to the extension's worker (an attached worker is never
 * stopped, and its process would hold the debugger's memory).
 */
export async function launch(name, port) {
  const dir = mkdtempSync(join(tmpdir(), `pixelguard-bench-${name}-`));
  const make = SYSTEMS[name];
  const browser = await puppeteer.launch({
    executablePath: '/usr/lib/chromium/chromium', headless: true, pipe: true, enableExtensions: Boolean(make),
    userDataDir: join(dir, 'profile'),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic',
      `--proxy-server=http://127.0.0.1:${port}`, '--ignore-certificate-errors', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
  let id = null;
  if (make) {
    mkdirSync(join(dir, 'ext'));
    make(join(dir, 'ext'));
    id = await browser.installExtension(join(dir, 'ext'));
    await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${id}/`));
  }
  return {
    name, browser, id,
    /** The pids of the extension's renderer processes (none while its worker is stopped and no page of it is open). */
    processes: () => (id ? descendants(browser.process().pid).filter(isExtensionProcess) : []),
    async close() { await browser.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

/** Chromium rewrites its children's command lines with spaces; an extension renderer says so. */
const isExtensionProcess = (pid) => {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/).includes('--extension-process'); } catch { return false; }
};

function descendants(root) {
  const children = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(pid));
    } catch { /* gone */ }
  }
  const out = [], queue = [root];
  while (queue.length) { const p = queue.pop(); out.push(p); queue.push(...(children.get(p) ?? [])); }
  return out;
}

/** RSS and PSS in bytes of `pids`, summed (smaps_rollup); a pid that exited counts 0. */
export function memoryOf(pids) {
  let rss = 0, pss = 0;
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(rollup.match(/^Rss:\s+(\d+) kB/m)[1]) * 1024;
      pss += Number(rollup.match(/^Pss:\s+(\d+) kB/m)[1]) * 1024;
    } catch { /* gone */ }
  }
  return { rss, pss, processes: pids.length };
}

/** CPU time (clock ticks, user + system) of `pids`. */
function cpuTicks(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch { /* gone */ }
  }
  return ticks;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Has V8 collect garbage in each of the extension's running service workers (every system alike),
 * so what is read is what they retain, not what they dropped and V8 has not yet reclaimed.
 */
async function collectGarbage(session) {
  const workers = session.browser.targets().filter((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${session.id}/`));
  for (const worker of workers) {
    const cdp = await worker.createCDPSession().catch(() => null);  // a worker that just stopped
    if (!cdp) continue;
    await cdp.send('HeapProfiler.collectGarbage').catch(() => {});
    await cdp.detach().catch(() => {});
  }
}

/**
 * Waits until the extension's processes exist and have been quiet (under 2 clock ticks of CPU in a
 * second), at least `min` ms and at most `max` ms; then collects garbage in its workers, waits
 * quiet again, and reads their memory. `quietAfter` says how long it took.
 */
export async function settledMemory(session, { min = 1500, max = 20000 } = {}) {
  const start = Date.now();
  const settle = async (deadline) => {
    let last = cpuTicks(session.processes());
    for (;;) {
      await sleep(1000);
      const now = cpuTicks(session.processes());
      const quiet = now - last < 2 && session.processes().length > 0;
      last = now;
      if (quiet || Date.now() > deadline) return quiet;
    }
  };
  await sleep(min);
  await settle(start + max);
  await collectGarbage(session);
  const quiet = await settle(Date.now() + max);
  return { ...memoryOf(session.processes()), quietAfterMs: Date.now() - start, quiet };
}
