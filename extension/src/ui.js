// Helpers shared by the popup and the options page: text-only elements and background messages.
import { api } from './browser.js';

/** An element with text content and an optional class; never parses HTML. */
export function el(tag, text = '', className = '') {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Sends `message` (built by messages.js) to the background; resolves to its result or throws its error. */
export async function ask(message) {
  const reply = await api.runtime.sendMessage(message);
  if (!reply?.ok) throw new Error(reply?.error ?? 'no answer from the background');
  return reply.result;
}

const ALL_SITES = { origins: ['<all_urls>'] };

/**
 * Fills `box` with a notice and a button to grant host access when the user withheld it (Firefox
 * lets them): DNR still blocks, but webRequest then reports nothing, so the log stays empty.
 */
export async function offerHostAccess(box, onGranted) {
  box.hidden = await api.permissions.contains(ALL_SITES);
  if (box.hidden) return;
  const grant = el('button', 'Allow access to sites');
  grant.type = 'button';
  grant.onclick = async () => { if (await api.permissions.request(ALL_SITES)) onGranted(); };
  box.replaceChildren(el('span', 'PixelGuard blocks trackers, but without access to sites it cannot show what it blocked. '), grant);
}
