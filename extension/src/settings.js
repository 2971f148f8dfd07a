// The user's settings in storage.local (lists on/off, updated built-in and custom lists' metadata,
// paused sites and when their pause ends, hosts allowed on a site, blocked hosts, automatic
// updates, privacy signals, the theme) and their validation, shared by startup, import and export.
import { api } from './browser.js';
import { CORE } from './generated/core.js';
import { serial } from './serial.js';

export const FORMAT = 1;
const KEY = 'settings';
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

export async function loadSettings() {
  const { [KEY]: stored } = await api.storage.local.get(KEY);
  return stored ? validateSettings(stored) : defaults();
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

function fail(message) { throw new Error(`invalid settings: ${message}`); }
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const optionalString = (v, what) => {
  if (v !== undefined && v !== null && typeof v !== 'string') fail(`${what} must be a string`);
  return v ?? null;
};

/** A list's update record: when it was fetched, its version and `! Expires:` hours, the last failure. */
const updateFields = (list, what) => ({
  updated: optionalString(list.updated, `${what}.updated`),
  expiresHours: Number.isFinite(list.expiresHours) ? list.expiresHours : null,
  version: optionalString(list.version, `${what}.version`),
  lastError: optionalString(list.lastError, `${what}.lastError`),
});

/** A copy of `data` holding only known, well-typed fields; throws a clear Error otherwise. */
export function validateSettings(data) {
  if (!isObject(data)) fail('not a JSON object');
  if (data.format !== FORMAT) fail(`format must be ${FORMAT}`);
  if (!isObject(data.builtins)) fail('builtins must be an object');
  if (!Array.isArray(data.custom)) fail('custom must be an array');
  if (!Array.isArray(data.paused)) fail('paused must be an array');
  const blockedHostList = data.blockedHosts ?? [];  // absent in exports from before blocked hosts
  if (!Array.isArray(blockedHostList)) fail('blockedHosts must be an array');
  if (blockedHostList.length > MAX_BLOCKED_HOSTS) fail(`more than ${MAX_BLOCKED_HOSTS} blockedHosts`);
  const builtins = {};
  for (const [id, value] of Object.entries(data.builtins)) {
    if (!LIST_ID.test(id) || !isObject(value) || typeof value.enabled !== 'boolean') fail(`builtins.${id}`);
    builtins[id] = { enabled: value.enabled, ...updateFields(value, `builtins.${id}`) };
  }
  const ids = new Set();
  const custom = data.custom.map((list, i) => {
    if (!isObject(list) || !LIST_ID.test(list.id ?? '') || ids.has(list.id)) fail(`custom[${i}].id`);
    ids.add(list.id);
    if (typeof list.title !== 'string') fail(`custom[${i}].title`);
    if (list.url != null) checkListUrl(list.url);
    return {
      id: list.id, title: list.title.slice(0, 200), url: optionalString(list.url, `custom[${i}].url`),
      enabled: list.enabled !== false, ...updateFields(list, `custom[${i}]`),
    };
  });
  const hosts = (list, what, valid) => [...new Set(list.map((host, i) => {
    if (!valid(host)) fail(`${what}[${i}] is not a hostname`);
    return host;
  }))];
  if (typeof data.autoUpdate !== 'boolean') fail('autoUpdate must be true or false');
  for (const key of ['gpc', 'stripParams']) {
    if (data[key] !== undefined && typeof data[key] !== 'boolean') fail(`${key} must be true or false`);
  }
  const paused = hosts(data.paused, 'paused', isHost);
  const theme = data.theme ?? 'system';
  if (!THEMES.includes(theme)) fail(`theme must be one of ${THEMES.join(', ')}`);
  return {
    format: FORMAT, builtins, custom, paused, pausedUntil: pauseEnds(data.pausedUntil ?? {}, paused), allowed: allowedHosts(data.allowed ?? {}, hosts),
    blockedHosts: hosts(blockedHostList, 'blockedHosts', isHost), autoUpdate: data.autoUpdate,
    gpc: data.gpc !== false, stripParams: data.stripParams !== false, theme,
  };
}

/** When each timed pause ends (epoch ms), for paused sites only (absent in exports from before timed pauses). */
function pauseEnds(until, paused) {
  if (!isObject(until)) fail('pausedUntil must be an object');
  const out = {};
  for (const [site, when] of Object.entries(until)) {
    if (!Number.isFinite(when) || when <= 0) fail(`pausedUntil.${site} must be a time`);
    if (paused.includes(site)) out[site] = when;
  }
  return out;
}

/** `{ site: [hosts] }` allowed on each site (absent in exports from before allowances). */
function allowedHosts(allowed, hosts) {
  if (!isObject(allowed)) fail('allowed must be an object');
  if (Object.keys(allowed).length > MAX_ALLOWED_SITES) fail(`allowed names more than ${MAX_ALLOWED_SITES} sites`);
  const out = {};
  for (const [site, list] of Object.entries(allowed)) {
    if (!isHost(site)) fail(`allowed.${site} is not a hostname`);
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_ALLOWED_HOSTS) fail(`allowed.${site} must be a list of 1 to ${MAX_ALLOWED_HOSTS} hosts`);
    out[site] = hosts(list, `allowed.${site}`, isHost);
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
