// Export and import: all settings and the stored list texts as one JSON object; an import is
// validated whole first, so a bad file changes nothing. Reset: the defaults, applied the same way.
import { BUILTINS } from './generated/builtins.js';
import { applyBuiltins, checkText, refresh, storedTexts } from './lists.js';
import { applyPrivacy } from './privacy.js';
import { applyAllowed, applyBlockedHosts, applyPaused } from './rules.js';
import { FORMAT, defaults, forgetRepair, loadSettings, updateSettings, validateSettings } from './settings.js';
import { endPauses } from './sites.js';
import { listText, removeText, saveText } from './texts.js';

/** All settings and stored list texts, as one JSON-ready object; a custom list whose text is missing is left out. */
export async function exportAll() {
  const settings = await loadSettings();
  const lists = {};
  for (const id of storedTexts(settings)) lists[id] = await listText({ id }).catch(() => null);
  settings.custom = settings.custom.filter((c) => lists[c.id] !== null);
  for (const [id, text] of Object.entries(lists)) if (text === null) delete lists[id];
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
      await checkText(id, '', data.lists[id]);
    }
  } catch (error) {
    throw new Error(`${error.message}; nothing changed`);
  }
  await replaceAll(settings, data.lists ?? {});
}

/** Every setting back to its default: no custom lists, nothing paused, allowed or blocked. */
export const resetAll = () => replaceAll(defaults(), {});

/** Makes `settings` (valid) and `texts` (`{ id: text }`) the whole state, rules and engine included. */
async function replaceAll(settings, texts) {
  await updateSettings(async (current) => {
    const ids = storedTexts(settings);
    for (const id of ids) await saveText(id, texts[id]);
    await applyBuiltins(settings);
    await applyPaused(settings.paused);
    await applyAllowed(settings.allowed);
    await applyBlockedHosts(settings.blockedHosts);
    await applyPrivacy(settings);
    await refresh(settings);
    for (const old of storedTexts(current)) if (!ids.includes(old)) await removeText(old);
    Object.assign(current, settings);
  });
  await forgetRepair();
  await endPauses();  // pauses that ended since the export; the alarm for the others
}
