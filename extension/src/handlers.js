// The background's answers to the popup, the options page and the content script: one handler per
// message type of the protocol (messages.js), called with the message, its sender and `ready` (the
// engine, started already for every type but the suspects report: background.js).
import { exportAll, importAll, resetAll } from './backup.js';
import { api, fetchPackaged } from './browser.js';
import { engineSource, idleRestores, wasmMemoryBytes, withEngine } from './engine.js';
import { BUILTINS } from './generated/builtins.js';
import { t } from './i18n.js';
import { labelled } from './labels.js';
import * as ledger from './ledger.js';
import { addList, enableList, removeList } from './lists.js';
import { keepForReport, keptForReport, tabLog } from './log.js';
import { diagnostics, mailImages, messages, suspects } from './messages.js';
import { setPrivacy } from './privacy.js';
import { blockedHostOf, limits, matchedRules, usage } from './rules.js';
import { THEMES, lastRepair, loadSettings, updateSettings } from './settings.js';
import { setAllowed, setPaused, siteOf } from './sites.js';
import { startErrors } from './startup.js';
import * as store from './store.js';
import { judgedCounts, scoreReports, setHostBlocked } from './suspects.js';
import { whyUnreadable } from './texts.js';
import { setAutoUpdate, updateList } from './updates.js';
import { judgeMailImages } from './webmail.js';

const SHOWN = 100;  // refusals, invalid lines and left-out filters sent to the options page per list


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

/** Each list in the engine with its statistics; none while the engine is not running. */
function engineLists() {
  try {
    return withEngine((engine) => engine.listStats());
  } catch (error) {
    console.warn('PixelGuard:', error.message);
    return [];
  }
}

function listSummary() {
  return engineLists().map(({ stats, ...list }) =>
    ({ ...list, network: stats.network, invalid: stats.invalid.length }));
}

const trim = (report) => report && {
  ...report, refusals: report.refusals.slice(0, SHOWN), filtersLeftOut: report.filtersLeftOut.slice(0, SHOWN),
  removalsLeftOut: report.removalsLeftOut?.slice(0, SHOWN),
};

async function builtinReport(id) {
  try { return trim(await (await fetchPackaged(`rules/${id}.report.json`)).json()); } catch { return null; }
}

/** Each message type's handler: what it does and answers is described with its builder in messages.js. */
export const handlers = {
  async [messages.popup.type]({ tabId }) {
    const [tab, log, settings, kept] = await Promise.all([api.tabs.get(tabId).catch(() => null), tabLog(tabId, labelled), loadSettings(), keptForReport(tabId)]);
    const url = log.url ?? tab?.url ?? null;
    const site = siteOf(url);
    const paused = Boolean(site && settings.paused.includes(site));
    return {
      tabId, url, site, paused, pausedUntil: (paused && settings.pausedUntil[site]) || null,
      broken: paused && kept?.site === site,
      entries: await confirm(tabId, log.entries), dropped: log.dropped, lists: listSummary(),
      suspects: log.suspects.filter((s) => !blockedHostOf(s.host)),
    };
  },

  [messages.pause.type]: async ({ site, paused, minutes = null }) => { await setPaused(site, paused === true, minutes); },

  async [messages.broken.type]({ tabId, site }) {
    await keepForReport(tabId, site, labelled);
    await setPaused(site, true, 60);
    await api.tabs.reload(tabId);
  },

  async [messages.report.type]({ tabId }) {
    const [tab, log, settings, kept] = await Promise.all([api.tabs.get(tabId).catch(() => null), tabLog(tabId, labelled), loadSettings(), keptForReport(tabId)]);
    const url = log.url ?? tab?.url ?? null;
    const site = siteOf(url);
    const beforePause = log.entries.length === 0 && kept?.site === site && kept.entries.length > 0;
    return {
      site, url: beforePause ? kept.url : url, time: Date.now(), version: api.runtime.getManifest().version,
      lists: listSummary().map(({ id, title, version }) => ({ id, title, version: version ?? null })),
      paused: Boolean(site && settings.paused.includes(site)), beforePause, entries: beforePause ? kept.entries : log.entries,
    };
  },

  [messages.allowHost.type]: ({ site, host, allowed }) => setAllowed(site, host, allowed === true).then(() => {}),

  async [messages.theme.type]({ theme }) {
    if (!THEMES.includes(theme)) throw new Error(t('errorTheme', theme));
    await updateSettings((settings) => { settings.theme = theme; });
  },

  /** A built-in list updated at run time also shows its update record and the update's report. */
  async [messages.options.type]() {
    const settings = await loadSettings();
    const stats = Object.fromEntries(engineLists().map((s) => [s.id, s]));
    const shown = (id) => stats[id] && { ...stats[id], stats: { ...stats[id].stats, invalid: stats[id].stats.invalid.slice(0, SHOWN) } };
    const reports = (await store.get('reports')) ?? {};
    return {
      builtins: await Promise.all(BUILTINS.map(async (b) => ({
        ...settings.builtins[b.id], id: b.id, title: b.title, homepage: b.homepage, url: b.url,
        lastError: whyUnreadable(b.id) ?? settings.builtins[b.id]?.lastError ?? null,
        enabled: settings.builtins[b.id]?.enabled !== false,
        info: shown(b.id), report: await builtinReport(b.id), update: trim(reports[b.id]),
      }))),
      custom: settings.custom.map((c) => ({ ...c, lastError: whyUnreadable(c.id) ?? c.lastError, info: shown(c.id), report: trim(reports[c.id]) })),
      paused: settings.paused, pausedUntil: settings.pausedUntil, allowed: settings.allowed, blockedHosts: settings.blockedHosts,
      autoUpdate: settings.autoUpdate, gpc: settings.gpc, stripParams: settings.stripParams, theme: settings.theme,
      limits: limits(), usage: await usage(), repair: await lastRepair(), startErrors,
    };
  },

  [messages.addList.type]: ({ url, title, text }) => addList({ url: url || null, title: title ?? '', text: text ?? null }).then(() => {}),
  [messages.updateList.type]: ({ id }) => updateList(id).then(() => {}),
  [messages.removeList.type]: ({ id }) => removeList(id).then(() => {}),
  [messages.enableList.type]: ({ id, enabled }) => enableList(id, enabled === true).then(() => {}),
  [messages.autoUpdate.type]: ({ on }) => setAutoUpdate(on).then(() => {}),
  [messages.privacy.type]: (changes) => setPrivacy(changes).then(() => {}),
  [messages.blockHost.type]: ({ host, blocked }) => setHostBlocked(host, blocked !== false).then(() => {}),
  [messages.export.type]: () => exportAll(),
  [messages.import.type]: ({ data }) => importAll(data).then(() => { startErrors.length = 0; }),
  [messages.reset.type]: () => resetAll().then(() => { startErrors.length = 0; }),
  [messages.privacyReport.type]: async () => ({ days: await ledger.days(), gpc: (await loadSettings()).gpc }),
  [messages.clearPrivacyReport.type]: () => ledger.clear(),

  [suspects.type]: ({ reports }, sender, ready) => scoreReports(reports, sender, ready),
  [mailImages.type]: ({ images }, sender) => judgeMailImages(images, sender),

  [diagnostics.check.type]: ({ url, sourceUrl = '', resourceType = 'other' }) => withEngine((engine) => engine.check(url, sourceUrl, resourceType)),
  [diagnostics.status.type]: async () => ({
    source: engineSource(), lists: listSummary(), judged: judgedCounts(), wasmMemory: await wasmMemoryBytes(), idleRestores: idleRestores(),
  }),
  [diagnostics.trap.type]: () => withEngine(() => { throw new WebAssembly.RuntimeError('diagnostic-trap: unreachable'); }),
};
