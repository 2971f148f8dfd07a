import { TRACKERS, logged, newsPage } from '../e2e/fixtures.mjs';
import { launchChromium, openPage, sendMessage, startServer, tabId, waitFor } from '../e2e/harness.mjs';
const server = await startServer({ '/article': newsPage() });
const session = await launchChromium({ port: server.port });
const arrivals = () => TRACKERS.map((tr) => server.log.filter((r) => r.url.startsWith(logged(tr.url))).length);
const page = await openPage(session, 'http://news.test/article');
const options = await session.extensionPage('options/options.html');
const tab = await tabId(options, 'http://news.test/*');
for (let i = 0; i < 8; i++) {
  await sendMessage(options, { type: 'pause', site: 'news.test', paused: true, minutes: 60 });
  const before = arrivals();
  await page.reload();
  await page.waitForFunction(() => document.body?.dataset.done === '1');
  await new Promise((r) => setTimeout(r, 1500));
  const missing = TRACKERS.filter((tr, i) => arrivals()[i] === before[i]).map((t) => t.url);
  const st = (await sendMessage(options, { type: 'popup', tabId: tab })).result;
  console.log(i, 'missing', missing, 'logged blocked', st.entries.map((e) => e.url + ' ' + e.type));
  await sendMessage(options, { type: 'pause', site: 'news.test', paused: false });
  await page.reload();
  await page.waitForFunction(() => document.body?.dataset.done === '1');
}
await session.close(); await server.close(); process.exit(0);
