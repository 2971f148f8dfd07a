// The filter lists: built-ins (static rulesets, plus dynamic rules and turned-off static rules once
// updated at run time) and custom lists (dynamic rules), the engine that labels what they block,
// and adding, updating, removing, importing and exporting them.
import { api, browserName } from './browser.js';
import { analyseList, bundledEngine, compileRules, diffList, engineFromLists, engineFromSnapshot, fetchPackaged } from './engine.js';
import { applyPrivacy } from './privacy.js';
import {
  RANGES, applyAllowed, applyBlockedHosts, applyCustom, applyDisabledStatic, applyPaused, applyStatic, customBudget, maxDisabledStatic,
} from './rules.js';
import { FORMAT, checkListUrl, loadSettings, updateSettings, validateSettings } from './settings.js';
import { endPauses } from './sites.js';
import * as store from './store.js';

/**
 * Built-in lists: each is a static ruleset of the same id (see build.sh). One with a `url` is also
 * updated at run time from it; ours (`pixels`) has none and changes with the extension.
 */
export const BUILTINS = [
  { id: 'easyprivacy', title: 'EasyPrivacy', path: 'lists/easyprivacy.txt', homepage: 'https://easylist.to/', url: 'https://easylist.to/easylist/easyprivacy.txt' },
  { id: 'pixels', title: 'PixelGuard pixels', path: 'lists/pixels.txt', homepage: null, url: null },
];
const UPDATABLE = BUILTINS.filter((b) => b.url);
const DEFAULT_EXPIRES_HOURS = 96;
const MAX_LIST_BYTES = 20 * 1024 * 1024;

/** The engine labelling blocked requests; replaced whenever the enabled lists change. */
let engine = null;
let source = null;  // where it came from: 'snapshot' (bundled), 'stored-snapshot' or 'lists'
export const currentEngine = () => engine;
export const engineSource = () => source;

/** A built-in list as in use: once updated (`updated` set) its text is stored, as custom lists' are. */
const inUse = (settings, b) => (settings.builtins[b.id]?.updated ? { ...b, path: null, updated: settings.builtins[b.id].updated } : b);
const enabledBuiltins = (settings) => BUILTINS.filter((b) => settings.builtins[b.id]?.enabled !== false).map((b) => inUse(settings, b));
/** The ids of the lists whose text is stored (updated built-ins, custom lists): what an export holds. */
const storedTexts = (settings) => [...UPDATABLE.filter((b) => settings.builtins[b.id]?.updated).map((b) => b.id), ...settings.custom.map((c) => c.id)];
const enabledCustom = (settings) => settings.custom.filter((c) => c.enabled);

async function listText(list) {
  if (list.path) return (await fetchPackaged(list.path)).text();
  const text = await store.get(`list:${list.id}`);
  if (typeof text !== 'string') throw new Error(`the text of list ${list.id} is missing`);
  return text;
}

/** `[{ id, title, text }]` for the core. */
const withTexts = (lists) => Promise.all(lists.map(async (l) => ({ id: l.id, title: l.title, text: await listText(l) })));

/** Builds the engine for the enabled lists: bundled snapshot, stored snapshot, else list texts. */
async function buildEngine(settings) {
  const lists = [...enabledBuiltins(settings), ...enabledCustom(settings)];
  if (lists.length === BUILTINS.length && lists.every((l) => l.path)) {
    const bundled = await bundledEngine();
    if (bundled) {
      source = 'snapshot';
      return bundled;
    }
  }
  // The bundled lists change with the extension's version, the others when fetched.
  const signature = JSON.stringify([api.runtime.getManifest().version, ...lists.map((l) => [l.id, l.updated ?? 'bundled'])]);
  const stored = await store.get('snapshot');
  const restored = stored?.signature === signature ? await engineFromSnapshot(stored.bytes) : null;
  if (restored) {
    source = 'stored-snapshot';
    return restored;
  }
  const built = await engineFromLists(await withTexts(lists));
  source = 'lists';
  await store.put('snapshot', { signature, bytes: built.snapshot() });
  return built;
}

/** Startup: the engine for the lists in the settings. */
export async function start() {
  engine = await buildEngine(await loadSettings());
}

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
async function refresh(settings) {
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
  const next = await buildEngine(settings);
  engine?.free();
  engine = next;
}

/** Downloads a list; throws an Error saying clearly why it is not a usable list. */
async function download(url) {
  checkListUrl(url);
  let response;
  try {
    response = await fetch(url, { cache: 'no-store', credentials: 'omit' });
  } catch (error) {
    throw new Error(`could not download ${url}: ${error.message}`);
  }
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}: no list there`);
  const text = await response.text();
  if (/html/i.test(response.headers.get('content-type') ?? '') || /^\s*</.test(text)) {
    throw new Error(`${url} returned an HTML page, not a filter list`);
  }
  return text;
}

/** Checks a list's text with the core; throws when it has no valid filter. */
async function analyse(id, title, text) {
  if (text.length > MAX_LIST_BYTES) throw new Error(`the list is larger than ${MAX_LIST_BYTES / 1024 / 1024} MB`);
  const info = await analyseList({ id, title, text });
  if (info.stats.network + info.stats.cosmetic === 0) {
    throw new Error(`no valid filter in this list (${info.stats.invalid.length} invalid lines)`);
  }
  return info;
}

function describe(list, info) {
  Object.assign(list, { version: info.version ?? null, expiresHours: info.expiresHours ?? null, updated: new Date().toISOString(), lastError: null });
}

/** Adds a custom list from `{ url }` or `{ title, text }`; nothing changes when it fails. */
export function addList({ url = null, title = '', text = null }) {
  return updateSettings(async (settings) => {
    const body = url ? await download(url) : text;
    if (typeof body !== 'string' || body.trim() === '') throw new Error('the list is empty');
    const used = new Set(settings.custom.map((c) => c.id));
    let n = 1;
    while (used.has(`custom-${n}`)) n += 1;
    const list = { id: `custom-${n}`, url, enabled: true };
    const info = await analyse(list.id, title, body);
    describe(list, info);
    list.title = title || info.title || url || 'Pasted list';
    await store.put(`list:${list.id}`, body);
    settings.custom.push(list);
    await refresh(settings);
  });
}

/** Downloads a built-in or custom list again; a failure keeps the last good copy and records why. */
export function updateList(id) {
  return updateSettings(async (settings) => {
    const builtin = UPDATABLE.find((b) => b.id === id);
    const list = builtin ? (settings.builtins[id] ??= { enabled: true }) : settings.custom.find((c) => c.id === id && c.url);
    if (!list) throw new Error(`no list ${id} with a URL`);
    let body;
    try {
      body = await download(builtin?.url ?? list.url);
      describe(list, await analyse(id, builtin?.title ?? list.title, body));
    } catch (error) {
      list.lastError = `${new Date().toISOString()}: ${error.message}; keeping the copy from ${list.updated ?? 'the extension'}`;
      return;
    }
    await store.put(`list:${id}`, body);
    await refresh(settings);
  });
}

/**
 * Updates the lists whose `! Expires:` period has passed (scheduled by an alarm); a bundled copy
 * counts from when the extension was installed or updated.
 */
export async function updateExpired(now = Date.now()) {
  const settings = await loadSettings();
  if (!settings.autoUpdate) return;
  const due = (list, since) => !(now - since < (list.expiresHours ?? DEFAULT_EXPIRES_HOURS) * 3600_000);  // no date: due
  const bundledAt = await store.get('bundledAt');
  for (const b of UPDATABLE) {
    const entry = settings.builtins[b.id] ?? {};
    if (due(entry, entry.updated ? Date.parse(entry.updated) : bundledAt)) await updateList(b.id);
  }
  for (const list of settings.custom.filter((c) => c.url)) {
    if (due(list, Date.parse(list.updated))) await updateList(list.id);
  }
}

/**
 * On install or update of the extension: its bundled copies count as fresh from now, and copies
 * downloaded for an earlier version (diffed against its rulesets) are dropped.
 */
export async function installed(now = Date.now()) {
  await store.put('bundledAt', now);
  await updateSettings(async (settings) => {
    const dropped = UPDATABLE.filter((b) => settings.builtins[b.id]?.updated);
    if (dropped.length === 0) return;
    for (const b of dropped) settings.builtins[b.id] = { enabled: settings.builtins[b.id].enabled };
    await refresh(settings);
    for (const b of dropped) await store.remove(`list:${b.id}`);
  });
}

export function removeList(id) {
  return updateSettings(async (settings) => {
    settings.custom = settings.custom.filter((c) => c.id !== id);
    await refresh(settings);
    await store.remove(`list:${id}`);
  });
}

/** Turns a built-in or custom list on or off. */
export function enableList(id, enabled) {
  return updateSettings(async (settings) => {
    const custom = settings.custom.find((c) => c.id === id);
    if (custom) custom.enabled = enabled;
    else if (BUILTINS.some((b) => b.id === id)) {
      settings.builtins[id] = { ...settings.builtins[id], enabled };
      await applyStatic(BUILTINS.map((b) => b.id), enabledBuiltins(settings).map((b) => b.id));
    } else throw new Error(`no list ${id}`);
    await refresh(settings);
  });
}

export const setAutoUpdate = (on) => updateSettings((settings) => { settings.autoUpdate = on === true; });

/** All settings and stored list texts, as one JSON-ready object. */
export async function exportAll() {
  const settings = await loadSettings();
  const lists = {};
  for (const id of storedTexts(settings)) lists[id] = await listText({ id });
  return { pixelguard: FORMAT, settings, lists };
}

/** Replaces all settings with an export; validated first, so a bad file changes nothing. */
export async function importAll(data) {
  let settings;
  try {
    if (data?.pixelguard !== FORMAT) throw new Error('not a PixelGuard settings export');
    settings = validateSettings(data.settings);
    const clash = settings.custom.find((c) => BUILTINS.some((b) => b.id === c.id));
    if (clash) throw new Error(`invalid settings: custom list id ${clash.id} is a built-in list's`);
    for (const id of storedTexts(settings)) {
      if (typeof data.lists?.[id] !== 'string') throw new Error(`invalid settings: the text of list ${id} is missing`);
      await analyse(id, '', data.lists[id]);
    }
  } catch (error) {
    throw new Error(`${error.message}; nothing changed`);
  }
  await updateSettings(async (current) => {
    const ids = storedTexts(settings);
    for (const id of ids) await store.put(`list:${id}`, data.lists[id]);
    await applyStatic(BUILTINS.map((b) => b.id), enabledBuiltins(settings).map((b) => b.id));
    await applyPaused(settings.paused);
    await applyAllowed(settings.allowed);
    await applyBlockedHosts(settings.blockedHosts);
    await applyPrivacy(settings);
    await refresh(settings);
    for (const old of storedTexts(current)) if (!ids.includes(old)) await store.remove(`list:${old}`);
    Object.assign(current, settings);
  });
  await endPauses();  // pauses that ended since the export; the alarm for the others
}
