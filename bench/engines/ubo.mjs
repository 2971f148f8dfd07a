// uBlock Origin's static network filtering engine (@gorhill/ubo-core), a bench-only dependency.
import { readFileSync } from 'node:fs';
import { StaticNetFilteringEngine } from '@gorhill/ubo-core';
import { args, corpus, emit, gcHeap, matchAll, timed, timerOverheadNs, jsHeapGrowth } from './common.mjs';

const a = args();
const requests = corpus(a.requests);
const version = JSON.parse(readFileSync(new URL('../node_modules/@gorhill/ubo-core/package.json', import.meta.url))).version;

const heapBefore = gcHeap();
const snfe = await StaticNetFilteringEngine.create();
// uBO has a single engine instance: useLists() replaces what it held, so each run is a full compile.
const compile = await timed(3, () => snfe.useLists(a.lists.map(({ id, text }) => ({ name: id, raw: text }))));
const heapAfter = gcHeap();
const snapshot = await snfe.serialize();  // a JS string
const restore = await timed(7, () => snfe.deserialize(snapshot));

// matchRequest: 0 no match, 1 blocked, 2 allowed by an exception.
const isBlocked = ({ url, sourceUrl, type }) => snfe.matchRequest({ originURL: sourceUrl, url, type }) === 1;
const result = matchAll(requests, isBlocked, a.passes);

emit({
  engine: 'ubo',
  label: `@gorhill/ubo-core ${version}`,
  compileMs: compile.ms,
  snapshotBytes: Buffer.byteLength(snapshot, 'utf8'),
  snapshotNote: 'serialize() returns a JS string; size in UTF-8 bytes',
  restoreMs: restore.ms,
  memory: jsHeapGrowth(heapBefore, heapAfter),
  timerOverheadNs: timerOverheadNs(),
  requests: requests.length,
  ...result,
});
