// The only importer of the wasm core: starts it, builds engines from the bundled snapshot, a stored
// snapshot or list texts, analyses lists, compiles them to DNR rules, diffs a list's new copy and
// makes the webmail hold's rules.
import init, { Engine, compileDnr, diffUpdate, webmailHoldRules } from '../wasm/pixelguard.js';
import { api } from './browser.js';

const BUNDLED_SNAPSHOT = 'lists/engine.snapshot';

/** Resolves once the wasm module is instantiated. */
const wasmReady = init({ module_or_path: new URL('../wasm/pixelguard_bg.wasm', import.meta.url) });

/** A file packaged with the extension, as a Response; throws on a missing file. */
export async function fetchPackaged(path) {
  const response = await fetch(api.runtime.getURL(path));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response;
}

/** The engine of the bundled lists, from their snapshot; null when the snapshot is refused. */
export async function bundledEngine() {
  await wasmReady;
  try {
    return Engine.fromSnapshot(new Uint8Array(await (await fetchPackaged(BUNDLED_SNAPSHOT)).arrayBuffer()));
  } catch (error) {
    console.warn('PixelGuard: bundled snapshot not usable:', error.message);
    return null;
  }
}

/** An engine from a stored snapshot, or null when it is missing or from another build. */
export async function engineFromSnapshot(bytes) {
  await wasmReady;
  if (!bytes) return null;
  try {
    return Engine.fromSnapshot(bytes);
  } catch (error) {
    console.warn('PixelGuard: stored snapshot refused, rebuilding from the lists:', error.message);
    return null;
  }
}

/** An engine compiled from `[{ id, title, text }]`. */
export const engineFromLists = (lists) => wasmReady.then(() => Engine.fromLists(lists));

/** One list's header and statistics: `{ id, title, version, expiresHours, stats: { network, cosmetic, invalid } }`. */
export async function analyseList(list) {
  await wasmReady;
  const engine = Engine.fromLists([list]);
  try { return engine.listStats()[0]; } finally { engine.free(); }
}

/** `compileDnr(lists, browser, options)` of the core: `{ rules, sourceMap, reports }`. */
export const compileRules = (lists, browser, options) => wasmReady.then(() => compileDnr(lists, browser, options));

/**
 * `diffUpdate` of the core: a new copy of list `id` against the `old` text its static ruleset was
 * compiled from (`mapJson`, the ruleset's source map) → `{ text, disableRuleIds, removed, removalsLeftOut }`.
 */
export const diffList = (old, mapJson, id, text, maxDisabled) => wasmReady.then(() => diffUpdate(old, mapJson, id, text, maxDisabled));

/**
 * `webmailHoldRules` of the core → `{ rules, release }`: the webmail hold's DNR rules for `browser`
 * (ids from `firstId`), and the marker that releases an image, with `token` in it.
 */
export const holdRules = (browser, token, firstId) => wasmReady.then(() => webmailHoldRules(browser, token, firstId));
