// Per-site exceptions the user makes: pausing a site (for an hour, a day or until resumed; a timed
// pause ends through an alarm, and at start-up when the alarm was lost) and allowing one host on
// one site; the toolbar icon, which shows whether a tab's site is paused.
import { api } from './browser.js';
import { t } from './i18n.js';
import { applyAllowed, applyPaused } from './rules.js';
import { MAX_ALLOWED_HOSTS, MAX_ALLOWED_SITES, isHost, loadSettings, updateSettings } from './settings.js';

export const PAUSE_ALARM = 'pause-ends';
const MAX_PAUSE_MINUTES = 366 * 24 * 60;
const ICONS = {
  on: { 16: '/icons/icon-16.png', 32: '/icons/icon-32.png' },
  paused: { 16: '/icons/paused-16.png', 32: '/icons/paused-32.png' },
};

/** The http(s) host of `url`, the "site" pauses and allowances are kept for; else null. */
export function siteOf(url) {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? hostname : null;
  } catch {
    return null;
  }
}

/** The alarm fires when the first timed pause ends; none when no pause is timed. */
async function scheduleEnd(settings) {
  const next = Math.min(...Object.values(settings.pausedUntil));
  if (Number.isFinite(next)) await api.alarms.create(PAUSE_ALARM, { when: next });
  else await api.alarms.clear(PAUSE_ALARM);
}

/** Sets every tab's toolbar icon to its site's state: on, or paused. */
async function showIcons(settings) {
  const tabs = await api.tabs.query({}).catch(() => []);
  await Promise.all(tabs.map((tab) => showIcon(tab.id, tab.url, settings)));
}

/** Sets tab `tabId`'s toolbar icon for `url`: paused when its site is paused. */
export async function showIcon(tabId, url, settings = null) {
  const { paused } = settings ?? await loadSettings();
  const site = siteOf(url ?? '');
  await api.action.setIcon({ tabId, path: site && paused.includes(site) ? ICONS.paused : ICONS.on }).catch(() => {});  // the tab may be gone
}

/**
 * Pauses `site` (protection off) for `minutes`, or until resumed when `minutes` is null, or
 * resumes it (`paused` false).
 */
export function setPaused(site, paused, minutes = null, now = Date.now()) {
  if (!isHost(site)) throw new Error(t('errorNotHost', site));
  if (minutes !== null && !(Number.isInteger(minutes) && minutes > 0 && minutes <= MAX_PAUSE_MINUTES)) throw new Error(t('errorPauseLength', minutes));
  return updateSettings(async (settings) => {
    settings.paused = paused ? [...new Set([...settings.paused, site])] : settings.paused.filter((s) => s !== site);
    delete settings.pausedUntil[site];
    if (paused && minutes !== null) settings.pausedUntil[site] = now + minutes * 60_000;
    await applyPaused(settings.paused);
  }).then(async (settings) => {
    await scheduleEnd(settings);
    await showIcons(settings);
  });
}

/** Resumes the sites whose timed pause has ended by `now`; schedules the alarm for the next end. */
export async function endPauses(now = Date.now()) {
  const settings = await updateSettings(async (s) => {
    const ended = s.paused.filter((site) => s.pausedUntil[site] <= now);
    if (ended.length === 0) return;
    s.paused = s.paused.filter((site) => !ended.includes(site));
    for (const site of ended) delete s.pausedUntil[site];
    await applyPaused(s.paused);
  });
  await scheduleEnd(settings);
  await showIcons(settings);
}

/** Lets requests to `host` through on pages of `site` (`allowed` true), or blocks them again. */
export function setAllowed(site, host, allowed) {
  for (const name of [site, host]) if (!isHost(name)) throw new Error(t('errorNotHost', name));
  return updateSettings(async (settings) => {
    const hosts = (settings.allowed[site] ?? []).filter((h) => h !== host);
    if (allowed && hosts.length >= MAX_ALLOWED_HOSTS) throw new Error(t('errorAllowedHosts', MAX_ALLOWED_HOSTS));
    if (allowed && !settings.allowed[site] && Object.keys(settings.allowed).length >= MAX_ALLOWED_SITES) throw new Error(t('errorAllowedSites', MAX_ALLOWED_SITES));
    if (allowed) hosts.push(host);
    if (hosts.length) settings.allowed[site] = hosts;
    else delete settings.allowed[site];
    await applyAllowed(settings.allowed);
  });
}

/** At start-up: pauses that ended while the browser was closed end now; the alarm is set again. */
export const applyStoredSites = () => endPauses();
