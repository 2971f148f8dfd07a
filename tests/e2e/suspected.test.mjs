// Issue 5's list-less detection in each browser: an unlisted 1×1 third-party image on a made-up host
// is listed in the popup under "Suspected pixels — not blocked" (a repeated spacer, first-party
// images and a pixel a list blocks are not); "Block this host" stops the next load from reaching it;
// "Undo" on the options page lets it through again; importing the settings export blocks it again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { logged } from './fixtures.mjs';
import { ARTIFACTS, launchChromium, launchFirefox, openPage, sendMessage, startServer, tabId, waitFor } from './harness.mjs';

const HOST = 'px.made-up-tracker.test';
const PIXEL = `https://${HOST}/mail/open?uid=f3Q9kLw82ZpXv7RtY1bN4cHs`;
const LISTED = 'https://cdn.other-tracker.test/o.gif?uid=Qw8R2tY6uI0oP4aS';  // EasyPrivacy's `/o.gif?`
const SPACER = 'https://static.shop-cdn.test/img/spacer.gif';
const FIRST_PARTY = ['/img/logo.png', 'https://img.shop.test/banner.gif?session=Zx81Kq02PlMn77Vb'];
const LATE = 'https://late.made-up-tracker.test/open?u=Hb72LkQ09zXw31Pm';
const BEACON = 'https://beacon.made-up-metrics.test/e/v1?vid=Rt5Yu8Io2Pa4Sd6Fg9Hj';
/** A page whose only third-party request is a beacon. */
const BEACON_PAGE = `<!doctype html><title>Article</title><body><p>Text</p><script>
addEventListener('load', () => { navigator.sendBeacon(${JSON.stringify(BEACON)}, 'e=view'); document.body.dataset.done = '1'; });
</script></body>`;

/** A shop page: first-party images, a spacer used 6 times, the pixel, a listed one, one added later. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>Shop</title><body><h1>Shop</h1>
${FIRST_PARTY.map((u) => `<img width="1" height="1" alt="" src="${u}">`).join('\n')}
${Array.from({ length: 6 }, () => `<img width="1" height="1" alt="" src="${SPACER}">`).join('\n')}
<img alt="" src="${PIXEL}">
<img alt="" src="${LISTED}">
<script>
addEventListener('load', () => {
  setTimeout(() => {
    const late = new Image();
    late.style.cssText = 'position:absolute;left:-9999px;width:1px;height:1px';
    late.src = ${JSON.stringify(LATE)};
    document.body.append(late);
  }, 50);
  document.body.dataset.done = '1';
});
</script></body>`;

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: suspected pixels: listed in the popup, blocked on request, unblocked on undo, re-blocked on import`, async (t) => {
    const server = await startServer({ '/shop': PAGE });
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });
    let exported;
    const hits = () => server.log.filter((r) => r.url.startsWith(logged(PIXEL))).length;

    const page = await openPage(session, 'https://shop.test/shop?run=1');
    assert.equal(hits(), 1, 'no list blocks the made-up pixel');
    assert.ok(!server.saw(logged(LISTED)), 'a list blocks the other one');
    const ext = await session.extensionPage('options/options.html');
    const tab = await tabId(ext, 'https://shop.test/*');
    const state = async () => (await sendMessage(ext, { type: 'popup', tabId: tab })).result;
    const suspects = await waitFor(async () => {
      const s = (await state()).suspects;
      return s.some((x) => x.host === HOST) && s.some((x) => x.url === LATE) && s;
    }, 'the pixel and the one added later are suspected');
    assert.deepEqual(suspects.map((s) => s.url).sort(), [LATE, PIXEL].sort(), 'neither the spacer nor first-party images');
    const pixel = suspects.find((s) => s.url === PIXEL);
    assert.ok(pixel.reasons.includes('tiny') && pixel.reasons.includes('identifier-in-query'), pixel.reasons.join());
    assert.ok(suspects.find((s) => s.url === LATE).reasons.includes('hidden'));

    await t.test('the popup lists the host under "Suspected pixels — not blocked"; "Block this host" blocks it', async () => {
      const popup = await session.extensionPage(`popup/popup.html?tab=${tab}`);
      const section = await popup.$eval('#suspects', (s) => !s.hidden && s.textContent);
      assert.match(section, /Suspected pixels — not blocked/);
      assert.ok(section.includes(HOST) && section.includes('mail/open?uid='), section);
      for (const not of ['spacer.gif', 'shop.test/', 'other-tracker']) assert.ok(!section.includes(not), `${not} in ${section}`);
      await popup.screenshot({ path: join(ARTIFACTS, `popup-suspects-${name}.png`), fullPage: true });
      await popup.click(`li[data-host="${HOST}"] button`);
      await popup.waitForSelector('#reload:not([hidden])');
      assert.deepEqual((await sendMessage(ext, { type: 'options' })).result.blockedHosts, [HOST]);
      exported = (await sendMessage(ext, { type: 'export' })).result;
      assert.deepEqual(exported.settings.blockedHosts, [HOST], 'blocked hosts are part of the export');
      await popup.close();

      await page.reload();
      await page.waitForFunction(() => document.body?.dataset.done === '1');
      assert.equal(hits(), 1, 'the reload did not reach the blocked host');
      assert.ok(server.saw('shop.test/img/logo.png'));
      const after = await waitFor(async () => {
        const s = await state();
        return s.entries.some((e) => e.url === PIXEL) && s;
      }, 'the blocked request is logged');
      assert.equal(after.entries.find((e) => e.url === PIXEL).filter.list, 'your blocked hosts');
      assert.ok(!after.suspects.some((s) => s.host === HOST), 'a blocked host is no longer a suspect');
    });

    await t.test('the options page lists the host; "Undo" lets the next load reach it', async () => {
      const options = await session.extensionPage('options/options.html');
      await options.bringToFront();  // a background tab gets no animation frames: waits would stall
      assert.equal(await options.$eval(`#blocked-hosts li[data-host="${HOST}"]`, (e) => e.textContent), `${HOST} Undo`);
      await options.click(`#blocked-hosts li[data-host="${HOST}"] button`);
      await options.waitForFunction(() => /no longer blocked/.test(document.getElementById('message').textContent));
      assert.equal(await options.$eval('#blocked-hosts', (e) => e.textContent), 'None');
      await page.reload();
      await page.waitForFunction(() => document.body?.dataset.done === '1');
      await waitFor(() => hits() === 2, 'the next load reaches the host again');
    });

    await t.test('importing the export blocks the host again', async () => {
      assert.ok((await sendMessage(ext, { type: 'import', data: exported })).ok);
      assert.deepEqual((await sendMessage(ext, { type: 'options' })).result.blockedHosts, [HOST]);
      await page.reload();
      await page.waitForFunction(() => document.body?.dataset.done === '1');
      assert.equal(hits(), 2, 'the load after the import did not reach the host');
    });
  });
}

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  // EasyPrivacy blocks every third-party ping (`$ping,third-party`), so only with it switched off
  // does a third-party beacon load and get scored.
  test(`${name}: a third-party beacon no enabled list blocks is a suspected pixel`, async (t) => {
    const server = await startServer({ '/article': BEACON_PAGE });
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });
    const options = await session.extensionPage('options/options.html');
    await options.click('[data-list="easyprivacy"] input[type="checkbox"]');
    await waitFor(async () => !(await sendMessage(options, { type: 'options' })).result.builtins
      .find((b) => b.id === 'easyprivacy').enabled, 'EasyPrivacy is off');

    await openPage(session, 'https://news.test/article');
    await waitFor(() => server.saw(logged(BEACON)), 'the beacon reaches the server');
    const tab = await tabId(options, 'https://news.test/*');
    const beacon = await waitFor(async () => (await sendMessage(options, { type: 'popup', tabId: tab })).result
      .suspects.find((x) => x.url === BEACON), 'the beacon is suspected');
    assert.ok(beacon.reasons.includes('beacon') && beacon.reasons.includes('third-party'), beacon.reasons.join());
  });
}
