// Issue 11 in Chromium: a page's blocked pixels are logged (and the badge counted) as the browser
// reports them, without the engine; they are labelled when someone looks. A news page's 26
// trackers are in the tab's log in storage.session unlabelled; the suspects content script's report
// of its blocked 1×1 images has them judged by nobody, and the worker compiles no wasm; the
// popup's request labels them with filter, list, company and kind, and saves them so; the privacy
// report counts every one, corrupt batches waiting beside them let go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRACKERS, newsPage } from './fixtures.mjs';
import { diagnostics } from '../../extension/src/messages.js';
import { compiledWasm, editStore, launchChromium, sendMessage, startServer, tabId, waitFor } from './harness.mjs';

const REPORTED_MS = 2000;  // the content script reports 400 ms after the page's load (content/suspects.js)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('chromium: blocked pixels are logged at once and labelled when the popup asks', async (t) => {
  const server = await startServer({ '/article': newsPage() });
  const session = await launchChromium({ port: server.port });
  t.after(async () => { await session.close(); await server.close(); });

  const page = await session.browser.newPage();
  await page.goto('http://news.test/article');
  await page.waitForFunction(() => document.body?.dataset.done === '1');
  const worker = await session.worker();  // not a page of ours: its first message would start the engine
  const tab = await tabId(worker, 'http://news.test/*');
  const stored = () => worker.evaluate(async (key) => (await chrome.storage.session.get(key))[key]?.entries ?? [], `tab:${tab}`);
  const urls = (entries) => entries.map((e) => e.url).sort();

  const before = await waitFor(async () => {
    const entries = await stored();
    return entries.length >= TRACKERS.length && entries;
  }, 'the log holds every tracker');
  assert.deepEqual(urls(before), TRACKERS.map((tr) => tr.url).sort(), 'each tracker once');
  assert.ok(before.every((e) => e.unlabelled && e.filter === null && e.decision === 'blocked'), 'logged as the browser reported them, not yet labelled');
  assert.equal(await worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tab), String(TRACKERS.length), 'the badge counts them at once');
  await sleep(REPORTED_MS);
  assert.ok(!(await compiledWasm(worker)), 'no engine for the page\'s blocked pixels: the worker compiled no wasm');

  const ext = await session.extensionPage('options/options.html');
  const { judged } = (await sendMessage(ext, diagnostics.status())).result;
  assert.equal(judged[tab] ?? 0, 0, 'the blocked images the content script reported were not judged as suspects');

  const reply = await sendMessage(ext, { type: 'popup', tabId: tab });
  assert.ok(reply.ok, JSON.stringify(reply));
  assert.deepEqual(urls(reply.result.entries), urls(before), 'the popup shows each tracker once');
  for (const e of reply.result.entries) {
    assert.ok(!e.unlabelled && e.decision === 'blocked', e.url);
    assert.ok(['easyprivacy', 'pixels'].includes(e.filter?.list) && e.filter.line > 0 && e.filter.text, `${e.url}: filter and list`);
    assert.ok(e.company && e.kind, `${e.url}: company and kind`);
  }
  const after = await stored();
  assert.ok(after.length === TRACKERS.length && after.every((e) => !e.unlabelled && e.filter), 'the labels are saved in the log');

  // Corrupt batches among those waiting for their label are let go without stopping the count.
  const corrupt = { 'ledger-waiting:1-corrupt': 'not a batch', 'ledger-waiting:2-corrupt': [
    null, 42, { page: 7, gpc: true, request: { url: TRACKERS[0].url, type: 'image', source: '', time: 1 } },
    { page: 'http://news.test/article', gpc: 'yes', request: { url: TRACKERS[0].url } },
  ] };
  await editStore(ext, { put: corrupt });
  const { days } = (await sendMessage(ext, { type: 'privacy-report' })).result;
  assert.deepEqual((await editStore(ext, {})).filter((k) => k.startsWith('ledger-waiting')), [], 'every waiting batch is let go once counted');
  const counted = days.flatMap((d) => Object.entries(d.counts)).filter(([key]) => key.includes('news.test')).reduce((n, [, c]) => n + c, 0);
  assert.equal(counted, TRACKERS.length, 'the privacy report counts every tracker of the page');
});
