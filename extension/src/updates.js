// List updates: a built-in or custom list downloaded again on request, or by the hourly alarm once
// its `! Expires:` period has passed; a failure keeps the last good copy. And what an install or an
// update of the extension resets.
import { checkText, describe, download, refresh, UPDATABLE } from './lists.js';
import { loadSettings, updateSettings } from './settings.js';
import * as store from './store.js';
import { removeText, saveText } from './texts.js';

const DEFAULT_EXPIRES_HOURS = 96;

/**
 * Downloads a built-in or custom list again; a failure keeps the last good copy and records why.
 * The download runs before the settings are locked, so nothing waits on the network.
 */
export async function updateList(id) {
  const builtin = UPDATABLE.find((b) => b.id === id);
  const entry = (settings) => (builtin ? (settings.builtins[id] ??= { enabled: true }) : settings.custom.find((c) => c.id === id && c.url));
  const before = entry(await loadSettings());
  if (!before) throw new Error(`no list ${id} with a URL`);
  let body, info, failure = null;
  try {
    body = await download(builtin?.url ?? before.url);
    info = await checkText(id, builtin?.title ?? before.title, body);
  } catch (error) {
    failure = error;
  }
  return updateSettings(async (settings) => {
    const list = entry(settings);
    if (!list) return;  // removed while it downloaded
    if (failure) {
      list.lastError = `${new Date().toISOString()}: ${failure.message}; keeping the copy from ${list.updated ?? 'the extension'}`;
      return;
    }
    describe(list, info);
    await saveText(id, body);
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

/** Scheduled updates on or off. */
export const setAutoUpdate = (on) => updateSettings((settings) => { settings.autoUpdate = on === true; });

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
    for (const b of dropped) await removeText(b.id);
  });
}
