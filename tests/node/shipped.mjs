// Loads the exact wasm shipped in dist/chrome, and reads the shared data when it is present.
import { existsSync, readFileSync } from 'node:fs';
import { initSync, Engine, __wbg_reset_state as resetInstance, analyseList, compileDnr, diffUpdate } from '../../dist/chrome/wasm/pixelguard.js';
import { BUILTINS } from '../../dist/chrome/src/generated/builtins.js';

export { corpus } from '../crawl.mjs';

export const dist = new URL('../../dist/chrome/', import.meta.url);
/** The instance's exports (its `memory` among them). */
export const wasm = initSync({ module: readFileSync(new URL('wasm/pixelguard_bg.wasm', dist)) });
export { Engine, analyseList, compileDnr, diffUpdate, resetInstance };
/** The memory of the instance in use (after `resetInstance`, a fresh one: `initSync` returns it). */
export const memoryBytes = () => initSync().memory.buffer.byteLength;

export const bundledList = () => readFileSync(new URL('lists/easyprivacy.txt', dist), 'utf8');
/** The lists the extension bundles (lists/builtins.json, as the shell's generated module has them), as `Engine.fromLists` takes them. */
export const bundledLists = () => BUILTINS.map(({ id, title, path }) => ({ id, title, text: readFileSync(new URL(path, dist), 'utf8') }));
export const bundledSnapshot = () => new Uint8Array(readFileSync(new URL('lists/engine.snapshot', dist)));

const shared = new URL('../../../shared/data/', import.meta.url);

/**
 * The shared data file's URL, or null in a clone without ../shared (the test then reports itself
 * skipped with `t.skip`). With `CI` set the data must be there: its absence throws, failing the test.
 */
export function sharedData(path) {
  const url = new URL(path, shared);
  if (existsSync(url)) return url;
  if (process.env.CI) throw new Error(`../shared/data/${path} is absent, and CI is set: the shared data must be there`);
  return null;
}

export const NO_SHARED_DATA = 'needs ../shared/data, absent from this clone';
