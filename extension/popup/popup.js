// The popup: one round-trip for the tab's state, then one message per action; rendered as text only.
import { api } from '../src/browser.js';
import { messages } from '../src/messages.js';
import { ask, el, offerHostAccess } from '../src/ui.js';

const $ = (id) => document.getElementById(id);

/** The tab this popup is about: `?tab=ID` (a popup opened as a page), else the active tab. */
async function targetTab() {
  const param = new URLSearchParams(location.search).get('tab');
  if (param) return Number(param);
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? -1;
}

/** The URL without its scheme, cut to `max` characters. */
function shorten(url, max = 60) {
  const text = url.replace(/^https?:\/\//, '');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The URL with percent-escapes decoded, for reading (shown as text, so markup stays inert). */
function readable(url) {
  try { return decodeURI(url); } catch { return url; }
}

/** Who stopped a request, by its log entry's `path`. */
const BLOCKERS = {
  dnr: 'the browser’s DNR rules',
  webrequest: 'PixelGuard’s request listener',
  webmail: 'PixelGuard’s webmail script, before it loaded',
};

function entryItem(entry) {
  const details = el('details');
  const summary = el('summary');
  if (entry.kind) summary.append(el('span', entry.kind, 'tag'));
  summary.append(el('span', entry.type, 'tag'), el('span', shorten(readable(entry.url))));
  let filter = 'Filter: blocked, but not by a filter of PixelGuard’s lists';
  if (entry.filter) filter = `Filter: ${entry.filter.text} — ${entry.filter.list}${entry.filter.line ? `, line ${entry.filter.line}` : ''}`;
  else if (entry.heuristic) filter = `No list names it; PixelGuard’s pixel heuristics: ${entry.heuristic.map((r) => r.replaceAll('-', ' ')).join(', ')}`;
  details.append(summary, el('p', readable(entry.url), 'url'));
  if (entry.via) details.append(el('p', `Sent through ${entry.via}’s image proxy`, 'filter'));
  details.append(el('p', filter, 'filter'),
    el('p', `Blocked by ${BLOCKERS[entry.path] ?? entry.path}${entry.confirmed ? ', which report this filter’s rule as matched' : ''}`, 'filter'));
  const item = el('li');
  item.append(details);
  return item;
}

function renderEntries(entries) {
  const groups = new Map();
  for (const e of entries) {
    const name = e.company ?? e.host;
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push(e);
  }
  const sections = [...groups].sort((a, b) => b[1].length - a[1].length).map(([name, list]) => {
    const section = el('section');
    const hosts = [...new Set(list.map((e) => e.host))].join(', ');
    const items = el('ul');
    items.append(...list.map(entryItem));
    section.append(el('h2', `${name}${name === hosts ? '' : ` (${hosts})`} — ${list.length}`), items);
    return section;
  });
  $('groups').replaceChildren(...sections);
}

/** Suspected pixels grouped by host, each host with a button adding a rule that blocks it. */
function renderSuspects(suspects, reload) {
  const hosts = new Map();
  for (const s of suspects) hosts.set(s.host, [...(hosts.get(s.host) ?? []), s]);
  $('suspects').hidden = hosts.size === 0;
  $('suspect-list').replaceChildren(...[...hosts].map(([host, list]) => {
    const item = el('li', '', 'suspect');
    item.dataset.host = host;
    const block = el('button', 'Block this host');
    block.type = 'button';
    block.onclick = async () => {
      block.disabled = true;
      try {
        await ask(messages.blockHost(host, true));
        block.replaceWith(el('span', 'Blocked from the next load', 'tag'));
        reload.hidden = false;
      } catch (error) {
        block.replaceWith(el('span', error.message, 'error'));
      }
    };
    item.append(el('span', host, 'suspect-host'));
    if (list[0].company) item.append(el('span', list[0].company, 'tag'));
    item.append(block);
    for (const s of list) {
      item.append(el('p', `${s.reasons.map((r) => r.replaceAll('-', ' ')).join(', ')} — ${shorten(readable(s.url))}`, 'url'));
    }
    return item;
  }));
}

function render(state) {
  $('site').textContent = state.site ?? 'No web page in this tab';
  $('count').textContent = `${state.entries.length} blocked on this page`;
  $('protection').hidden = !state.site;
  $('protect').checked = !state.paused;
  $('protect').onchange = async () => {
    await ask(messages.pause(state.site, !$('protect').checked));
    $('reload').hidden = false;
  };
  $('reload').onclick = () => { api.tabs.reload(state.tabId); window.close(); };
  renderEntries(state.entries);
  renderSuspects(state.suspects ?? [], $('reload'));
  $('status').textContent = state.lists
    .map((l) => `${l.title}${l.version ? ` (${l.version})` : ''}: ${l.network} filters`).join('; ');
}

$('options').onclick = () => api.runtime.openOptionsPage();
try {
  await offerHostAccess($('host-access'), () => location.reload());
  render(await ask(messages.popup(await targetTab())));
} catch (error) {
  $('status').textContent = `PixelGuard is not working: ${error.message}`;
  $('status').className = 'error';
}
document.body.dataset.ready = '1';
