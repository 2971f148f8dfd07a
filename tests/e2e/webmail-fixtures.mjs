// Webmail test pages: Gmail, Outlook on the web, Yahoo Mail and Proton Mail reproduced at their real
// origins, each opening a marketing email (inserted by innerHTML after a delay, as webmails do) whose
// images come through that webmail's image proxy: known email-open pixels, an unknown 1×1 pixel
// with an identifier, the senders' content images on their ESPs' CDNs, and a logo; the test
// server's routes for them.

/** Email-open pixels: the sender's URL, its company, and how the message declares the image. */
export const PIXELS = [
  { company: 'Mailchimp', url: 'https://acme.us21.list-manage.com/track/open.php?u=0123abcd4567ef&id=89ab01cd&e=0123456789', attrs: 'width="1" height="1"' },
  { company: 'SendGrid', url: 'https://u1234567.ct.sendgrid.net/wf/open?upn=AbCd-2BeFgH_3iJkL', attrs: 'width="1" height="1" border="0"' },
  { company: 'HubSpot', url: 'https://t.sidekickopen70.com/e1t/o/5/f18dQhb0S7kF8cpgqW7MvNF6W1p8zZ22q0C8BW2', attrs: 'style="display:none!important"' },
  { company: 'Kit', url: 'https://open.convertkit-mail2.com/v8u0lmx7w8sxh7pvx3f8', attrs: 'width="1" height="1"' },
  { company: 'Klaviyo', url: 'https://trk.klclick1.com/ls/o/ABCDEFGH1234', attrs: '' },
  { company: 'Brevo', url: 'https://abc1def.r.bh.d.sendibt3.com/tr/op/zYxW-VuTsRqPoNmLkJi', attrs: 'width="1" height="1"' },
  { company: 'Salesforce Marketing Cloud', url: 'https://cl.s7.exct.net/open.aspx?ffcb10-fe8a1c7670660c7d-fe2c1577756d057e7d1c', attrs: 'width="1" height="1"' },
  { company: 'Postmark', url: 'https://click.pstmrk.it/open?m=v1_0123456789abcdef&r=abc', attrs: 'style="width:1px;height:1px"' },
  // No list names this sender: the pixel heuristics must (tiny, an identifier, an `/o/` path).
  { company: 'unknown-sender.test', url: 'https://news.unknown-sender.test/v2/o/Kd82nLq0Zx5Vb7Mw3Rt1Qp', attrs: 'width="1" height="1"', unlisted: true },
];

/** Content images that must load: ESP-hosted photos and banners (one without a declared size), a logo. */
export const CONTENT = [
  { url: 'https://cdn.acme-shop.com/email/logo.png', attrs: 'width="150" height="50" alt="Acme"', label: 'ACME', size: [150, 50] },
  { url: 'https://mcusercontent.com/0123abcd4567ef/images/4f8e2c1a-7b3d-4e5f-9a0b-1c2d3e4f5a6b.jpg', attrs: 'width="560" height="160" alt="Winter sale"', label: 'Winter sale — 30% off', size: [560, 160] },
  { url: 'https://f.hubspotusercontent10.net/hubfs/1234567/header.png', attrs: 'width="560" alt="Header"', label: 'New this week', size: [560, 60] },
  { url: 'https://gallery.mailchimp.com/0123abcd/images/product.jpg', attrs: 'alt="Boots"', label: 'Trail boots', size: [270, 120] },
  { url: 'https://d3k81ch9hvuctc.cloudfront.net/company/AbC123/images/banner.jpeg', attrs: 'style="width:560px;max-width:100%" alt="Banner"', label: 'Free returns', size: [560, 60] },
];

/** encodeURIComponent, with lower-case escapes when asked (some proxies write `%2f`). */
const encode = (url, lower = false) => {
  const encoded = encodeURIComponent(url);
  return lower ? encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()) : encoded;
};

/**
 * The webmails: the page's URL, how its proxy writes an image URL (`n` numbers the image, for a
 * unique token), and the markup around the message (subject heading, body container).
 */
export const WEBMAILS = [
  {
    name: 'Gmail', page: 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJWbcDkpqRtLmNsVxZ',
    proxy: (url, n) => `https://ci${3 + (n % 4)}.googleusercontent.com/${n % 3 ? 'meips' : 'proxy'}/ADKq_Nb${n}T0k3nQx7-Zr2Lw=s0-d-e1-ft#${url}`,
    subject: (s) => `<h2 class="hP" data-thread-perm-id="thread-f:1816">${s}</h2>`,
    body: (html) => `<div class="a3s aiL">${html}</div>`,
  },
  {
    name: 'Outlook', page: 'https://outlook.live.com/mail/0/inbox/id/AQMkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgBGAAAD',
    proxy: (url) => `https://outlook.live.com/actions/ei?u=${encode(url)}&d=2026-11-29T10%3A00%3A00.000Z`,
    subject: (s) => `<div role="heading" aria-level="2"><span>${s}</span></div>`,
    body: (html) => `<div class="allowTextSelection" aria-label="Message body">${html}</div>`,
    originalsrc: true,
  },
  {
    name: 'Yahoo Mail', page: 'https://mail.yahoo.com/d/folders/1/messages/AHq3mJ1xS0b2ZkVvbQ',
    proxy: (url, n) => `https://ecp.yusercontent.com/mail?url=${encode(url, true)}&t=1764410000&ymreqid=0c5d-${n}&sig=Zx81Kq02PlMn77Vb${n}`,
    subject: (s) => `<h2 data-test-id="message-group-subject-text">${s}</h2>`,
    body: (html) => `<div data-test-id="message-view-body-content">${html}</div>`,
  },
  {
    name: 'Proton Mail', page: 'https://mail.proton.me/u/0/inbox/Ab12Cd34Ef56',
    proxy: (url, n) => `https://mail.proton.me/api/core/v4/images?Url=${encode(url)}&DryRun=0&UID=u${n}`,
    subject: (s) => `<h1 class="message-conversation-summary-header">${s}</h1>`,
    body: (html) => `<div class="message-content">${html}</div>`,
  },
];

const SUBJECT = 'Your winter picks are here ❄';

/** Every image of the message in `webmail`'s proxy shape: `{ ...image, proxied, pixel }`. */
export function images(webmail) {
  return [...PIXELS.map((p) => ({ ...p, pixel: true })), ...CONTENT.map((c) => ({ ...c, pixel: false }))]
    .map((image, n) => ({ ...image, proxied: webmail.proxy(image.url, n) }));
}

const attr = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/** The message's HTML: a newsletter table with the content images, the pixels at its end. */
function message(webmail) {
  const all = images(webmail);
  const tag = (i) => `<img src="${attr(i.proxied)}"${webmail.originalsrc ? ` originalsrc="${attr(i.url)}"` : ''} ${i.attrs}>`;
  const content = all.filter((i) => !i.pixel).map((i) => `<tr><td>${tag(i)}</td></tr>`).join('');
  return `${webmail.subject(SUBJECT)}<p class="from">Acme Outfitters &lt;news@acme-shop.com&gt;</p>${webmail.body(
    `<table role="presentation" width="560"><tbody>${content}<tr><td><p>Boots, parkas and more — 30% off this week.</p></td></tr></tbody></table>${
      all.filter((i) => i.pixel).map(tag).join('')}`)}`;
}

/**
 * The webmail's page: a mail app shell whose script, after a delay, inserts the open message with
 * innerHTML; `body[data-done]` once every image of it has settled (loaded, failed, or has no address).
 */
export function page(webmail) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Inbox — ${webmail.name}</title><style>
body { font: 14px/1.4 sans-serif; margin: 0; color: #202124; }
header { padding: 12px 20px; border-bottom: 1px solid #ddd; font-weight: bold; }
main { display: flex; } nav { width: 160px; padding: 12px 20px; color: #555; } #view { padding: 12px 20px; max-width: 600px; }
h1, h2, [role="heading"] { font-size: 20px; font-weight: normal; margin: 8px 0 4px; }
.from { color: #555; margin: 0 0 12px; } img { display: block; background: #e8eaed; }
</style></head><body><header>${webmail.name}</header><main><nav>Inbox<br>Starred<br>Sent</nav><div id="view"></div></main>
<script>
const html = ${JSON.stringify(message(webmail))};
setTimeout(() => {
  const view = document.getElementById('view');
  view.innerHTML = html;
  const settled = () => [...view.querySelectorAll('img')].every((img) => img.complete);
  const done = () => { if (settled()) document.body.dataset.done = '1'; else setTimeout(done, 50); };
  done();
}, 300);
</script></body></html>`;
}

/** A content image as the server answers it: an SVG of its size with its label, so that nothing takes it for a pixel. */
export const contentBody = ({ label, size: [w, h] }) => `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="#cbd5e1"/><text x="16" y="${h / 2 + 8}" font-family="sans-serif" font-size="${Math.min(24, h / 2)}" fill="#334155">${label}</text></svg>`;

/** Preloaded by the page with `new Image()`: a listed email-open pixel, and a tracker EasyPrivacy's tracking-server section names. */
export const PRELOADS = [
  { url: 'https://acme.us21.list-manage.com/track/open.php?u=preload&id=89ab01cd', company: 'Mailchimp' },
  { url: 'https://sb.scorecardresearch.com/p?c1=2&c2=6035250&cv=3.6&cj=1', company: 'Comscore' },
];

/** What the server logs for a URL: host, path and query (the fragment is never sent). */
const key = (url) => {
  const u = new URL(url);
  return `${u.hostname}${u.pathname}${u.search}`;
};

/** The webmail page with a preload of `PRELOADS` in its proxy shape (n from 90). */
function pageWithPreloads(webmail) {
  const urls = PRELOADS.map((p, i) => webmail.proxy(p.url, 90 + i));
  return page(webmail).replace('</script>', `for (const u of ${JSON.stringify(urls)}) new Image().src = u;\n</script>`);
}

/** Routes: each webmail page, and the proxies' URLs — content images as an SVG of their size, the rest as the 1×1 GIF. */
export function routes() {
  const content = new Map(WEBMAILS.flatMap((w) => images(w).filter((i) => !i.pixel).map((i) => [key(i.proxied), contentBody(i)])));
  const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
  const image = (req, res) => {
    const url = new URL(req.url.startsWith('/') ? `http://${req.headers.host}${req.url}` : req.url);
    const svg = content.get(`${url.hostname}${url.pathname}${url.search}`);
    res.writeHead(200, { 'content-type': svg ? 'image/svg+xml' : 'image/gif', 'cache-control': 'no-store' });
    res.end(svg ?? gif);
  };
  const out = {};
  for (const w of WEBMAILS) {
    const u = new URL(w.page);
    out[`${u.hostname}${u.pathname}`] = pageWithPreloads(w);
    for (const i of images(w)) out[new URL(i.proxied).pathname] ??= image;
  }
  return out;
}

/** Whether the server received `url` (host, path and query). */
export const arrived = (server, url) => server.log.some((r) => r.url === key(url));
