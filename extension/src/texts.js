// Where a list's text lives: packaged with the extension (a bundled built-in list), or stored in
// IndexedDB (a custom list, or a built-in one downloaded or imported since).
import { fetchPackaged } from './browser.js';
import { t } from './i18n.js';
import * as store from './store.js';

const key = (id) => `list:${id}`;

/** Lists whose text could not be read when last needed (id → why): skipped, and shown on the options page. */
const unreadable = new Map();
export const whyUnreadable = (id) => unreadable.get(id) ?? null;

/** The text of `{ id, path }`: the packaged file at `path`, else the stored copy of list `id`. */
export async function listText(list) {
  if (list.path) return (await fetchPackaged(list.path)).text();
  const text = await store.get(key(list.id));
  if (typeof text !== 'string') throw new Error(t('errorListTextMissing', list.id));
  return text;
}

/** `[{ id, title, text }]` for the core, from lists as `listText` reads them; a list whose text cannot be read is left out. */
export async function withTexts(lists) {
  const texts = await Promise.all(lists.map(async (l) => {
    try {
      const text = await listText(l);
      unreadable.delete(l.id);
      return { id: l.id, title: l.title, text };
    } catch (error) {
      console.warn(`PixelGuard: list ${l.id} skipped:`, error.message);
      unreadable.set(l.id, error.message);
      return null;
    }
  }));
  return texts.filter(Boolean);
}

/** Which of the stored lists `ids` have lost their text (without reading the texts); each is recorded as unreadable. */
export async function missingTexts(ids) {
  const has = await Promise.all(ids.map((id) => store.has(key(id))));
  const missing = ids.filter((_, i) => !has[i]);
  for (const id of missing) unreadable.set(id, t('errorListTextMissing', id));
  return missing;
}

export const saveText = (id, text) => store.put(key(id), text).then(() => { unreadable.delete(id); });
export const removeText = (id) => store.remove(key(id)).then(() => { unreadable.delete(id); });
