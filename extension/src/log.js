// The per-tab log of blocked requests in storage.session (it survives a service-worker restart),
// reset when the tab loads a new page, with the tab's count as the action badge.
import { api } from './browser.js';
import { serial } from './serial.js';

const MAX_ENTRIES = 1000;
const key = (tabId) => `tab:${tabId}`;
const write = serial();

/** `{ url, entries }` of a tab; entries are blocked requests, oldest first. */
export async function tabLog(tabId) {
  const { [key(tabId)]: log } = await api.storage.session.get(key(tabId));
  return log ?? { url: null, entries: [] };
}

function badge(tabId, count) {
  return Promise.all([
    api.action.setBadgeText({ tabId, text: count ? String(count) : '' }),
    api.action.setBadgeBackgroundColor({ tabId, color: '#1e3a8a' }),
  ]).catch(() => {});  // the tab may be gone
}

/** The tab is loading `url`: a new, empty log. */
export const resetTab = (tabId, url) => write(async () => {
  await api.storage.session.set({ [key(tabId)]: { url, entries: [] } });
  await badge(tabId, 0);
});

/** Appends the entry `make()` returns (null: nothing to record) to the tab's log. */
export const record = (tabId, make) => write(async () => {
  const entry = make();
  if (!entry) return;
  const log = await tabLog(tabId);
  if (log.entries.length >= MAX_ENTRIES) log.entries.shift();
  log.entries.push(entry);
  await api.storage.session.set({ [key(tabId)]: log });
  await badge(tabId, log.entries.length);
});

export const forgetTab = (tabId) => write(() => api.storage.session.remove(key(tabId)));
