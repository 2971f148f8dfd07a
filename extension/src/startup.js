// Start-up that never stops the background: the stored settings repaired, the engine started (the
// bundled lists alone when the user's cannot be), the stored rules applied; each step that fails
// is recorded for the options page and the next one still runs.
import { repairStoredSettings } from './settings.js';
import { start, startBundled } from './lists.js';
import { applyStoredPrivacy } from './privacy.js';
import { applyStoredSites } from './sites.js';
import { applyStoredBlockedHosts } from './suspects.js';

/** What failed at start-up: `[{ step, error }]`, empty when everything started. */
export const startErrors = [];

const STEPS = [
  ['settings', repairStoredSettings],
  ['lists', () => start().catch(async (error) => {
    await startBundled();
    throw error;
  })],
  ['privacy', applyStoredPrivacy],
  ['blocked-hosts', applyStoredBlockedHosts],
  ['sites', applyStoredSites],
];

/** Runs every start-up step in order; resolves (never rejects) once all have run. */
export async function startUp() {
  for (const [step, run] of STEPS) {
    try {
      await run();
    } catch (error) {
      console.error(`PixelGuard: start-up step ${step} failed:`, error);
      startErrors.push({ step, error: String(error?.message ?? error) });
    }
  }
}
