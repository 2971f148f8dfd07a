// Issue 12 in each browser: a hostile page floods suspect reports (30 frames of 100 fake 1×1 images
// each, 3,000 in all). The background judges at most a page's bound of distinct URLs however many
// frames report, the popup lists at most its cap, and another tab opened during the flood still has
// each of its trackers logged and labelled. Timings are diagnostics (the bench measures speed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnostics } from '../../extension/src/messages.js';
import { TRACKERS, newsPage } from './fixtures.mjs';
import { launchChromium, launchFirefox, sendMessage, startServer, tabId, waitFor } from './harness.mjs';

const FRAMES = 30;
const IMAGES = 100;  // per frame
const PAGE_BOUND = 500;  // suspects.js: distinct URLs judged per tab and page
const LISTED = 200;  // log.js: suspects kept per tab

/** A token a tracker would put in its URL, made from the frame and image numbers. */
const token = (f, i) => `${f.toString(36)}Q${i.toString(36)}k${((f * 7919 + i * 104729) % 999983).toString(36)}Lw82ZpXv7RtY`;
const frame = (f) => `<!doctype html><title>Frame ${f}</title><body>${Array.from({ length: IMAGES },
  (_, i) => `<img alt="" src="https://px${f % 3}.made-up-flood.test/mail/open?uid=${token(f, i)}">`).join('')}</body>`;
const floodPage = `<!doctype html><title>Flood</title><body>${Array.from({ length: FRAMES },
  (_, f) => `<iframe width="40" height="40" src="http://f${f}.flood.test/frame/${f}"></iframe>`).join('')}</body>`;

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: a flood of suspect reports from 30 frames is bounded per tab; another tab is still logged`, async (t) => {
    const routes = { '/flood': floodPage, '/article': newsPage() };
    for (let f = 0; f < FRAMES; f += 1) routes[`/frame/${f}`] = frame(f);
    const server = await startServer(routes);
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });
    const ext = await session.extensionPage('options/options.html');

    const flooding = await session.browser.newPage();
    // Its load is waited for only before counting its images: the flood's ~1,400 images take Firefox
    // 20-40 s on a loaded machine (seen past goto's 30 s), and the other tab is logged meanwhile.
    await flooding.goto('http://flood.test/flood', { waitUntil: 'domcontentloaded' });
    const flood = await tabId(ext, 'http://flood.test/*');
    const started = Date.now();
    const news = await session.browser.newPage();
    await news.goto('http://news.test/article');
    await news.waitForFunction(() => document.body?.dataset.done === '1');
    const tab = await tabId(ext, 'http://news.test/*');
    const entries = await waitFor(async () => {
      const reply = await sendMessage(ext, { type: 'popup', tabId: tab });
      return reply.ok && reply.result.entries.length >= TRACKERS.length && reply.result.entries;
    }, 'the other tab logs every tracker');
    t.diagnostic(`${name}: the other tab's ${TRACKERS.length} trackers logged ${Date.now() - started} ms after its load began`);
    assert.deepEqual(entries.map((e) => e.url).sort(), TRACKERS.map((tr) => tr.url).sort());
    assert.ok(entries.every((e) => e.filter?.list && e.company), 'each labelled');

    const suspects = await waitFor(async () => {
      const s = (await sendMessage(ext, { type: 'popup', tabId: flood })).result.suspects;
      return s.length >= LISTED && s;
    }, 'the flood tab lists its cap of suspects');
    const opened = Date.now();
    await session.extensionPage(`popup/popup.html?tab=${flood}`);
    t.diagnostic(`${name}: the flood tab's popup ready in ${Date.now() - opened} ms`);
    assert.equal(suspects.length, LISTED, 'the popup lists at most its cap');
    assert.ok(suspects.every((s) => /^https:\/\/px[0-2]\.made-up-flood\.test\/mail\/open\?uid=/.test(s.url)));
    await flooding.waitForFunction(() => document.readyState === 'complete', { polling: 500, timeout: 120_000 });
    const reported = server.log.filter((r) => r.host.endsWith('made-up-flood.test')).length;
    const judged = await waitFor(async () => {
      const counts = (await sendMessage(ext, diagnostics.status())).result.judged;
      return counts[flood] >= PAGE_BOUND && counts;
    }, `the flood tab had ${PAGE_BOUND} URLs judged`);
    t.diagnostic(`${name}: ${reported} flood images loaded, ${judged[flood]} judged`);
    assert.ok(reported > 2 * PAGE_BOUND, `the flood loaded more images than the bound (${reported})`);
    assert.equal(judged[flood], PAGE_BOUND, `the page's frames reported ${reported} URLs, the bound judged ${PAGE_BOUND}`);
  });
}
