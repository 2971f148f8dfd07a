// Issue 11 in each browser: the engine is dropped with its wasm memory once it has been unused for
// 10 s (engine.js IDLE_MS) and restored from its snapshot at next need. A news page's 26 trackers
// are labelled; after 12 s with nothing to label, a second load's 26 are labelled again, each with
// its filter, list, company and kind, by the restored engine (`diagnostic-status`'s `idleRestores`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRACKERS, newsPage } from './fixtures.mjs';
import { launchChromium, launchFirefox, sendMessage, tabId, startServer, waitFor } from './harness.mjs';

const IDLE_WAIT_MS = 12_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: the engine dropped while idle labels the next page's trackers when restored`, async (t) => {
    const server = await startServer({ '/article': newsPage() });
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });

    const page = await session.browser.newPage();
    /** The tab's log once it holds every tracker of the page loaded as `?run=N`, read from a page of ours closed after. */
    const labelled = async (run) => {
      await page.goto(`http://news.test/article?run=${run}`);
      await page.waitForFunction(() => document.body?.dataset.done === '1');
      const ext = await session.extensionPage('options/options.html');
      try {
        const tab = await tabId(ext, 'http://news.test/*');
        const entries = await waitFor(async () => {
          const reply = await sendMessage(ext, { type: 'popup', tabId: tab });
          return reply.ok && reply.result.entries.length >= TRACKERS.length && reply.result.entries;
        }, `the log of run ${run} holds every tracker`);
        const status = (await sendMessage(ext, { type: 'diagnostic-status' })).result;
        return { entries, status };
      } finally {
        await ext.close();
      }
    };

    const first = await labelled(1);
    await sleep(IDLE_WAIT_MS);
    const second = await labelled(2);
    t.diagnostic(`idle restores: ${first.status.idleRestores} after run 1, ${second.status.idleRestores} after run 2`);
    assert.ok(second.status.idleRestores > first.status.idleRestores, 'the engine was dropped while idle and restored for run 2');
    assert.equal(second.status.source, first.status.source, 'restored from the same source');
    for (const { entries } of [first, second]) {
      assert.deepEqual(entries.map((e) => e.url).sort(), TRACKERS.map((tr) => tr.url).sort(), 'each tracker once');
      for (const e of entries) {
        assert.equal(e.decision, 'blocked', e.url);
        assert.ok(['easyprivacy', 'pixels'].includes(e.filter?.list) && e.filter.line > 0 && e.filter.text, `${e.url}: filter and list`);
        assert.ok(e.company && e.kind, `${e.url}: company and kind`);
      }
    }
  });
}
