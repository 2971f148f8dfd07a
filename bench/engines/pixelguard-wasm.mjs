// PixelGuard's wasm exactly as shipped (dist/chrome/wasm), in Node, as tests/node/shipped.mjs loads it.
import { readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { args, corpus, emit, gcHeap, matchAll, timed, timerOverheadNs } from './common.mjs';

const a = args();
// BENCH_WASM_DIR: another build of the same glue + wasm, for before/after comparisons.
const wasmDir = process.env.BENCH_WASM_DIR ? new URL(`file://${process.env.BENCH_WASM_DIR.replace(/\/?$/, '/')}`) : new URL('../../dist/chrome/wasm/', import.meta.url);
const wasmBytes = readFileSync(new URL('pixelguard_bg.wasm', wasmDir));
const glue = new URL('pixelguard.js', wasmDir).href;

/** A fresh wasm instance (each glue URL is its own module, so its own linear memory). */
async function instance(name) {
  const mod = await import(`${glue}?instance=${name}`);
  const exports = mod.initSync({ module: wasmBytes });
  return { Engine: mod.Engine, memory: exports.memory, mod };
}

const lists = a.lists.map(({ id, text }) => ({ id, title: id, text }));
const requests = corpus(a.requests);

// Compile (median of 3) in one instance; snapshot it.
const built = await instance('compile');
const compile = await timed(3, () => built.Engine.fromLists(lists));
const engine = compile.last;
const snapshot = engine.snapshot();
const compileLinear = built.memory.buffer.byteLength;

// Restore into a fresh instance: its linear memory is what the extension's worker holds.
const restoredInstance = await instance('restore');
const heapBefore = gcHeap();
const first = performance.now();
let restored = restoredInstance.Engine.fromSnapshot(snapshot);
const firstRestoreMs = performance.now() - first;
const restoreLinear = restoredInstance.memory.buffer.byteLength;
const heapAfter = gcHeap();
const restore = await timed(7, () => { restored.free(); restored = restoredInstance.Engine.fromSnapshot(snapshot); return restored; });

// DNR: EasyPrivacy alone compiled to Chrome's static ruleset (median of 3), when this build has it.
let dnr = null;
if (built.mod.compileDnr) {
  const easyprivacy = lists.filter((l) => l.id === 'easyprivacy');
  const r = await timed(3, () => built.mod.compileDnr(easyprivacy, 'chrome', {}));
  dnr = { ms: r.ms, rules: r.last.rules.length };
}

const isBlocked = ({ url, sourceUrl, type }) => engine.check(url, sourceUrl, type).decision === 'blocked';
const result = matchAll(requests, isBlocked, a.passes);

const wasmFile = new URL('pixelguard_bg.wasm', wasmDir);
emit({
  engine: 'wasm',
  label: 'PixelGuard wasm (dist/chrome, Engine.check)',
  compileMs: compile.ms,
  snapshotBytes: snapshot.length,
  restoreMs: restore.ms,
  firstRestoreMs,
  memory: {
    linearBytes: restoreLinear,
    compileLinearBytes: compileLinear,
    jsHeapBytes: heapAfter.heapUsed - heapBefore.heapUsed,
    what: 'wasm linear memory of a fresh instance after restoring the snapshot (after compiling: compileLinearBytes)',
  },
  wasmBytes: statSync(wasmFile).size,
  // GNU gzip -9, as build.sh reports it (Node's zlib at level 9 makes a ~3 % bigger file).
  wasmGzipBytes: execFileSync('gzip', ['-9c', fileURLToPath(wasmFile)], { maxBuffer: 1 << 26 }).length,
  timerOverheadNs: timerOverheadNs(),
  requests: requests.length,
  dnr,
  ...result,
});
