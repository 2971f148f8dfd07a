// Webmail pages only (every frame, from document_start): keeps email pixels in an opened message
// from loading, and says so near its subject. The webmail hold (DNR rules) blocks every image a
// webmail page loads through its image proxy (src/generated/webmail.js): this script takes such an image's
// address off as it enters the document, and the background asks the core about the sender's URL the
// proxy carries (the lists, else the pixel heuristics on the image's declared size and visibility).
// A pixel stays without an address; the rest get theirs back with the release marker the hold lets
// through, in the fragment (no server sees it). No answer (the extension gone): addresses come back
// unmarked.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const t = (key, ...subs) => api.i18n.getMessage(key, subs);
  const proxies = globalThis.pixelguardWebmail?.proxies ?? [];
  const MAX_BATCH = 100;  // images per message to the background
  const HEADINGS = 'h1, h2, h3, [role="heading"]';
  const held = new WeakMap();  // img → the src taken off, until the background answers
  const given = new WeakMap();  // img → the src given back: setting it is not held again
  const badges = new WeakMap();  // the element a badge is placed by → { badge, companies }

  /** Whether `src` is a webmail image proxy's address. */
  function proxied(src) {
    let url;
    try {
      url = new URL(src, document.baseURI);
    } catch {
      return false;
    }
    const host = url.hostname;
    return (url.protocol === 'https:' || url.protocol === 'http:') && proxies.some((p) =>
      p.hosts.some((h) => host === h || host.endsWith(`.${h}`)) && p.paths.some((path) => url.pathname.startsWith(path)));
  }

  /**
   * Takes a proxied image's address off; the image, or null when it is not one to hold. A srcset is
   * dropped for good (its candidates would stay held): the image comes back with its src alone.
   */
  function hold(img) {
    const src = img.getAttribute('src');
    if (!src || held.has(img) || given.get(img) === src || !proxied(src)) return null;
    held.set(img, src);
    img.removeAttribute('srcset');
    img.removeAttribute('src');
    return img;
  }

  /** A CSS pixel length written as `1`, `1px` or `0.5px`; else undefined. */
  const length = (text) => {
    const m = /^\s*(\d+(?:\.\d+)?)(?:px)?\s*$/.exec(text ?? '');
    return m ? Number(m[1]) : undefined;
  };

  /** What the sender declared about a held image: its size (attributes or inline style) and visibility. */
  function describe(img, url) {
    const hidden = img.checkVisibility
      ? !img.checkVisibility({ opacityProperty: true, visibilityProperty: true })
      : getComputedStyle(img).display === 'none';
    return { url, width: length(img.getAttribute('width')) ?? length(img.style.width),
      height: length(img.getAttribute('height')) ?? length(img.style.height), hidden };
  }

  /** The element to put a message's badge after: the nearest heading before the image (its subject), else null. */
  function subjectOf(img) {
    for (let scope = img.parentElement; scope; scope = scope.parentElement) {
      const before = [...scope.querySelectorAll(HEADINGS)]
        .filter((h) => h.compareDocumentPosition(img) & Node.DOCUMENT_POSITION_FOLLOWING);
      if (before.length > 0) return before.at(-1);
    }
    return null;
  }

  /** Names `company` in the badge of the message holding `img`; places the badge if it is the first. */
  function mark(img, company, message) {
    const anchor = subjectOf(img) ?? message;
    if (!anchor?.isConnected || !anchor.parentElement) return;  // fail soft: blocking does not depend on the badge
    let entry = badges.get(anchor);
    if (!entry?.badge.isConnected) {
      const badge = document.createElement('pixelguard-badge');
      badge.setAttribute('role', 'status');
      badge.style.cssText = 'all: initial; display: block; margin: 4px 0; padding: 2px 8px; width: fit-content;'
        + ' font: 13px/1.5 sans-serif; color: #7c2d12; background: #ffedd5; border: 1px #fdba74; border-style: solid; border-radius: 4px;';
      if (anchor === message) anchor.before(badge);
      else anchor.after(badge);
      entry = { badge, companies: new Set() };
      badges.set(anchor, entry);
    }
    entry.companies.add(company);
    entry.badge.textContent = t('webmailBadge', [...entry.companies].join(', '));
  }

  /** Asks the background about held images (`[img, the element they were added to]`), then acts on the answers. */
  async function judge(batch) {
    const count = new Map();
    for (const [img] of batch) count.set(held.get(img), (count.get(held.get(img)) ?? 0) + 1);
    const images = batch.map(([img]) => ({ ...describe(img, held.get(img)), repeats: count.get(held.get(img)) }));
    let answers = [];
    let release = null;
    try {
      const reply = await api.runtime.sendMessage({ type: 'mail-images', images });
      if (reply?.ok) ({ images: answers, release } = reply.result);
    } catch {
      // the extension was reloaded or removed: give every address back
    }
    const released = (url) => (release ? `${url}${url.includes('#') ? '&' : '#'}${release}` : url);
    batch.forEach(([img, message], i) => {
      const src = held.get(img);
      held.delete(img);
      if (answers[i]?.pixel) {
        img.dataset.pixelguard = 'blocked';
        mark(img, answers[i].company, message);
        return;
      }
      given.set(img, released(src));
      img.setAttribute('src', released(src));
    });
  }

  /** Mutations: images added (or given an address) are held as soon as they are seen. */
  function changed(records) {
    if (!api.runtime?.id) {
      observer.disconnect();  // the extension was updated or removed: this copy can no longer ask
      return;
    }
    const batch = [];
    for (const r of records) {
      if (r.type === 'attributes') {
        if (r.target.nodeName === 'IMG' && hold(r.target)) batch.push([r.target, r.target.parentElement]);
        continue;
      }
      for (const node of r.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        for (const img of node.nodeName === 'IMG' ? [node] : node.getElementsByTagName('img')) {
          if (hold(img)) batch.push([img, r.target]);
        }
      }
    }
    for (let i = 0; i < batch.length; i += MAX_BATCH) judge(batch.slice(i, i + MAX_BATCH));
  }

  const observer = new MutationObserver(changed);
  if (proxies.length > 0) observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['src'] });
})();
