// The background's answers to the popup, the options page and the content script: one handler per
// message type, called with the message and its sender.
import { api } from './browser.js';
import { fetchPackaged } from './engine.js';
import * as lists from './lists.js';
import { tabLog } from './log.js';
import { blockedHostOf, limits, matchedRules, usage } from './rules.js';
import { setPrivacy } from './privacy.js';
import { loadSettings } from './settings.js';
import * as store from './store.js';
import { scoreReports, setHostBlocked } from './suspects.js';
import { judgeMailImages } from './webmail.js';

const SHOWN = 100;  // refusals, invalid lines and left-out filters sent to the options page per list

const siteOf = (url) => {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? hostname : null;
  } catch {
    return null;
  }
};

const staticMaps = new Map();
/** The source map of a static ruleset (packaged) or of the dynamic rules (`_dynamic`, stored). */
function sourceMap(rulesetId) {
  if (rulesetId === '_dynamic') return store.get('dynamicMap').then((m) => m ?? {});
  if (!staticMaps.has(rulesetId)) {
    staticMaps.set(rulesetId, fetchPackaged(`rules/${rulesetId}.map.json`).then((r) => r.json()).catch(() => ({})));
  }
  return staticMaps.get(rulesetId);
}

/** Marks entries whose filter is behind a DNR rule the browser reports as matched in the tab. */
async function confirm(tabId, entries) {
  const matched = await matchedRules(tabId);
  if (!matched) return entries;
  const filters = new Set();
  for (const { ruleId, rulesetId } of matched) {
    for (const source of (await sourceMap(rulesetId))[ruleId] ?? []) filters.add(`${source.list}\n${source.filter}`);
  }
  return entries.map((e) => ({ ...e, confirmed: Boolean(e.filter && filters.has(`${e.filter.list}\n${e.filter.text}`)) }));
}

function listSummary() {
  return lists.currentEngine().listStats().map(({ stats, ...list }) =>
    ({ ...list, network: stats.network, invalid: stats.invalid.length }));
}

const trim = (report) => report && {
  ...report, refusals: report.refusals.slice(0, SHOWN), filtersLeftOut: report.filtersLeftOut.slice(0, SHOWN),
  removalsLeftOut: report.removalsLeftOut?.slice(0, SHOWN),
};

async function builtinReport(id) {
  try { return trim(await (await fetchPackaged(`rules/${id}.report.json`)).json()); } catch { return null; }
}

/** The only messages a content script (a web page's process) may send; the rest need an extension page. */
export const PAGE_MESSAGES = new Set(['suspects', 'mail-images']);

export const handlers = {
  /** `{ type: 'check', url, sourceUrl, resourceType }` → the engine's verdict. */
  check: ({ url, sourceUrl = '', resourceType = 'other' }) => lists.currentEngine().check(url, sourceUrl, resourceType),

  /** `{ type: 'status' }` → where the engine came from and its lists. */
  status: () => ({ source: lists.engineSource(), lists: listSummary() }),

  /** `{ type: 'popup', tabId }` → everything the popup shows, in one answer. */
  async popup({ tabId }) {
    const [tab, log, settings] = await Promise.all([api.tabs.get(tabId).catch(() => null), tabLog(tabId), loadSettings()]);
    const url = log.url ?? tab?.url ?? null;
    const site = siteOf(url);
    return {
      tabId, url, site, paused: Boolean(site && settings.paused.includes(site)),
      entries: await confirm(tabId, log.entries), lists: listSummary(),
      suspects: log.suspects.filter((s) => !blockedHostOf(s.host)),
    };
  },

  /** `{ type: 'pause', site, paused }` → protection off (paused) or back on for a site. */
  pause: async ({ site, paused }) => { await lists.setPaused(site, paused === true); },

  /**
   * `{ type: 'options' }` → lists with statistics and DNR reports (a built-in list updated at run
   * time: also its update record and the update's report), paused sites, budget.
   */
  async options() {
    const settings = await loadSettings();
    const stats = Object.fromEntries(lists.currentEngine().listStats().map((s) => [s.id, s]));
    const shown = (id) => stats[id] && { ...stats[id], stats: { ...stats[id].stats, invalid: stats[id].stats.invalid.slice(0, SHOWN) } };
    const reports = (await store.get('reports')) ?? {};
    return {
      builtins: await Promise.all(lists.BUILTINS.map(async (b) => ({
        ...settings.builtins[b.id], id: b.id, title: b.title, homepage: b.homepage, url: b.url,
        enabled: settings.builtins[b.id]?.enabled !== false,
        info: shown(b.id), report: await builtinReport(b.id), update: trim(reports[b.id]),
      }))),
      custom: settings.custom.map((c) => ({ ...c, info: shown(c.id), report: trim(reports[c.id]) })),
      paused: settings.paused, blockedHosts: settings.blockedHosts, autoUpdate: settings.autoUpdate, gpc: settings.gpc, stripParams: settings.stripParams,
      limits: limits(), usage: await usage(),
    };
  },

  'add-list': ({ url, title, text }) => lists.addList({ url: url || null, title: title ?? '', text: text ?? null }).then(() => {}),
  'update-list': ({ id }) => lists.updateList(id).then(() => {}),
  'remove-list': ({ id }) => lists.removeList(id).then(() => {}),
  'enable-list': ({ id, enabled }) => lists.enableList(id, enabled === true).then(() => {}),
  'auto-update': ({ on }) => lists.setAutoUpdate(on).then(() => {}),
  /** `{ type: 'privacy', gpc?, stripParams? }` → Global Privacy Control / parameter stripping on or off. */
  privacy: (changes) => setPrivacy(changes).then(() => {}),
  /** `{ type: 'suspects', reports }` from the content script: scored, suspects logged for the tab. */
  suspects: ({ reports }, sender) => scoreReports(reports, sender),
  /** `{ type: 'mail-images', images }` from the webmail content script → which held images are pixels. */
  'mail-images': ({ images }, sender) => judgeMailImages(images, sender),
  /** `{ type: 'block-host', host, blocked }` → a dynamic rule blocking the host, or none. */
  'block-host': ({ host, blocked }) => setHostBlocked(host, blocked !== false).then(() => {}),
  export: () => lists.exportAll(),
  import: ({ data }) => lists.importAll(data).then(() => {}),
};
