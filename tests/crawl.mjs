// The shared 2019 top-sites crawl as `{ url, sourceUrl, type }`, its Puppeteer types mapped to
// webRequest names by the core's table (`crawlResourceTypes` in dist's generated constants); for
// the tests and the bench.
import { readFileSync } from 'node:fs';
import { CORE } from '../dist/chrome/src/generated/core.js';

const TYPES = CORE.crawlResourceTypes;

/** The crawl file's requests, in file order. */
export function corpus(file) {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => {
    const { frameUrl, url, cpt } = JSON.parse(line);
    return { url, sourceUrl: frameUrl ?? '', type: TYPES[cpt] ?? cpt };
  });
}
