// Accessibility in Chromium: axe-core finds no violation on the popup (with an entry expanded and
// with the "Something broken?" panel) and the options page, in the light and the dark theme chosen
// on the options page; the system theme follows prefers-color-scheme; every control of the popup
// and of the options page is reached by Tab and shows a visible focus ring. Screenshots for the
// README in tests/artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { TRACKERS, newsPage } from './fixtures.mjs';
import { ARTIFACTS, launchChromium, openPage, sendMessage, startServer, tabId, waitFor } from './harness.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on `page`: `[{ id, impact, nodes: [selector …] }]`. */
async function violations(page) {
  if (!(await page.evaluate(() => typeof globalThis.axe === 'object'))) await page.evaluate(AXE);
  return page.evaluate(async () => (await globalThis.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) })));
}

test('chromium: axe finds nothing on the popup and the options page, light and dark; keyboard focus is visible', async (t) => {
  const server = await startServer({ '/article': newsPage() });
  const session = await launchChromium({ port: server.port });
  t.after(async () => { await session.close(); await server.close(); });
  await openPage(session, 'http://news.test/article');
  const options = await session.extensionPage('options/options.html');
  const tab = await tabId(options, 'http://news.test/*');
  await waitFor(async () => (await sendMessage(options, { type: 'popup', tabId: tab })).result.entries.length >= TRACKERS.length, 'the trackers are logged');
  await options.setViewport({ width: 1000, height: 900 });
  const results = [];
  const record = async (page, what) => {
    const found = await violations(page);
    results.push(`${what}: ${found.length} violations`);
    assert.deepEqual(found, [], what);
  };

  for (const theme of ['light', 'dark']) {
    await options.bringToFront();
    await options.select('#theme', theme);
    await options.waitForFunction((th) => document.documentElement.dataset.theme === th, {}, theme);
    await record(options, `options, ${theme}`);
    await options.screenshot({ path: join(ARTIFACTS, `options-${theme}.png`) });

    const popup = await session.extensionPage(`popup/popup.html?tab=${tab}`);
    await popup.setViewport({ width: 400, height: 600 });
    assert.equal(await popup.evaluate(() => document.documentElement.dataset.theme), theme);
    await popup.evaluate(() => { document.querySelector('#groups details').open = true; });
    await record(popup, `popup with an entry expanded, ${theme}`);
    await popup.screenshot({ path: join(ARTIFACTS, `popup-${theme}.png`) });
    await popup.close();
  }

  await t.test('the system theme follows prefers-color-scheme', async () => {
    await options.bringToFront();
    await options.select('#theme', 'system');
    const popup = await session.extensionPage(`popup/popup.html?tab=${tab}`);
    const background = () => popup.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    assert.equal(await background(), 'rgb(15, 23, 42)');
    await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    assert.equal(await background(), 'rgb(255, 255, 255)');
    await popup.close();
  });

  await t.test('every control of the popup and of the options page is reached by Tab, with a visible focus ring', async () => {
    for (const path of [`popup/popup.html?tab=${tab}`, 'options/options.html']) {
      const page = await session.extensionPage(path);
      await page.bringToFront();
      const controls = await page.evaluate(() => [...document.querySelectorAll('button, input, select, textarea, summary, a[href], [tabindex="0"]')]
        .filter((e) => e.checkVisibility()).map((e, i) => { e.dataset.probe = String(i); return i; }).length);
      const reached = new Set();
      for (let i = 0; i < controls + 2; i++) {
        await page.keyboard.press('Tab');
        const focus = await page.evaluate(() => {
          const e = document.activeElement;
          const style = getComputedStyle(e);
          return { probe: e.dataset.probe, outline: style.outlineStyle, width: parseFloat(style.outlineWidth), visible: e.matches(':focus-visible') };
        });
        if (focus.probe === undefined) continue;
        reached.add(focus.probe);
        assert.ok(focus.visible && focus.outline !== 'none' && focus.width >= 2, `${path}: control ${focus.probe}: focus ring ${JSON.stringify(focus)}`);
      }
      assert.equal(reached.size, controls, `${path}: Tab reaches all ${controls} controls`);
      results.push(`${path.split('?')[0]}: Tab reaches ${controls} of ${controls} controls, each with a focus ring`);
      await page.close();
    }
  });

  await t.test('the "Something broken?" panel, light and dark', async () => {
    const popup = await session.extensionPage(`popup/popup.html?tab=${tab}`);
    await popup.setViewport({ width: 400, height: 600 });
    await popup.bringToFront();
    await popup.click('#broken');
    await popup.waitForSelector('#broken-panel:not([hidden])');
    await popup.click('#broken-yes');
    for (const theme of ['light', 'dark']) {
      await sendMessage(options, { type: 'theme', theme });
      await popup.waitForFunction((th) => document.documentElement.dataset.theme === th, {}, theme);
      await record(popup, `popup, Something broken? answered, ${theme}`);
    }
    await popup.screenshot({ path: join(ARTIFACTS, 'popup-broken-dark.png') });
  });
  for (const line of results) t.diagnostic(line);
});
