// Webmail: the hold (DNR rules keeping back every image a webmail page loads through its image
// proxy, from the core), and the judgement of the images the webmail content script took off — the
// sender's URL the proxy carries, checked by the lists (or the user's blocked hosts), else scored by
// the core's pixel heuristics on what the message declares; each pixel stopped is logged for its tab.
import { api, browserName } from './browser.js';
import { withEngine } from './engine.js';
import { HOLD } from './generated/hold.js';
import { record } from './log.js';
import { RANGES, applyWebmail, blockedHostOf, withinHost } from './rules.js';
import { loadSettings } from './settings.js';
import { siteOf } from './sites.js';

const TOKEN_KEY = 'webmailToken';

/** The webmail pages the hold keeps proxied images back for (its rules' initiators). */
const HELD_PAGES = [...new Set(HOLD[browserName].filter((rule) => rule.action.type === 'block').flatMap((rule) => rule.condition.initiatorDomains))];

/** Whether a request from `source` (a page's address or origin) may be an image the hold kept back. */
export function fromHeldPage(source) {
  const host = /^https?:\/\/([^/:?#]+)/.exec(source)?.[1];
  return Boolean(host && HELD_PAGES.some((page) => withinHost(host, page)));
}

/** This install's release token, made once (random, kept in storage.local). */
async function token() {
  const { [TOKEN_KEY]: stored } = await api.storage.local.get(TOKEN_KEY);
  if (typeof stored === 'string' && /^[0-9a-f]{32}$/.test(stored)) return stored;
  const made = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  await api.storage.local.set({ [TOKEN_KEY]: made });
  return made;
}

/**
 * `{ rules, release }`: the hold's rules (the core's, built with the extension: no wasm at start-up)
 * numbered from the webmail range, the release rule's `pixelguard-release=` completed with this
 * install's token; and that marker, which a released image's URL carries.
 */
async function hold() {
  const template = HOLD[browserName];
  const release = `${template.at(-1).condition.urlFilter}${await token()}`;
  const rules = template.map((rule, i) => ({ ...rule, id: RANGES.webmail.first + i }));
  rules[rules.length - 1] = { ...rules.at(-1), condition: { ...rules.at(-1).condition, urlFilter: release } };
  return { rules, release };
}

/**
 * What a released image's URL carries (`pixelguard-release=TOKEN`): the hold is applied at install,
 * update and browser start, and its rules outlive the background, which may wake without applying
 * it; so the marker is made again (from the core and the stored token) the first time a wake needs it.
 */
let releasing = null;
const release = () => (releasing ??= hold().then((h) => h.release).catch((error) => {
  releasing = null;
  throw error;
}));

/** Applies the webmail hold (at install, update and browser start: dynamic rules outlive the background). */
export async function applyWebmailHold() {
  try {
    const { rules, release: marker } = await hold();
    await applyWebmail(rules);
    releasing = Promise.resolve(marker);
  } catch (error) {
    console.error('PixelGuard: the webmail hold is not applied:', error);  // the lists' proxy twins still block
  }
}

const MAX_IMAGES = 100;  // per message
const MAX_URL = 8192;

const hostOf = (url) => {
  try { return new URL(url).hostname; } catch { return null; }
};
const size = (v) => (Number.isFinite(v) && v >= 0 ? v : undefined);

/** An image report for the core, from one a page's process sent: only known, well-typed fields. */
function clean(image, sourceUrl) {
  if (typeof image?.url !== 'string' || image.url.length > MAX_URL || !/^https?:\/\//i.test(image.url)) return null;
  return {
    url: image.url, sourceUrl, type: 'image', hidden: image.hidden === true,
    width: size(image.width), height: size(image.height),
    repeats: Number.isInteger(image.repeats) && image.repeats > 0 ? Math.min(image.repeats, 10_000) : 1,
  };
}

/** The log entry for a held image that is a pixel, or null: let it load. */
function judge(engine, image) {
  const verdict = engine.check(image.url, image.sourceUrl, 'image');
  if (!verdict.proxied || verdict.decision === 'allowed') return null;  // only proxied images are held
  const { via, original } = verdict.proxied;
  // Held images are a webmail's proxied message images: what they report is an email open.
  const entry = { url: original, proxy: image.url, via, type: 'image', time: Date.now(), path: 'webmail', decision: 'blocked', kind: 'email-open' };
  if (verdict.decision === 'blocked') {
    return { ...entry, host: verdict.host, filter: verdict.filter, company: verdict.company ?? verdict.host, category: verdict.category ?? null };
  }
  const mine = blockedHostOf(verdict.host ?? hostOf(original) ?? '');
  if (mine) return { ...entry, host: hostOf(original), filter: { list: 'your blocked hosts', text: `||${mine}^`, line: null }, company: mine, category: null };
  const suspicion = engine.suspect(image);
  if (!suspicion.suspected) return null;
  return { ...entry, host: suspicion.host, filter: null, heuristic: suspicion.reasons, company: suspicion.company ?? suspicion.domain, category: null };
}

/**
 * `{ type: 'mail-images', images: [{ url, width, height, hidden, repeats }] }` from the webmail
 * content script in a frame of tab `sender.tab.id` → `{ release, images: [{ pixel, company }] }`:
 * the marker a released image's URL takes, and the answers in order. On a paused site nothing is a
 * pixel (and the pause rule outranks the hold); a sender's host the user allowed on the site is none.
 */
export async function judgeMailImages(images, sender) {
  const marker = await release();
  if (!Array.isArray(images)) return { release: marker, images: [] };
  const sourceUrl = typeof sender.url === 'string' ? sender.url : '';  // the browser's word, not the page's
  const { paused, allowed } = await loadSettings();
  const site = siteOf(sender.tab?.url ?? sourceUrl);
  if (paused.includes(site)) return { release: marker, images: images.map(() => ({ pixel: false })) };
  const allowedHosts = allowed[site] ?? [];
  const isAllowed = (host) => typeof host === 'string' && allowedHosts.some((h) => withinHost(host, h));
  const answers = [];
  for (const raw of images.slice(0, MAX_IMAGES)) {
    const image = clean(raw, sourceUrl);
    let entry = null;
    try {
      entry = image && withEngine((engine) => judge(engine, image));
    } catch {
      // a URL the core cannot parse is no pixel
    }
    if (entry && isAllowed(entry.host)) entry = null;
    answers.push(entry ? { pixel: true, company: entry.company } : { pixel: false });
    if (entry && sender.tab?.id >= 0) record(sender.tab.id, () => entry);  // queued: the answer does not wait for the log
  }
  return { release: marker, images: answers };
}
