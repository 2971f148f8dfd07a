// Firefox lets users withhold host access: DNR still blocks, but webRequest then reports nothing,
// so the popup and options page must say so and offer to grant it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRACKERS, logged, newsPage } from './fixtures.mjs';
import { launchFirefox, openPage, startServer } from './harness.mjs';

test('firefox: without host access, blocking goes on and the UI asks for access', async (t) => {
  const server = await startServer({ '/article': newsPage() });
  const session = await launchFirefox({ port: server.port, prefs: { 'extensions.originControls.grantByDefault': false } });
  t.after(async () => { await session.close(); await server.close(); });

  await openPage(session, 'http://news.test/article');
  assert.deepEqual(TRACKERS.filter((tr) => server.saw(logged(tr.url))), [], 'DNR still blocks');
  for (const path of ['popup/popup.html', 'options/options.html']) {
    const page = await session.extensionPage(path);
    const notice = await page.$eval('#host-access', (e) => (e.hidden ? '' : e.textContent));
    assert.match(notice, /without access to sites it cannot show what it blocked.*Allow access to sites/, path);
  }
});
