// Ghostery's engine (@ghostery/adblocker), network filters only, a bench-only dependency.
import { readFileSync } from 'node:fs';
import { FiltersEngine, Request } from '@ghostery/adblocker';
import { args, corpus, emit, gcHeap, matchAll, timed, timerOverheadNs, jsHeapGrowth } from './common.mjs';

const a = args();
const requests = corpus(a.requests);
const version = JSON.parse(readFileSync(new URL('../node_modules/@ghostery/adblocker/package.json', import.meta.url))).version;
const text = a.lists.map((l) => l.text).join('\n');

const heapBefore = gcHeap();
let engine;
const compile = await timed(3, () => {
  engine = null;
  return FiltersEngine.parse(text, { loadCosmeticFilters: false, loadNetworkFilters: true });
});
engine = compile.last;
const heapAfter = gcHeap();
const snapshot = engine.serialize();  // Uint8Array
const restore = await timed(7, () => FiltersEngine.deserialize(snapshot));

const isBlocked = ({ url, sourceUrl, type }) => engine.match(Request.fromRawDetails({ url, sourceUrl, type })).match;
const result = matchAll(requests, isBlocked, a.passes);

emit({
  engine: 'ghostery',
  label: `@ghostery/adblocker ${version}`,
  compileMs: compile.ms,
  snapshotBytes: snapshot.length,
  restoreMs: restore.ms,
  memory: jsHeapGrowth(heapBefore, heapAfter),
  timerOverheadNs: timerOverheadNs(),
  requests: requests.length,
  ...result,
});
