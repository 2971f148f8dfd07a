// Scenarios 1 and 2 in each browser: the bundled rulesets block ≥ 20 real tracker requests (img,
// sendBeacon, fetch, script) while first-party images load, and the popup lists each blocked one
// with its filter and list, rendering a URL full of markup as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CRAFTED, FIRST_PARTY, TRACKERS, logged, newsPage } from './fixtures.mjs';
import { ARTIFACTS, launchChromium, launchFirefox, openPage, sendMessage, startServer, tabId, waitFor } from './harness.mjs';

const tracker = (server) => TRACKERS.filter((t) => server.saw(logged(t.url))).map((t) => t.url);

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: trackers are blocked, first-party images load, the popup explains each block`, async (t) => {
    assert.ok(TRACKERS.length >= 20);
    const server = await startServer({ '/article': newsPage({ crafted: true }) });
    t.after(() => server.close());

    await t.test('control: without the extension every request arrives', async () => {
      const plain = await launch({ port: server.port, extension: false });
      try {
        await openPage(plain, 'http://news.test/article?run=control');
        await waitFor(() => tracker(server).length === TRACKERS.length, 'every tracker request arrived');
        for (const path of FIRST_PARTY) assert.ok(server.saw(`news.test${path}`), path);
      } finally {
        await plain.close();
      }
    });

    server.log.length = 0;
    const session = await launch({ port: server.port });
    t.after(() => session.close());
    await openPage(session, 'http://news.test/article?run=extension');
    const ext = await session.extensionPage('options/options.html');
    const tab = await tabId(ext, 'http://news.test/*');
    const state = await waitFor(async () => {
      const reply = await sendMessage(ext, { type: 'popup', tabId: tab });
      return reply.ok && reply.result.entries.length >= TRACKERS.length + 1 && reply.result;
    }, 'the log holds every tracker');

    await t.test('1: no tracker request reaches the server; first-party images do', () => {
      assert.deepEqual(tracker(server), []);
      assert.ok(!server.saw(logged(CRAFTED)), 'the crafted tracker URL was blocked too');
      for (const path of FIRST_PARTY) assert.ok(server.saw(`news.test${path}`), path);
    });

    await t.test('2: the badge counts them; the popup lists every blocked tracker with its filter and list', async () => {
      const hosts = new Set(state.entries.map((e) => e.host));
      for (const { url } of TRACKERS) assert.ok(hosts.has(new URL(url).hostname), url);
      for (const e of state.entries) {
        assert.ok(['easyprivacy', 'pixels'].includes(e.filter?.list), e.url);
        assert.ok(e.filter.text.length > 0 && e.company && e.kind, `${e.url}: filter, company and kind`);
      }
      await waitFor(() => ext.evaluate((id) => (globalThis.browser ?? globalThis.chrome).action.getBadgeText({ tabId: id }), tab)
        .then((badge) => badge === String(state.entries.length)), 'the badge shows the count');
      const popup = await session.extensionPage(`popup/popup.html?tab=${tab}`);
      await popup.setViewport({ width: 400, height: 600 });
      const text = await popup.$eval('main', (m) => m.textContent);
      assert.match(text, new RegExp(`${state.entries.length} blocked on this page`));
      for (const { url } of TRACKERS) assert.ok(text.includes(new URL(url).hostname), url);
      assert.match(text, /easyprivacy, line \d+/);
      for (const label of ['Meta', 'Retargeting', 'SendGrid', 'Email open', 'Google', 'Analytics']) assert.ok(text.includes(label), label);
      // Expand the crafted entry: its markup shows as text and creates no element.
      const opened = await popup.evaluate(() => {
        const details = [...document.querySelectorAll('details')].find((d) => d.textContent.includes('onerror'));
        details.open = true;
        return details.querySelector('.url').textContent;
      });
      assert.ok(opened.includes('<img src=x onerror=alert(2)>') && opened.includes('"><script>'), opened);
      assert.equal(await popup.$$eval('#groups img, #groups script', (n) => n.length), 0);
      await popup.screenshot({ path: join(ARTIFACTS, `popup-${name}.png`), fullPage: true });
    });
  });
}
