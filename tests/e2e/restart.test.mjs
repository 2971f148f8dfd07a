// Scenario 5 in each browser: the Chrome service worker is stopped (Firefox: the background page
// terminated), proven gone and back; the tab's log, the custom list and blocking survive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnostics } from '../../extension/src/messages.js';
import { CUSTOM_LIST, NEW_TRACKER, TRACKERS, logged, newsPage } from './fixtures.mjs';
import { launchChromium, launchFirefox, openPage, sendMessage, startServer, tabId, waitFor } from './harness.mjs';

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: 5: log, custom list and blocking survive a background restart`, async (t) => {
    const server = await startServer({ '/article': newsPage({ extra: [NEW_TRACKER] }) });
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });

    const options = await session.extensionPage('options/options.html');
    await options.$eval('#add-text', (e, text) => { e.value = text; }, CUSTOM_LIST);
    await options.click('#add-text-button');
    await options.waitForSelector('[data-list="custom-1"]');

    await openPage(session, 'http://news.test/article?run=1');
    const tab = await tabId(options, 'http://news.test/*');
    const popupState = async () => (await sendMessage(options, { type: 'popup', tabId: tab })).result;
    const before = await waitFor(async () => {
      const state = await popupState();
      return state.entries.length >= TRACKERS.length + 1 && state;
    }, 'the log holds every tracker and the custom one');

    const restart = await session.restartWorker(options);
    t.diagnostic(`background restarted: ${JSON.stringify(restart)}`);

    const reply = await sendMessage(options, diagnostics.status());
    assert.ok(reply?.ok, JSON.stringify(reply));
    const status = reply.result;
    assert.equal(status.source, 'stored-snapshot', 'the restarted background restored the stored snapshot');
    assert.deepEqual(status.lists.map((l) => l.id), ['easyprivacy', 'pixels', 'custom-1']);
    const urls = (state) => state.entries.map((e) => e.url);
    assert.deepEqual(urls(await popupState()), urls(before), 'the log survived');

    await openPage(session, 'http://news.test/article?run=2');
    await waitFor(async () => (await popupState()).entries.length >= TRACKERS.length + 1, 'the new page is logged');
    const arrived = server.log.filter((r) => [...TRACKERS.map((tr) => tr.url), NEW_TRACKER].some((u) => r.url.startsWith(logged(u))));
    assert.deepEqual(arrived, [], 'blocking survived, the custom list included');
  });
}
