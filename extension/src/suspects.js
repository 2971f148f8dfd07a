// Suspected pixels: scores what the content script reports, and the pings and beacons webRequest
// sees, with the core's list-less heuristics; keeps the suspected ones no list blocks in the tab's
// log; and the user's "Block this host" rules.
import { withEngine } from './engine.js';
import { t } from './i18n.js';
import { requestOf } from './labels.js';
import { recordSuspects } from './log.js';
import { applyBlockedHosts, blockedHostOf } from './rules.js';
import { MAX_BLOCKED_HOSTS, isHost, loadSettings, updateSettings } from './settings.js';

const MAX_REPORTS = 100;  // per message
const MAX_URL = 4096;
const MAX_URLS_PER_PAGE = 500;  // distinct URLs judged per tab and page, however many frames report

/** The URLs judged in each tab since its page loaded: the bound on a page's work, across its frames. */
const judged = new Map();
/**
 * The URLs Chrome said it blocked in each tab since its page loaded (observe.js): an image among
 * them sent nothing, so the content script's report of it is dropped without the engine.
 */
const blocked = new Map();

/** How many distinct URLs each tab's page has had judged: `{ [tabId]: count }` (a diagnostic). */
export const judgedCounts = () => Object.fromEntries([...judged].map(([tabId, urls]) => [tabId, urls.size]));

/** The tab loads a new page (or is gone): its URLs may be judged again. */
export function newPage(tabId) {
  judged.delete(tabId);
  blocked.delete(tabId);
}

/** Chrome blocked `url` in tab `tabId` (kept: one of the page's first MAX_URLS_PER_PAGE). */
export function blockedInPage(tabId, url) {
  if (!blocked.has(tabId)) blocked.set(tabId, new Set());
  const urls = blocked.get(tabId);
  if (urls.size < MAX_URLS_PER_PAGE) urls.add(url);
}

/** Whether `url` may be judged in tab `tabId`: one seen before, or a new one within the page's bound. */
function mayJudge(tabId, url) {
  if (!judged.has(tabId)) judged.set(tabId, new Set());
  const urls = judged.get(tabId);
  if (urls.has(url)) return true;
  if (urls.size >= MAX_URLS_PER_PAGE) return false;
  urls.add(url);
  return true;
}

const size = (v) => (Number.isFinite(v) && v >= 0 ? v : undefined);

/** A report for `engine.suspect`, from one a page's process sent: only known, well-typed fields. */
function clean(report, sourceUrl) {
  if (typeof report?.url !== 'string' || report.url.length > MAX_URL || !/^https?:\/\//i.test(report.url)) return null;
  const out = {
    url: report.url, sourceUrl, type: 'image', hidden: report.hidden === true,
    repeats: Number.isInteger(report.repeats) && report.repeats > 0 ? Math.min(report.repeats, 1_000_000) : 1,
  };
  for (const key of ['width', 'height', 'naturalWidth', 'naturalHeight']) {
    if (size(report[key]) !== undefined) out[key] = report[key];
  }
  return out;
}

/** The log entry for a report, or null when it is not a suspect a user could still block. */
function judge(engine, report) {
  const s = engine.suspect(report);
  if (!s.suspected || !s.host || blockedHostOf(s.host)) return null;
  if (engine.check(report.url, report.sourceUrl, report.type).decision === 'blocked') return null;  // a list's job
  return {
    url: report.url, host: s.host, domain: s.domain ?? null, company: s.company ?? null, score: s.score,
    reasons: s.reasons, frame: report.sourceUrl, time: Date.now(),
  };
}

/**
 * `{ type: 'suspects', reports }` from the content script in a frame of tab `sender.tab.id`: the
 * engine is started (`ready()`) only when a report is left to judge once the blocked images are dropped.
 */
export async function scoreReports(reports, sender, ready) {
  const tabId = sender.tab?.id;
  if (!(tabId >= 0) || !Array.isArray(reports)) return;
  const sourceUrl = typeof sender.url === 'string' ? sender.url : '';  // the browser's word, not the page's
  const toJudge = reports.slice(0, MAX_REPORTS).map((raw) => clean(raw, sourceUrl))
    .filter((report) => report && !blocked.get(tabId)?.has(report.url) && mayJudge(tabId, report.url));
  if (toJudge.length === 0) return;
  await ready();
  const verdicts = [];
  for (const report of toJudge) {
    try {
      verdicts.push({ url: report.url, entry: withEngine((engine) => judge(engine, report)) });
    } catch {
      // a URL the core cannot parse is no suspect
    }
  }
  recordSuspects(tabId, verdicts);
}

/** A ping or beacon that loaded (webRequest `details`): scored like an image report. */
export async function scoreRequest(details) {
  const { url, source, type } = requestOf(details);
  const report = { url, sourceUrl: source, type };
  if (!mayJudge(details.tabId, report.url)) return;
  let entry;
  try {
    entry = withEngine((engine) => judge(engine, report));
  } catch {
    return;  // a URL the core cannot parse is no suspect
  }
  recordSuspects(details.tabId, [{ url: report.url, entry }]);
}

/** Blocks `host` (and its subdomains) with a dynamic rule, or lifts that block. */
export function setHostBlocked(host, blocked) {
  if (!isHost(host)) throw new Error(t('errorNotHost', host));
  return updateSettings(async (settings) => {
    const others = settings.blockedHosts.filter((h) => h !== host);
    if (blocked && others.length >= MAX_BLOCKED_HOSTS) throw new Error(t('errorBlockedHosts', MAX_BLOCKED_HOSTS));
    settings.blockedHosts = blocked ? [...others, host] : others;
    await applyBlockedHosts(settings.blockedHosts);
  });
}

/** Applies the stored blocked hosts (at start-up: the rule survives, the in-memory copy does not). */
export const applyStoredBlockedHosts = () => loadSettings().then((s) => applyBlockedHosts(s.blockedHosts));
