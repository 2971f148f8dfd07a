// The user's settings in storage.local (lists on/off, updated built-in and custom lists' metadata,
// paused sites and when their pause ends, hosts allowed on a site, blocked hosts, automatic
// updates, privacy signals, the theme) and their validation, shared by startup, import and export.
import { api } from './browser.js';
import { CORE } from './generated/core.js';
import { serial } from './serial.js';

export const FORMAT = 1;
const KEY = 'settings';
const REPAIRS_KEY = 'settingsRepair';
const MAX_PROBLEMS = 50;  // recorded per repair
const LIST_ID = /^[a-z0-9-]{1,40}$/;
const HOSTNAME = new RegExp(CORE.hostname.pattern);
export const MAX_BLOCKED_HOSTS = 1000;
export const MAX_ALLOWED_SITES = 99;  // one dynamic rule each (rules.js RANGES.allowed)
export const MAX_ALLOWED_HOSTS = 1000;  // per site
export const THEMES = ['system', 'light', 'dark'];

export const defaults = () => ({
  format: FORMAT, builtins: {}, custom: [], paused: [], pausedUntil: {}, allowed: {}, blockedHosts: [], autoUpdate: true,
  gpc: true, stripParams: true, theme: 'system',
});

/** Settings writes go through here, one at a time. */
const writeSettings = serial();

/**
 * The stored settings, repaired: a bad field is dropped or reset to its default (never thrown), so
 * one bad value cannot stop the background; `repairStoredSettings` saves and records the repair.
 */
export async function loadSettings() {
  const { [KEY]: stored } = await api.storage.local.get(KEY);
  return stored === undefined ? defaults() : readSettings(stored).settings;
}

function saveSettings(settings) {
  return api.storage.local.set({ [KEY]: settings });
}

/** Loads, changes (with `change(settings)`, which may be async) and saves, serialised. */
export function updateSettings(change) {
  return writeSettings(async () => {
    const settings = await loadSettings();
    await change(settings);
    await saveSettings(settings);
    return settings;
  });
}

/** Replaces every setting with `settings` (already valid), serialised with the other writes. */
export const replaceSettings = (settings) => writeSettings(() => saveSettings(settings));

/**
 * At start-up: when the stored settings needed repair, saves the repaired copy and records what was
 * dropped (`{ time, problems }`, shown on the options page until the next reset or import).
 */
export function repairStoredSettings(now = Date.now()) {
  return writeSettings(async () => {
    const { [KEY]: stored } = await api.storage.local.get(KEY);
    if (stored === undefined) return;
    const { settings, problems } = readSettings(stored);
    if (problems.length === 0) return;
    console.warn('PixelGuard: stored settings repaired:', problems);
    await api.storage.local.set({ [KEY]: settings, [REPAIRS_KEY]: { time: now, problems: problems.slice(0, MAX_PROBLEMS) } });
  });
}

/** What the last start-up repair dropped, or null. */
export const lastRepair = async () => (await api.storage.local.get(REPAIRS_KEY))[REPAIRS_KEY] ?? null;
export const forgetRepair = () => api.storage.local.remove(REPAIRS_KEY);

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A copy of `data` holding only known, well-typed fields; throws a clear Error on the first bad one. */
export function validateSettings(data) {
  const { settings, problems } = readSettings(data);
  if (problems.length) throw new Error(`invalid settings: ${problems[0]}`);
  return settings;
}

/**
 * `{ settings, problems }`: a copy of `data` with only known, well-typed fields, each bad one dropped
 * or set to its default, and what was wrong with each (`problems`, empty when `data` is valid).
 */
export function readSettings(data) {
  const problems = [];
  const bad = (message) => problems.push(message);
  const out = defaults();
  if (!isObject(data)) return { settings: out, problems: ['not a JSON object'] };
  if (data.format !== FORMAT) bad(`format must be ${FORMAT}`);
  const optionalString = (v, what) => {
    if (v === undefined || v === null || typeof v === 'string') return v ?? null;
    bad(`${what} must be a string`);
    return null;
  };
  /** A list's update record: when it was fetched, its version and `! Expires:` hours, the last failure. */
  const updateFields = (list, what) => ({
    updated: optionalString(list.updated, `${what}.updated`),
    expiresHours: Number.isFinite(list.expiresHours) ? list.expiresHours : null,
    version: optionalString(list.version, `${what}.version`),
    lastError: optionalString(list.lastError, `${what}.lastError`),
  });
  /** `value` when it is an array (else [] and a problem; absent is [] when `optional`). */
  const array = (value, what, optional = false) => {
    if (Array.isArray(value)) return value;
    if (!(optional && value === undefined)) bad(`${what} must be an array`);
    return [];
  };
  /** The valid hostnames of `list`, without duplicates; each invalid one dropped. */
  const hosts = (list, what, valid = isHost) => [...new Set(list.filter((host, i) => {
    if (!valid(host)) bad(`${what}[${i}] is not a hostname`);
    return valid(host);
  }))];
  const boolean = (key, optional) => {
    if (typeof data[key] === 'boolean') out[key] = data[key];
    else if (!(optional && data[key] === undefined)) bad(`${key} must be true or false`);
  };

  if (isObject(data.builtins)) {
    for (const [id, value] of Object.entries(data.builtins)) {
      if (!LIST_ID.test(id) || !isObject(value) || typeof value.enabled !== 'boolean') bad(`builtins.${id}`);
      else out.builtins[id] = { enabled: value.enabled, ...updateFields(value, `builtins.${id}`) };
    }
  } else bad('builtins must be an object');

  const ids = new Set();
  array(data.custom, 'custom').forEach((list, i) => {
    if (!isObject(list) || !LIST_ID.test(list.id ?? '') || ids.has(list.id)) return bad(`custom[${i}].id`);
    ids.add(list.id);
    if (typeof list.title !== 'string') bad(`custom[${i}].title`);
    let url = optionalString(list.url, `custom[${i}].url`);
    if (url !== null) {
      try { checkListUrl(url); } catch (error) { bad(error.message); url = null; }
    }
    out.custom.push({
      id: list.id, title: typeof list.title === 'string' ? list.title.slice(0, 200) : list.id, url,
      enabled: list.enabled !== false, ...updateFields(list, `custom[${i}]`),
    });
  });

  out.paused = hosts(array(data.paused, 'paused'), 'paused');
  out.pausedUntil = pauseEnds(data.pausedUntil ?? {}, out.paused, bad);
  out.allowed = allowedHosts(data.allowed ?? {}, hosts, bad);
  const blocked = array(data.blockedHosts, 'blockedHosts', true);  // absent in exports from before blocked hosts
  if (blocked.length > MAX_BLOCKED_HOSTS) bad(`more than ${MAX_BLOCKED_HOSTS} blockedHosts`);
  out.blockedHosts = hosts(blocked.slice(0, MAX_BLOCKED_HOSTS), 'blockedHosts');
  boolean('autoUpdate', false);
  boolean('gpc', true);
  boolean('stripParams', true);
  if (THEMES.includes(data.theme ?? 'system')) out.theme = data.theme ?? 'system';
  else bad(`theme must be one of ${THEMES.join(', ')}`);
  return { settings: out, problems };
}

/** When each timed pause ends (epoch ms), for paused sites only (absent in exports from before timed pauses). */
function pauseEnds(until, paused, bad) {
  if (!isObject(until)) {
    bad('pausedUntil must be an object');
    return {};
  }
  const out = {};
  for (const [site, when] of Object.entries(until)) {
    if (!Number.isFinite(when) || when <= 0) bad(`pausedUntil.${site} must be a time`);
    else if (paused.includes(site)) out[site] = when;
  }
  return out;
}

/** `{ site: [hosts] }` allowed on each site (absent in exports from before allowances). */
function allowedHosts(allowed, hosts, bad) {
  if (!isObject(allowed)) {
    bad('allowed must be an object');
    return {};
  }
  const out = {};
  for (const [site, list] of Object.entries(allowed)) {
    if (Object.keys(out).length >= MAX_ALLOWED_SITES) {
      bad(`allowed names more than ${MAX_ALLOWED_SITES} sites`);
      break;
    }
    if (!isHost(site)) bad(`allowed.${site} is not a hostname`);
    else if (!Array.isArray(list) || list.length === 0 || list.length > MAX_ALLOWED_HOSTS) bad(`allowed.${site} must be a list of 1 to ${MAX_ALLOWED_HOSTS} hosts`);
    else {
      const valid = hosts(list, `allowed.${site}`);
      if (valid.length) out[site] = valid;
    }
  }
  return out;
}

/** A lowercase ASCII hostname (punycode), as a DNR `requestDomains` entry needs: the core's syntax. */
export const isHost = (host) => typeof host === 'string' && host.length <= CORE.hostname.maxLength && HOSTNAME.test(host);

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A list URL must be https; plain http only to this machine's loopback address (a list served by
 * your own computer, e.g. a test server), since nothing on the network can reach or alter it.
 */
export function checkListUrl(text) {
  let url;
  try { url = new URL(text); } catch { throw new Error(`not a URL: ${text}`); }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url;
  throw new Error(`list URLs must use https (http is allowed only for localhost): ${text}`);
}
