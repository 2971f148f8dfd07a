// Prints the manifest for one browser: base.json deep-merged with <browser>.json (arrays concatenate).
import { readFileSync } from 'node:fs';

const browser = process.argv[2];
if (!['chrome', 'firefox'].includes(browser)) {
  console.error('usage: node build.mjs chrome|firefox');
  process.exit(2);
}
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

process.stdout.write(`${JSON.stringify(merge(read('base'), read(browser)), null, 2)}\n`);
