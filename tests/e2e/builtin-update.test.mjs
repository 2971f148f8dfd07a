// Run-time update of the built-in EasyPrivacy in each browser: the local server answers its
// canonical URL with the bundled copy plus one new filter and minus one; "Update now" on the options
// page blocks the new host (the log names easyprivacy and the filter), lets the removed one load and
// keeps the rest of its folded static rule blocking; a failed update (404) changes nothing and says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imagesPage, logged } from './fixtures.mjs';
import { DIST, launchChromium, launchFirefox, openPage, sendMessage, startServer, tabId, waitFor } from './harness.mjs';

const BUNDLED = readFileSync(join(DIST, 'chrome/lists/easyprivacy.txt'), 'utf8');
const REMOVED = '||1bliq.io^';
const REMOVED_URL = 'http://1bliq.io/i/1.png';
const NEIGHBOUR_URL = 'http://00px.net/i/1.png';  // `||00px.net^`: folded into the same static rule as REMOVED
const ADDED = '||pixel-update.test^';
const ADDED_URL = 'http://pixel-update.test/open.gif?u=1';
const VERSION = '209901010000';
const UPDATED = `${BUNDLED.split('\n').filter((l) => l.trim() !== REMOVED)
  .join('\n').replace('! Title: EasyPrivacy', `! Title: EasyPrivacy\n! Version: ${VERSION}`)}\n${ADDED}\n`;
const LIST_URL = 'https://easylist.to/easylist/easyprivacy.txt';
const LIST_ROUTE = logged(LIST_URL);  // the server's route key: host and path

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: the built-in EasyPrivacy updated from its canonical URL`, async (t) => {
    assert.ok(BUNDLED.split('\n').includes(REMOVED), `the bundled copy has ${REMOVED}`);
    const routes = { '/page': imagesPage([REMOVED_URL, NEIGHBOUR_URL, ADDED_URL]), [LIST_ROUTE]: { type: 'text/plain', body: UPDATED } };
    const server = await startServer(routes);
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });
    const hits = (url) => server.log.filter((r) => r.url.startsWith(logged(url))).length;
    const open = (run) => openPage(session, `http://upd.test/page?run=${run}`);
    const load = async (run) => (await open(run)).close();
    const options = await session.extensionPage('options/options.html');
    const box = () => options.$eval('[data-list="easyprivacy"]', (e) => e.textContent);
    const updateNow = async () => {
      await options.bringToFront();
      await options.click('[data-list="easyprivacy"] button');  // "Update now"
    };

    await load(1);
    assert.deepEqual([hits(REMOVED_URL), hits(NEIGHBOUR_URL), hits(ADDED_URL)], [0, 0, 1], 'the bundled copy blocks the removed filter\'s host, not the new one');
    assert.ok(!server.saw(LIST_ROUTE), 'nothing is downloaded on install');

    await t.test('Update now: the new filter blocks, the removed one no longer does', async () => {
      await updateNow();
      await waitFor(async () => (await box()).includes(`version ${VERSION}`), 'the options page shows the new version');
      assert.equal(hits(LIST_URL), 1, 'downloaded once, from the local server');
      const text = await box();
      assert.match(text, /fetched \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      assert.match(text, /Update: 1 filters removed since the bundled copy, 1 static rules turned off/);
      assert.match(text, /Update, as dynamic rules: \d+ rules/);
      const page = await open(2);
      assert.equal(hits(REMOVED_URL), 1, 'the removed filter\'s host loads');
      assert.equal(hits(NEIGHBOUR_URL), 0, 'the rest of its static rule still blocks');
      assert.equal(hits(ADDED_URL), 1, 'the new filter blocks');
      const tab = await tabId(options, 'http://upd.test/*');
      const entry = await waitFor(async () => (await sendMessage(options, { type: 'popup', tabId: tab })).result.entries
        .find((e) => e.url === ADDED_URL), 'the log holds the new host');
      assert.equal(entry.filter.list, 'easyprivacy');
      assert.equal(entry.filter.text, ADDED);
      assert.equal(entry.filter.line, UPDATED.split('\n').indexOf(ADDED) + 1);
      if (name === 'chromium') assert.equal(entry.confirmed, true, 'the browser reports the dynamic rule as matched');
      await page.close();
      const exported = (await sendMessage(options, { type: 'export' })).result;
      assert.equal(exported.lists.easyprivacy, UPDATED);
      assert.equal(exported.settings.builtins.easyprivacy.version, VERSION);
    });

    await t.test('a failed update keeps the last good copy and says why', async () => {
      routes[LIST_ROUTE] = { status: 404, type: 'text/plain', body: 'gone' };
      await updateNow();
      await options.waitForSelector('[data-list="easyprivacy"] .list-error');
      assert.match(await options.$eval('[data-list="easyprivacy"] .list-error', (e) => e.textContent), /HTTP 404.*keeping the copy from 20/);
      assert.match(await box(), new RegExp(`version ${VERSION}`));
      await load(3);
      assert.deepEqual([hits(REMOVED_URL), hits(NEIGHBOUR_URL), hits(ADDED_URL)], [2, 0, 1]);
    });

    await t.test('EasyPrivacy off, then on: the update follows it', async () => {
      await options.bringToFront();
      await options.click('[data-list="easyprivacy"] input[type=checkbox]');
      await waitFor(async () => !(await box()).includes('Update, as dynamic rules'), 'the update\'s rules are gone');
      await load(4);
      assert.deepEqual([hits(REMOVED_URL), hits(NEIGHBOUR_URL), hits(ADDED_URL)], [3, 1, 2]);
      await options.click('[data-list="easyprivacy"] input[type=checkbox]');
      await waitFor(async () => (await box()).includes('Update, as dynamic rules'), 'the update\'s rules are back');
      await load(5);
      assert.deepEqual([hits(REMOVED_URL), hits(NEIGHBOUR_URL), hits(ADDED_URL)], [4, 1, 2]);
    });
  });
}
