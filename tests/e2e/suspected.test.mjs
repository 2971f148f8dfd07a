// Issue 5's list-less detection in each browser: an unlisted 1×1 third-party image on a made-up host
// is listed in the popup under "Suspected pixels — not blocked" (a repeated spacer, first-party
// images and a pixel a list blocks are not); "Block this host" stops the next load from reaching it;
// "Undo" on the options page lets it through again; importing the settings export blocks it again.
// CSS background images: a 1×1 third-party background, and one inside an open shadow root added
// after load, are listed; a large first-party hero and a large third-party one are not. A pixel
// answered after 300 other images (the resource timeline keeps 250) is still found.
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

const BG_HOST = 'some-unlisted-tracker.test';
const BG = `https://${BG_HOST}/bg.gif?uid=Kd82nLq0Zx5Vb7Mw3Rt1`;
const SHADOW_HOST = 'px.shadow-metrics.test';
const SHADOW_BG = `https://${SHADOW_HOST}/v/bg.gif?uid=Pq47sWx90Lm2Nb6Vc1Zt`;
const HERO = '/img/hero.jpg';
const CDN_HERO = 'https://images.photo-cdn.test/summer-1600x600.jpg?sig=Ab3dE6gH9jK2mN5pQ8sT';
const UNRENDERED = 'https://never.unrendered-tracker.test/bg.gif?uid=Ty63hJk09Lp1Mn4Bv8Cx';
/**
 * A landing page with CSS backgrounds: a first-party hero and a third-party one (both large), a 1×1
 * third-party box (inline style), one in `display: none` (never fetched), and, after load, an
 * element whose open shadow root styles a 1×1 box with a class rule.
 */
const BG_PAGE = `<!doctype html><meta charset="utf-8"><title>Landing</title>
<style>.hero { width: 800px; height: 300px; background: url(${HERO}) center / cover; }</style><body>
<div class="hero"><h1>Summer</h1></div>
<div style="width:600px;height:200px;background-image:url('${CDN_HERO}')"></div>
<div style="width:1px;height:1px;background-image:url(${BG})"></div>
<div style="display:none"><div style="width:1px;height:1px;background-image:url(${UNRENDERED})"></div></div>
<script>
addEventListener('load', () => {
  setTimeout(() => {
    const host = document.createElement('section');
    host.attachShadow({ mode: 'open' }).innerHTML = '<style>.px { width: 1px; height: 1px; background-image: url("${SHADOW_BG}"); }</style><p>Widget</p><div class="px"></div>';
    document.body.append(host);
    document.body.dataset.done = '1';
  }, 50);
});
</script></body>`;

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: suspected pixels: CSS background images, in the page and in an open shadow root`, async () => {
    const server = await startServer({ '/landing': BG_PAGE });
    const session = await launch({ port: server.port });
    try {
      await openPage(session, 'https://brand.test/landing');
      await waitFor(() => server.saw(logged(BG)) && server.saw(logged(SHADOW_BG)), 'both backgrounds are fetched: no list blocks them');
      assert.ok(server.saw(`brand.test${HERO}`) && server.saw(logged(CDN_HERO)));
      const ext = await session.extensionPage('options/options.html');
      const tab = await tabId(ext, 'https://brand.test/*');
      const suspects = await waitFor(async () => {
        const s = (await sendMessage(ext, { type: 'popup', tabId: tab })).result.suspects;
        return s.some((x) => x.host === BG_HOST) && s.some((x) => x.host === SHADOW_HOST) && s;
      }, 'the 1×1 background and the one in the shadow root are suspected');
      assert.deepEqual(suspects.map((s) => s.url).sort(), [BG, SHADOW_BG].sort(), 'neither hero nor the unrendered box');
      for (const s of suspects) {
        for (const reason of ['third-party', 'tiny', 'identifier-in-query']) assert.ok(s.reasons.includes(reason), `${s.url}: ${s.reasons}`);
      }

      const popup = await session.extensionPage(`popup/popup.html?tab=${tab}`);
      await popup.waitForSelector(`#suspects li[data-host="${SHADOW_HOST}"]`);
      const section = await popup.$eval('#suspects', (s) => !s.hidden && s.textContent);
      assert.match(section, /Suspected pixels — not blocked/);
      assert.ok(section.includes(BG_HOST) && section.includes(SHADOW_HOST), section);
      for (const not of ['hero.jpg', 'photo-cdn', 'unrendered-tracker']) assert.ok(!section.includes(not), `${not} in ${section}`);
      assert.equal(await popup.$$eval('#suspects li[data-host]', (l) => l.length), 2);
      await popup.screenshot({ path: join(ARTIFACTS, `popup-suspects-backgrounds-${name}.png`), fullPage: true });
    } finally {
      await session.close();
      await server.close();
    }
  });
}

const CROWD_HOST = 'px.after-the-crowd.test';
const CROWD_PIXEL = `https://${CROWD_HOST}/mail/open?cid=Wq93Lz01Xc82Vb47Nm56`;
/**
 * 300 first-party images and an unlisted 1×1 pixel answered last (the server waits a second): more
 * fetches than the 250 the resource timeline keeps, all before the page's load event.
 */
const CROWD_PAGE = `<!doctype html><title>Gallery</title><body>
${Array.from({ length: 300 }, (_, i) => `<img width="20" height="20" alt="" src="/img/g${i}.gif">`).join('')}
<img alt="" src="${CROWD_PIXEL}">
<script>addEventListener('load', () => { document.body.dataset.done = '1'; });</script></body>`;

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: on a page of more fetches than the resource timeline keeps, a pixel is still suspected`, async (t) => {
    const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
    const slowPixel = (_req, res) => setTimeout(() => res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store' }).end(gif), 1000);
    const server = await startServer({ '/gallery': CROWD_PAGE, [`${CROWD_HOST}/mail/open`]: slowPixel });
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });
    await openPage(session, 'https://gallery.test/gallery');
    assert.ok(server.saw(logged(CROWD_PIXEL)), 'no list blocks it');
    const ext = await session.extensionPage('options/options.html');
    const tab = await tabId(ext, 'https://gallery.test/*');
    const suspects = await waitFor(async () => {
      const s = (await sendMessage(ext, { type: 'popup', tabId: tab })).result.suspects;
      return s.length > 0 && s;
    }, 'the pixel is suspected');
    assert.deepEqual(suspects.map((s) => s.host), [CROWD_HOST]);
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
