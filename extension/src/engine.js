// The only importer of the wasm core, and the engine that labels what the lists block: built from
// the bundled snapshot, a stored snapshot or the list texts, then moved into a fresh instance when
// that work grew the wasm memory, and dropped with its module and memory while idle; lists analysed,
// compiled to DNR rules, and a list's new copy diffed against its static ruleset, all by the core;
// a page's site.
import { Engine, __wbg_reset_state as resetInstance, __wbg_unload as unloadModule, analyseList, compileDnr, diffUpdate, initSync, registrableDomain } from '../wasm/pixelguard.js';
import { api, fetchPackaged } from './browser.js';
import { BUILTINS } from './generated/builtins.js';
import { serial } from './serial.js';
import * as store from './store.js';
import { whyUnreadable, withTexts } from './texts.js';

const BUNDLED_SNAPSHOT = 'lists/engine.snapshot';

let instantiating;
/**
 * Resolves once the wasm module is compiled and instantiated, on first need. Not through the glue's
 * async `init`: its promise keeps the first instance's exports, so that instance's memory would
 * outlive a fresh instance.
 */
const wasmReady = () => (instantiating ??= WebAssembly.compileStreaming(fetchPackaged('wasm/pixelguard_bg.wasm'))
  .then((module) => { initSync({ module }); }));

/** Starts compiling the wasm module without waiting for it (start-up overlaps it with reading the settings). */
export const warmUp = () => { wasmReady().catch(() => {}); };  // a failure surfaces where the engine is built

/**
 * Whether the instance ran work that grows its memory past what the engine needs (analysis, DNR
 * compile, diff, an engine built from texts): wasm memory never shrinks, so after such work the
 * engine is moved into a fresh instance (`moveToFreshInstance`).
 */
let grown = false;
/** Calls into the module in flight outside `oneAtATime` (analysis, compile, diff, a site): the module is not unloaded under them. */
let working = 0;
const withModule = (run) => {
  working += 1;
  return wasmReady().then(run).finally(() => { working -= 1; });
};
const growing = (run) => withModule(() => {
  grown = true;
  return run();
});

/** The engine labelling blocked requests; replaced whenever the enabled lists change. */
let engine = null;
let source = null;  // where it came from: 'snapshot' (bundled), 'stored-snapshot' or 'lists'
let inUse = [];  // the lists it was built for
let rebuilding = null;
/** Whether the engine for `inUse` can be restored from a snapshot (bundled or stored), and whether it was dropped to be. */
let restorable = false;
let released = false;
let restores = 0;
export const engineSource = () => source;
/** Whether an engine is running now (not dropped for being idle, not being rebuilt). */
export const engineRunning = () => engine !== null;
/** How many times the engine was restored after idling (diagnostics). */
export const idleRestores = () => restores;
/** The current instance's memory in bytes, 0 while the module is unloaded (`initSync` returns the instance in use). */
export const wasmMemoryBytes = () => (instantiating ? wasmReady().then(() => initSync().memory.buffer.byteLength) : Promise.resolve(0));
/**
 * Engines are made, replaced and moved one task at a time: a fresh instance leaves every Engine of
 * the old one unusable (the glue refuses it, and freeing it would free in the new instance), so no
 * engine may be in the making, or installed, across a swap.
 */
const oneAtATime = serial();

/**
 * `act(engine)`'s result. After a wasm trap (a `WebAssembly.RuntimeError`: a bug in the core, or a
 * snapshot that passed its checks but is corrupt) the engine is dropped and rebuilt from the list
 * texts, skipping every snapshot; the error is thrown on. While there is no engine this throws.
 */
export function withEngine(act) {
  if (!engine) throw new Error(rebuilding ? 'the engine is being rebuilt' : 'the engine is not running');
  used();
  try {
    return act(engine);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) rebuildAfterTrap(error);
    throw error;
  }
}

/**
 * An engine unused this long is dropped with the module and its instance when a snapshot can
 * restore it, and restored at next need (`awake`, compiling the module again: about 45 ms): the
 * memory is held while pages are being labelled, not while the background idles (Chrome keeps an
 * idle worker for 30 s). Driven by tests/e2e/idle-engine.test.mjs; measured by the bench's memory
 * rows (about 4 MiB of the worker's RSS after a page).
 */
const IDLE_MS = 10_000;
let lastUse = 0;
let idleTimer = null;
function used() {
  lastUse = Date.now();
  idleTimer ??= setTimeout(releaseIfIdle, IDLE_MS);
}

function releaseIfIdle() {
  idleTimer = null;
  oneAtATime(() => {
    const idle = Date.now() - lastUse;
    if (idle < IDLE_MS || working) idleTimer ??= setTimeout(releaseIfIdle, Math.max(IDLE_MS - idle, 1_000));
    else if (engine && restorable && !rebuilding) {
      engine = null;  // not freed: it goes with the module
      unloadModule();
      [instantiating, grown, released] = [undefined, false, true];
    }
  });
}

/** Resolves once the engine is back when it was dropped for being idle (at once when it was not); never rejects. */
export const awake = () => (engine || !released ? Promise.resolve() : oneAtATime(async () => {
  if (!engine && released) {
    await install(inUse, true);
    restores += 1;
  }
}).catch((error) => console.error('PixelGuard: restoring the idle engine failed:', error)));

/** Drops the instance and the engine in it (not freed: it goes with its memory) for a fresh instance. */
function dropInstance() {
  engine = null;
  resetInstance();
  grown = false;
}

/** After a trap (or a failed move): the engine rebuilt from the list texts, in a fresh instance. */
function rebuildAfterTrap(error) {
  console.error('PixelGuard: the engine failed; rebuilding it from the list texts in a fresh instance:', error.message);
  engine = null;  // not freed: its memory may be what is broken
  rebuilding ??= store.remove('snapshot')
    .then(() => oneAtATime(() => {
      dropInstance();
      return install(inUse, false);
    }))
    .catch((e) => console.error('PixelGuard: rebuilding the engine failed:', e))
    .finally(() => { rebuilding = null; });
}

/**
 * Moves the engine into a fresh instance, dropping the one whose memory grew: its snapshot (`bytes`
 * when just taken) restored there, synchronously, so no call comes between. When the snapshot
 * cannot be taken the engine stays where it is; when the fresh instance or the restore fails, the
 * engine is rebuilt from the texts as after a trap.
 */
function moveToFreshInstance(bytes) {
  let snapshot = bytes;
  try {
    snapshot ??= withEngine((e) => e.snapshot());
  } catch (error) {
    console.warn('PixelGuard: no snapshot of the engine, so it was not moved into a fresh instance:', error.message);
    return;
  }
  try {
    dropInstance();
    engine = Engine.fromSnapshot(snapshot);
  } catch (error) {
    rebuildAfterTrap(error);
  }
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
 * `[engine, source, bytes?]` for `lists`: the bundled snapshot, a stored snapshot, else built from
 * the texts (only from the texts when `snapshots` is false; `bytes`: the snapshot stored of it). A
 * list whose text is missing is left out (texts.js).
 */
async function buildEngine(all, snapshots) {
  const lists = all.filter((l) => l.path || !whyUnreadable(l.id));
  if (snapshots && lists.length === BUILTINS.length && lists.every((l) => l.path)) {
    const bundled = await bundledEngine();
    if (bundled) return [bundled, 'snapshot'];
  }
  // The stored snapshot is read while the wasm compiles. The bundled lists change with the
  // extension's version, the others when fetched.
  const [stored] = await Promise.all([snapshots ? store.get('snapshot') : null, wasmReady()]);
  const signature = JSON.stringify([api.runtime.getManifest().version, ...lists.map((l) => [l.id, l.updated ?? 'bundled'])]);
  const restored = stored?.signature === signature ? engineFromSnapshot(stored.bytes) : null;
  if (restored) return [restored, 'stored-snapshot'];
  const texts = await withTexts(lists);
  grown = true;
  const built = Engine.fromLists(texts);
  if (texts.length !== lists.length) return [built, 'lists'];
  const bytes = built.snapshot();
  await store.put('snapshot', { signature, bytes });
  return [built, 'lists', bytes];
}

/** Installs the engine for `lists`, in a fresh instance if building it (or work before) grew the memory. */
async function install(lists, snapshots) {
  const [next, from, bytes] = await buildEngine(lists, snapshots);
  engine?.free();
  [engine, source, inUse] = [next, from, lists];
  // Not after a trap (`snapshots` false): the snapshot that trapped is not restored again.
  [restorable, released] = [snapshots && (from !== 'lists' || Boolean(bytes)), false];
  used();
  if (grown) moveToFreshInstance(bytes);
}

/**
 * Makes the current engine the one for `lists`, the enabled lists in order as
 * `{ id, title, path?, updated? }` (`path`: a bundled copy; `updated`: when a stored copy was fetched).
 */
export const useLists = (lists, { snapshots = true } = {}) => oneAtATime(() => install(lists, snapshots));

/** One list's header and statistics: `{ id, title, version, expiresHours, stats: { network, cosmetic, invalid } }`. */
export const analyse = (list) => growing(() => analyseList(list));

/** `compileDnr(lists, browser, options)` of the core: `{ rules, sourceMap, reports }`. */
export const compileRules = (lists, browser, options) => growing(() => compileDnr(lists, browser, options));

/**
 * `diffUpdate` of the core: a new copy of list `id` against the `old` text its static ruleset was
 * compiled from (`mapJson`, the ruleset's source map) → `{ text, disableRuleIds, removed, removalsLeftOut }`.
 */
export const diffList = (old, mapJson, id, text, maxDisabled) => growing(() => diffUpdate(old, mapJson, id, text, maxDisabled));

/** Resolves to the registrable domain of a page's address (the report's "site"), or null. */
export const domainOf = (url) => withModule(() => registrableDomain(url) ?? null);

