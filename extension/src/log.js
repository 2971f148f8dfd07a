// The per-tab log of blocked requests and suspected pixels in storage.session (it survives a
// service-worker restart), reset when the tab loads a new page, with the blocked count as the badge;
// each tab within a budget (long texts cut, oldest entries dropped and counted), written in batches.
import { api } from './browser.js';
import { serial } from './serial.js';

const MAX_ENTRIES = 1000;
/** A webmail proxy's image is logged once per attempt: by the content script, or by its request's error. */
const SAME_ATTEMPT_MS = 10_000;
const MAX_SUSPECTS = 200;
const MAX_TEXT = 2048;  // characters of a URL, frame or filter kept in an entry
const TAB_BUDGET = 256 * 1024;  // characters of JSON per tab: 40 full tabs fit storage.session's 10 MB
/** At most one write per this long: the first entry after a quiet spell is written at once, the rest in batches. */
const FLUSH_MS = 250;
const key = (tabId) => `tab:${tabId}`;
const write = serial();

/**
 * What was recorded and not yet written, per tab: `{ entries: [promise of an entry or null], suspects:
 * Map(url → entry, or null to remove) }`.
 */
const pending = new Map();
let flushTimer = null;
let lastFlush = 0;
function queue(tabId) {
  if (!pending.has(tabId)) pending.set(tabId, { entries: [], suspects: new Map() });
  flushTimer ??= setTimeout(flush, Math.max(0, lastFlush + FLUSH_MS - Date.now()));
  return pending.get(tabId);
}

const readLog = async (tabId) => {
  const { [key(tabId)]: log } = await api.storage.session.get(key(tabId));
  return { url: null, entries: [], dropped: 0, ...log, suspects: log?.suspects ?? [] };
};

/**
 * `{ url, entries, suspects, dropped }` of a tab; entries are blocked requests, oldest first;
 * suspects are suspected pixels that loaded, one per URL; `dropped`: how many of the oldest entries
 * were let go to keep the tab within its budget. With `label` (labels.js `labelled`), the entries
 * not yet labelled are labelled, and saved so.
 */
export async function tabLog(tabId, label) {
  await flush();
  return write(() => labelledLog(tabId, label));
}

/** The tab's log, its unlabelled entries labelled by `label` (when given) and saved so. */
async function labelledLog(tabId, label) {
  const log = await readLog(tabId);
  if (!label || !log.entries.some((e) => e.unlabelled)) return log;
  log.entries = label(log.entries);
  await save(tabId, log);
  return log;
}

function badge(tabId, count) {
  return Promise.all([
    api.action.setBadgeText({ tabId, text: count ? String(count) : '' }),
    api.action.setBadgeBackgroundColor({ tabId, color: '#1e3a8a' }),
  ]).catch(() => {});  // the tab may be gone
}

const cap = (text) => (typeof text === 'string' && text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);
/** `entry` with its long texts cut to MAX_TEXT characters. */
const capped = (entry) => ({
  ...entry, url: cap(entry.url), ...(entry.frame !== undefined && { frame: cap(entry.frame) }),
  ...(entry.filter && { filter: { ...entry.filter, text: cap(entry.filter.text) } }),
});

const size = (value) => JSON.stringify(value).length;

/** Keeps `log` within MAX_ENTRIES, MAX_SUSPECTS and TAB_BUDGET, the oldest entries going first (counted in `dropped`). */
function fit(log) {
  log.suspects = log.suspects.slice(-MAX_SUSPECTS);
  let over = Math.max(0, log.entries.length - MAX_ENTRIES);
  let total = size(log);
  while (over > 0 || (total > TAB_BUDGET && log.entries.length > 0)) {
    total -= size(log.entries[0]) + 1;
    log.entries.shift();
    log.dropped += 1;
    over -= 1;
  }
  while (total > TAB_BUDGET && log.suspects.length > 0) total -= size(log.suspects.shift()) + 1;
}

/**
 * Saves the tab's log within its budget. When storage.session is full all the same (many tabs),
 * the oldest half of this tab's entries goes and it tries once more; that failing, it says so.
 */
async function save(tabId, log) {
  fit(log);
  try {
    await api.storage.session.set({ [key(tabId)]: log });
  } catch (error) {
    console.warn(`PixelGuard: the log of tab ${tabId} did not fit (${error.message}); dropping its oldest half`);
    const half = Math.ceil(log.entries.length / 2);
    log.entries.splice(0, half);
    log.dropped += half;
    await api.storage.session.set({ [key(tabId)]: log }).catch((e) => console.error(`PixelGuard: the log of tab ${tabId} was not saved:`, e.message));
  }
  await badge(tabId, log.entries.length);
}

/**
 * Appends `made` to `entries`, except an image through a webmail proxy (`entry.proxy`) already
 * logged within the same attempt (by the content script, or by its request's error).
 */
function append(entries, made) {
  for (const entry of made) {
    if (entry.proxy && entries.some((e) => e.proxy === entry.proxy && Math.abs(e.time - entry.time) < SAME_ATTEMPT_MS)) continue;
    entries.push(entry);
  }
}

/** The queued entries once made, in their order, without the nulls. */
const settled = async (entries) => (await Promise.all(entries)).filter(Boolean);

/** Writes everything pending (once its entries are made): one read and one write per tab. */
function flush() {
  clearTimeout(flushTimer);
  flushTimer = null;
  lastFlush = Date.now();
  return write(async () => {
    for (const [tabId, { entries, suspects }] of [...pending]) {
      pending.delete(tabId);
      const made = await settled(entries);
      const log = await readLog(tabId);
      append(log.entries, made);
      const byUrl = new Map(log.suspects.map((s) => [s.url, s]));
      for (const [url, entry] of suspects) {
        if (entry) byUrl.set(url, entry);
        else byUrl.delete(url);
      }
      log.suspects = [...byUrl.values()];
      await save(tabId, log);
    }
  });
}

/**
 * The tab is loading `url` since `since` (ms since the epoch): a new log, keeping only what was
 * recorded at or after `since` — the new page's own reports, which can reach the background before
 * the navigation's event does (Firefox, while the background starts).
 */
export const resetTab = (tabId, url, since) => write(async () => {
  const log = await readLog(tabId);
  const fresh = (e) => e?.time >= since;
  const queued = pending.get(tabId) ?? { entries: [], suspects: new Map() };
  pending.delete(tabId);
  const made = await settled(queued.entries);
  const suspects = new Map([...log.suspects.map((s) => [s.url, s]), ...queued.suspects]);
  const entries = log.entries.filter(fresh);
  append(entries, made.filter(fresh));
  await save(tabId, { url, entries, dropped: 0, suspects: [...suspects.values()].filter(fresh) });
});

/**
 * Queues the entry `make()` returns or resolves to (null: nothing to record) for the tab's log: it
 * takes its place in the tab's order at once, and is written once made: at once after a quiet spell, else within FLUSH_MS.
 */
export function record(tabId, make) {
  queue(tabId).entries.push(new Promise((resolve) => resolve(make())).then((entry) => entry && capped(entry), (error) => {
    console.warn('PixelGuard: a blocked request was not labelled:', error);
    return null;
  }));
}

/**
 * Queues the tab's suspects from `verdicts` (`[{ url, entry }]`): an entry replaces the one for
 * its URL; a null entry (no longer suspected, e.g. now seen repeated as a spacer) removes it.
 */
export function recordSuspects(tabId, verdicts) {
  if (verdicts.length === 0) return;
  const { suspects } = queue(tabId);
  for (const { url, entry } of verdicts) suspects.set(url, entry && capped(entry));
}

const keptKey = (tabId) => `kept:${tabId}`;

/**
 * Keeps the requests blocked in the tab so far, with its site, for a report: "Something broken?"
 * pauses the site and reloads, which starts a new log with nothing blocked. An empty log keeps
 * what was kept before. `label`: as for `tabLog`.
 */
export function keepForReport(tabId, site, label) {
  flush();  // queued first: what is kept includes the entries not yet written
  return write(async () => {
    const log = await labelledLog(tabId, label);
    if (log.entries.length === 0) return;  // already paused: keep what was kept before
    await api.storage.session.set({ [keptKey(tabId)]: { site, url: log.url, entries: log.entries, time: Date.now() } });
  });
}

/** What `keepForReport` kept for the tab: `{ site, url, entries, time }`, or null. */
export const keptForReport = async (tabId) => (await api.storage.session.get(keptKey(tabId)))[keptKey(tabId)] ?? null;

export const forgetTab = (tabId) => write(() => {
  pending.delete(tabId);
  return api.storage.session.remove([key(tabId), keptKey(tabId)]);
});
