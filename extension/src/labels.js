// A blocked request's label: the engine's verdict on it (filter, list, company, kind, what it would
// have sent; a webmail proxy's image by the sender's URL it carries), or one of the user's blocked
// hosts. In Chrome a request is logged as the browser reported it and labelled when someone looks
// (the popup, the report, the privacy report), so logging what DNR blocked needs no engine.
import { isFirefox } from './browser.js';
import { engineRunning, withEngine } from './engine.js';
import { blockedHostOf } from './rules.js';

/** A request as the engine judges it, out of webRequest's `details`: `{ url, type, time, source }` (source: the page that made it). */
export const requestOf = (details) => ({
  url: details.url, type: details.type, time: details.timeStamp,
  source: details.documentUrl ?? details.initiator ?? details.originUrl ?? '',
});

/** A log entry for `request` before it is labelled: what the browser said of it (DNR blocked it). */
export const unlabelled = (request) => ({
  ...request, host: new URL(request.url).hostname, path: 'dnr', decision: 'blocked',
  filter: null, company: null, kind: null, category: null, decoded: null, unlabelled: true,
});

/**
 * The log entry for a blocked `request`, or null when our lists do not block it (Firefox aborts
 * other requests too) or a webmail proxy's image was held for the content script to decide.
 * Throws while the engine is not running.
 */
export function label({ url, type, time, source }) {
  if (!engineRunning()) throw new Error('the engine is not running');
  let verdict;
  try {
    verdict = withEngine((engine) => engine.check(url, source, type));
  } catch {
    return null;  // a URL the engine cannot parse is not one of ours
  }
  const host = verdict.host ?? new URL(url).hostname;
  const mine = verdict.decision === 'blocked' ? null : blockedHostOf(host);
  if (mine) {
    return { url, host, type, time, path: 'dnr', decision: 'blocked',
      filter: { list: 'your blocked hosts', text: `||${mine}^`, line: null }, company: verdict.company ?? null, kind: null, category: null };
  }
  if (isFirefox && verdict.decision !== 'blocked') return null;
  // A webmail proxy's image no list blocks was held by the webmail hold: the content script decides.
  if (verdict.proxied && verdict.decision !== 'blocked') return null;
  const proxied = verdict.proxied && { url: verdict.proxied.original, proxy: url, via: verdict.proxied.via };
  return {
    url, host, type, time, path: 'dnr',
    decision: verdict.decision, filter: verdict.filter,
    company: verdict.company ?? null, kind: verdict.kind ?? null, category: verdict.category ?? null, ...proxied,
    decoded: verdict.decoded ?? null,
  };
}

/** `entries` with the unlabelled ones labelled (those the lists do not block dropped); as they are while the engine is not running. */
export const labelled = (entries) => (engineRunning() ? entries.flatMap((e) => (e.unlabelled ? label(e) ?? [] : [e])) : entries);
