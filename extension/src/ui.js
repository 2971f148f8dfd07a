// Helpers shared by the extension's pages: text-only elements, background messages, the theme
// setting, and the notice asking for host access.
import { api } from './browser.js';
import { t } from './i18n.js';
import { THEMES } from './settings.js';

/** An element with text content and optional classes; never parses HTML. */
export function el(tag, text = '', ...classes) {
  const node = document.createElement(tag);
  node.textContent = text;
  if (classes.length) node.classList.add(...classes);
  return node;
}

/** A `type="button"` button with `text` that runs `onclick`. */
export function button(text, onclick, ...classes) {
  const node = el('button', text, ...classes);
  node.type = 'button';
  node.onclick = onclick;
  return node;
}

/** Sends `message` (built by messages.js) to the background; resolves to its result or throws its error. */
export async function ask(message) {
  const reply = await api.runtime.sendMessage(message);
  if (!reply?.ok) throw new Error(reply?.error ?? t('errorNoAnswer'));
  return reply.result;
}

/** Shows the page in the theme setting (light, dark, or the system's), now and whenever it changes. */
export async function followTheme() {
  const apply = (settings) => {
    document.documentElement.dataset.theme = THEMES.includes(settings?.theme) ? settings.theme : 'system';
  };
  api.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes.settings) apply(changes.settings.newValue);
  });
  apply((await api.storage.local.get('settings')).settings);
}

const ALL_SITES = { origins: ['<all_urls>'] };

/**
 * Fills `box` with a notice and a button to grant host access when the user withheld it (Firefox
 * lets them): DNR still blocks, but webRequest then reports nothing, so the log stays empty.
 */
export async function offerHostAccess(box, onGranted) {
  box.hidden = await api.permissions.contains(ALL_SITES);
  if (box.hidden) return;
  const grant = button(t('hostAccessGrant'), async () => { if (await api.permissions.request(ALL_SITES)) onGranted(); });
  box.replaceChildren(el('span', `${t('hostAccessNeeded')} `), grant);
}
