// The only importer of the wasm core: starts it and loads the engine from the bundled snapshot,
// or compiles the bundled lists when the snapshot is refused.
import init, { Engine } from '../wasm/pixelguard.js';
import { api } from './browser.js';

const BUNDLED_LISTS = [
  { id: 'easyprivacy', title: 'EasyPrivacy', path: 'lists/easyprivacy.txt' },
  { id: 'pixels', title: 'PixelGuard pixels', path: 'lists/pixels.txt' },
];
const BUNDLED_SNAPSHOT = 'lists/engine.snapshot';

async function fetchPackaged(path) {
  const response = await fetch(api.runtime.getURL(path));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response;
}

/** Resolves to `{ engine, source }`, where source says whether the snapshot or the lists served. */
export async function loadEngine() {
  await init({ module_or_path: new URL('../wasm/pixelguard_bg.wasm', import.meta.url) });
  try {
    const bytes = new Uint8Array(await (await fetchPackaged(BUNDLED_SNAPSHOT)).arrayBuffer());
    return { engine: Engine.fromSnapshot(bytes), source: 'snapshot' };
  } catch (error) {
    console.warn('PixelGuard: bundled snapshot not usable, compiling the lists instead:', error.message);
  }
  const lists = await Promise.all(BUNDLED_LISTS.map(async ({ id, title, path }) =>
    ({ id, title, text: await (await fetchPackaged(path)).text() })));
  return { engine: Engine.fromLists(lists), source: 'lists' };
}
