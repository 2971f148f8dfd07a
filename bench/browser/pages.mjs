// The pages the browser bench loads, all served by the local test server (every host is it):
// 150 first-party images and 100 tracker pixels; the same page without trackers; and a page of
// 1,000 elements for the content scripts' main-thread time.

// 10 tracker endpoints × 10 variants, each blocked by EasyPrivacy (checked against the engine), on
// hosts Chromium does not force to https (HSTS-preloaded ones would fail at the proxy instead of
// loading: google-analytics.com, doubleclick.net, bing.com, pinterest.com, hubspot.com are out).
const TRACKERS = [
  (i) => `http://sb.scorecardresearch.com/p?c1=2&c2=${1000 + i}&cv=3.6`,
  (i) => `http://pixel.quantserve.com/pixel/p-${i}.gif?labels=x`,
  (i) => `http://px.ads.linkedin.com/collect/?pid=${i}&fmt=gif`,
  (i) => `http://analytics.twitter.com/i/adsct?txn_id=${i}&p_id=Twitter`,
  (i) => `http://pixel.tapad.com/idsync/ex/receive?partner_id=${i}`,
  (i) => `http://secure.adnxs.com/px?id=${i}&t=2`,
  (i) => `http://sp.analytics.yahoo.com/spp.pl?a=${i}&e=pv`,
  (i) => `http://px.moatads.com/pixel.gif?e=${i}`,
  (i) => `http://pixel.mathtag.com/event/img?mt_id=${i}`,
  (i) => `http://d.adroll.com/cm/g/out?id=${i}`,
];
export const TRACKER_COUNT = 100;
export const trackerUrls = () => Array.from({ length: TRACKER_COUNT }, (_, i) => TRACKERS[i % 10](Math.floor(i / 10)));
/** A tracker no page loads: each cold start asks for a new one (`n`), so its log entry is new. */
export const coldStartTracker = (n) => `http://sb.scorecardresearch.com/p?c1=2&c2=9${n}&cv=cold`;
export const SITE = 'shop.test';
const firstParty = () => Array.from({ length: 150 }, (_, i) => `http://${SITE}/img/product-${i}.png`);

const page = (title, body) => `<!doctype html><meta charset="utf-8"><title>${title}</title><body>${body}</body>`;
const img = (u) => `<img src="${u}" width="1" height="1" alt="">`;

/** 150 first-party images and 100 tracker pixels. */
export const TRACKER_PAGE = page('trackers', firstParty().map(img).join('') + trackerUrls().map(img).join(''));
/** 150 first-party images, no tracker. */
export const CLEAN_PAGE = page('clean', firstParty().map(img).join(''));

/**
 * 1,000 elements (with html, head and body): a shop's front page — navigation, 60 product cards
 * with first-party images, text and links, a large third-party CDN image, an unlisted tiny
 * third-party image and a footer. What a content script in every frame meets on an ordinary page.
 */
export function elementsPage() {
  const nav = Array.from({ length: 20 }, (_, i) => `<li><a href="/c/${i}">Category ${i}</a></li>`).join('');
  const card = (i) => `<article class="card"><a href="/p/${i}"><img src="/img/p${i}.jpg" width="120" height="90" alt=""></a>`
    + `<h3><a href="/p/${i}">Product ${i}</a></h3><p>Fine <em>thing</em> number ${i}, <span class="price">${i}.99</span></p>`
    + `<div class="meta"><span>★★★★</span><span>${i} reviews</span><button type="button">Add</button></div>`
    + '<ul class="tags"><li>new</li><li>sale</li></ul></article>';
  const cards = Array.from({ length: 60 }, (_, i) => card(i)).join('');
  const footer = Array.from({ length: 21 }, (_, i) => `<li><a href="/f/${i}">Footer ${i}</a></li>`).join('');
  const body = `<header><h1>Shop</h1><nav><ul>${nav}</ul></nav></header>`
    + '<main><img src="http://images.photo-cdn.test/hero-1600x500.jpg" width="800" height="250" alt="">'
    + `<section class="grid">${cards}</section>`
    + '<img src="http://px.unlisted-metrics.test/o?uid=Zq81Lm20Kd93Xv55" width="1" height="1" alt=""></main>'
    + `<footer><ul>${footer}</ul><p><small>© Shop</small></p></footer>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>1,000 elements</title>
<style>.card{display:inline-block;width:180px;margin:4px}.price{font-weight:bold}</style></head><body>${body}</body></html>`;
}
