import { launchChromium, launchFirefox, startServer } from '/work/wt/ux/tests/e2e/harness.mjs';
const server = await startServer({});
const which = process.argv[2];
if (which === 'c') {
  const s = await launchChromium({ port: server.port });
  const p = await s.extensionPage('popup/popup.html');
  console.log(await p.evaluate(() => [chrome.i18n.getUILanguage(), document.getElementById('count').textContent, navigator.language]));
  await s.close();
} else {
  const s = await launchFirefox({ port: server.port, prefs: { 'intl.locale.requested': 'de' } });
  const p = await s.extensionPage('popup/popup.html');
  console.log(await p.evaluate(() => [browser.i18n.getUILanguage(), document.querySelector('footer button').textContent, navigator.language]));
  await s.close();
}
await server.close();
process.exit(0);
