// Where a list's text lives: packaged with the extension (a bundled built-in list), or stored in
// IndexedDB (a custom list, or a built-in one downloaded or imported since).
import { fetchPackaged } from './browser.js';
import * as store from './store.js';

const key = (id) => `list:${id}`;

/** The text of `{ id, path }`: the packaged file at `path`, else the stored copy of list `id`. */
export async function listText(list) {
  if (list.path) return (await fetchPackaged(list.path)).text();
  const text = await store.get(key(list.id));
  if (typeof text !== 'string') throw new Error(`the text of list ${list.id} is missing`);
  return text;
}

/** `[{ id, title, text }]` for the core, from lists as `listText` reads them. */
export const withTexts = (lists) => Promise.all(lists.map(async (l) => ({ id: l.id, title: l.title, text: await listText(l) })));

export const saveText = (id, text) => store.put(key(id), text);
export const removeText = (id) => store.remove(key(id));
