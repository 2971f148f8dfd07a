// Scenarios 3 and 6 in each browser: a custom list added by URL through the options page blocks a
// new tracker on the next page load (and the engine's wasm memory is back to its size before); a
// 404 or an HTML page is refused with a clear error and changes nothing; a failed update keeps the
// last good copy; settings export and import (a bad file changes nothing); a list over the
// browser's dynamic rule budget is applied as far as it fits and the rest is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CUSTOM_LIST, NEW_TRACKER, hugeList, imagesPage, logged } from './fixtures.mjs';
import { ARTIFACTS, launchChromium, launchFirefox, openPage, sendMessage, startServer } from './harness.mjs';

/** Fills the options page's URL field and submits it. */
async function addByUrl(options, url) {
  await options.bringToFront();  // a background tab gets no animation frames: waits would stall
  await options.$eval('#add-error', (e) => { e.textContent = ''; });
  await options.$eval('#add-url', (input, value) => { input.value = value; }, url);
  await options.click('#add-url-button');
}

const customIds = (options) => options.$$eval('[data-list^="custom-"]', (boxes) => boxes.map((b) => b.dataset.list));

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: custom lists by URL`, async (t) => {
    const routes = {
      '/page': imagesPage([NEW_TRACKER]),
      '/lists/custom.txt': { type: 'text/plain', body: CUSTOM_LIST },
      '/lists/missing.txt': { status: 404, type: 'text/plain', body: 'not found' },
      '/lists/portal.txt': '<!doctype html><title>Sign in</title><p>Please sign in',
    };
    const server = await startServer(routes);
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });
    const hits = () => server.log.filter((r) => r.url.startsWith(logged(NEW_TRACKER))).length;
    const list = (path) => `http://127.0.0.1:${server.port}${path}`;

    await openPage(session, 'http://shop.test/page?run=1');
    assert.equal(hits(), 1, 'before the custom list, the new tracker loads');

    const options = await session.extensionPage('options/options.html');
    await t.test('3: added by URL, the list blocks on the next page load', async () => {
      const wasmMemory = async () => (await sendMessage(options, { type: 'diagnostic-status' })).result.wasmMemory;
      const before = await wasmMemory();
      await addByUrl(options, list('/lists/custom.txt'));
      await options.waitForSelector('[data-list="custom-1"]');
      // The analysis, compile and build grew the instance's memory; the engine was moved into a fresh one.
      const after = await wasmMemory();
      assert.ok(Math.abs(after - before) <= 1048576, `wasm memory ${before} bytes before the list, ${after} after`);
      const box = await options.$eval('[data-list="custom-1"]', (e) => e.textContent);
      assert.match(box, /Local test trackers/);
      assert.match(box, /1 invalid lines/);
      assert.match(box, /DNR: 1 rules/);
      await openPage(session, 'http://shop.test/page?run=2');
      assert.equal(hits(), 1, 'the new tracker is blocked');
    });

    await t.test('3: a 404 or an HTML page is refused clearly and keeps the lists', async () => {
      for (const [path, error] of [['/lists/missing.txt', /HTTP 404/], ['/lists/portal.txt', /HTML page, not a filter list/]]) {
        await addByUrl(options, list(path));
        await options.waitForFunction(() => document.getElementById('add-error').textContent !== '');
        assert.match(await options.$eval('#add-error', (e) => e.textContent), error);
        assert.deepEqual(await customIds(options), ['custom-1']);
      }
      routes['/lists/custom.txt'] = { status: 404, type: 'text/plain', body: 'gone' };
      await options.bringToFront();
      await options.click('[data-list="custom-1"] button');  // "Update now"
      await options.waitForSelector('[data-list="custom-1"] .list-error');
      assert.match(await options.$eval('[data-list="custom-1"] .list-error', (e) => e.textContent),
        /HTTP 404.*keeping the copy from/);
      await openPage(session, 'http://shop.test/page?run=3');
      assert.equal(hits(), 1, 'the last good copy still blocks');
      await options.screenshot({ path: join(ARTIFACTS, `options-${name}.png`), fullPage: true });
    });

    await t.test('export, then import: a bad file changes nothing, a good one applies', async () => {
      const state = async () => (await sendMessage(options, { type: 'options' })).result;
      const exported = (await sendMessage(options, { type: 'export' })).result;
      assert.deepEqual(Object.keys(exported.lists), ['custom-1']);
      const before = await state();
      const bad = structuredClone(exported);
      bad.settings.paused = ['news.test', '"><img src=x onerror=alert(1)>'];
      const refused = await sendMessage(options, { type: 'import', data: bad });
      assert.match(refused.error, /paused\[1\] is not a hostname; nothing changed/);
      assert.deepEqual(await state(), before);
      const good = structuredClone(exported);
      good.settings.paused = ['news.test'];
      good.settings.custom[0].title = 'Imported';
      assert.ok((await sendMessage(options, { type: 'import', data: good })).ok);
      const after = await state();
      assert.deepEqual(after.paused, ['news.test']);
      assert.equal(after.custom[0].title, 'Imported');
    });
  });

  test(`${name}: 6: a custom list over the dynamic rule budget`, async (t) => {
    const routes = {};
    const server = await startServer(routes);
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });
    const options = await session.extensionPage('options/options.html');
    const { limits } = (await sendMessage(options, { type: 'options' })).result;
    assert.ok(limits.customRules > 0, `the browser reports its dynamic rule limit (${limits.dynamicRules})`);
    const count = limits.customRules + 50;
    routes['/lists/huge.txt'] = { type: 'text/plain', body: hugeList(count) };
    const first = 'http://over.test/p0.gif';
    const last = `http://over.test/p${count - 1}.gif`;
    routes['/page'] = imagesPage([first, last]);

    const started = Date.now();
    await addByUrl(options, `http://127.0.0.1:${server.port}/lists/huge.txt`);
    await options.waitForSelector('[data-list="custom-1"] .over-budget', { timeout: 120000 });
    t.diagnostic(`${count} filters downloaded, compiled, applied as ${limits.customRules} dynamic rules and reported in ${Date.now() - started} ms`);
    const report = await options.$eval('[data-list="custom-1"] .over-budget', (e) => e.textContent);
    assert.match(report, new RegExp(`${limits.customRules.toLocaleString('en')} rules .* 50 rules .* left out`));
    await openPage(session, 'http://over.test/page');
    assert.ok(!server.saw(logged(first)), 'what fits is applied');
    assert.ok(server.saw(logged(last)), 'what does not fit is not');
  });
}
