// Watches requests with non-blocking webRequest: a page load resets its tab's log; a request the
// browser's DNR blocked is logged at once and counted in the report's ledger, labelled by the
// engine (labels.js) when someone looks in Chrome, at once in Firefox (which must ask the engine
// whether the block was ours) and on the webmail pages the hold watches; a ping or beacon that
// loaded is scored as a suspected pixel; an ad pixel that loaded goes on the report's GPC record.
import { api, isFirefox } from './browser.js';
import { withEngine } from './engine.js';
import { CORE } from './generated/core.js';
import { label, requestOf, unlabelled } from './labels.js';
import * as ledger from './ledger.js';
import { AD_KINDS } from './ledger-day.js';
import { forgetTab, record, resetTab } from './log.js';
import { blockedInPage, newPage, scoreRequest } from './suspects.js';
import { fromHeldPage } from './webmail.js';

/** The error a DNR block ends with: Chrome says who, Firefox only that it was aborted. */
const BLOCKED = isFirefox ? 'NS_ERROR_ABORT' : 'net::ERR_BLOCKED_BY_CLIENT';

/** The log entry for a blocked request labelled now, also counted in the ledger. */
function blocked(tabId, request) {
  const entry = label(request);
  if (entry) ledger.note(tabId, entry, true).catch((e) => console.warn('PixelGuard: ledger:', e.message));
  return entry;
}

/**
 * A request DNR blocked, in the tab's log at once. Labelled later where the label can wait (see
 * labels.js); now in Firefox, and on a webmail page, where an image the hold kept back is the
 * content script's to log (the label says which). Chrome names the block (an abort in Firefox may
 * come after the request was sent): the page's report of the image then needs no engine (suspects.js).
 */
function onBlocked(tabId, request, ready) {
  if (isFirefox || fromHeldPage(request.source)) {
    record(tabId, () => ready().then(() => blocked(tabId, request)));
    return;
  }
  blockedInPage(tabId, request.url);
  record(tabId, () => unlabelled(request));
  ledger.noteLater(tabId, request, ready).catch((e) => console.warn('PixelGuard: ledger:', e.message));
}

/** A decoded pixel endpoint that loaded (no list blocked it): an ad pixel goes on the GPC record. */
function loaded(details) {
  let verdict;
  try {
    const { url, source, type } = requestOf(details);
    verdict = withEngine((engine) => engine.check(url, source, type));
  } catch {
    return;
  }
  if (verdict.decision === 'blocked' || !AD_KINDS.has(verdict.kind)) return;
  const entry = { host: verdict.host, company: verdict.company ?? null, kind: verdict.kind, decoded: verdict.decoded ?? null, time: details.timeStamp };
  ledger.note(details.tabId, entry, false).catch((e) => console.warn('PixelGuard: ledger:', e.message));
}

/**
 * Registers the listeners (synchronously, at startup). A page load resets its tab's log at once; a
 * blocked request takes its place in the log's queue at once (waiting there for `ready()`, the
 * engine, when labelled now), so the log keeps the order of events however long the engine takes to start.
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
    if (d.tabId >= 0 && d.error === BLOCKED && d.type !== 'main_frame') onBlocked(d.tabId, requestOf(d), ready);
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
