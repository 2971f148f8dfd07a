// The per-tab log of blocked requests and suspected pixels in storage.session (it survives a
// service-worker restart), reset when the tab loads a new page, with the blocked count as the badge.
import { api } from './browser.js';
import { serial } from './serial.js';

const MAX_ENTRIES = 1000;
/** A webmail proxy's image is logged once per attempt: by the content script, or by its request's error. */
const SAME_ATTEMPT_MS = 10_000;
const MAX_SUSPECTS = 200;
const key = (tabId) => `tab:${tabId}`;
const write = serial();

/**
 * `{ url, entries, suspects }` of a tab; entries are blocked requests, oldest first; suspects are
 * suspected pixels that loaded, one per URL.
 */
export async function tabLog(tabId) {
  const { [key(tabId)]: log } = await api.storage.session.get(key(tabId));
  return { url: null, entries: [], ...log, suspects: log?.suspects ?? [] };
}

function badge(tabId, count) {
  return Promise.all([
    api.action.setBadgeText({ tabId, text: count ? String(count) : '' }),
    api.action.setBadgeBackgroundColor({ tabId, color: '#1e3a8a' }),
  ]).catch(() => {});  // the tab may be gone
}

/**
 * The tab is loading `url` since `since` (ms since the epoch): a new log, keeping only what was
 * recorded at or after `since` — the new page's own reports, which can reach the background before
 * the navigation's event does (Firefox, while the background starts).
 */
export const resetTab = (tabId, url, since) => write(async () => {
  const log = await tabLog(tabId);
  const fresh = (e) => e.time >= since;
  const entries = log.entries.filter(fresh);
  await api.storage.session.set({ [key(tabId)]: { url, entries, suspects: log.suspects.filter(fresh) } });
  await badge(tabId, entries.length);
});

/**
 * Appends the entry `make()` returns or resolves to (null: nothing to record) to the tab's log; an
 * image through a webmail proxy (`entry.proxy`) already logged within the same attempt is not
 * logged again.
 */
export const record = (tabId, make) => write(async () => {
  const entry = await make();
  if (!entry) return;
  const log = await tabLog(tabId);
  if (entry.proxy && log.entries.some((e) => e.proxy === entry.proxy && Math.abs(e.time - entry.time) < SAME_ATTEMPT_MS)) return;
  if (log.entries.length >= MAX_ENTRIES) log.entries.shift();
  log.entries.push(entry);
  await api.storage.session.set({ [key(tabId)]: log });
  await badge(tabId, log.entries.length);
});

/**
 * Updates the tab's suspects from `verdicts` (`[{ url, entry }]`): an entry replaces the one for
 * its URL; a null entry (no longer suspected, e.g. now seen repeated as a spacer) removes it.
 */
export const recordSuspects = (tabId, verdicts) => write(async () => {
  if (verdicts.length === 0) return;
  const log = await tabLog(tabId);
  const byUrl = new Map(log.suspects.map((s) => [s.url, s]));
  for (const { url, entry } of verdicts) {
    if (entry) byUrl.set(url, entry);
    else byUrl.delete(url);
  }
  log.suspects = [...byUrl.values()].slice(-MAX_SUSPECTS);
  await api.storage.session.set({ [key(tabId)]: log });
});

const keptKey = (tabId) => `kept:${tabId}`;

/**
 * Keeps the requests blocked in the tab so far, with its site, for a report: "Something broken?"
 * pauses the site and reloads, which starts a new log with nothing blocked. An empty log keeps
 * what was kept before.
 */
export const keepForReport = (tabId, site) => write(async () => {
  const log = await tabLog(tabId);
  if (log.entries.length === 0) return;  // already paused: keep what was kept before
  await api.storage.session.set({ [keptKey(tabId)]: { site, url: log.url, entries: log.entries, time: Date.now() } });
});

/** What `keepForReport` kept for the tab: `{ site, url, entries, time }`, or null. */
export const keptForReport = async (tabId) => (await api.storage.session.get(keptKey(tabId)))[keptKey(tabId)] ?? null;

export const forgetTab = (tabId) => write(() => api.storage.session.remove([key(tabId), keptKey(tabId)]));
