// Issue 14 in each browser: three local shops fire real pixel shapes (a Meta purchase with a value
// and a hashed email, Google remarketing, GA4 analytics; a Pinterest pixel a custom list lets
// through). The popup says what each blocked pixel would have sent; the privacy report shows the
// companies with their site counts and kinds, both drill-downs, the sites that fired ad pixels
// after the GPC signal (blocked or loaded); its exports parse and match; it survives a background
// restart; "Clear history" empties it. axe finds nothing on the report in either theme; its
// screenshots land in tests/artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { logged } from './fixtures.mjs';
import { ARTIFACTS, axeViolations, launchChromium, launchFirefox, openPage, sendMessage, startServer, tabId, waitFor } from './harness.mjs';

/** SHA-256 of `jane@example.com`: Meta's advanced matching sends it as `ud[em]`. */
const EMAIL_SHA256 = '8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d';
const enc = encodeURIComponent;
const PURCHASE = `https://www.facebook.com/tr?id=123456789012345&ev=Purchase&cd[value]=59.00&cd[currency]=EUR&cd[order_id]=T-1001`
  + `&ud[em]=${EMAIL_SHA256}&dl=${enc('http://shop-a.test/checkout/thanks')}&noscript=1`;
const ga4 = (page) => `https://www.google-analytics.com/g/collect?v=2&tid=G-SHOP123&cid=555.666&en=page_view&dl=${enc(page)}`;
const REMARKETING = `https://www.google.com/pagead/1p-user-list/1012345678/?random=1&cv=11&url=${enc('http://shop-b.test/product/42')}`;
const PINTEREST = 'https://ct.pinterest.com/v3/?event=addtocart&tid=2612345678901&ed[value]=19.50&ed[currency]=EUR&noscript=1';
/** A custom list whose exception lets the Pinterest pixel through: an ad pixel that loads. */
const LET_THROUGH = '! Title: Let Pinterest through\n@@||ct.pinterest.com^\n';

const shop = (title, images, beacons = []) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>
${images.map((u) => `<img width="1" height="1" alt="" src="${u.replaceAll('&', '&amp;')}">`).join('\n')}
<script>
for (const u of ${JSON.stringify(beacons)}) navigator.sendBeacon(u, '');
addEventListener('load', () => { document.body.dataset.done = '1'; });
</script></body></html>`;

const SHOPS = {
  'shop-a.test/checkout/thanks': shop('Thank you', [PURCHASE], [ga4('http://shop-a.test/checkout/thanks')]),
  'shop-b.test/product/42': shop('Product', [REMARKETING, PINTEREST]),
  'shop-c.test/article': shop('Article', [], [ga4('http://shop-c.test/article')]),
};

/** The page's text of a selector. */
const text = (page, selector) => page.$eval(selector, (e) => e.textContent.replace(/\s+/g, ' ').trim());
/** Fetches an export link's file as the page made it (the file a click downloads). */
const download = (page, id) => page.$eval(`#${id}`, async (a) => ({ name: a.download, body: await (await fetch(a.href)).text() }));

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: the privacy report, decoded pixels and the GPC record`, async (t) => {
    const server = await startServer(SHOPS);
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });

    const options = await session.extensionPage('options/options.html');
    await options.$eval('#add-text', (e, list) => { e.value = list; }, LET_THROUGH);
    await options.click('#add-text-button');
    await options.waitForSelector('[data-list="custom-1"]');

    const pages = [];
    for (const url of Object.keys(SHOPS)) pages.push(await openPage(session, `http://${url}`));
    const entries = async (pattern) => (await sendMessage(options, { type: 'popup', tabId: await tabId(options, pattern) })).result.entries;
    await waitFor(async () => (await entries('http://shop-a.test/*')).length === 2 && (await entries('http://shop-b.test/*')).length === 1
      && (await entries('http://shop-c.test/*')).length === 1, 'every shop pixel is logged');

    await t.test('the pixels are blocked, but the one the custom list lets through; the shops were sent GPC', async () => {
      for (const url of [PURCHASE, REMARKETING, ga4('http://shop-a.test/checkout/thanks')]) assert.ok(!server.saw(logged(url)), url);
      const pinterest = server.log.find((r) => r.url.startsWith(logged(PINTEREST)));
      assert.equal(pinterest?.headers['sec-gpc'], '1', 'the Pinterest pixel loaded, with Sec-GPC: 1');
      for (const page of pages) assert.equal(await page.evaluate(() => navigator.globalPrivacyControl), true, page.url());
      // Firefox sets a page load's own Sec-GPC from its preference, over the extension's rule.
      if (name === 'chromium') for (const url of Object.keys(SHOPS)) assert.equal(server.log.find((r) => r.url === url)?.headers['sec-gpc'], '1', url);
    });

    await t.test('the popup says what each blocked pixel would have sent', async () => {
      const said = async (pattern) => {
        const popup = await session.extensionPage(`popup/popup.html?tab=${await tabId(options, pattern)}`);
        const lines = await popup.$$eval('.decoded', (n) => n.map((e) => e.textContent));
        await popup.close();
        return lines.sort();
      };
      assert.deepEqual(await said('http://shop-a.test/*'), [
        'Would have sent: Purchase, 59.00 EUR, order T-1001, your hashed email, from shop-a.test/checkout/thanks',
        'Would have sent: page_view, from shop-a.test/checkout/thanks',
      ]);
      assert.deepEqual(await said('http://shop-b.test/*'), ['Would have sent: remarketing, from shop-b.test/product/42']);
      assert.deepEqual(await said('http://shop-c.test/*'), ['Would have sent: page_view, from shop-c.test/article']);
      // Expanded, an entry names the identifiers it carried; the "Privacy report" button opens the report in a tab.
      const popup = await session.extensionPage(`popup/popup.html?tab=${await tabId(options, 'http://shop-a.test/*')}`);
      const ids = await popup.$$eval('details', (all) => all.map((d) => d.textContent).filter((x) => x.includes('Purchase')));
      assert.match(ids[0], /Identifiers it carried: pixel 123456789012345/);
      assert.match((await popup.$$eval('details', (all) => all.map((d) => d.textContent))).find((x) => x.includes('page_view')),
        /Identifiers it carried: browser cookie 555\.666, pixel G-SHOP123/);
      await popup.click('#privacy-report');
      await waitFor(() => options.evaluate(async () => (await (globalThis.browser ?? globalThis.chrome).tabs.query({}))
        .some((tab) => tab.url?.endsWith('/report/report.html'))), 'a tab shows the report');
    });

    // The background counts as it blocks; the report's message writes what is pending first.
    await waitFor(async () => {
      const { days } = (await sendMessage(options, { type: 'privacy-report' })).result;
      return days.reduce((n, d) => n + Object.values(d.counts).reduce((a, b) => a + b, 0), 0) === 4
        && days.reduce((n, d) => n + Object.keys(d.gpc).length, 0) === 3;
    }, 'the ledger holds the four blocked pixels and three GPC observations');

    let report = await session.extensionPage('report/report.html');
    await report.setViewport({ width: 1000, height: 1400 });
    const checkReport = async () => {
      assert.equal(await text(report, '#headline'), '2 companies tried to track you on 3 sites this week.');
      assert.equal(await text(report, '#purchases'), '1 purchase event was stopped.');
      assert.equal(await text(report, '#actions'), 'Also stopped: 2 page views.');
      const companies = await report.$$eval('#companies .bar-row', (rows) => rows.map((r) => r.textContent));
      assert.deepEqual(companies, ['Google3 sites · 3 requests blocked', 'Meta1 site · 1 request blocked']);
      const sites = await report.$$eval('#sites .bar-row', (rows) => rows.map((r) => r.textContent));
      assert.deepEqual(sites, ['shop-a.test2 companies · 2 requests blocked', 'shop-b.test1 company · 1 request blocked', 'shop-c.test1 company · 1 request blocked']);
      const gpc = await report.$$eval('#gpc-table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
      assert.deepEqual(gpc.map(([site, company, kind, event, , , blocked, loaded]) => [site, company, kind, event, blocked, loaded]).sort(), [
        ['shop-a.test', 'Meta', 'Conversion', 'Purchase', '1', '0'],
        ['shop-b.test', 'Google', 'Retargeting', 'remarketing', '1', '0'],
        ['shop-b.test', 'Pinterest', 'Conversion', 'addtocart', '0', '1'],
      ]);
      assert.equal(await text(report, '#gpc-state'), '2 sites fired ad pixels after your GPC signal this week.');
    };

    await t.test('the report: headline in words, companies and sites ranked, GPC record', checkReport);

    await t.test('drill-downs by keyboard: company → sites, site → companies; kinds per day with a table', async () => {
      await report.bringToFront();
      await report.focus('#companies .bar-row');
      await report.keyboard.press('Enter');
      await report.waitForFunction(() => !document.getElementById('drill-table').hidden);
      assert.equal(await text(report, '#drill-title'), 'Google tried to track you on 3 sites');
      const rows = await report.$$eval('#drill-table tbody tr', (r) => r.map((row) => [...row.cells].map((c) => c.textContent)));
      assert.deepEqual(rows.sort(), [['shop-a.test', '1', 'Analytics 1'], ['shop-b.test', '1', 'Retargeting 1'], ['shop-c.test', '1', 'Analytics 1']]);
      // In the light and the dark theme chosen on the options page: axe finds nothing; screenshots.
      for (const theme of ['light', 'dark']) {
        await options.select('#theme', theme);
        await report.waitForFunction((th) => document.documentElement.dataset.theme === th, {}, theme);
        await report.$eval('.kinds-table', (table) => { table.closest('details').open = true; });
        assert.deepEqual(await axeViolations(report), [], `${theme} theme`);
        await report.$eval('.kinds-table', (table) => { table.closest('details').open = false; });
        await report.screenshot({ path: join(ARTIFACTS, `report-${name}${theme === 'dark' ? '-dark' : ''}.png`), fullPage: true });
      }
      await options.select('#theme', 'system');
      await report.click('#sites .bar-row');
      assert.equal(await text(report, '#drill-title'), 'On shop-a.test, 2 companies tried to track you');
      const today = await report.$$eval('.kinds-table tbody tr:last-child td', (cells) => cells.map((c) => c.textContent));
      assert.deepEqual(today, ['0', '1', '1', '2', '0'], 'today: 1 conversion, 1 retargeting, 2 analytics');
      assert.equal(await report.$$eval('.columns-chart .column', (c) => c.length), 7);
      await report.$eval('.columns-chart .column:last-of-type', (column) => column.focus());
      assert.match(await text(report, '.readout'), /: Analytics 2, Conversion 1, Retargeting 1$/);
      for (const [button, columns] of [['month', 30], ['quarter', 90], ['week', 7]]) {
        await report.click(`[data-period="${button}"]`);
        assert.equal(await report.$$eval('.columns-chart .column', (c) => c.length), columns);
      }
    });

    await t.test('the exports parse and match the report', async () => {
      const csv = await download(report, 'history-csv');
      assert.equal(csv.name, 'pixelguard-history.csv');
      const lines = csv.body.trimEnd().split('\r\n');
      assert.equal(lines[0], 'day,site,company,kind,action,blocked');
      assert.deepEqual(lines.slice(1).map((l) => l.split(',').slice(1).join(',')).sort(), [
        'shop-a.test,Google,analytics,page-view,1', 'shop-a.test,Meta,conversion,purchase,1',
        'shop-b.test,Google,retargeting,,1', 'shop-c.test,Google,analytics,page-view,1',
      ]);
      const json = JSON.parse((await download(report, 'history-json')).body);
      assert.equal(json.keptDays, 90);
      assert.equal(json.blocked.reduce((n, r) => n + r.count, 0), 4);
      const evidence = JSON.parse((await download(report, 'gpc-json')).body);
      assert.match(evidence.gpcSignal, /Sec-GPC: 1/);
      assert.match(evidence.gpcSignal, name === 'firefox' ? /subresource/ : /page's requests/);
      assert.deepEqual(evidence.observations.map((o) => [o.site, o.company, o.kind, o.event, o.blocked, o.loaded]).sort(), [
        ['shop-a.test', 'Meta', 'conversion', 'Purchase', 1, 0], ['shop-b.test', 'Google', 'retargeting', 'remarketing', 1, 0],
        ['shop-b.test', 'Pinterest', 'conversion', 'addtocart', 0, 1],
      ]);
      for (const o of evidence.observations) assert.ok(Date.parse(o.firstSeen) <= Date.parse(o.lastSeen) && Date.parse(o.lastSeen) <= Date.now());
      const gpcCsv = (await download(report, 'gpc-csv')).body.trimEnd().split('\r\n');
      assert.equal(gpcCsv.length, 4);
      assert.ok(gpcCsv.slice(1).every((l) => l.endsWith(`,${evidence.gpcSignal}`)), gpcCsv.join('\n'));
    });

    await t.test('the ledger survives a background restart', async () => {
      const restart = await session.restartWorker(options);
      t.diagnostic(`background restarted: ${JSON.stringify(restart)}`);
      await report.close();
      report = await session.extensionPage('report/report.html');
      await checkReport();
    });

    await t.test('"Clear history" empties it', async () => {
      await report.bringToFront();
      await report.click('#clear');
      await report.click('#clear-yes');
      await report.waitForFunction(() => document.getElementById('cleared').textContent === 'History cleared.');
      assert.equal(await text(report, '#headline'), 'No tracking pixel was blocked this week.');
      assert.equal(await report.$eval('#gpc-table', (e) => e.hidden), true);
      assert.equal((await download(report, 'history-csv')).body, 'day,site,company,kind,action,blocked\r\n');
      assert.deepEqual((await sendMessage(options, { type: 'privacy-report' })).result.days, []);
    });
  });
}
