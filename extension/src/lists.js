// The filter lists in use: built-ins (static rulesets, plus dynamic rules and turned-off static
// rules once updated at run time) and custom lists (dynamic rules); applying them (rules and the
// engine) and adding, removing and switching lists.
import { browserName, fetchPackaged } from './browser.js';
import { analyse, compileRules, diffList, useLists } from './engine.js';
import { BUILTINS } from './generated/builtins.js';
import { RANGES, applyCustom, applyDisabledStatic, applyStatic, customBudget, knowBlockedHosts, maxDisabledStatic } from './rules.js';
import { t } from './i18n.js';
import { checkListUrl, loadSettings, updateSettings } from './settings.js';
import * as store from './store.js';
import { listText, missingTexts, removeText, saveText, withTexts } from './texts.js';

/** Built-in lists updated at run time from their `url`; ours (`pixels`) has none and changes with the extension. */
export const UPDATABLE = BUILTINS.filter((b) => b.url);
const MAX_LIST_BYTES = 20 * 1024 * 1024;
const MB = 1024 * 1024;
const STALL_MS = 20_000;  // a download with no byte for this long is given up
const DOWNLOAD_MS = 120_000;  // and one that takes longer than this

/** A built-in list as in use: once updated (`updated` set) its text is stored, as custom lists' are. */
const inUse = (settings, b) => (settings.builtins[b.id]?.updated ? { ...b, path: null, updated: settings.builtins[b.id].updated } : b);
const enabledBuiltins = (settings) => BUILTINS.filter((b) => settings.builtins[b.id]?.enabled !== false).map((b) => inUse(settings, b));
const enabledCustom = (settings) => settings.custom.filter((c) => c.enabled);
/** The lists the engine holds, in order: the enabled built-ins, then the enabled custom lists. */
const enabledLists = (settings) => [...enabledBuiltins(settings), ...enabledCustom(settings)];
/** The ids of the lists whose text is stored (updated built-ins, custom lists): what an export holds. */
export const storedTexts = (settings) => [...UPDATABLE.filter((b) => settings.builtins[b.id]?.updated).map((b) => b.id), ...settings.custom.map((c) => c.id)];

/**
 * Start-up: the engine for the lists in the settings (and the blocked hosts they hold, whose rule is
 * in place). An updated built-in list whose stored copy is missing goes back to its bundled copy
 * (its error recorded); a custom list whose text is missing is left out (texts.js says why on the
 * options page).
 */
export async function start() {
  let settings = await loadSettings();
  knowBlockedHosts(settings.blockedHosts);
  const updated = UPDATABLE.filter((b) => settings.builtins[b.id]?.updated);
  const missing = await missingTexts([...updated.map((b) => b.id), ...enabledCustom(settings).map((c) => c.id)]);
  if (missing.length === 0) return useLists(enabledLists(settings));
  settings = await updateSettings((s) => {
    for (const b of updated.filter((u) => missing.includes(u.id))) s.builtins[b.id] = { enabled: s.builtins[b.id].enabled, lastError: t('errorListTextMissing', b.id) };
  });
  await refresh(settings);  // leaves out, with its rules, a custom list whose text is missing
}

/** The engine of the bundled lists alone: what runs when the user's lists cannot start. */
export const startBundled = () => useLists(BUILTINS);

/** Enables exactly the static rulesets of the enabled built-in lists. */
export const applyBuiltins = (settings) => applyStatic(BUILTINS.map((b) => b.id), enabledBuiltins(settings).map((b) => b.id));

/**
 * What the updated copy of built-in list `b` changes from its static ruleset (the core's diff):
 * `{ text, disableRuleIds, removed, removalsLeftOut }`; nothing while the bundled copy is in use.
 */
async function builtinChanges(settings, b) {
  if (!settings.builtins[b.id]?.updated) return { text: null, disableRuleIds: [], removed: [], removalsLeftOut: [] };
  const packaged = (path) => fetchPackaged(path).then((r) => r.text());
  const [old, map, text] = await Promise.all([packaged(b.path), packaged(`rules/${b.id}.map.json`), listText(inUse(settings, b))]);
  return diffList(old, map, b.id, text, maxDisabledStatic());
}

/**
 * Compiles what updated built-in lists add and the enabled custom lists into dynamic rules, in one
 * budget; turns off the static rules of filters an update removed; rebuilds the engine.
 */
export async function refresh(settings) {
  const changes = await Promise.all(UPDATABLE.map((b) => builtinChanges(settings, b)));
  const added = UPDATABLE.map((b, i) => ({ id: b.id, title: b.title, text: changes[i].text }))
    .filter((l) => l.text !== null && settings.builtins[l.id]?.enabled !== false);
  const { rules, sourceMap, reports } = await compileRules([...added, ...await withTexts(enabledCustom(settings))], browserName,
    { firstId: RANGES.custom.first, dynamic: true, budget: customBudget() });
  await applyCustom(rules);
  for (const [i, b] of UPDATABLE.entries()) await applyDisabledStatic(b.id, changes[i].disableRuleIds);
  await store.put('dynamicMap', sourceMap);
  const byList = Object.fromEntries(reports.map((r) => [r.list, r]));
  for (const [i, b] of UPDATABLE.entries()) {
    const { removed, disableRuleIds, removalsLeftOut } = changes[i];
    if (byList[b.id]) Object.assign(byList[b.id], { removedFilters: removed.length, disabledRules: disableRuleIds.length, removalsLeftOut });
  }
  await store.put('reports', byList);
  await useLists(enabledLists(settings));
}

/**
 * Downloads a list; throws an Error saying clearly why it is not a usable list. The address it ends
 * at after redirects must pass `checkListUrl` too (https); the body is read as it streams, and the
 * download given up past MAX_LIST_BYTES, after STALL_MS without a byte or after DOWNLOAD_MS.
 */
export async function download(url) {
  checkListUrl(url);
  const controller = new AbortController();
  let stall;
  const waitForBytes = () => {
    clearTimeout(stall);
    stall = setTimeout(() => controller.abort(new Error(t('errorDownloadStalled', STALL_MS / 1000))), STALL_MS);
  };
  const deadline = setTimeout(() => controller.abort(new Error(t('errorDownloadSlow', DOWNLOAD_MS / 1000))), DOWNLOAD_MS);
  try {
    waitForBytes();
    const response = await fetch(url, { cache: 'no-store', credentials: 'omit', signal: controller.signal });
    try {
      checkListUrl(response.url || url);
    } catch {
      throw new Error(t('errorDownloadRedirect', url, response.url));
    }
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}: no list there`);
    const tooBig = () => new Error(t('errorDownloadTooBig', url, MAX_LIST_BYTES / MB));
    if (Number(response.headers.get('content-length')) > MAX_LIST_BYTES) throw tooBig();
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parts = [];
    for (let bytes = 0; ;) {
      waitForBytes();
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > MAX_LIST_BYTES) {
        controller.abort();
        throw tooBig();
      }
      parts.push(decoder.decode(value, { stream: true }));
    }
    const text = parts.join('') + decoder.decode();
    if (/html/i.test(response.headers.get('content-type') ?? '') || /^\s*</.test(text)) {
      throw new Error(`${url} returned an HTML page, not a filter list`);
    }
    return text;
  } catch (error) {
    // A network failure, or the stall or time limit (the abort's reason is what fetch or read rejects with).
    if (error.name === 'TypeError' || error === controller.signal.reason) throw new Error(`could not download ${url}: ${error.message}`);
    throw error;
  } finally {
    clearTimeout(stall);
    clearTimeout(deadline);
  }
}

/** Checks a list's text with the core: its header and statistics; throws when it has no valid filter. */
export async function checkText(id, title, text) {
  if (text.length > MAX_LIST_BYTES) throw new Error(`the list is larger than ${MAX_LIST_BYTES / 1024 / 1024} MB`);
  const info = await analyse({ id, title, text });
  if (info.stats.network + info.stats.cosmetic === 0) {
    throw new Error(`no valid filter in this list (${info.stats.invalid.length} invalid lines)`);
  }
  return info;
}

/** Records on `list` (its settings entry) the copy just fetched: version, `! Expires:`, when; no error. */
export function describe(list, info) {
  Object.assign(list, { version: info.version ?? null, expiresHours: info.expiresHours ?? null, updated: new Date().toISOString(), lastError: null });
}

/**
 * Adds a custom list from `{ url }` or `{ title, text }`; nothing changes when it fails. The
 * download and the check run before the settings are locked, so nothing waits on the network.
 */
export async function addList({ url = null, title = '', text = null }) {
  const body = url ? await download(url) : text;
  if (typeof body !== 'string' || body.trim() === '') throw new Error('the list is empty');
  const info = await checkText('custom', title, body);
  return updateSettings(async (settings) => {
    const used = new Set(settings.custom.map((c) => c.id));
    let n = 1;
    while (used.has(`custom-${n}`)) n += 1;
    const list = { id: `custom-${n}`, url, enabled: true };
    describe(list, info);
    list.title = title || info.title || url || 'Pasted list';
    await saveText(list.id, body);
    settings.custom.push(list);
    await refresh(settings);
  });
}

export function removeList(id) {
  return updateSettings(async (settings) => {
    settings.custom = settings.custom.filter((c) => c.id !== id);
    await refresh(settings);
    await removeText(id);
  });
}

/** Turns a built-in or custom list on or off. */
export function enableList(id, enabled) {
  return updateSettings(async (settings) => {
    const custom = settings.custom.find((c) => c.id === id);
    if (custom) custom.enabled = enabled;
    else if (BUILTINS.some((b) => b.id === id)) {
      settings.builtins[id] = { ...settings.builtins[id], enabled };
      await applyBuiltins(settings);
    } else throw new Error(`no list ${id}`);
    await refresh(settings);
  });
}
