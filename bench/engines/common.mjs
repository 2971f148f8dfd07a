// Shared by the JS engine runners: the corpus, the timing loop and the statistics. Each runner is
// its own `node --expose-gc` process (so heaps do not mix) and prints one JSON object.
import { readFileSync } from 'node:fs';

export { corpus } from '../../tests/crawl.mjs';

/** `--name value` pairs from argv; `--list` repeats as `ID=FILE`. */
export function args() {
  const out = { lists: [], passes: 3 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--list') { const [id, file] = v.split('='); out.lists.push({ id, file, text: readFileSync(file, 'utf8') }); }
    else out[k.slice(2)] = k === '--passes' ? Number(v) : v;
  }
  return out;
}


/** Nearest-rank percentile, as crate/examples/bench.rs computes it. */
export function percentile(values, p) {
  if (!values.length) return NaN;
  const v = Float64Array.from(values).sort();
  return v[Math.min(v.length, Math.max(1, Math.ceil(p * v.length))) - 1];
}
export const median = (values) => percentile(values, 0.5);

export const now = () => performance.now();

/** Median of `n` timed runs of `fn` in ms (fn may be async); returns { ms, last }. */
export async function timed(n, fn) {
  const times = []; let last;
  for (let i = 0; i < n; i++) {
    const t = now(); last = await fn(); times.push(now() - t);
  }
  return { ms: median(times), all: times, last };
}

/**
 * One warm-up pass of `isBlocked(request) → boolean` over the corpus, then `passes` timed passes;
 * a request's time is its median pass (ns). Returns the stats split blocked / not blocked, and
 * the indices blocked. A throw counts as not blocked (and as an error).
 */
export function matchAll(requests, isBlocked, passes) {
  const blocked = new Uint8Array(requests.length);
  let errors = 0;
  const call = (r) => { try { return isBlocked(r); } catch { return null; } };
  requests.forEach((r, i) => { const b = call(r); if (b === null) errors += 1; blocked[i] = b ? 1 : 0; });
  const perPass = Array.from({ length: passes }, () => new Float64Array(requests.length));
  for (let p = 0; p < passes; p++) {
    const row = perPass[p];
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i];
      const t = process.hrtime.bigint();
      call(r);
      row[i] = Number(process.hrtime.bigint() - t);
    }
  }
  const times = new Float64Array(requests.length);
  for (let i = 0; i < requests.length; i++) times[i] = median(perPass.map((row) => row[i]));
  const split = (want) => {
    const v = []; let sum = 0;
    for (let i = 0; i < times.length; i++) if (want === undefined || blocked[i] === want) { v.push(times[i]); sum += times[i]; }
    return { n: v.length, medianNs: median(v), p99Ns: percentile(v, 0.99), meanNs: sum / Math.max(1, v.length) };
  };
  const blockedIdx = [];
  blocked.forEach((b, i) => { if (b) blockedIdx.push(i); });
  return { match: { all: split(), blocked: split(1), notBlocked: split(0) }, blockedIdx, errors };
}

/** Cost of the timer itself (two hrtime.bigint calls around nothing), median ns. */
export function timerOverheadNs() {
  const v = new Float64Array(20000);
  for (let i = 0; i < v.length; i++) { const t = process.hrtime.bigint(); v[i] = Number(process.hrtime.bigint() - t); }
  return median(v);
}

export function gcHeap() {
  globalThis.gc?.(); globalThis.gc?.();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, external: m.external };
}

export function emit(result) {
  process.stdout.write(JSON.stringify(result) + '\n');
}

/** What a JS engine added to the heap: JS heap + ArrayBuffers after compile and GC, minus before. */
export const jsHeapGrowth = (before, after) => ({
  jsHeapBytes: after.heapUsed - before.heapUsed + after.arrayBuffers - before.arrayBuffers,
  what: 'JS heap + ArrayBuffers after compile, after GC, minus before',
});
