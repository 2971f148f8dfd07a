// Issue 11 in Chromium: a page's blocked pixels are logged (and the badge counted) as the browser
// reports them, without the engine; they are labelled when someone looks. A news page's 26
// trackers are in the tab's log in storage.session unlabelled; the popup's request labels them
// with filter, list, company and kind, and saves them so; the privacy report counts every one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRACKERS, newsPage } from './fixtures.mjs';
import { launchChromium, sendMessage, startServer, tabId, waitFor } from './harness.mjs';

test('chromium: blocked pixels are logged at once and labelled when the popup asks', async (t) => {
  const server = await startServer({ '/article': newsPage() });
  const session = await launchChromium({ port: server.port });
  t.after(async () => { await session.close(); await server.close(); });

  const page = await session.browser.newPage();
  await page.goto('http://news.test/article');
  await page.waitForFunction(() => document.body?.dataset.done === '1');
  const ext = await session.extensionPage('options/options.html');
  const tab = await tabId(ext, 'http://news.test/*');
  const stored = () => ext.evaluate(async (key) => (await chrome.storage.session.get(key))[key]?.entries ?? [], `tab:${tab}`);
  const urls = (entries) => entries.map((e) => e.url).sort();

  const before = await waitFor(async () => {
    const entries = await stored();
    return entries.length >= TRACKERS.length && entries;
  }, 'the log holds every tracker');
  assert.deepEqual(urls(before), TRACKERS.map((tr) => tr.url).sort(), 'each tracker once');
  assert.ok(before.every((e) => e.unlabelled && e.filter === null && e.decision === 'blocked'), 'logged as the browser reported them, not yet labelled');
  assert.equal(await ext.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tab), String(TRACKERS.length), 'the badge counts them at once');

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

  const { days } = (await sendMessage(ext, { type: 'privacy-report' })).result;
  const counted = days.flatMap((d) => Object.entries(d.counts)).filter(([key]) => key.includes('news.test')).reduce((n, [, c]) => n + c, 0);
  assert.equal(counted, TRACKERS.length, 'the privacy report counts every tracker of the page');
});
