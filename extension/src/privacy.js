// Global Privacy Control (a Sec-GPC header rule and a page-world script) and tracking-parameter
// stripping (a queryTransform rule): static rulesets and a registered script, on or off per setting.
import { api } from './browser.js';
import { applyStatic } from './rules.js';
import { loadSettings, updateSettings } from './settings.js';

const GPC_SCRIPT = {
  id: 'gpc', js: ['content/gpc.js'], matches: ['<all_urls>'], runAt: 'document_start', allFrames: true, world: 'MAIN',
};

/** Makes the browser's state match `{ gpc, stripParams }`. */
export async function applyPrivacy({ gpc, stripParams }) {
  const rulesets = { gpc, 'strip-params': stripParams };
  await applyStatic(Object.keys(rulesets), Object.keys(rulesets).filter((id) => rulesets[id]));
  const registered = (await api.scripting.getRegisteredContentScripts({ ids: [GPC_SCRIPT.id] })).length > 0;
  if (gpc && !registered) await api.scripting.registerContentScripts([GPC_SCRIPT]);
  if (!gpc && registered) await api.scripting.unregisterContentScripts({ ids: [GPC_SCRIPT.id] });
}

/** Applies the stored settings (at start-up: registered scripts may not survive a browser restart). */
export const applyStoredPrivacy = () => loadSettings().then(applyPrivacy);

/** Turns `gpc` and/or `stripParams` on or off, saves and applies. */
export const setPrivacy = (changes) => updateSettings((settings) => {
  for (const key of ['gpc', 'stripParams']) if (typeof changes[key] === 'boolean') settings[key] = changes[key];
}).then(applyPrivacy);
