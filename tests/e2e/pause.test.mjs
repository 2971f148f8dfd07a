// Scenario 4 in each browser: pausing a site from the popup lets its trackers load after a reload;
// resuming blocks them again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRACKERS, logged, newsPage } from './fixtures.mjs';
import { launchChromium, launchFirefox, openPage, sendMessage, startServer, tabId, waitFor } from './harness.mjs';

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: 4: pause and resume a site`, async (t) => {
    const server = await startServer({ '/article': newsPage() });
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });
    const arrived = () => TRACKERS.filter((tr) => server.saw(logged(tr.url))).length;

    await openPage(session, 'http://news.test/article');
    const ext = await session.extensionPage('options/options.html');
    const tab = await tabId(ext, 'http://news.test/*');
    const tabState = async () => (await sendMessage(ext, { type: 'popup', tabId: tab })).result;
    await waitFor(async () => (await tabState()).entries.length >= TRACKERS.length, 'the trackers are blocked');
    assert.equal(arrived(), 0);

    /** Toggles protection in the popup and reloads the tab with the popup's button. */
    async function toggle(expectChecked) {
      const popup = await session.extensionPage(`popup/popup.html?tab=${tab}`);
      assert.equal(await popup.$eval('#protect', (e) => e.checked), expectChecked);
      await popup.focus('#protect');
      await popup.keyboard.press(' ');  // keyboard accessible
      await popup.waitForSelector('#reload:not([hidden])');
      // The popup closes itself once it has reloaded the tab, which may end the click's own protocol call.
      await popup.click('#reload').catch((error) => { if (!/Target closed|Session closed/.test(error.message)) throw error; });
    }

    const loads = () => server.log.filter((r) => r.url.startsWith('news.test/article')).length;
    await toggle(true);
    await waitFor(() => arrived() === TRACKERS.length, 'paused: every tracker loads after the reload').catch(async (error) => {
      // Which way it failed: no reload at all, a tracker the extension blocked after the pause (in
      // the tab's log again, with its rule), or one the browser never requested (not in the log).
      const missing = TRACKERS.filter((tr) => !server.saw(logged(tr.url)));
      const state = await tabState();
      const how = (tr) => {
        const entry = state.entries.find((e) => e.url === tr.url);
        return `${tr.how} ${tr.url}: ${entry ? `${entry.decision} by ${entry.path} (${entry.filter?.list}:${entry.filter?.line})` : 'not in the log: no rule of the extension blocked it (never requested, or still loading)'}`;
      };
      throw new Error(`${error.message}: ${arrived()} of ${TRACKERS.length} trackers arrived (missing: ${missing.map(how).join('; ')}), the page was requested ${loads()} times, the tab's log says paused=${state.paused}`);
    });
    assert.deepEqual((await sendMessage(ext, { type: 'options' })).result.paused, ['news.test']);

    const before = server.log.length;
    await toggle(false);
    await waitFor(async () => {
      const state = await tabState();
      return !state.paused && state.entries.length >= TRACKERS.length;
    }, 'resumed: the trackers are blocked again after the reload');
    const again = server.log.slice(before).filter((r) => TRACKERS.some((tr) => r.url.startsWith(logged(tr.url))));
    assert.deepEqual(again, []);
  });
}
