// Reports this frame's third-party images and CSS background images that look like pixels (tiny or
// hidden) to the background for scoring; elements inside open shadow roots included. It costs the
// page nothing until the page fetches a third-party image: the browser's resource timing says which
// URLs were fetched (by an image, or by CSS), and only the elements drawing those are looked at.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const TINY = PIXELGUARD_CORE.tinyPixels;  // CSS or natural pixels (content/generated/core.js, loaded first)
  const MAX_URLS = 300;     // distinct image URLs reported per frame
  const MAX_BACKGROUNDS = 1000;  // elements drawing a third-party background, per scan
  const DEBOUNCE_MS = 400;
  const LOAD_WAIT_MS = 5000;  // the longest a scan waits for the page's load event
  const TIMELINE_LIMIT = 250;  // resource timing entries a page keeps by default
  const IMAGE = new Set(['img', 'image', 'input']);  // resource timing's initiators of image fetches
  const NOT_IMAGE = /\.(?:css|woff2?|ttf|otf|eot)(?:[?#]|$)/i;  // what else CSS fetches
  const images = new Set();       // third-party URLs fetched as images
  const backgrounds = new Set();  // third-party URLs fetched by CSS (backgrounds, when an element draws them)
  const styled = new Set();       // of those, the ones looked for in every element's computed style
  const shadowRoots = new Set();  // open shadow roots found so far
  let everything = false;   // the timeline was full: every third-party image and background counts
  const sent = new Map();   // url → what was last reported, so a report is sent again only when it changed
  let timer = 0;

  /** An absolute http(s) URL (as the browser reports them: resolved, host in lower case) to another host. */
  const thirdParty = (url) => {
    const host = /^https?:\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)/i.exec(url)?.[1];
    return host !== undefined && host !== location.hostname;
  };

  /** display:none, visibility:hidden, zero opacity (its own or an ancestor's), or placed off the page. */
  function isHidden(element, rect) {
    if (element.checkVisibility?.({ opacityProperty: true, visibilityProperty: true }) === false) return true;
    return rect.right + scrollX <= 0 || rect.bottom + scrollY <= 0;
  }

  /** The URLs in a `background-image` value (`url("…")`, possibly several, or in `image-set()`), made absolute. */
  function backgroundUrls(value) {
    if (!value || !value.includes('url(')) return [];
    const urls = [];
    for (const [, quoted, bare] of value.matchAll(/url\(\s*(?:"((?:[^"\\]|\\.)*)"|([^)"'\s]*))\s*\)/g)) {
      try {
        const url = new URL((quoted ?? bare).replace(/\\(.)/g, '$1'), document.baseURI).href;
        if (!urls.includes(url)) urls.push(url);
      } catch {
        // not a URL
      }
    }
    return urls;
  }

  /** Calls `visit` on every element of the document and of its open shadow roots, remembering those roots. */
  function walk(visit) {
    const trees = [document];
    while (trees.length > 0) {
      const walker = document.createTreeWalker(trees.pop(), NodeFilter.SHOW_ELEMENT);
      for (let el = walker.nextNode(); el; el = walker.nextNode()) {
        if (el.shadowRoot) {
          shadowRoots.add(el.shadowRoot);
          trees.push(el.shadowRoot);
        }
        visit?.(el);
      }
    }
  }

  /**
   * `[element, url]` for each image element showing one of `images`: found by their `src`
   * attribute; every image is read only when one fetched is not found that way (a relative or
   * `srcset` address) — or when every third-party image counts.
   */
  function imageItems() {
    const trees = [document, ...shadowRoots];
    const found = [];
    if (!everything) {
      for (const url of images) {
        for (const tree of trees) for (const img of tree.querySelectorAll(`img[src="${CSS.escape(url)}"]`)) found.push([img, url]);
      }
      if (new Set(found.map(([, url]) => url)).size === images.size) return found;
      found.length = 0;
    }
    for (const tree of trees) {
      for (const img of tree === document ? document.images : tree.querySelectorAll('img')) {
        const url = img.currentSrc || img.src;
        if (everything ? thirdParty(url) : images.has(url)) found.push([img, url]);
      }
    }
    return found;
  }

  /**
   * `[element, url]` for each element drawing one of `backgrounds`: inline styles first; a URL they
   * do not explain (a stylesheet's rule) is looked for once in every element's computed style.
   */
  function backgroundItems() {
    const found = [];
    if (everything) {
      walk((el) => {
        for (const url of backgroundUrls(getComputedStyle(el).backgroundImage)) if (thirdParty(url)) found.push([el, url]);
      });
      return found.slice(0, MAX_BACKGROUNDS);
    }
    const inline = new Set();
    for (const tree of [document, ...shadowRoots]) {
      for (const el of tree.querySelectorAll('[style*="url("]')) {
        for (const url of backgroundUrls(el.style.backgroundImage)) {
          if (backgrounds.has(url)) { found.push([el, url]); inline.add(url); }
        }
      }
    }
    const wanted = [...backgrounds].filter((u) => !inline.has(u) && !styled.has(u));
    if (wanted.length > 0) {
      wanted.forEach((u) => styled.add(u));
      walk((el) => {
        for (const url of backgroundUrls(getComputedStyle(el).backgroundImage)) if (wanted.includes(url)) found.push([el, url]);
      });
    }
    return found.slice(0, MAX_BACKGROUNDS);
  }

  function scan() {
    timer = 0;
    for (const root of shadowRoots) if (!root.host.isConnected) shadowRoots.delete(root);
    let shown = imageItems();
    if (!everything && new Set(shown.map(([, url]) => url)).size < images.size) {
      walk();  // an image fetched but in no tree known: look for open shadow roots
      shown = imageItems();
    }
    const items = [...shown, ...(backgrounds.size > 0 || everything ? backgroundItems() : [])];
    const repeats = new Map();
    for (const [, url] of items) repeats.set(url, (repeats.get(url) ?? 0) + 1);
    const reports = new Map();
    for (const [el, url] of items) {
      const image = el.nodeName === 'IMG' && (el.currentSrc || el.src) === url;
      if (image && !el.complete) {
        el.addEventListener('load', schedule, { once: true });  // its natural size is not known yet
        continue;
      }
      if (reports.has(url) || (!sent.has(url) && sent.size >= MAX_URLS)) continue;
      const laidOut = el.checkVisibility?.() ?? el.getClientRects().length > 0;  // it has a box
      // A background is fetched only for an element that is rendered; its natural size is unknown.
      if (!image && !laidOut) continue;
      const rect = el.getBoundingClientRect();
      const loaded = image && el.naturalWidth > 0;
      const report = {
        url, repeats: repeats.get(url), hidden: isHidden(el, rect),
        ...(laidOut && { width: rect.width, height: rect.height }),
        ...(loaded && { naturalWidth: el.naturalWidth, naturalHeight: el.naturalHeight }),
      };
      const tiny = (laidOut && rect.width <= TINY && rect.height <= TINY) || (loaded && el.naturalWidth <= TINY && el.naturalHeight <= TINY);
      if (!tiny && !report.hidden && !sent.has(url)) continue;
      const key = JSON.stringify(report);
      if (sent.get(url) !== key) reports.set(url, report);
      sent.set(url, key);
    }
    if (reports.size === 0) return;
    try {
      // The protocol's `suspects` message (extension/src/messages.js): a content script cannot import it.
      api.runtime.sendMessage({ type: 'suspects', reports: [...reports.values()] }).catch(() => {});
    } catch {
      // the extension was reloaded or removed: this script is an orphan
    }
  }

  function schedule() {
    if (!timer) timer = setTimeout(scan, DEBOUNCE_MS);
  }

  /** Takes the third-party images among resource timing entries; true when there are new ones. */
  function take(entries) {
    let fresh = false;
    const own = `${location.origin}/`;
    for (const entry of entries) {
      const type = entry.initiatorType;
      if (!IMAGE.has(type) && type !== 'css') continue;
      const { name } = entry;
      const kind = type === 'css' ? (NOT_IMAGE.test(name) ? null : backgrounds) : images;
      if (!kind || kind.has(name) || name.startsWith(own) || !thirdParty(name)) continue;
      kind.add(name);
      fresh = true;
    }
    return fresh;
  }

  // What the page fetched up to its load event, in one read of the timeline (an observer during the
  // load would be called back for every few images); then each later fetch as it is reported. A
  // timeline that filled up before the load (250 entries) may miss fetches: then every image and
  // element is looked at, as if each third-party one had been reported.
  function start() {
    if (started) return;
    started = true;
    const entries = performance.getEntriesByType('resource');
    everything = entries.length >= TIMELINE_LIMIT;
    if (take(entries) || everything) scan();
    new PerformanceObserver((list) => { if (take(list.getEntries())) schedule(); }).observe({ type: 'resource' });
  }
  let started = false;
  if (document.readyState === 'complete') start();
  else {
    addEventListener('load', start, { once: true });
    setTimeout(start, LOAD_WAIT_MS);  // a page whose load never ends
  }
})();
