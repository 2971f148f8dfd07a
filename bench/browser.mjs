// The browser half of the bench, in headless Chromium with dist/chrome (tests/e2e/harness.mjs):
//  - load time of a local page with 100 tracker pixels and 100 first-party images, with and
//    without the extension (median of LOADS loads after a warm-up);
//  - service-worker cold start to first verdict: stop the extension's worker, then time a `check`
//    message from an extension page until its reply (worker start, wasm init, snapshot restore).
// Prints one JSON object. Every host is answered by the local server (the browser's proxy).
import { launchChromium, startServer } from '../tests/e2e/harness.mjs';

const LOADS = Number(process.env.BENCH_LOADS ?? 12);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 10);

// 10 tracker endpoints × 10 variants: hosts EasyPrivacy lists by domain and browsers do not
// force to https (an https URL would fail at the proxy, not measure anything).
const TRACKERS = [
  (i) => `http://sb.scorecardresearch.com/p?c1=2&c2=${1000 + i}&cv=3.6`,
  (i) => `http://pixel.quantserve.com/pixel/p-${i}.gif?labels=x`,
  (i) => `http://bat.bing.com/action/0?ti=${i}&evt=pageLoad`,
  (i) => `http://ct.pinterest.com/v3/?tid=${i}&event=init&noscript=1`,
  (i) => `http://px.ads.linkedin.com/collect/?pid=${i}&fmt=gif`,
  (i) => `http://analytics.twitter.com/i/adsct?txn_id=${i}&p_id=Twitter`,
  (i) => `http://www.google-analytics.com/collect?v=1&tid=UA-${i}-1&t=pageview`,
  (i) => `http://stats.g.doubleclick.net/r/collect?v=1&tid=UA-${i}-1`,
  (i) => `http://pixel.tapad.com/idsync/ex/receive?partner_id=${i}`,
  (i) => `http://secure.adnxs.com/px?id=${i}&t=2`,
];
export const trackerUrls = () => Array.from({ length: 100 }, (_, i) => TRACKERS[i % 10](Math.floor(i / 10)));
const firstParty = () => Array.from({ length: 100 }, (_, i) => `http://shop.test/img/product-${i}.png`);

const PAGE = `<!doctype html><meta charset="utf-8"><title>bench</title>
<body>${firstParty().map((u) => `<img src="${u}" width="1" height="1">`).join('')}
${trackerUrls().map((u) => `<img src="${u}" width="1" height="1" alt="">`).join('')}</body>`;

/** launchChromium, retried: on a loaded machine the worker's readiness probe can race its start. */
async function launch(options) {
  for (let attempt = 1; ; attempt++) {
    try { return await launchChromium(options); } catch (error) {
      if (attempt === 3) throw error;
      console.error(`bench: Chromium launch failed (${error.message}); retrying`);
    }
  }
}

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.ceil(s.length / 2) - 1]; };

async function pageLoads(extension) {
  const server = await startServer({ 'shop.test/': PAGE });
  const session = await launch({ port: server.port, extension });
  try {
    const page = await session.browser.newPage();
    const times = [];
    let trackerHits = 0;
    for (let i = 0; i < LOADS + 2; i++) {
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
  const session = await launch({ port: server.port });
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
    const message = { type: 'check', url: 'http://www.facebook.com/tr?id=1&ev=PageView', sourceUrl: 'http://shop.test/', resourceType: 'image' };
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

const without = await pageLoads(false);
const withExt = await pageLoads(true);
const sw = await coldStarts();
process.stdout.write(JSON.stringify({ loads: LOADS, pageLoad: { without, with: withExt }, serviceWorker: sw }) + '\n');
