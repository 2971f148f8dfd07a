// Prints the manifest for one browser: base.json deep-merged with <browser>.json (arrays concatenate),
// the "@webmail-pages" match list replaced by the webmail pages of WEBMAIL_JSON (`pixelguard webmail`).
import { readFileSync } from 'node:fs';

const [browser, webmailJson] = process.argv.slice(2);
if (!['chrome', 'firefox'].includes(browser) || !webmailJson) {
  console.error('usage: node build.mjs chrome|firefox WEBMAIL_JSON');
  process.exit(2);
}
const { pages } = JSON.parse(readFileSync(webmailJson, 'utf8'));
const read = (name) => JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8'));

function merge(base, overlay) {
  if (Array.isArray(base) && Array.isArray(overlay)) return [...base, ...overlay];
  if (base && overlay && typeof base === 'object' && typeof overlay === 'object') {
    const out = { ...base };
    for (const [key, value] of Object.entries(overlay)) out[key] = key in base ? merge(base[key], value) : value;
    return out;
  }
  return overlay;
}

const webmailPages = (key, value) => (Array.isArray(value) && value.length === 1 && value[0] === '@webmail-pages' ? pages : value);
process.stdout.write(`${JSON.stringify(merge(read('base'), read(browser)), webmailPages, 2)}\n`);
