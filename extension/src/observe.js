// Watches requests with non-blocking webRequest: a page load resets its tab's log; a request the
// browser's DNR blocked is labelled by the engine (filter, list, company, kind), or as one of the
// user's blocked hosts, and logged; a ping or beacon that loaded is scored as a suspected pixel.
import { api, isFirefox } from './browser.js';
import { withEngine } from './engine.js';
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
  return {
    url, host, type, time: details.timeStamp, path: 'dnr',
    decision: verdict.decision, filter: verdict.filter,
    company: verdict.company ?? null, kind: verdict.kind ?? null, category: verdict.category ?? null,
  };
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
    newPage(d.tabId);
    resetTab(d.tabId, d.url, d.timeStamp);
  }, { ...all, types: ['main_frame'] });
  api.webRequest.onErrorOccurred.addListener((d) => {
    if (d.tabId >= 0 && d.error === BLOCKED && d.type !== 'main_frame') record(d.tabId, () => ready().then(() => label(d)));
  }, all);
  api.webRequest.onCompleted.addListener((d) => {
    if (d.tabId >= 0) ready().then(() => scoreRequest(d));
  }, { ...all, types: isFirefox ? ['ping', 'beacon'] : ['ping'] });
  api.tabs.onRemoved.addListener((tabId) => {
    newPage(tabId);
    forgetTab(tabId);
  });
}
