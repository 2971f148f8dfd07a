// Start-up that never stops the background, in two parts: the engine, started on first need (the
// bundled lists alone when the user's cannot be), and the stored settings, applied once per browser
// session; the stored settings are repaired before either, and each step that fails is recorded
// for the options page while the next one still runs.
import { api } from './browser.js';
import { repairStoredSettings } from './settings.js';
import { awake, warmUp } from './engine.js';
import { start, startBundled } from './lists.js';
import { applyStoredPrivacy } from './privacy.js';
import { applyStoredSites } from './sites.js';
import { applyStoredBlockedHosts } from './suspects.js';
import { applyWebmailHold } from './webmail.js';

/** What failed at start-up: `[{ step, error }]`, empty when everything started. */
export const startErrors = [];

async function step(name, run) {
  try {
    await run();
  } catch (error) {
    console.error(`PixelGuard: start-up step ${name} failed:`, error);
    startErrors.push({ step: name, error: String(error?.message ?? error) });
  }
}

let repaired;
const repair = () => (repaired ??= step('settings', repairStoredSettings));

let starting;
/** Resolves (never rejects) once the engine runs, starting it the first time (and restoring it when it idled). */
export const startEngine = () => (starting ??= (warmUp(), repair()).then(() => step('lists', () => start().catch(async (error) => {
  await startBundled();
  throw error;
})))).then(awake);

/**
 * What the browser does not keep for the background (the pause's session rule, registered scripts,
 * pauses that ended while it was closed), the blocked hosts' rule and the webmail hold, applied from the settings.
 */
const APPLY_STEPS = [
  ['privacy', applyStoredPrivacy],
  ['blocked-hosts', applyStoredBlockedHosts],
  ['sites', applyStoredSites],
  ['webmail-hold', applyWebmailHold],
];
/** In storage.session, which the browser clears when it clears session rules: a new session, an update, a disable. */
const APPLIED_KEY = 'settingsApplied';
let applying = Promise.resolve();

/**
 * Applies the stored settings unless this browser session already has them (`force`: all the same),
 * after any application still running; resolves (never rejects) once done. Not at every wake:
 * dynamic and session rules, registered scripts and alarms outlive the background.
 */
export function applyStored({ force = false } = {}) {
  applying = applying.then(async () => {
    if (!force && (await api.storage.session.get(APPLIED_KEY))[APPLIED_KEY]) return;
    await repair();
    for (const [name, run] of APPLY_STEPS) await step(name, run);
    await api.storage.session.set({ [APPLIED_KEY]: true });
  }).catch((error) => console.error('PixelGuard: applying the stored settings:', error));
  return applying;
}

/** Resolves once no application of the stored settings is running. */
export const applied = () => applying;
