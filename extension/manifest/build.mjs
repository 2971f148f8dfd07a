// Prints the manifest for one browser: base.json deep-merged with <browser>.json (arrays concatenate),
// after a static ruleset per built-in list of lists/builtins.json (`rules/<id>.rules.json`, on).
import { readFileSync } from 'node:fs';

const browser = process.argv[2];
if (!['chrome', 'firefox'].includes(browser)) {
  console.error('usage: node build.mjs chrome|firefox');
  process.exit(2);
}
const read = (url) => JSON.parse(readFileSync(url, 'utf8'));
const part = (name) => read(new URL(`./${name}.json`, import.meta.url));

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
process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
