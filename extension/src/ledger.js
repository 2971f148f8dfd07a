// The privacy report's ledger in IndexedDB (one record per day, kept 90 days): the pixels
// PixelGuard blocked, counted per site, company, kind and action, and the ad pixels sites fired
// after the Global Privacy Control signal. No request or page address is kept. Counts gather in
// memory and are written in one batch every few seconds, one small record per day touched.
import { api } from './browser.js';
import { domainOf } from './engine.js';
import { AD_KINDS, addBlocked, addGpc, dayOf, emptyDay, isDay, merge, oldestKept } from './ledger-day.js';
import { serial } from './serial.js';
import { loadSettings } from './settings.js';
import * as store from './store.js';

const PREFIX = 'ledger:';
const END = 'ledger;';  // the first key after every `ledger:…` one
const FLUSH_MS = 3000;

/** day → a day record of what is not written yet. */
const pending = new Map();
let timer = null;
const write = serial();

/** tabId → the address of the page the tab shows, from its main_frame request. */
const pages = new Map();
export const pageLoading = (tabId, url) => { pages.set(tabId, url); };
export const tabClosed = (tabId) => { pages.delete(tabId); };

/** The tab's page: as its last navigation said, else (after a restart) as the browser says. */
async function pageOf(tabId) {
  if (!pages.has(tabId)) {
    const tab = await api.tabs.get(tabId).catch(() => null);
    if (tab?.url) pages.set(tabId, tab.url);
  }
  const url = pages.get(tabId);
  return /^https?:/.test(url ?? '') ? url : null;
}

/** Whether the page at `url` was sent the GPC signal: the setting is on and the site not paused. */
async function gpcSent(url) {
  const settings = await loadSettings();
  return settings.gpc && !settings.paused.includes(new URL(url).hostname);
}

/**
 * Notes a pixel request of tab `tabId` (a log entry: host, company, kind, decoded, time): counted
 * when `blocked`; on the GPC record when it is an ad pixel and the page was sent GPC, blocked or not.
 */
export async function note(tabId, entry, blocked) {
  const page = await pageOf(tabId);
  const site = page && await domainOf(page);
  if (!site) return;
  const gpc = AD_KINDS.has(entry.kind) && await gpcSent(page);
  const day = dayOf(entry.time);
  if (!pending.has(day)) pending.set(day, emptyDay(day));
  const record = pending.get(day);
  const company = entry.company ?? entry.host;
  const action = entry.decoded?.action ?? null;
  if (blocked) addBlocked(record, { site, company, kind: entry.kind, action });
  if (gpc) addGpc(record, { site, company, kind: entry.kind, event: entry.decoded?.event ?? action, time: entry.time, blocked });
  timer ??= setTimeout(flush, FLUSH_MS);
}

/** Writes what is pending (one record per day) and drops the days past the bound. */
export const flush = () => write(async () => {
  clearTimeout(timer);
  timer = null;
  const oldest = oldestKept(dayOf(Date.now()));
  const batch = [...pending.values()].filter((p) => p.day >= oldest);
  pending.clear();
  try {
    for (const p of batch) {
      const stored = await store.get(PREFIX + p.day);
      if (stored !== undefined && !isDay(stored)) console.warn(`PixelGuard: the report's record of ${p.day} was unreadable and is replaced`);
      await store.put(PREFIX + p.day, merge(isDay(stored) ? stored : emptyDay(p.day), p));
    }
    await store.removeRange(PREFIX, PREFIX + oldest);
  } catch (error) {
    console.warn('PixelGuard: the report could not be saved:', error.message);
  }
});

/** Every day record kept, oldest first (what is pending written first); corrupt ones are skipped. */
export async function days() {
  await flush();
  const oldest = oldestKept(dayOf(Date.now()));
  return (await store.valuesFrom(PREFIX, END)).filter((r) => isDay(r) && r.day >= oldest);
}

/** "Clear history": every day record and what is pending. */
export const clear = () => write(async () => {
  pending.clear();
  await store.removeRange(PREFIX, END);
});
