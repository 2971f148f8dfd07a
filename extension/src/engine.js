// The only importer of the wasm core, and the engine that labels what the lists block: built from
// the bundled snapshot, a stored snapshot or the list texts; lists analysed, compiled to DNR rules,
// and a list's new copy diffed against its static ruleset, all by the core; a page's site and
// the webmail hold's rules.
import init, { Engine, analyseList, compileDnr, diffUpdate, registrableDomain, webmailHoldRules } from '../wasm/pixelguard.js';
import { api, fetchPackaged } from './browser.js';
import { BUILTINS } from './generated/builtins.js';
import * as store from './store.js';
import { whyUnreadable, withTexts } from './texts.js';

const BUNDLED_SNAPSHOT = 'lists/engine.snapshot';

let instantiating;
/** Resolves once the wasm module is instantiated; it is instantiated on first need (its memory stays). */
const wasmReady = () => (instantiating ??= init({ module_or_path: new URL('../wasm/pixelguard_bg.wasm', import.meta.url) }));

/** The engine labelling blocked requests; replaced whenever the enabled lists change. */
let engine = null;
let source = null;  // where it came from: 'snapshot' (bundled), 'stored-snapshot' or 'lists'
let inUse = [];  // the lists it was built for
let rebuilding = null;
export const engineSource = () => source;

/**
 * `act(engine)`'s result. After a wasm trap (a `WebAssembly.RuntimeError`: a bug in the core, or a
 * snapshot that passed its checks but is corrupt) the engine is dropped and rebuilt from the list
 * texts, skipping every snapshot; the error is thrown on. While there is no engine this throws.
 */
export function withEngine(act) {
  if (!engine) throw new Error(rebuilding ? 'the engine is being rebuilt' : 'the engine is not running');
  try {
    return act(engine);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) rebuildAfterTrap(error);
    throw error;
  }
}

function rebuildAfterTrap(error) {
  console.error('PixelGuard: the engine trapped; rebuilding it from the list texts:', error.message);
  engine = null;  // not freed: its memory may be what is broken
  rebuilding ??= store.remove('snapshot')
    .then(() => useLists(inUse, { snapshots: false }))
    .catch((e) => console.error('PixelGuard: rebuilding the engine failed:', e))
    .finally(() => { rebuilding = null; });
}

/** The engine of the bundled lists, from their snapshot (fetched while the wasm instantiates); null when refused. */
async function bundledEngine() {
  const [bytes] = await Promise.all([fetchPackaged(BUNDLED_SNAPSHOT).then((r) => r.arrayBuffer()), wasmReady()]);
  try {
    return Engine.fromSnapshot(new Uint8Array(bytes));
  } catch (error) {
    console.warn('PixelGuard: bundled snapshot not usable:', error.message);
    return null;
  }
}

/** An engine from a stored snapshot, or null when it is missing or from another build. */
function engineFromSnapshot(bytes) {
  if (!bytes) return null;
  try {
    return Engine.fromSnapshot(bytes);
  } catch (error) {
    console.warn('PixelGuard: stored snapshot refused, rebuilding from the lists:', error.message);
    return null;
  }
}

/**
 * `[engine, source]` for `lists`: the bundled snapshot, a stored snapshot, else built from the texts
 * (only from the texts when `snapshots` is false). A list whose text is missing is left out (texts.js).
 */
async function buildEngine(all, snapshots) {
  const lists = all.filter((l) => l.path || !whyUnreadable(l.id));
  if (snapshots && lists.length === BUILTINS.length && lists.every((l) => l.path)) {
    const bundled = await bundledEngine();
    if (bundled) return [bundled, 'snapshot'];
  }
  await wasmReady();
  // The bundled lists change with the extension's version, the others when fetched.
  const signature = JSON.stringify([api.runtime.getManifest().version, ...lists.map((l) => [l.id, l.updated ?? 'bundled'])]);
  const stored = snapshots ? await store.get('snapshot') : null;
  const restored = stored?.signature === signature ? engineFromSnapshot(stored.bytes) : null;
  if (restored) return [restored, 'stored-snapshot'];
  const texts = await withTexts(lists);
  const built = Engine.fromLists(texts);
  if (texts.length === lists.length) await store.put('snapshot', { signature, bytes: built.snapshot() });
  return [built, 'lists'];
}

/**
 * Makes the current engine the one for `lists`, the enabled lists in order as
 * `{ id, title, path?, updated? }` (`path`: a bundled copy; `updated`: when a stored copy was fetched).
 */
export async function useLists(lists, { snapshots = true } = {}) {
  const [next, from] = await buildEngine(lists, snapshots);
  engine?.free();
  [engine, source, inUse] = [next, from, lists];
}

/** One list's header and statistics: `{ id, title, version, expiresHours, stats: { network, cosmetic, invalid } }`. */
export const analyse = (list) => wasmReady().then(() => analyseList(list));

/** `compileDnr(lists, browser, options)` of the core: `{ rules, sourceMap, reports }`. */
export const compileRules = (lists, browser, options) => wasmReady().then(() => compileDnr(lists, browser, options));

/**
 * `diffUpdate` of the core: a new copy of list `id` against the `old` text its static ruleset was
 * compiled from (`mapJson`, the ruleset's source map) → `{ text, disableRuleIds, removed, removalsLeftOut }`.
 */
export const diffList = (old, mapJson, id, text, maxDisabled) => wasmReady().then(() => diffUpdate(old, mapJson, id, text, maxDisabled));

/** The registrable domain of a page's address (the report's "site"), or null. Once an engine was built. */
export const domainOf = (url) => registrableDomain(url) ?? null;

/**
 * `webmailHoldRules` of the core → `{ rules, release }`: the webmail hold's DNR rules for `browser`
 * (ids from `firstId`), and the marker that releases an image, with `token` in it.
 */
export const holdRules = (browser, token, firstId) => wasmReady().then(() => webmailHoldRules(browser, token, firstId));
