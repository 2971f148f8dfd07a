// Test pages and lists for the browser tests: a news page with ≥ 20 pixels and tags from real
// tracker hostnames (img, sendBeacon, fetch, script) plus first-party images, and custom lists.

/**
 * Real tracker endpoints, each requested by the page the way such trackers are; hosts on the
 * browsers' HSTS preload list (facebook.com, google-analytics.com, bing.com) are requested over
 * https, which the test proxy terminates locally.
 */
export const TRACKERS = [
  { how: 'img', url: 'https://www.facebook.com/tr?id=1234&ev=PageView&noscript=1' },
  { how: 'img', url: 'https://bat.bing.com/action/0?ti=5000&Ver=2' },
  { how: 'beacon', url: 'https://www.google-analytics.com/g/collect?v=2&tid=G-ABC&en=page_view' },
  { how: 'script', url: 'https://connect.facebook.net/en_US/fbevents.js' },
  { how: 'img', url: 'http://ct.sendgrid.net/wf/open?upn=abc123' },
  { how: 'img', url: 'http://us1.list-manage.com/track/open.php?u=1&id=2' },
  { how: 'img', url: 'http://pixel.mathtag.com/event/img?mt_id=1' },
  { how: 'img', url: 'http://px.ads.linkedin.com/collect/?pid=42&fmt=gif' },
  { how: 'img', url: 'http://analytics.twitter.com/i/adsct?p_id=Twitter&txn_id=abc' },
  { how: 'img', url: 'http://pixel.tapad.com/idsync/ex/receive?partner=1' },
  { how: 'img', url: 'http://sb.scorecardresearch.com/p?c1=2&c2=6035&cv=2.0&cj=1' },
  { how: 'img', url: 'http://ping.chartbeat.net/ping?h=news.test&p=%2Farticle' },
  { how: 'img', url: 'http://pixel.wp.com/g.gif?v=ext&blog=1' },
  { how: 'img', url: 'http://sp.analytics.yahoo.com/sp.pl?a=10000&.yp=123' },
  { how: 'img', url: 'http://mc.yandex.ru/watch/12345' },
  { how: 'img', url: 'http://heapanalytics.com/h?a=1&u=x' },
  { how: 'beacon', url: 'http://bam.nr-data.net/1/abc?a=1' },
  { how: 'beacon', url: 'http://api2.amplitude.com/2/httpapi' },
  { how: 'beacon', url: 'http://tr.snapchat.com/p' },
  { how: 'fetch', url: 'http://api.segment.io/v1/t' },
  { how: 'fetch', url: 'http://rs.fullstory.com/rec/bundle' },
  { how: 'fetch', url: 'http://analytics.tiktok.com/api/v2/pixel' },
  { how: 'script', url: 'http://www.googletagmanager.com/gtm.js?id=GTM-ABC' },
  { how: 'script', url: 'http://js.hs-analytics.net/analytics/1/1.js' },
  { how: 'script', url: 'http://static.hotjar.com/c/hotjar-1.js?sv=6' },
  { how: 'script', url: 'http://www.clarity.ms/tag/abcdef' },
];

/** A tracker URL carrying markup: the popup must show it as text. */
export const CRAFTED = 'http://ct.sendgrid.net/wf/open?upn="><script>alert(1)</script><img src=x onerror=alert(2)>';

export const FIRST_PARTY = ['/img/logo.png', '/img/hero.jpg', '/img/avatar.gif'];

/** The page at http://news.test/article?run=N: trackers, first-party images, optional extra images. */
export function newsPage({ crafted = false, extra = [] } = {}) {
  const imgs = [...TRACKERS.filter((t) => t.how === 'img').map((t) => t.url), ...FIRST_PARTY, ...extra];
  const scripts = TRACKERS.filter((t) => t.how === 'script').map((t) => t.url);
  const beacons = TRACKERS.filter((t) => t.how === 'beacon').map((t) => t.url);
  const fetches = TRACKERS.filter((t) => t.how === 'fetch').map((t) => t.url);
  if (crafted) imgs.push(CRAFTED);
  return `<!doctype html><html><head><meta charset="utf-8"><title>News</title>
${scripts.map((u) => `<script async src="${u}"></script>`).join('\n')}</head><body><h1>Today's news</h1>
${imgs.map((u) => `<img width="1" height="1" alt="" src="${u.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}">`).join('\n')}
<script>
const urls = ${JSON.stringify({ beacons, fetches })};
for (const u of urls.beacons) navigator.sendBeacon(u, 'e=1');
Promise.allSettled(urls.fetches.map((u) => fetch(u, { method: 'POST', body: '{}', mode: 'no-cors' })))
  .then(() => { document.body.dataset.done = '1'; });
</script></body></html>`;
}

/** The host/path prefix the server logs for a URL (as `startServer` does). */
export const logged = (url) => {
  const u = new URL(url);
  return `${u.hostname}${u.pathname}`;
};

/** A custom list blocking a tracker EasyPrivacy does not know. */
export const CUSTOM_LIST = `! Title: Local test trackers
! Expires: 1 day
||pixel.newtracker.test^
not a filter at all $$$ ##
`;
export const NEW_TRACKER = 'http://pixel.newtracker.test/open.gif?u=1';

/** A page of plain images, marked done once they all settled. */
export const imagesPage = (urls) => `<!doctype html><title>Images</title><body>
${urls.map((u) => `<img width="1" height="1" alt="" src="${u}">`).join('\n')}
<script>addEventListener('load', () => { document.body.dataset.done = '1'; });</script></body>`;

/** A list of `count` rules DNR cannot fold (one path each), blocking http://over.test/pN.gif. */
export const hugeList = (count) => `! Title: Bigger than the budget\n${
  Array.from({ length: count }, (_, i) => `||over.test/p${i}.gif`).join('\n')}\n`;
