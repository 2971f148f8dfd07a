// Smoke test per browser: the built extension loads, its background starts the wasm engine, and a
// `diagnostic-check` message from an extension page returns the same verdict as the shipped wasm in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnostics } from '../../extension/src/messages.js';
import { Engine, bundledSnapshot } from '../node/shipped.mjs';
import { launchChromium, launchFirefox, sendMessage, startServer } from './harness.mjs';

const REQUESTS = [
  { url: 'https://www.facebook.com/tr?id=1&ev=PageView&noscript=1', sourceUrl: 'https://shop.example/', resourceType: 'image' },
  { url: 'https://shop.example/logo.png', sourceUrl: 'https://shop.example/', resourceType: 'image' },
  { url: 'https://www.google-analytics.com/g/collect?v=2&tid=G-1', sourceUrl: 'https://news.example/', resourceType: 'ping' },
];
const node = Engine.fromSnapshot(bundledSnapshot());

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: the background answers check like Node`, async (t) => {
    const server = await startServer({ '/': '<!doctype html><title>shop</title><p>hello</p>' });
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });

    const control = await session.browser.newPage();
    await control.goto('http://shop.test/');
    assert.ok(server.saw('shop.test/'), 'the local server is reachable as shop.test');

    const page = await session.extensionPage('popup/popup.html');
    const status = await sendMessage(page, diagnostics.status());
    assert.ok(status.ok, status.error);
    assert.equal(status.result.source, 'snapshot');
    assert.match(await page.$eval('#status', (e) => e.textContent), /EasyPrivacy.*\d+ filters/);
    for (const r of REQUESTS) {
      const reply = await sendMessage(page, diagnostics.check(r));
      assert.ok(reply.ok, reply.error);
      assert.deepEqual(reply.result, node.check(r.url, r.sourceUrl, r.resourceType), r.url);
    }
    const bad = await sendMessage(page, diagnostics.check({ url: 'not a url', resourceType: 'image' }));
    assert.deepEqual(bad, { ok: false, error: 'invalid URL "not a url"' });
  });
}
