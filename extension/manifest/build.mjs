// Prints the manifest for one browser: base.json deep-merged with <browser>.json (arrays concatenate),
// after a static ruleset per built-in list of lists/builtins.json (`rules/<id>.rules.json`, on), the
// "@webmail-pages" match list replaced by the webmail pages of WEBMAIL_JSON (`pixelguard webmail`).
import { readFileSync } from 'node:fs';

const [browser, webmailJson] = process.argv.slice(2);
if (!['chrome', 'firefox'].includes(browser) || !webmailJson) {
  console.error('usage: node build.mjs chrome|firefox WEBMAIL_JSON');
  process.exit(2);
}
const read = (url) => JSON.parse(readFileSync(url, 'utf8'));
const part = (name) => read(new URL(`./${name}.json`, import.meta.url));
const { pages } = read(webmailJson);

function merge(base, overlay) {
  if (Array.isArray(base) && Array.isArray(overlay)) return [...base, ...overlay];
  if (base && overlay && typeof base === 'object' && typeof overlay === 'object') {
    const out = { ...base };
    for (const [key, value] of Object.entries(overlay)) out[key] = key in base ? merge(base[key], value) : value;
    return out;
  }
  return overlay;
}

const lists = read(new URL('../../lists/builtins.json', import.meta.url))
  .map(({ id }) => ({ id, enabled: true, path: `rules/${id}.rules.json` }));
const manifest = merge(part('base'), part(browser));
manifest.declarative_net_request.rule_resources.unshift(...lists);
const webmailPages = (key, value) => (Array.isArray(value) && value.length === 1 && value[0] === '@webmail-pages' ? pages : value);
process.stdout.write(`${JSON.stringify(manifest, webmailPages, 2)}\n`);
