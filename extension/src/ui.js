// Helpers shared by the popup and the options page: text-only elements and background messages.
import { api } from './browser.js';

/** An element with text content and an optional class; never parses HTML. */
export function el(tag, text = '', className = '') {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Sends `message` to the background; resolves to its result or throws its error. */
export async function ask(message) {
  const reply = await api.runtime.sendMessage(message);
  if (!reply?.ok) throw new Error(reply?.error ?? 'no answer from the background');
  return reply.result;
}
