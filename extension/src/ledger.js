// The privacy report's ledger in IndexedDB (one record per day, kept 90 days): the pixels
// PixelGuard blocked, counted per site, company, kind and action, and the ad pixels sites fired
// after the Global Privacy Control signal. No request or page address is kept once counted. Counts
// gather in memory and are written in one batch every few seconds, one small record per day
// touched; a blocked request not yet labelled (labels.js) waits in a batch of its own until counted.
import { api } from './browser.js';
import { domainOf, engineRunning } from './engine.js';
import { label } from './labels.js';
import { AD_KINDS, addBlocked, addGpc, dayOf, emptyDay, isDay, merge, oldestKept } from './ledger-day.js';
import { serial } from './serial.js';
import { loadSettings } from './settings.js';
import * as store from './store.js';

const PREFIX = 'ledger:';
const END = 'ledger;';  // the first key after every `ledger:…` one
const FLUSH_MS = 3000;
/** The batches of blocked requests waiting for their label: `[{ page, gpc, request }]` each. */
const WAITING = 'ledger-waiting:';
const WAITING_END = 'ledger-waiting;';
/** Waiting requests counted as soon as this many wait in one run of the background (else hourly, or when the report opens). */
const LABEL_BATCH = 500;
const MAX_URL = 2048;  // characters of a waiting request's URL kept, as in the log

/** day → a day record of what is not written yet. */
const pending = new Map();
/** Blocked requests waiting for their label, not yet written: `{ page, request }`. */
let waiting = [];
let waitingHere = 0;
let batches = 0;
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

/** Whether the page at `url` was sent the GPC signal under `settings`: the setting is on and the site not paused. */
const gpcSent = (settings, url) => settings.gpc && !settings.paused.includes(new URL(url).hostname);

/** The requests `waited` (from `noteLater`), each with whether its page was sent GPC: one read of the settings for them all. */
async function withGpc(waited) {
  if (waited.length === 0) return waited;
  const settings = await loadSettings();
  return waited.map((w) => ({ ...w, gpc: gpcSent(settings, w.page) }));
}

/**
 * Counts a pixel request (a log entry: host, company, kind, decoded, time) of page `page` (whose
 * site was sent GPC when `gpc`): in the blocked counts when `blocked`; on the GPC record when it is
 * an ad pixel and the page was sent GPC, blocked or not.
 */
async function count({ page, gpc }, entry, blocked) {
  const site = page && await domainOf(page);
  if (!site) return;
  const day = dayOf(entry.time);
  if (!pending.has(day)) pending.set(day, emptyDay(day));
  const record = pending.get(day);
  const company = entry.company ?? entry.host;
  const action = entry.decoded?.action ?? null;
  if (blocked) addBlocked(record, { site, company, kind: entry.kind, action });
  if (gpc && AD_KINDS.has(entry.kind)) addGpc(record, { site, company, kind: entry.kind, event: entry.decoded?.event ?? action, time: entry.time, blocked });
  timer ??= setTimeout(flush, FLUSH_MS);
}

/** Notes a labelled pixel request of tab `tabId` (`count`). */
export async function note(tabId, entry, blocked) {
  const page = await pageOf(tabId);
  if (page) await count({ page, gpc: AD_KINDS.has(entry.kind) && gpcSent(await loadSettings(), page) }, entry, blocked);
}

/**
 * Notes a blocked request of tab `tabId` before its label (`{ url, type, time, source }`): its page
 * is taken now, whether that page was sent GPC when its batch is written, the rest when `drain`
 * labels it. After LABEL_BATCH of them, `ready()` (the engine) then `drain`.
 */
export async function noteLater(tabId, request, ready) {
  const page = await pageOf(tabId);
  if (!page) return;
  waiting.push({ page, request: { ...request, url: request.url.slice(0, MAX_URL) } });
  timer ??= setTimeout(flush, FLUSH_MS);
  if (++waitingHere >= LABEL_BATCH) {
    waitingHere = 0;
    ready().then(drain);
  }
}

/** Writes what is pending (one record per day), drops the days past the bound, and writes the waiting requests as one batch. */
async function writePending() {
  clearTimeout(timer);
  timer = null;
  const oldest = oldestKept(dayOf(Date.now()));
  const batch = [...pending.values()].filter((p) => p.day >= oldest);
  const waited = waiting;
  waiting = [];
  pending.clear();
  try {
    for (const p of batch) {
      const stored = await store.get(PREFIX + p.day);
      if (stored !== undefined && !isDay(stored)) console.warn(`PixelGuard: the report's record of ${p.day} was unreadable and is replaced`);
      await store.put(PREFIX + p.day, merge(isDay(stored) ? stored : emptyDay(p.day), p));
    }
    await store.removeRange(PREFIX, PREFIX + oldest);
    if (waited.length > 0) await store.put(`${WAITING}${Date.now()}-${batches++}`, await withGpc(waited));
  } catch (error) {
    console.warn('PixelGuard: the report could not be saved:', error.message);
  }
}
export const flush = () => write(writePending);

/** Whether a waiting request read back from a batch has what `drain` needs (a corrupt batch may not). */
const wellFormed = (w) => typeof w?.page === 'string' && typeof w.gpc === 'boolean' && typeof w.request?.url === 'string'
  && typeof w.request.type === 'string' && typeof w.request.source === 'string' && Number.isFinite(w.request.time);

/**
 * Labels and counts every blocked request waiting for its label, then writes the counts and lets
 * the batches go; nothing while the engine is not running (they wait for the next time).
 */
export const drain = () => write(async () => {
  if (!engineRunning()) return;
  const unwritten = waiting;
  waiting = [];
  const stored = await store.valuesFrom(WAITING, WAITING_END);
  const waited = [...stored.flatMap((batch) => (Array.isArray(batch) ? batch : [])), ...await withGpc(unwritten)];
  for (const { page, gpc, request } of waited.filter(wellFormed)) {
    let entry = null;
    try {
      entry = label(request);
    } catch (error) {
      console.warn('PixelGuard: a waiting request was not labelled:', error.message);
    }
    if (entry) await count({ page, gpc }, entry, true);
  }
  await store.removeRange(WAITING, WAITING_END);  // before what arrived meanwhile is written
  await writePending();
}).catch((error) => console.warn('PixelGuard: the report could not count what waited:', error.message));

/** Every day record kept, oldest first (what is pending written first); corrupt ones are skipped. */
export async function days() {
  await drain();
  const oldest = oldestKept(dayOf(Date.now()));
  return (await store.valuesFrom(PREFIX, END)).filter((r) => isDay(r) && r.day >= oldest);
}

/** "Clear history": every day record and what is pending. */
export const clear = () => write(async () => {
  pending.clear();
  waiting = [];
  await store.removeRange(PREFIX, END);
  await store.removeRange(WAITING, WAITING_END);
});
