// Every user-visible string comes from _locales: each locale has every English key with the same
// $n placeholders; every key the code names exists; the pages' HTML holds no text of its own; the
// scripts only the pages (and content scripts) run hold no literal that reads as words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as acorn from 'acorn';

const EXT = fileURLToPath(new URL('../../extension/', import.meta.url));
const LOCALES = ['en', 'de', 'fr', 'es'];
const messages = Object.fromEntries(LOCALES.map((l) => [l, JSON.parse(readFileSync(join(EXT, '_locales', l, 'messages.json'), 'utf8'))]));
const english = messages.en;
const placeholders = (text) => [...new Set(text.match(/\$\d/g) ?? [])].sort();

const walk = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? walk(path) : [path];
});
const files = walk(EXT).filter((p) => !p.includes(`${join(EXT, '_locales')}`));
const pages = files.filter((p) => p.endsWith('.html'));

/** The modules a script imports, recursively (static imports only: all the extension uses; the wasm glue is built). */
function closure(entries) {
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path) || !existsSync(path)) return;
    seen.add(path);
    const ast = acorn.parse(readFileSync(path, 'utf8'), { ecmaVersion: 'latest', sourceType: 'module' });
    for (const node of ast.body) {
      if (node.type === 'ImportDeclaration' && node.source.value.startsWith('.')) visit(resolve(dirname(path), node.source.value));
    }
  };
  entries.forEach(visit);
  return seen;
}
const manifest = JSON.parse(readFileSync(join(EXT, 'manifest', 'base.json'), 'utf8'));
const pageScripts = pages.flatMap((p) => [...readFileSync(p, 'utf8').matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => resolve(dirname(p), m[1])));
const background = closure([join(EXT, 'src', 'background.js')]);
// content/generated/ is the build's (the core's constants: data, no text), not in extension/.
const contentScripts = manifest.content_scripts.flatMap((c) => c.js.filter((j) => !j.includes('/generated/')).map((j) => join(EXT, j)));
/** What only the pages run (shared modules with the background excluded), plus the content scripts. */
const uiScripts = [...closure(pageScripts)].filter((p) => !background.has(p)).concat(contentScripts);

test('every locale has exactly the English keys, with the same placeholders', () => {
  for (const locale of LOCALES.slice(1)) {
    const keys = Object.keys(messages[locale]);
    assert.deepEqual(Object.keys(english).filter((k) => !keys.includes(k)), [], `${locale}: missing keys`);
    assert.deepEqual(keys.filter((k) => !(k in english)), [], `${locale}: keys English does not have`);
    for (const key of keys) {
      assert.ok(messages[locale][key].message.trim(), `${locale}.${key} is empty`);
      assert.deepEqual(placeholders(messages[locale][key].message), placeholders(english[key].message), `${locale}.${key}: placeholders`);
    }
  }
});

/** Keys named in code: t('key'), data-i18n, data-i18n-attrs, __MSG_key__; and label('prefix') prefixes. */
function usedKeys() {
  const keys = new Set();
  const prefixes = new Set();
  for (const path of files.filter((p) => /\.(js|mjs|html|json)$/.test(p))) {
    const text = readFileSync(path, 'utf8');
    for (const m of text.matchAll(/\bt\('([A-Za-z0-9_]+)'/g)) keys.add(m[1]);
    for (const m of text.matchAll(/data-i18n="([^"]+)"/g)) keys.add(m[1]);
    for (const m of text.matchAll(/data-i18n-attrs="([^"]+)"/g)) for (const pair of m[1].split(/\s+/)) keys.add(pair.split(':')[1]);
    for (const m of text.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)) keys.add(m[1]);
    for (const m of text.matchAll(/\blabel\('([a-z]+)'/g)) prefixes.add(m[1]);
  }
  return { keys, prefixes };
}

test('every key the code names exists in English, and every English key is used', () => {
  const { keys, prefixes } = usedKeys();
  assert.deepEqual([...keys].filter((k) => !(k in english)), [], 'keys missing from _locales/en');
  const unused = Object.keys(english).filter((k) => !keys.has(k) && ![...prefixes].some((p) => k.startsWith(`${p}_`)));
  assert.deepEqual(unused, [], 'English keys nothing uses');
  assert.ok(prefixes.size > 0 && pages.length >= 2, `found ${pages.length} pages and label prefixes ${[...prefixes]}`);
});

test('the pages\' HTML holds no text of its own: only data-i18n', () => {
  for (const page of pages) {
    const html = readFileSync(page, 'utf8').replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style)\b[\s\S]*?<\/\1>/g, '');
    const name = relative(EXT, page);
    for (const m of html.matchAll(/>([^<]*)</g)) assert.equal(m[1].trim(), '', `${name}: text "${m[1].trim()}"`);
    for (const m of html.matchAll(/<[a-z]+\b[^>]*>/g)) {
      const tag = m[0];
      for (const attr of ['title', 'alt', 'aria-label', 'placeholder', 'label']) {
        const value = tag.match(new RegExp(`\\s${attr}="([^"]*)"`))?.[1];
        assert.ok(!value, `${name}: ${attr}="${value}" in ${tag}`);
      }
    }
  }
});

/** A literal that reads as words a person would read: two words with a space, or a capitalised word. */
const wordy = (text) => /\p{L}{2,} +\p{L}{2,}/u.test(text) || /^\p{Lu}\p{Ll}+/u.test(text.trim());

test('the scripts the pages run hold no literal that reads as words', () => {
  assert.ok(uiScripts.some((p) => p.endsWith('popup.js')) && uiScripts.some((p) => p.endsWith('options.js')), uiScripts.join());
  const found = [];
  for (const path of uiScripts) {
    const source = readFileSync(path, 'utf8');
    const ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: path.includes('/content/') ? 'script' : 'module', locations: true });
    const skip = new Set();  // developer-facing: console output
    const visit = (node) => {
      if (!node || typeof node.type !== 'string' || skip.has(node)) return;
      if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && node.callee.object.name === 'console') return;
      if (node.type === 'ImportDeclaration') return;
      if (node.type === 'Literal' && typeof node.value === 'string' && wordy(node.value)) found.push(`${relative(EXT, path)}:${node.loc.start.line}: ${JSON.stringify(node.value)}`);
      if (node.type === 'TemplateElement' && wordy(node.value.cooked)) found.push(`${relative(EXT, path)}:${node.loc.start.line}: \`${node.value.cooked}\``);
      for (const value of Object.values(node)) {
        if (Array.isArray(value)) value.forEach(visit);
        else if (value && typeof value === 'object') visit(value);
      }
    };
    visit(ast);
  }
  assert.deepEqual(found, [], 'hard-coded text: put it in _locales and use t()');
});
