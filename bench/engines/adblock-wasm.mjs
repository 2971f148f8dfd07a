// adblock-rust alone in wasm (bench/wasm-floor, built by bench/run.mjs into build/wasm-floor), in
// Node as the shipped wasm runs: the wasm twin of the native floor, so the report can tell the cost
// of running adblock-rust as wasm from what PixelGuard's wrapper adds.
import { readFileSync } from 'node:fs';
import { args, corpus, emit, matchAll, timerOverheadNs } from './common.mjs';

const dir = new URL('../../build/wasm-floor/', import.meta.url);
const mod = await import(new URL('pixelguard_bench_wasm_floor.js', dir).href);
mod.initSync({ module: readFileSync(new URL('pixelguard_bench_wasm_floor_bg.wasm', dir)) });

const a = args();
const requests = corpus(a.requests);
const plain = new mod.Plain(a.lists.map((l) => l.text));
const result = matchAll(requests, ({ url, sourceUrl, type }) => plain.check(url, sourceUrl, type), a.passes);
emit({
  engine: 'wasmFloor',
  label: 'adblock-rust 0.13.5 alone in wasm (optimised engine, Request::new + check_network_request, a boolean back)',
  timerOverheadNs: timerOverheadNs(),
  requests: requests.length,
  ...result,
});
