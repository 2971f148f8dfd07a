// Watches requests with non-blocking webRequest: a page load resets its tab's log; a request the
// browser's DNR blocked is labelled by the engine (filter, list, company, kind, what it would have
// sent; a webmail proxy's image by the sender's URL it carries), or as one of the user's blocked
// hosts, logged and counted in the report's ledger; a ping or beacon that loaded is scored as a
// suspected pixel; an ad pixel that loaded goes on the report's GPC record.
import { api, isFirefox } from './browser.js';
import { withEngine } from './engine.js';
import { CORE } from './generated/core.js';
import * as ledger from './ledger.js';
import { AD_KINDS } from './ledger-day.js';
import { forgetTab, record, resetTab } from './log.js';
import { blockedHostOf } from './rules.js';
import { newPage, scoreRequest } from './suspects.js';

/** The error a DNR block ends with: Chrome says who, Firefox only that it was aborted. */
const BLOCKED = isFirefox ? 'NS_ERROR_ABORT' : 'net::ERR_BLOCKED_BY_CLIENT';

/** A log entry for a blocked request, or null when our lists do not block it (Firefox aborts). */
function label(details) {
  const { url, type } = details;
  const source = details.documentUrl ?? details.initiator ?? details.originUrl ?? '';
  let verdict;
  try {
    verdict = withEngine((engine) => engine.check(url, source, type));
  } catch {
    return null;  // a URL the engine cannot parse is not one of ours
  }
  const host = verdict.host ?? new URL(url).hostname;
  const mine = verdict.decision === 'blocked' ? null : blockedHostOf(host);
  if (mine) {
    return { url, host, type, time: details.timeStamp, path: 'dnr', decision: 'blocked',
      filter: { list: 'your blocked hosts', text: `||${mine}^`, line: null }, company: verdict.company ?? null, kind: null, category: null };
  }
  if (isFirefox && verdict.decision !== 'blocked') return null;
  // A webmail proxy's image no list blocks was held by the webmail hold: the content script decides.
  if (verdict.proxied && verdict.decision !== 'blocked') return null;
  const proxied = verdict.proxied && { url: verdict.proxied.original, proxy: url, via: verdict.proxied.via };
  return {
    url, host, type, time: details.timeStamp, path: 'dnr',
    decision: verdict.decision, filter: verdict.filter,
    company: verdict.company ?? null, kind: verdict.kind ?? null, category: verdict.category ?? null, ...proxied,
    decoded: verdict.decoded ?? null,
  };
}

/** The log entry for a blocked request, also counted in the ledger. */
function blocked(details) {
  const entry = label(details);
  if (entry) ledger.note(details.tabId, entry, true).catch((e) => console.warn('PixelGuard: ledger:', e.message));
  return entry;
}

/** A decoded pixel endpoint that loaded (no list blocked it): an ad pixel goes on the GPC record. */
function loaded(details) {
  let verdict;
  try {
    verdict = withEngine((engine) => engine.check(details.url, details.documentUrl ?? details.initiator ?? '', details.type));
  } catch {
    return;
  }
  if (verdict.decision === 'blocked' || !AD_KINDS.has(verdict.kind)) return;
  const entry = { host: verdict.host, company: verdict.company ?? null, kind: verdict.kind, decoded: verdict.decoded ?? null, time: details.timeStamp };
  ledger.note(details.tabId, entry, false).catch((e) => console.warn('PixelGuard: ledger:', e.message));
}

/**
 * Registers the listeners (synchronously, at startup). A page load resets its tab's log at once; a
 * blocked request takes its place in the log's queue at once and waits there for `ready()` (the
 * engine), so the log keeps the order of events however long the engine takes to start.
 */
export function observe(ready) {
  const all = { urls: ['<all_urls>'] };
  api.webRequest.onBeforeRequest.addListener((d) => {
    if (d.tabId < 0) return;
    ledger.pageLoading(d.tabId, d.url);
    newPage(d.tabId);
    resetTab(d.tabId, d.url, d.timeStamp);
  }, { ...all, types: ['main_frame'] });
  api.webRequest.onErrorOccurred.addListener((d) => {
    if (d.tabId >= 0 && d.error === BLOCKED && d.type !== 'main_frame') record(d.tabId, () => ready().then(() => blocked(d)));
  }, all);
  api.webRequest.onCompleted.addListener((d) => {
    if (d.tabId >= 0) ready().then(() => scoreRequest(d));
  }, { ...all, types: isFirefox ? ['ping', 'beacon'] : ['ping'] });
  api.tabs.onRemoved.addListener((tabId) => {
    ledger.tabClosed(tabId);
    newPage(tabId);
    forgetTab(tabId);
  });
  // The pixel endpoints the core decodes (named by the core at build time): one that loaded goes on
  // the GPC record when it is an ad pixel.
  api.webRequest.onCompleted.addListener((d) => { if (d.tabId >= 0) ready().then(() => loaded(d)); },
    { urls: CORE.pixelEndpoints, types: isFirefox ? ['image', 'ping', 'beacon', 'xmlhttprequest'] : ['image', 'ping', 'xmlhttprequest'] });
}
