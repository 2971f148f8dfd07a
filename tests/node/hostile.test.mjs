// Hostile JS values of every type at every export of the shipped wasm: each answer is a correct
// result or a clear Error (never a trap, never a non-Error throw), and the same engine still
// answers correctly afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as wasm from '../../dist/chrome/wasm/pixelguard.js';
import { Engine, analyseList, compileDnr, diffUpdate } from './shipped.mjs';

const PIXEL = 'https://px.test/p.gif?uid=1';
const LISTS = [{ id: 'mine', title: 'Mine', text: '||px.test^\n@@||px.test/ok.gif\n/^https:\\/\\/rx\\.test\\/[0-9]+/\n' }];
const engine = Engine.fromLists(LISTS);
const expected = {
  verdict: engine.check(PIXEL, 'https://site.test/', 'image'),
  stats: engine.listStats(),
  snapshot: engine.snapshot(),
  suspect: engine.suspect({ url: PIXEL, sourceUrl: 'https://site.test/', width: 1, height: 1 }),
  compiled: compileDnr(LISTS, 'chrome', {}),
};
const MAP = JSON.stringify(expected.compiled.sourceMap);

/** Values of every JS type, and the awkward ones of each. */
function hostileValues() {
  const detached = new Uint8Array(new ArrayBuffer(16));
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  const throwingLength = new Uint8Array(8);
  Object.defineProperty(throwingLength, 'length', { get() { throw new Error('length getter'); } });
  const lyingLength = new Uint8Array(8);
  Object.defineProperty(lyingLength, 'length', { value: 1e9 });
  const getterThrows = {};
  for (const key of ['id', 'text', 'title', 'url', 'sourceUrl', 'type', 'width', 'firstId', 'budget', 'dynamic']) {
    Object.defineProperty(getterThrows, key, { enumerable: true, get() { throw new Error(`${key} getter`); } });
  }
  const trap = () => { throw new Error('proxy trap'); };
  const proxy = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap });
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  const cyclic = { id: 'c', text: '' };
  cyclic.self = cyclic;
  const coercing = { toString: trap, valueOf: trap, [Symbol.toPrimitive]: trap, toJSON: trap };
  return {
    undefined, null: null, true: true, false: false,
    zero: 0, negativeZero: -0, minusOne: -1, fraction: 1.5, NaN, Infinity, minusInfinity: -Infinity,
    huge: 2 ** 53, u32Max: 2 ** 32 - 1, overU32: 2 ** 32, bigint: 10n, symbol: Symbol('hostile'),
    emptyString: '', space: ' ', junk: '\u0000\u0001\uFFFF', loneHigh: 'https://a.test/\uD800', loneLow: '\uDC00||a.test^',
    hugeAscii: `https://a.test/${'a'.repeat(4 << 20)}`, hugeNonAscii: 'é'.repeat(1 << 20), stringObject: new String('https://a.test/'),
    emptyObject: {}, object: { a: 1 }, nullProto: Object.create(null), emptyArray: [], array: [1, 'x', null], sparse: new Array(3),
    nestedArray: [[[[[]]]]], uint8: new Uint8Array([1, 2, 3]), int32: new Int32Array(4), float64: new Float64Array(2),
    arrayBuffer: new ArrayBuffer(8), dataView: new DataView(new ArrayBuffer(8)), detached, throwingLength, lyingLength,
    fn: () => 1, klass: class {}, date: new Date(0), regexp: /x/g, map: new Map([['id', 'a']]), set: new Set([1]),
    promise: Promise.resolve(1), error: new Error('an error'), weakMap: new WeakMap(),
    getterThrows, proxy, revoked, cyclic, coercing, frozen: Object.freeze({ id: 'f', text: '' }),
  };
}
const HOSTILE = hostileValues();

/** Calls `fn`: its result, or the clear Error it threw (anything else fails the test). */
function answer(label, fn) {
  try {
    return { value: fn() };
  } catch (error) {
    assert.ok(error instanceof Error, `${label}: threw a non-Error ${String(error)}`);
    assert.ok(!(error instanceof WebAssembly.RuntimeError), `${label}: trapped: ${error.message}`);
    assert.ok(error.message.length > 0 && error.message.length < 400, `${label}: message of ${error.message.length} characters`);
    assert.doesNotMatch(error.message, /unreachable|out of bounds|recursive use|borrowed|RuntimeError/, label);
    return { error };
  }
}

/** Every hostile value in each position of `args`, one position at a time. */
function* substituted(args) {
  for (let i = 0; i < args.length; i += 1) {
    for (const [name, value] of Object.entries(HOSTILE)) {
      const copy = args.slice();
      copy[i] = value;
      yield [`arg ${i} = ${name}`, copy];
    }
  }
}

function assertStillWorks() {
  assert.deepEqual(engine.check(PIXEL, 'https://site.test/', 'image'), expected.verdict);
  assert.deepEqual(engine.listStats(), expected.stats);
  assert.deepEqual(engine.snapshot(), expected.snapshot);
  assert.deepEqual(Engine.fromSnapshot(expected.snapshot).check(PIXEL, 'https://site.test/', 'image'), expected.verdict);
  assert.deepEqual(compileDnr(LISTS, 'chrome', {}), expected.compiled);
}

const isVerdict = (v) => ['blocked', 'allowed', 'no-match'].includes(v?.decision);

test('Engine.check: every hostile value in every argument', () => {
  for (const [label, args] of substituted([PIXEL, 'https://site.test/', 'image'])) {
    const { value, error } = answer(`check ${label}`, () => engine.check(...args));
    if (error) continue;
    assert.ok(isVerdict(value), `check ${label}: ${JSON.stringify(value)}`);
    assert.ok(args.every((a) => typeof a === 'string'), `check ${label}: a non-string was accepted`);
    // A string is read as its well-formed version (lone surrogates become U+FFFD).
    assert.deepEqual(value, engine.check(...args.map((a) => a.toWellFormed())), `check ${label}`);
  }
  assert.equal(engine.check(HOSTILE.hugeAscii, 'https://site.test/', 'image').decision, 'no-match');
  assert.throws(() => engine.check(42, '', 'image'), { name: 'Error', message: 'url must be a string, not number' });
  assert.throws(() => engine.check(PIXEL, null, 'image'), { message: 'sourceUrl must be a string, not null' });
  assertStillWorks();
});

test('Engine.suspect: hostile reports and hostile fields', () => {
  const report = { url: PIXEL, sourceUrl: 'https://site.test/', type: 'image', width: 1, height: 1, hidden: false, repeats: 1 };
  const cases = [...Object.entries(HOSTILE).map(([name, v]) => [`report = ${name}`, v])];
  for (const key of Object.keys(report)) {
    for (const [name, v] of Object.entries(HOSTILE)) cases.push([`${key} = ${name}`, { ...report, [key]: v }]);
  }
  for (const [label, value] of cases) {
    const { value: s, error } = answer(`suspect ${label}`, () => engine.suspect(value));
    if (!error) assert.equal(typeof s.suspected, 'boolean', `suspect ${label}`);
  }
  assert.throws(() => engine.suspect(HOSTILE.getterThrows), /report: id getter/);
  assertStillWorks();
  assert.deepEqual(engine.suspect(report), engine.suspect(structuredClone(report)));
});

test('Engine.fromLists: hostile lists, list entries and fields', () => {
  const cases = Object.entries(HOSTILE).flatMap(([name, v]) => [
    [`lists = ${name}`, v],
    [`lists[0] = ${name}`, [v]],
    [`id = ${name}`, [{ id: v, text: '||a.test^' }]],
    [`text = ${name}`, [{ id: 'a', text: v }]],
    [`title = ${name}`, [{ id: 'a', title: v, text: '||a.test^' }]],
  ]);
  for (const [label, lists] of cases) {
    const { value, error } = answer(`fromLists ${label}`, () => Engine.fromLists(lists));
    if (error) continue;
    assert.ok(value instanceof Engine, `fromLists ${label}`);
    assert.ok(isVerdict(value.check('https://a.test/x', '', 'image')), `fromLists ${label}: its engine answers`);
    value.free();
  }
  const surrogates = Engine.fromLists([{ id: 'a', text: `${HOSTILE.loneLow}\n||px.test^\uD800\n||px.test^` }]);
  assert.equal(surrogates.check(PIXEL, '', 'image').decision, 'blocked');
  assert.throws(() => Engine.fromLists(HOSTILE.proxy), /lists: /);
  assertStillWorks();
});

test('analyseList: hostile lists and fields', () => {
  const good = analyseList(LISTS[0]);
  assert.deepEqual(good, expected.stats[0]);
  const cases = Object.entries(HOSTILE).flatMap(([name, v]) => [
    [`list = ${name}`, v],
    [`id = ${name}`, { id: v, text: '||a.test^' }],
    [`text = ${name}`, { id: 'a', text: v }],
    [`title = ${name}`, { id: 'a', title: v, text: '||a.test^' }],
  ]);
  for (const [label, list] of cases) {
    const { value, error } = answer(`analyseList ${label}`, () => analyseList(list));
    if (!error) assert.equal(typeof value.stats?.network, 'number', `analyseList ${label}`);
  }
  assert.throws(() => analyseList(HOSTILE.getterThrows), /list: id getter/);
  assert.deepEqual(analyseList(LISTS[0]), good);
  assertStillWorks();
});

test('Engine.fromSnapshot: hostile bytes, and a snapshot in other wrappers', () => {
  for (const [name, value] of Object.entries(HOSTILE)) {
    answer(`fromSnapshot ${name}`, () => Engine.fromSnapshot(value));
  }
  assert.throws(() => Engine.fromSnapshot('PXGS'), { message: 'bytes must be a Uint8Array, not string' });
  assert.throws(() => Engine.fromSnapshot(HOSTILE.detached), Error);
  assert.throws(() => Engine.fromSnapshot(HOSTILE.throwingLength), /length getter/);
  // The same bytes as a view into a larger buffer, and as a Node Buffer (a Uint8Array subclass).
  const padded = new Uint8Array(expected.snapshot.length + 7);
  padded.set(expected.snapshot, 3);
  for (const bytes of [padded.subarray(3, 3 + expected.snapshot.length), Buffer.from(expected.snapshot)]) {
    assert.deepEqual(Engine.fromSnapshot(bytes).check(PIXEL, 'https://site.test/', 'image'), expected.verdict);
  }
  assertStillWorks();
});

test('methods on a hostile this, a constructed, a freed and a twice-freed engine', () => {
  const methods = ['check', 'suspect', 'listStats', 'snapshot'];
  for (const [name, value] of Object.entries(HOSTILE)) {
    for (const method of methods) answer(`${method} on ${name}`, () => Engine.prototype[method].call(value, PIXEL, '', 'image'));
  }
  const made = answer('new Engine()', () => new Engine());
  const freed = Engine.fromLists(LISTS);
  freed.free();
  for (const target of [made.value, freed].filter(Boolean)) {
    for (const method of methods) {
      // wasm-bindgen's own refusal of a method on an engine that is not (or no longer) one.
      assert.throws(() => target[method](PIXEL, '', 'image'), { name: 'Error', message: /null pointer passed to rust/ });
    }
  }
  answer('free twice', () => freed.free());
  assertStillWorks();
});

test('compileDnr: every hostile value in lists, browser, options and each option', () => {
  const cases = [...substituted([LISTS, 'chrome', {}])];
  for (const key of ['firstId', 'dynamic', 'budget']) {
    for (const [name, v] of Object.entries(HOSTILE)) cases.push([`options.${key} = ${name}`, [LISTS, 'firefox', { [key]: v }]]);
  }
  for (const [name, v] of Object.entries(HOSTILE)) cases.push([`budget.rules = ${name}`, [LISTS, 'chrome', { budget: { rules: v, unsafeRules: 1, regexRules: 1 } }]]);
  for (const [label, args] of cases) {
    const { value, error } = answer(`compileDnr ${label}`, () => compileDnr(...args));
    if (error) continue;
    assert.ok(Array.isArray(value.rules) && Array.isArray(value.reports), `compileDnr ${label}`);
    for (const rule of value.rules) assert.ok(Number.isInteger(rule.id) && rule.id >= 1, `compileDnr ${label}: rule id ${rule.id}`);
  }
  assert.throws(() => compileDnr(LISTS, 7, {}), { message: 'browser must be a string, not number' });
  assert.throws(() => compileDnr(LISTS, 'chrome', { firstId: 1.5 }), /options: /);
  assertStillWorks();
});

test('diffUpdate: every hostile value in every argument', () => {
  const text = LISTS[0].text;
  const next = `${text}||new.test^\n`;
  const good = diffUpdate(text, MAP, 'mine', next, 10);
  assert.ok(good.text.includes('||new.test^'));
  for (const [label, args] of substituted([text, MAP, 'mine', next, 10])) {
    const { value, error } = answer(`diffUpdate ${label}`, () => diffUpdate(...args));
    if (error) continue;
    assert.equal(typeof value.text, 'string', `diffUpdate ${label}`);
    assert.ok(Array.isArray(value.disableRuleIds), `diffUpdate ${label}`);
  }
  for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 32, '10', 10n]) {
    assert.throws(() => diffUpdate(text, MAP, 'mine', next, bad), /maxDisabled/, String(bad));
  }
  assert.deepEqual(diffUpdate(text, MAP, 'mine', next, 2 ** 32 - 1), diffUpdate(text, MAP, 'mine', next, 10));
  assertStillWorks();
});

test('registrableDomain: every hostile value', () => {
  assert.equal(wasm.registrableDomain('https://shop.example.co.uk/p.gif'), 'example.co.uk');
  for (const [name, value] of Object.entries(HOSTILE)) {
    const { value: domain, error } = answer(`registrableDomain ${name}`, () => wasm.registrableDomain(value));
    if (!error) assert.ok(domain === undefined || typeof domain === 'string', `registrableDomain ${name}`);
  }
  assert.throws(() => wasm.registrableDomain(42), { message: 'url must be a string, not number' });
  assertStillWorks();
});

test('initSync and init with hostile values once the wasm is running return it unchanged', async () => {
  const first = wasm.initSync({ module: new Uint8Array() });
  for (const [name, value] of Object.entries(HOSTILE)) {
    assert.equal(answer(`initSync ${name}`, () => wasm.initSync(value)).value, first, name);
    assert.equal(await wasm.default(value), first, name);
  }
  assertStillWorks();
});

test('after all of it the engine frees cleanly (no borrow left behind by a throw)', () => {
  assertStillWorks();
  engine.free();
  assert.throws(() => engine.check(PIXEL, '', 'image'), { message: /null pointer passed to rust/ });
});
