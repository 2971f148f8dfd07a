// `./build.sh bench`: runs every engine on the same corpus and lists, one process each, then writes
// docs/benchmarks.md and docs/benchmarks.svg from this one run (raw JSON in docs/bench-raw/).
// Needs ../shared/data (the crawl and the lists); without it, says so and exits 2.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chart } from './chart.mjs';
import { report, targets } from './report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED = fileURLToPath(new URL('../../shared/data/', import.meta.url));
const LISTS = { easylist: 'lists/easylist-202607140953.txt', easyprivacy: 'lists/easyprivacy-202607140953.txt' };
const REQUESTS = 'requests/top-sites-2019.ndjson';
const PASSES = process.env.BENCH_PASSES ?? '3';
const ONLY = process.env.BENCH_ONLY?.split(',');  // e.g. BENCH_ONLY=wasm,native while iterating

for (const path of [...Object.values(LISTS), REQUESTS]) {
  if (!existsSync(SHARED + path)) {
    console.error(`bench: ../shared/data/${path} is absent. The benchmark needs ../shared (the request crawl and`
      + ' EasyList/EasyPrivacy) beside the repository; nothing was measured.');
    process.exit(2);
  }
}
const listArgs = Object.entries(LISTS).flatMap(([id, p]) => ['--list', `${id}=${SHARED}${p}`]);
const common = [...listArgs, '--requests', SHARED + REQUESTS, '--passes', PASSES];
const say = (m) => console.log(`\x1b[1m==> bench: ${m}\x1b[0m`);

function runJson(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')}… exited ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

// BENCH_REPORT_ONLY=1: rewrite the report and chart from docs/bench-raw/results.json (no run).
if (process.env.BENCH_REPORT_ONLY) {
  const { env, results } = JSON.parse(readFileSync(`${ROOT}docs/bench-raw/results.json`, 'utf8'));
  writeFileSync(`${ROOT}docs/benchmarks.svg`, chart(results));
  writeFileSync(`${ROOT}docs/benchmarks.md`, report(env, results, { requests: REQUESTS, lists: LISTS }));
  process.exit(0);
}

const results = {};
const want = (name) => !ONLY || ONLY.includes(name);
if (want('native')) {
  say('native (cargo run --release --example bench)');
  results.native = runJson('cargo', ['run', '--quiet', '--release', '-p', 'pixelguard', '--example', 'bench', '--', ...common]);
}
if (want('wasmFloor')) {
  say('adblock-rust alone in wasm (wasm-pack build bench/wasm-floor, then node bench/engines/adblock-wasm.mjs)');
  const built = spawnSync('wasm-pack', ['--quiet', 'build', 'bench/wasm-floor', '--target', 'web', '--release',
    '--out-dir', `${ROOT}build/wasm-floor`, '--no-pack', '--no-typescript'], {
    cwd: ROOT, stdio: 'inherit',
    env: { ...process.env, PATH: `${ROOT}node_modules/.bin:${process.env.PATH}`, RUSTFLAGS: '-C target-feature=+simd128', CARGO_TARGET_DIR: `${ROOT}build/wasm-floor-target` },
  });
  if (built.status !== 0) throw new Error('wasm-pack build bench/wasm-floor failed');
  results.wasmFloor = runJson(process.execPath, ['bench/engines/adblock-wasm.mjs', ...common]);
}
for (const [name, file] of [['wasm', 'pixelguard-wasm.mjs'], ['ubo', 'ubo.mjs'], ['ghostery', 'ghostery.mjs']]) {
  if (!want(name)) continue;
  say(`${name} (node --expose-gc bench/engines/${file})`);
  results[name] = runJson(process.execPath, ['--expose-gc', `bench/engines/${file}`, ...common]);
}
if (want('browser')) {
  say('headless Chromium: PixelGuard beside uBlock Origin Lite (page loads, content scripts, memory, cold starts)');
  results.browser = runJson(process.execPath, ['bench/browser.mjs']);
}

const sh = (c, a) => { try { return execFileSync(c, a, { cwd: ROOT, encoding: 'utf8' }).trim(); } catch { return '?'; } };
const env = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  commit: sh('git', ['rev-parse', '--short', 'HEAD']) + (sh('git', ['status', '--porcelain']) ? ' (with local changes)' : ''),
  cpu: `${cpus()[0]?.model ?? '?'} × ${cpus().length}`,
  node: process.version,
  rustc: sh('rustc', ['--version']),
  passes: Number(PASSES),
};
mkdirSync(`${ROOT}docs/bench-raw`, { recursive: true });
writeFileSync(`${ROOT}docs/bench-raw/results.json`, JSON.stringify({ env, results }, null, 1));
if (ONLY) { console.log(JSON.stringify(summary(results), null, 1)); process.exit(0); }
writeFileSync(`${ROOT}docs/benchmarks.svg`, chart(results));
writeFileSync(`${ROOT}docs/benchmarks.md`, report(env, results, { requests: REQUESTS, lists: LISTS }));
say('wrote docs/benchmarks.md and docs/benchmarks.svg');
console.log(JSON.stringify(summary(results), null, 1));

function summary(r) {
  return Object.fromEntries(Object.entries(r).filter(([k]) => !['browser', 'wasmFloor'].includes(k)).map(([k, v]) =>
    [k, { compileMs: +v.compileMs.toFixed(1), restoreMs: +v.restoreMs.toFixed(2), medianNs: v.match.all.medianNs, p99Ns: v.match.all.p99Ns,
      blocked: v.blockedIdx.length }]).concat(r.wasmFloor ? [['wasmFloor', { medianNs: r.wasmFloor.match.all.medianNs }]] : [])
    .concat(r.browser ? [['browser', targets(r).map(({ target, ratio }) => `${target}: ${ratio}`)]] : []));
}
