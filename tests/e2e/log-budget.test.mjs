// One page must not stop the log for every tab, in each browser: a page making 400 blocked
// requests with 40 KB URLs keeps its log within its budget (URLs cut, the oldest entries dropped
// and the popup saying how many), and a news page in a second tab still has its every tracker logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messages } from '../../extension/src/messages.js';
import { TRACKERS, newsPage } from './fixtures.mjs';
import { launchChromium, launchFirefox, openPage, sendMessage, startServer, tabId, waitFor } from './harness.mjs';

const COUNT = 400;
/** 400 images to an EasyPrivacy host with 40 KB URLs, made by script; done once all settled. */
const floodPage = `<!doctype html><title>Flood</title><body><script>
const pad = 'x'.repeat(40 * 1024);
let settled = 0;
for (let i = 0; i < ${COUNT}; i++) {
  const img = new Image(1, 1);
  img.onload = img.onerror = () => { if (++settled === ${COUNT}) document.body.dataset.done = '1'; };
  img.src = 'https://www.facebook.com/tr?id=' + i + '&ev=PageView&pad=' + pad;
  document.body.append(img);
}
</script></body>`;

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: a page's flood of long blocked URLs stays within its tab's budget; another tab is still logged`, async (t) => {
    const server = await startServer({ '/flood': floodPage, '/article': newsPage() });
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });
    const ext = await session.extensionPage('options/options.html');
    const state = async (tab) => {
      const reply = await sendMessage(ext, messages.popup(tab));
      assert.ok(reply?.ok, JSON.stringify(reply)?.slice(0, 300));
      return reply.result;
    };

    const page = await session.browser.newPage();
    const started = Date.now();
    await page.goto('http://flood.test/flood', { timeout: 300_000 });  // Firefox takes long over 16 MB of URLs
    await page.waitForFunction(() => document.body?.dataset.done === '1', { timeout: 300_000 });
    t.diagnostic(`the flood page loaded in ${Date.now() - started} ms`);
    const flood = await tabId(ext, 'http://flood.test/*');
    const flooded = await waitFor(async () => {
      const s = await state(flood);
      return s.entries.length + s.dropped >= COUNT && s;
    }, 'every blocked request of the flood is logged or counted as dropped', 90_000);
    t.diagnostic(`flood tab: ${flooded.entries.length} entries kept, ${flooded.dropped} dropped, longest URL ${Math.max(...flooded.entries.map((e) => e.url.length))} characters`);
    assert.ok(flooded.dropped > 0, 'the oldest entries were dropped');
    assert.ok(flooded.entries.every((e) => e.url.length <= 2048), 'URLs are cut');
    assert.ok(flooded.entries.at(-1).url.startsWith(`https://www.facebook.com/tr?id=`), 'the newest entries are kept');

    await openPage(session, 'http://news.test/article');
    const news = await tabId(ext, 'http://news.test/*');
    await waitFor(async () => (await state(news)).entries.length >= TRACKERS.length, 'the second tab has every tracker logged', 60_000);

    const popup = await session.extensionPage(`popup/popup.html?tab=${flood}`);
    assert.match(await popup.$eval('#dropped:not([hidden])', (e) => e.textContent),
      new RegExp(`^${flooded.dropped.toLocaleString('en')} earlier blocked requests are no longer listed`));
  });
}
