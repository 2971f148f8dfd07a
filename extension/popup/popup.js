// The popup: one round-trip for the tab's state, then one message per action; rendered as text only.
import { api } from '../src/browser.js';
import { fromNow, label, localize, number, t } from '../src/i18n.js';
import { reportText } from '../src/report-text.js';
import { messages } from '../src/messages.js';
import { ask, button, el, followTheme, offerHostAccess } from '../src/ui.js';

const $ = (id) => document.getElementById(id);
const KINDS = ['email-open', 'conversion', 'retargeting', 'analytics', 'other'];

/** The tab this popup is about: `?tab=ID` (a popup opened as a page), else the active tab. */
async function targetTab() {
  const param = new URLSearchParams(location.search).get('tab');
  if (param) return Number(param);
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? -1;
}

/** The URL without its scheme, cut to `max` characters. */
function shorten(url, max = 56) {
  const text = url.replace(/^https?:\/\//, '');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The URL with percent-escapes decoded, for reading (shown as text, so markup stays inert). */
function readable(url) {
  try { return decodeURI(url); } catch { return url; }
}

/** What a blocked pixel would have sent, in a line: event, value, order, personal data, page. */
function decodedLine(d) {
  const parts = [];
  if (d.event) parts.push(d.event);
  if (d.value) parts.push(d.currency ? t('decodedValue', d.value, d.currency) : d.value);
  if (d.orderId) parts.push(t('decodedOrder', d.orderId));
  for (const [what, form] of Object.entries(d.personal ?? {})) parts.push(label('personal', `${what}_${form === 'plain' ? 'plain' : 'hashed'}`));
  if (d.page) parts.push(t('decodedFrom', shorten(readable(d.page), 40)));
  return parts.length ? t('decodedSent', parts.join(', ')) : '';
}

/** The identifiers a decoded pixel carried, in a line ("pixel 1234, browser cookie fb.1…"). */
function idsLine(d) {
  const ids = Object.entries(d.ids ?? {}).map(([name, value]) => t('decodedId', label('carried', name), shorten(value, 40)));
  return ids.length ? t('decodedIds', ids.join(', ')) : '';
}

/** A coloured chip naming a pixel kind (the colour repeats what the text says). */
const kindChip = (kind) => el('span', label('kind', kind), 'chip', `kind-${KINDS.includes(kind) ? kind : 'other'}`);

let state = null;
let tabId = -1;
/** The answer given in this popup to "Does it work now?", if any. */
let answer = null;

/** Shows the reload button: a change of rules takes effect on the next load. */
const offerReload = () => { $('reload').hidden = false; };

function filterLine(entry) {
  if (entry.filter) return entry.filter.line ? t('entryFilterLine', entry.filter.text, entry.filter.list, entry.filter.line) : t('entryFilter', entry.filter.text, entry.filter.list);
  if (entry.heuristic) return t('entryHeuristic', entry.heuristic.map((r) => label('reason', r)).join(', '));
  return t('entryNoFilter');
}

/** Who stopped the request, by its log entry's `path`. */
function blockerLine(entry) {
  if (entry.path === 'webmail') return t('entryByWebmail');
  return entry.confirmed ? t('entryByDnrConfirmed') : t('entryByDnr');
}

function entryItem(entry) {
  const details = el('details');
  const summary = el('summary');
  summary.append(kindChip(entry.kind ?? 'other'), el('span', label('type', entry.type), 'chip', 'type'), el('span', shorten(readable(entry.url)), 'short-url'));
  const sent = entry.decoded ? decodedLine(entry.decoded) : '';
  if (sent) summary.append(el('span', sent, 'decoded'));
  const ids = entry.decoded ? idsLine(entry.decoded) : '';
  details.append(summary, el('p', readable(entry.url), 'url'));
  if (entry.via) details.append(el('p', t('entryVia', entry.via), 'filter'));
  if (ids) details.append(el('p', ids, 'filter'));
  details.append(el('p', filterLine(entry), 'filter'), el('p', blockerLine(entry), 'filter'));
  if (state.site) {
    const allow = button(t('entryAllow', entry.host), async () => {
      allow.disabled = true;
      try {
        await ask(messages.allowHost(state.site, entry.host, true));
        allow.replaceWith(el('p', t('entryAllowed', entry.host), 'hint'));
        offerReload();
      } catch (error) {
        allow.replaceWith(el('p', error.message, 'error'));
      }
    }, 'allow');
    allow.dataset.host = entry.host;
    details.append(allow);
  }
  const item = el('li');
  item.append(details);
  return item;
}

/** The counts per kind at the top, most frequent first. */
function renderKinds(entries) {
  const counts = new Map();
  for (const e of entries) counts.set(e.kind ?? 'other', (counts.get(e.kind ?? 'other') ?? 0) + 1);
  $('kinds').replaceChildren(...[...counts].sort((a, b) => b[1] - a[1]).map(([kind, n]) => {
    const item = el('li');
    const chip = kindChip(kind);
    chip.append(el('b', number(n), 'chip-count'));
    item.dataset.kind = kind;
    item.append(chip);
    return item;
  }));
}

function renderEntries(entries) {
  const groups = new Map();
  for (const e of entries) {
    const name = e.company ?? e.host;
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push(e);
  }
  const sections = [...groups].sort((a, b) => b[1].length - a[1].length).map(([name, list]) => {
    const section = el('section', '', 'group');
    const hosts = [...new Set(list.map((e) => e.host))].join(', ');
    const heading = el('h3', name);
    heading.append(el('span', number(list.length), 'count'));
    const items = el('ul');
    items.append(...list.map(entryItem));
    section.append(heading);
    if (name !== hosts) section.append(el('p', hosts, 'hosts'));
    section.append(items);
    return section;
  });
  $('groups').replaceChildren(...sections);
  $('empty').hidden = entries.length > 0 || !state.site;
}

/** Suspected pixels grouped by host, each host with a button adding a rule that blocks it. */
function renderSuspects(suspects) {
  const hosts = new Map();
  for (const s of suspects) hosts.set(s.host, [...(hosts.get(s.host) ?? []), s]);
  $('suspects').hidden = hosts.size === 0;
  $('suspect-list').replaceChildren(...[...hosts].map(([host, list]) => {
    const item = el('li', '', 'suspect');
    item.dataset.host = host;
    const block = button(t('suspectBlock'), async () => {
      block.disabled = true;
      try {
        await ask(messages.blockHost(host, true));
        block.replaceWith(el('span', t('suspectBlocked'), 'chip'));
        offerReload();
      } catch (error) {
        block.replaceWith(el('span', error.message, 'error'));
      }
    });
    item.append(el('span', host, 'suspect-host'));
    if (list[0].company) item.append(el('span', list[0].company, 'chip'));
    item.append(block);
    for (const s of list) {
      item.append(el('p', `${s.reasons.map((r) => label('reason', r)).join(', ')} — ${shorten(readable(s.url))}`, 'url'));
    }
    return item;
  }));
}

/** The site's protection: on, paused for a while (with the time left) or paused until resumed. */
function renderProtection() {
  const { site, paused, pausedUntil } = state;
  $('protection').hidden = !site;
  $('state').hidden = !site;
  $('state').textContent = paused ? t('statePaused') : t('stateOn');
  $('state').classList.toggle('paused', paused);
  $('protect').checked = !paused;
  $('pause-for').hidden = paused;
  $('pause-state').hidden = !paused;
  $('pause-state').textContent = !paused ? '' : pausedUntil ? t('pausedFor', fromNow(pausedUntil)) : t('pausedAlways');
}

function render() {
  localize();
  $('site').textContent = state.site ?? t('popupNoSite');
  $('summary').hidden = !state.site && state.entries.length === 0;
  $('count').textContent = t('popupCount', number(state.entries.length));
  $('dropped').hidden = !state.dropped;
  $('dropped').textContent = state.dropped ? t('popupDropped', number(state.dropped)) : '';
  renderKinds(state.entries);
  renderProtection();
  renderEntries(state.entries);
  renderSuspects(state.suspects ?? []);
  $('broken-panel').hidden = !state.broken && !answer;  // an answer given here stays shown
  $('broken').hidden = !$('broken-panel').hidden;
  $('status').textContent = state.lists.map((l) => (l.version ? t('popupListVersion', l.title, l.version, number(l.network)) : t('popupList', l.title, number(l.network)))).join(' · ');
}

async function refresh() {
  state = await ask(messages.popup(tabId));
  render();
}

/** Pauses the site for `minutes` (0: until resumed) or resumes it (null). */
async function pause(minutes) {
  await ask(messages.pause(state.site, minutes !== null, minutes || null));
  await refresh();
  offerReload();
}

$('protect').onchange = () => pause($('protect').checked ? null : 0);
for (const b of document.querySelectorAll('button[data-minutes]')) b.onclick = () => pause(Number(b.dataset.minutes));
$('reload').onclick = async () => {
  await api.tabs.reload(tabId);  // issued before the popup closes
  window.close();
};
$('options').onclick = () => api.runtime.openOptionsPage();
$('privacy-report').onclick = async () => {
  await api.tabs.create({ url: api.runtime.getURL('report/report.html') });  // before closing: Firefox drops a pending call
  window.close();
};

/** Refreshes the popup once the tab has loaded again (its log starts anew with the page). */
function refreshWhenLoaded() {
  const done = (id, change) => {
    if (id !== tabId || change.status !== 'complete') return;
    api.tabs.onUpdated.removeListener(done);
    refresh();
  };
  api.tabs.onUpdated.addListener(done);
}

/** The answer to "Does it work now?": the question gives way to what follows from it. */
function answered(text) {
  answer = text;
  $('broken-answer').hidden = true;
  $('broken-text').hidden = true;
  $('broken-result').textContent = text;
}

$('broken').onclick = async () => {
  refreshWhenLoaded();
  await ask(messages.broken(tabId, state.site));
  await refresh();
  $('broken-yes').focus();
};
$('broken-yes').onclick = () => {
  answered(t('brokenFixed'));
  $('broken-longer').hidden = false;
};
$('broken-no').onclick = async () => {
  answered(t('brokenNotUs'));
  await ask(messages.pause(state.site, false));
  refreshWhenLoaded();
  await api.tabs.reload(tabId);
  await refresh();
};
$('copy-report').onclick = async () => {
  const text = reportText(await ask(messages.report(tabId)));
  $('report-text').textContent = text;
  try {
    await navigator.clipboard.writeText(text);
    $('copy-result').textContent = t('reportCopied');
  } catch (error) {
    $('copy-result').textContent = t('reportNotCopied', error.message);
    $('report-view').open = true;
  }
};

try {
  await followTheme();
  localize();
  tabId = await targetTab();
  await offerHostAccess($('host-access'), () => location.reload());
  await refresh();
} catch (error) {
  $('status').textContent = t('errorNotWorking', error.message);
  $('status').className = 'error';
}
document.body.dataset.ready = '1';
