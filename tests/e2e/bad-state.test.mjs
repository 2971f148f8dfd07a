// Bad stored state never stops the background, in each browser: unreadable settings values and a
// custom list whose text is gone are dropped at start-up (the rest kept, what was dropped shown on
// the options page), every message still answers, "reset to defaults" works from the options page,
// and a wasm trap in the engine is followed by an engine rebuilt from the list texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnostics, messages } from '../../extension/src/messages.js';
import { CUSTOM_LIST, TRACKERS, newsPage } from './fixtures.mjs';
import { editStore, launchChromium, launchFirefox, openPage, sendMessage, startServer, tabId, waitFor } from './harness.mjs';

/** Writes broken settings over the stored ones and deletes custom-1's text, from extension page `page`. */
async function breakState(page) {
  await page.evaluate(async () => {
    const api = globalThis.browser ?? globalThis.chrome;
    const { settings } = await api.storage.local.get('settings');
    await api.storage.local.set({ settings: {
      ...settings, paused: ['news.test', 'my_host.test', 'a..b.test', '[2001:db8::1]', 42], blockedHosts: 'px.tracker.test', autoUpdate: 'yes',
    } });
  });
  await editStore(page, { remove: ['list:custom-1'] });
}

const ask = async (page, message) => {
  const reply = await sendMessage(page, message);
  assert.ok(reply?.ok, `${message.type}: ${JSON.stringify(reply)}`);
  return reply.result;
};

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: bad stored state is repaired at start-up, shown, and reset from the options page`, async (t) => {
    const server = await startServer({ '/article': newsPage() });
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });

    let options = await session.extensionPage('options/options.html');
    await options.$eval('#add-text', (e, text) => { e.value = text; }, CUSTOM_LIST);
    await options.click('#add-text-button');
    await options.waitForSelector('[data-list="custom-1"]');

    await breakState(options);
    t.diagnostic(`restart: ${JSON.stringify(await session.restartWorker(options))}`);

    const state = await ask(options, messages.options());
    assert.deepEqual(state.paused, ['news.test', 'my_host.test'], 'the valid paused sites are kept, the others dropped');
    assert.deepEqual(state.blockedHosts, []);
    assert.equal(state.autoUpdate, true);
    for (const dropped of ['paused[2] is not a hostname', 'paused[3] is not a hostname', 'paused[4] is not a hostname',
      'blockedHosts must be an array', 'autoUpdate must be true or false']) {
      assert.ok(state.repair?.problems.includes(dropped), `${dropped} recorded: ${JSON.stringify(state.repair)}`);
    }
    assert.match(state.custom[0].lastError, /text of list custom-1 is missing/);
    assert.deepEqual((await ask(options, diagnostics.status())).lists.map((l) => l.id), ['easyprivacy', 'pixels'], 'the list without text is skipped');

    // The page shows it; the popup and resuming work.
    options = await session.extensionPage('options/options.html');
    assert.equal(await options.$eval('#trouble', (e) => e.hidden), false);
    const shown = await options.$$eval('#repair-problems li', (items) => items.map((li) => li.textContent));
    assert.ok(shown.includes('paused[3] is not a hostname'), JSON.stringify(shown));
    assert.match(await options.$eval('[data-list="custom-1"] .list-error', (e) => e.textContent), /custom-1 is missing/);
    await openPage(session, 'http://news.test/article');
    const tab = await tabId(options, 'http://news.test/*');
    assert.equal((await ask(options, messages.popup(tab))).paused, true);
    await ask(options, messages.pause('news.test', false));
    await openPage(session, 'http://news.test/article?again');
    await waitFor(async () => (await ask(options, messages.popup(tab))).entries.length >= TRACKERS.length, 'blocking works again');

    // Reset to defaults, as a user does it: the button, then its confirmation.
    options = await session.extensionPage('options/options.html');
    await options.click('#reset');
    await options.waitForSelector('#reset-yes', { visible: true });
    await options.click('#reset-yes');
    await waitFor(async () => (await options.$eval('#trouble', (e) => e.hidden)) && (await options.$$('[data-list="custom-1"]')).length === 0,
      'the page shows the defaults');
    const reset = await ask(options, messages.options());
    assert.deepEqual([reset.custom, reset.paused, reset.repair, reset.startErrors], [[], [], null, []]);

    // A number where the core expects a URL is a clear error, and the engine stays.
    const { source } = await ask(options, diagnostics.status());
    const refused = await sendMessage(options, diagnostics.check({ url: 42 }));
    assert.deepEqual([refused.ok, refused.error], [false, 'url must be a string, not number']);
    assert.equal((await ask(options, diagnostics.status())).source, source, 'a refused argument keeps the engine');
    // A wasm trap (raised where the engine is used, as a bug in the core would) is followed by a rebuild.
    const trap = await sendMessage(options, diagnostics.trap());
    assert.equal(trap.ok, false);
    t.diagnostic(`the trap: ${trap.error}`);
    await waitFor(async () => (await sendMessage(options, diagnostics.status()))?.result?.source === 'lists', 'the engine is rebuilt from the list texts');
    const verdict = await ask(options, diagnostics.check({ url: TRACKERS[0].url, sourceUrl: 'https://news.test/', resourceType: 'image' }));
    assert.equal(verdict.decision, 'blocked', 'the rebuilt engine labels a tracker');
  });
}
