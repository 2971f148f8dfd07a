// Issue 11 in each browser: the background is stopped (Chrome's service worker through CDP, with no
// page of the extension open, so its process goes too; Firefox's background terminated), then a
// page loads with 26 tracker requests (img, sendBeacon, fetch, script): the page itself wakes the
// background. Blocking never waits for it (DNR), and no request is lost from the log: each tracker
// is there once, labelled with its filter, list, company and kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRACKERS, logged, newsPage } from './fixtures.mjs';
import { launchChromium, launchFirefox, sendMessage, startServer, tabId, waitFor } from './harness.mjs';

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: a page that wakes the stopped background loses no labelled entry`, async (t) => {
    const server = await startServer({ '/article': newsPage(), '/blank': '<!doctype html><title>blank</title>' });
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });

    const page = await session.browser.newPage();
    await page.goto('http://news.test/blank');
    const started = await session.stopWorker(page);
    await page.goto('http://news.test/article?cold=1');
    await page.waitForFunction(() => document.body?.dataset.done === '1');
    const states = await started();
    t.diagnostic(`background: ${JSON.stringify(states)}`);
    assert.equal(states.stopped, 'stopped');

    const arrived = server.log.filter((r) => TRACKERS.some((tr) => r.url.startsWith(logged(tr.url))));
    assert.deepEqual(arrived, [], 'DNR blocked every tracker while the background was starting');
    const ext = await session.extensionPage('options/options.html');
    const tab = await tabId(ext, 'http://news.test/*');
    const entries = await waitFor(async () => {
      const reply = await sendMessage(ext, { type: 'popup', tabId: tab });
      return reply.ok && reply.result.entries.length >= TRACKERS.length && reply.result.entries;
    }, 'the log holds every tracker');
    assert.deepEqual(entries.map((e) => e.url).sort(), TRACKERS.map((tr) => tr.url).sort(), 'each tracker once, none lost');
    for (const e of entries) {
      assert.equal(e.decision, 'blocked', e.url);
      assert.ok(['easyprivacy', 'pixels'].includes(e.filter?.list) && e.filter.line > 0 && e.filter.text, `${e.url}: filter and list`);
      assert.ok(e.company && e.kind, `${e.url}: company and kind`);
    }
  });
}
