// The browser half of the bench, in headless Chromium with dist/chrome (tests/e2e/harness.mjs):
//  - load time of a local page with 100 tracker pixels and 100 first-party images, with and
//    without the extension (median of LOADS loads (two sessions each, alternating, 2 warm-up loads per session));
//  - service-worker cold start to first verdict: stop the extension's worker, then time a `diagnostic-check`
//    message from an extension page until its reply (worker start, wasm init, snapshot restore).
// Prints one JSON object. Every host is answered by the local server (the browser's proxy).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { diagnostics } from '../extension/src/messages.js';
import { DIST, launchChromium, startServer } from '../tests/e2e/harness.mjs';

const LOADS = Number(process.env.BENCH_LOADS ?? 12);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 10);

// 10 tracker endpoints × 10 variants, each blocked by EasyPrivacy (checked against the engine), on
// hosts Chromium does not force to https (HSTS-preloaded ones would fail at the proxy instead of
// loading: google-analytics.com, doubleclick.net, bing.com, pinterest.com, hubspot.com are out).
const TRACKERS = [
  (i) => `http://sb.scorecardresearch.com/p?c1=2&c2=${1000 + i}&cv=3.6`,
  (i) => `http://pixel.quantserve.com/pixel/p-${i}.gif?labels=x`,
  (i) => `http://px.ads.linkedin.com/collect/?pid=${i}&fmt=gif`,
  (i) => `http://analytics.twitter.com/i/adsct?txn_id=${i}&p_id=Twitter`,
  (i) => `http://pixel.tapad.com/idsync/ex/receive?partner_id=${i}`,
  (i) => `http://secure.adnxs.com/px?id=${i}&t=2`,
  (i) => `http://sp.analytics.yahoo.com/spp.pl?a=${i}&e=pv`,
  (i) => `http://px.moatads.com/pixel.gif?e=${i}`,
  (i) => `http://pixel.mathtag.com/event/img?mt_id=${i}`,
  (i) => `http://d.adroll.com/cm/g/out?id=${i}`,
];
export const trackerUrls = () => Array.from({ length: 100 }, (_, i) => TRACKERS[i % 10](Math.floor(i / 10)));
const firstParty = () => Array.from({ length: 100 }, (_, i) => `http://shop.test/img/product-${i}.png`);

const PAGE = `<!doctype html><meta charset="utf-8"><title>bench</title>
<body>${firstParty().map((u) => `<img src="${u}" width="1" height="1">`).join('')}
${trackerUrls().map((u) => `<img src="${u}" width="1" height="1" alt="">`).join('')}</body>`;

/**
 * Chromium as tests/e2e/harness.mjs launches it, with the extension from a copy of dist/chrome. It
 * never attaches DevTools to the extension's worker (an attached worker is never stopped, which the
 * cold-start measurement needs): the extension is ready when its popup got the engine's status.
 */
async function launch({ port, extension }) {
  if (!extension) return launchChromium({ port, extension: false });
  const dir = mkdtempSync(join(tmpdir(), 'pixelguard-bench-'));
  cpSync(join(DIST, 'chrome'), join(dir, 'ext'), { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: '/usr/lib/chromium/chromium', headless: true, pipe: true, enableExtensions: true,
    userDataDir: join(dir, 'profile'),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic',
      `--proxy-server=http://127.0.0.1:${port}`, '--ignore-certificate-errors', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
  const id = await browser.installExtension(join(dir, 'ext'));
  await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${id}/`));
  const session = {
    browser, id,
    async extensionPage(path) {
      const page = await browser.newPage();
      await page.goto(`chrome-extension://${id}/${path}`);
      await page.waitForFunction(() => document.body?.dataset.ready === '1');
      return page;
    },
    async close() { await browser.close(); rmSync(dir, { recursive: true, force: true }); },
  };
  const popup = await session.extensionPage('popup/popup.html');
  const status = await popup.$eval('#status', (e) => `${e.className} ${e.textContent}`);
  if (status.includes('error')) throw new Error(`the extension did not start: ${status}`);
  await popup.close();
  return session;
}

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.ceil(s.length / 2) - 1]; };

async function pageLoads(extension, loads) {
  const server = await startServer({ 'shop.test/': PAGE });
  const session = await launch({ port: server.port, extension });
  try {
    const page = await session.browser.newPage();
    const times = [];
    let trackerHits = 0;
    for (let i = 0; i < loads + 2; i++) {
      server.log.length = 0;
      await page.goto(`http://shop.test/?load=${i}`, { waitUntil: 'load' });
      const t = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        return nav.loadEventStart - nav.startTime;
      });
      if (i >= 2) times.push(t);  // two warm-up loads
      trackerHits = server.log.filter((r) => r.host !== 'shop.test').length;
    }
    return { medianMs: median(times), allMs: times, trackerRequestsReachingServer: trackerHits };
  } finally {
    await session.close();
    await server.close();
  }
}

async function coldStarts() {
  const server = await startServer({});
  const session = await launch({ port: server.port, extension: true });
  try {
    const page = await session.extensionPage('popup/popup.html');
    const cdp = await page.createCDPSession();
    await cdp.send('ServiceWorker.enable');
    const workerUp = () => session.browser.targets().some((t) => t.type() === 'service_worker' && t.url().includes(session.id));
    const check = (m) => page.evaluate(async (message) => {
      const t = performance.now();
      const reply = await chrome.runtime.sendMessage(message);
      return { ms: performance.now() - t, reply };
    }, m);
    const message = diagnostics.check({ url: 'http://www.facebook.com/tr?id=1&ev=PageView', sourceUrl: 'http://shop.test/', resourceType: 'image' });
    const cold = [], warm = [];
    let verdict;
    for (let i = 0; i < COLD_STARTS; i++) {
      await cdp.send('ServiceWorker.stopAllWorkers');
      for (let w = 0; w < 100 && workerUp(); w++) await new Promise((r) => setTimeout(r, 20));
      if (workerUp()) throw new Error('the extension service worker did not stop');
      const c = await check(message);
      if (!c.reply?.ok) throw new Error(`check failed: ${JSON.stringify(c.reply)}`);
      cold.push(c.ms);
      verdict = c.reply.result.decision;
      warm.push((await check(message)).ms);
    }
    return { coldMedianMs: median(cold), coldAllMs: cold, warmMedianMs: median(warm), verdict };
  } finally {
    await session.close();
    await server.close();
  }
}

// How many of the page's pixels the shipped engine's verdict blocks (what the extension could stop).
const { Engine, bundledSnapshot } = await import('../tests/node/shipped.mjs');
const shipped = Engine.fromSnapshot(bundledSnapshot());
const verdictBlocked = trackerUrls().filter((u) => shipped.check(u, 'http://shop.test/', 'image').decision === 'blocked').length;

// Alternate sessions (without, with, without, with) so neither side gets the warmer machine.
const rounds = [await pageLoads(false, LOADS / 2), await pageLoads(true, LOADS / 2), await pageLoads(false, LOADS / 2), await pageLoads(true, LOADS / 2)];
const merge = ([a, b]) => ({ medianMs: median([...a.allMs, ...b.allMs]), allMs: [...a.allMs, ...b.allMs],
  trackerRequestsReachingServer: Math.max(a.trackerRequestsReachingServer, b.trackerRequestsReachingServer) });
const without = merge([rounds[0], rounds[2]]);
const withExt = merge([rounds[1], rounds[3]]);
const sw = await coldStarts();
process.stdout.write(JSON.stringify({ loads: LOADS, verdictBlocked, pageLoad: { without, with: withExt }, serviceWorker: sw }) + '\n');
