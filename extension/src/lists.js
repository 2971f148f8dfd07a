// The filter lists: built-ins (static rulesets) and custom lists (dynamic rules), the engine that
// labels what they block, and adding, updating, removing, importing and exporting them.
import { api, browserName } from './browser.js';
import { analyseList, bundledEngine, compileRules, engineFromLists, engineFromSnapshot, fetchPackaged } from './engine.js';
import { applyPrivacy } from './privacy.js';
import { RANGES, applyBlockedHosts, applyCustom, applyPaused, applyStatic, customBudget } from './rules.js';
import { FORMAT, checkListUrl, loadSettings, updateSettings, validateSettings } from './settings.js';
import * as store from './store.js';

/** Built-in lists: each is a static ruleset of the same id (see build.sh). */
export const BUILTINS = [
  { id: 'easyprivacy', title: 'EasyPrivacy', path: 'lists/easyprivacy.txt', homepage: 'https://easylist.to/' },
  { id: 'pixels', title: 'PixelGuard pixels', path: 'lists/pixels.txt', homepage: null },
];
const DEFAULT_EXPIRES_HOURS = 96;
const MAX_LIST_BYTES = 20 * 1024 * 1024;

/** The engine labelling blocked requests; replaced whenever the enabled lists change. */
let engine = null;
let source = null;  // where it came from: 'snapshot' (bundled), 'stored-snapshot' or 'lists'
export const currentEngine = () => engine;
export const engineSource = () => source;

const enabledBuiltins = (settings) => BUILTINS.filter((b) => settings.builtins[b.id]?.enabled !== false);
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
  // The built-in lists change with the extension's version, custom ones when fetched.
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

/** Compiles the enabled custom lists into dynamic rules, applies them, rebuilds the engine. */
async function refresh(settings) {
  const { rules, sourceMap, reports } = await compileRules(await withTexts(enabledCustom(settings)), browserName,
    { firstId: RANGES.custom.first, dynamic: true, budget: customBudget() });
  await applyCustom(rules);
  await store.put('dynamicMap', sourceMap);
  await store.put('reports', Object.fromEntries(reports.map((r) => [r.list, r])));
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
  Object.assign(list, {
    title: list.title || info.title || list.url || 'Pasted list', version: info.version ?? null,
    expiresHours: info.expiresHours ?? null, updated: new Date().toISOString(), lastError: null,
  });
}

/** Adds a custom list from `{ url }` or `{ title, text }`; nothing changes when it fails. */
export function addList({ url = null, title = '', text = null }) {
  return updateSettings(async (settings) => {
    const body = url ? await download(url) : text;
    if (typeof body !== 'string' || body.trim() === '') throw new Error('the list is empty');
    const used = new Set(settings.custom.map((c) => c.id));
    let n = 1;
    while (used.has(`custom-${n}`)) n += 1;
    const list = { id: `custom-${n}`, title, url, enabled: true };
    describe(list, await analyse(list.id, title, body));
    await store.put(`list:${list.id}`, body);
    settings.custom.push(list);
    await refresh(settings);
  });
}

/** Downloads a custom list again; a failure keeps the last good copy and records why. */
export function updateList(id) {
  return updateSettings(async (settings) => {
    const list = settings.custom.find((c) => c.id === id && c.url);
    if (!list) throw new Error(`no custom list ${id} with a URL`);
    let body;
    try {
      body = await download(list.url);
      describe(list, await analyse(list.id, list.title, body));
    } catch (error) {
      list.lastError = `${new Date().toISOString()}: ${error.message}; keeping the copy from ${list.updated}`;
      return;
    }
    await store.put(`list:${id}`, body);
    await refresh(settings);
  });
}

/** Updates the custom lists whose `! Expires:` period has passed (scheduled by an alarm). */
export async function updateExpired(now = Date.now()) {
  const settings = await loadSettings();
  if (!settings.autoUpdate) return;
  for (const list of settings.custom.filter((c) => c.url)) {
    const hours = list.expiresHours ?? DEFAULT_EXPIRES_HOURS;
    if (!list.updated || now - Date.parse(list.updated) >= hours * 3600_000) await updateList(list.id);
  }
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
      settings.builtins[id] = { enabled };
      await applyStatic(BUILTINS.map((b) => b.id), enabledBuiltins(settings).map((b) => b.id));
    } else throw new Error(`no list ${id}`);
    await refresh(settings);
  });
}

export function setPaused(site, paused) {
  return updateSettings(async (settings) => {
    settings.paused = paused ? [...new Set([...settings.paused, site])] : settings.paused.filter((s) => s !== site);
    await applyPaused(settings.paused);
  });
}

export const setAutoUpdate = (on) => updateSettings((settings) => { settings.autoUpdate = on === true; });

/** All settings and custom list texts, as one JSON-ready object. */
export async function exportAll() {
  const settings = await loadSettings();
  const lists = {};
  for (const c of settings.custom) lists[c.id] = await listText(c);
  return { pixelguard: FORMAT, settings, lists };
}

/** Replaces all settings with an export; validated first, so a bad file changes nothing. */
export async function importAll(data) {
  let settings;
  try {
    if (data?.pixelguard !== FORMAT) throw new Error('not a PixelGuard settings export');
    settings = validateSettings(data.settings);
    for (const c of settings.custom) {
      if (typeof data.lists?.[c.id] !== 'string') throw new Error(`invalid settings: the text of list ${c.id} is missing`);
      await analyse(c.id, c.title, data.lists[c.id]);
    }
  } catch (error) {
    throw new Error(`${error.message}; nothing changed`);
  }
  return updateSettings(async (current) => {
    for (const c of settings.custom) await store.put(`list:${c.id}`, data.lists[c.id]);
    await applyStatic(BUILTINS.map((b) => b.id), enabledBuiltins(settings).map((b) => b.id));
    await applyPaused(settings.paused);
    await applyBlockedHosts(settings.blockedHosts);
    await applyPrivacy(settings);
    await refresh(settings);
    for (const old of current.custom) if (!settings.custom.some((c) => c.id === old.id)) await store.remove(`list:${old.id}`);
    Object.assign(current, settings);
  });
}
