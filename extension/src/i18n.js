// Localised text for the extension's pages: messages from _locales (through the browser's i18n
// API), the pages' data-i18n attributes, and numbers, times and durations in the UI language.
import { api } from './browser.js';

/** The language the browser shows the extension in, as a BCP 47 tag (`de`, `en-US`). */
export const language = api.i18n.getUILanguage?.() || 'en';

/** Message `key` with `$1`… replaced by `subs`; a missing key shows as itself (tests/node/locales catches those). */
export function t(key, ...subs) {
  const text = api.i18n.getMessage(key, subs.map(String));
  if (!text) console.error(`PixelGuard: no message "${key}"`);
  return text || key;
}

/** Message `prefix + value` (a kind, resource type or reason from the core), else `value` as it is. */
export function label(prefix, value) {
  return api.i18n.getMessage(`${prefix}_${String(value).replaceAll('-', '_')}`) || String(value);
}

/**
 * Fills the page's text from its markup: an element's `data-i18n` names the message for its text,
 * `data-i18n-attrs` the messages for attributes (`aria-label:KEY title:KEY`); sets the page's language.
 */
export function localize(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-attrs]')) {
    for (const pair of node.dataset.i18nAttrs.split(/\s+/)) {
      const [attr, key] = pair.split(':');
      node.setAttribute(attr, t(key));
    }
  }
  document.documentElement.lang = language;
}

/** `n` with the UI language's digit grouping; `?` when unknown. */
export const number = (n) => (Number.isFinite(n) ? n.toLocaleString(language) : '?');

/** An ISO time or epoch ms as a short local date and time. */
export const dateTime = (when) => new Date(when).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' });

/** How long from now until `until` (epoch ms), in words: "in 59 minutes", "in 23 hours". */
export function fromNow(until, now = Date.now()) {
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  const words = new Intl.RelativeTimeFormat(language, { numeric: 'always' });
  return minutes < 120 ? words.format(minutes, 'minute') : words.format(Math.round(minutes / 60), 'hour');
}
