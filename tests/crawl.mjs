// The shared 2019 top-sites crawl as `{ url, sourceUrl, type }`, its Puppeteer types mapped to
// webRequest names (as the core's `crawl_resource_type` does); for the tests and the bench.
import { readFileSync } from 'node:fs';

const TYPES = { document: 'sub_frame', xhr: 'xmlhttprequest', fetch: 'xmlhttprequest', texttrack: 'other', manifest: 'other' };

/** The crawl file's requests, in file order. */
export function corpus(file) {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => {
    const { frameUrl, url, cpt } = JSON.parse(line);
    return { url, sourceUrl: frameUrl ?? '', type: TYPES[cpt] ?? cpt };
  });
}
