// The popup and the options page in each UI language (the browser launched in English, German,
// French and Spanish): every text from that locale's messages, the page's lang set, no key shown
// in place of a text, and no English text left where the locale has its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRACKERS, newsPage } from './fixtures.mjs';
import { ARTIFACTS, launchChromium, launchFirefox, openPage, sendMessage, startServer, tabId, waitFor } from './harness.mjs';

const read = (locale) => JSON.parse(readFileSync(new URL(`../../extension/_locales/${locale}/messages.json`, import.meta.url), 'utf8'));
const english = read('en');
/** Locale folder → the UI language each browser is launched with (Firefox's Spanish pack is es-ES). */
const LOCALES = { en: { chromium: 'en-US', firefox: 'en-US' }, de: { chromium: 'de', firefox: 'de' }, fr: { chromium: 'fr', firefox: 'fr' }, es: { chromium: 'es', firefox: 'es-ES' } };

/** Every `[data-i18n]` element's key and text, `#count`, the visible text and the page's lang. */
const SHOWN = () => ({
  lang: document.documentElement.lang,
  marked: [...document.querySelectorAll('[data-i18n]')].map((e) => [e.dataset.i18n, e.textContent]),
  attrs: [...document.querySelectorAll('[data-i18n-attrs]')].flatMap((e) => e.dataset.i18nAttrs.split(' ').map((p) => [p.split(':')[1], e.getAttribute(p.split(':')[0])])),
  count: document.getElementById('count')?.textContent ?? null,
  text: document.body.innerText,
});

function check(shown, messages, locale, page) {
  assert.ok(shown.lang.toLowerCase().startsWith(locale), `${page}: lang ${shown.lang}`);
  for (const [key, text] of [...shown.marked, ...shown.attrs]) assert.equal(text, messages[key].message, `${page}: ${key}`);
  for (const key of Object.keys(english).filter((k) => /[a-z][A-Z]/.test(k))) assert.ok(!shown.text.includes(key), `${page}: the key ${key} is shown`);
  const leftovers = Object.keys(english).filter((k) => english[k].message !== messages[k].message && english[k].message.length >= 8
    && !english[k].message.includes('$') && shown.text.includes(english[k].message));
  assert.deepEqual(leftovers, [], `${page}: English texts in ${locale}`);
}

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  for (const [locale, langs] of Object.entries(LOCALES)) {
    test(`${name}: the popup and the options page in ${locale}`, async (t) => {
      const messages = read(locale);
      const server = await startServer({ '/article': newsPage() });
      const session = await launch({ port: server.port, lang: langs[name] });
      t.after(async () => { await session.close(); await server.close(); });
      await openPage(session, 'http://news.test/article');
      const options = await session.extensionPage('options/options.html');
      const tab = await tabId(options, 'http://news.test/*');
      await waitFor(async () => (await sendMessage(options, { type: 'popup', tabId: tab })).result.entries.length >= TRACKERS.length, 'the trackers are logged');

      const popup = await session.extensionPage(`popup/popup.html?tab=${tab}`);
      const shown = await popup.evaluate(SHOWN);
      check(shown, messages, locale, 'popup');
      assert.equal(shown.count, messages.popupCount.message.replace('$1', String(TRACKERS.length)));
      for (const kind of ['kind_analytics', 'kind_retargeting', 'kind_email_open']) assert.ok(shown.text.includes(messages[kind].message), `popup: ${kind}`);
      assert.ok(shown.text.includes(messages.popupPauseHour.message) && shown.text.includes(messages.popupBroken.message));
      if (locale !== 'en') {
        await popup.setViewport({ width: 400, height: 640 });
        await popup.screenshot({ path: join(ARTIFACTS, `popup-${locale}-${name}.png`) });
      }
      check(await options.evaluate(SHOWN), messages, locale, 'options');
      t.diagnostic(`${locale}: ${shown.marked.length} texts from data-i18n in the popup, "${shown.count}"`);
    });
  }
}
