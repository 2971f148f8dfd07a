// The options page: lists (built-in and custom) with their reports, adding lists, the rule budget,
// updates, paused sites, blocked hosts, export / import. One state round-trip, then one message per
// action.
import { messages } from '../src/messages.js';
import { ask, el, offerHostAccess } from '../src/ui.js';

const $ = (id) => document.getElementById(id);
const fmt = (n) => (n ?? '?').toLocaleString('en');

function say(text, isError = false) {
  $('message').textContent = text;
  $('message').className = isError ? 'error' : '';
}

/** Runs a user action, then re-renders; errors go to `target` (the page message by default). */
async function act(message, done = '', target = null) {
  (target ?? $('message')).textContent = '';
  try {
    await ask(message);
    if (done) say(done);
  } catch (error) {
    if (target) target.textContent = error.message;
    else say(error.message, true);
  }
  await refresh();
}

function button(text, onclick) {
  const b = el('button', text);
  b.type = 'button';
  b.onclick = onclick;
  return b;
}

/** Details listing `items` (strings) under `title`, or nothing when there are none. */
function details(title, items) {
  if (items.length === 0) return [];
  const d = el('details');
  const ul = el('ul');
  ul.append(...items.map((text) => el('li', text, 'line')));
  d.append(el('summary', title), ul);
  return [d];
}

function reportLines({ info, report }, label = 'DNR') {
  const out = [];
  if (info) {
    out.push(el('p', `${fmt(info.stats.network)} network filters, ${fmt(info.stats.cosmetic)} cosmetic (not used), ${fmt(info.stats.invalid.length)} invalid lines`, 'report'));
    out.push(...details('Invalid lines', info.stats.invalid.map((i) => `line ${i.line}: ${i.text} — ${i.reason}`)));
  }
  if (report) {
    const left = report.rulesLeftOut ? `; ${fmt(report.rulesLeftOut)} rules (${fmt(report.filtersLeftOut.length)}+ filters) left out: over the browser's rule budget` : '';
    out.push(el('p', `${label}: ${fmt(report.rules)} rules (${fmt(report.regexRules)} regex, ${fmt(report.unsafeRules)} unsafe) from ${fmt(report.accepted)} accepted filters; ${fmt(report.refused)} refused${left}`, `report${left ? ' over-budget' : ''}`));
    out.push(...details('Refused filters, by reason', Object.entries(report.refusedByReason).map(([reason, n]) => `${reason}: ${n}`)));
    out.push(...details('Refused filters', report.refusals.map((r) => `line ${r.line}: ${r.filter} — ${r.reason}${r.detail ? ` (${r.detail})` : ''}`)));
    out.push(...details('Filters left out (over budget)', report.filtersLeftOut.map((f) => `line ${f.line}: ${f.filter}`)));
  }
  return out;
}

/** A built-in list's run-time update: what it removed (static rules turned off) and added (dynamic rules). */
function updateLines(update) {
  if (!update) return [];
  const kept = update.removalsLeftOut.length ? `; ${fmt(update.removalsLeftOut.length)}+ removed filters left out (still blocking): over the browser's limit of turned-off static rules` : '';
  return [
    el('p', `Update: ${fmt(update.removedFilters)} filters removed since the bundled copy, ${fmt(update.disabledRules)} static rules turned off${kept}`, `report${kept ? ' over-budget' : ''}`),
    ...details('Removed filters left out', update.removalsLeftOut.map((f) => `line ${f.line}: ${f.filter}`)),
    ...reportLines({ report: update }, 'Update, as dynamic rules'),
  ];
}

function listBox(list, builtin) {
  const box = el('div', '', 'list');
  box.dataset.list = list.id;
  const toggle = el('input');
  toggle.type = 'checkbox';
  toggle.checked = list.enabled;
  toggle.setAttribute('aria-label', `Use ${list.title}`);
  toggle.onchange = () => act(messages.enableList(list.id, toggle.checked));
  box.append(toggle, el('h3', list.title));
  const version = list.info?.version ?? list.version;
  const origin = list.url ? `built in, updates from ${list.url}` : 'built in, updated with PixelGuard';
  const meta = [builtin ? origin : list.url ?? 'pasted or from a file',
    version && `version ${version}`, list.updated && `fetched ${list.updated.slice(0, 16).replace('T', ' ')} UTC`];
  box.append(el('p', meta.filter(Boolean).join(' · '), 'meta'));
  if (list.lastError) box.append(el('p', `Last update failed: ${list.lastError}`, 'error list-error'));
  box.append(...reportLines(list), ...updateLines(list.update));
  if (list.url) box.append(button('Update now', () => act(messages.updateList(list.id))));
  if (!builtin) box.append(button('Remove', () => act(messages.removeList(list.id), `Removed ${list.title}.`)));
  return box;
}

function render(state) {
  $('lists').replaceChildren(...state.builtins.map((l) => listBox(l, true)), ...state.custom.map((l) => listBox(l, false)));
  const { limits, usage } = state;
  const row = (name, used, limit) => {
    const tr = el('tr');
    tr.append(el('td', name), el('td', fmt(used)), el('td', fmt(limit)));
    return tr;
  };
  $('budget').tBodies[0].replaceChildren(row('all', usage.rules, limits.dynamicRules),
    row('regex', usage.regex, limits.regexRules), row('unsafe (redirect, headers)', usage.unsafe, limits.unsafeRules));
  $('auto-update').checked = state.autoUpdate;
  $('gpc').checked = state.gpc;
  $('strip-params').checked = state.stripParams;
  $('paused').replaceChildren(...(state.paused.length ? state.paused.map((site) => {
    const li = el('li', `${site} `);
    li.append(button('Remove', () => act(messages.pause(site, false), `Protection is back on for ${site}.`)));
    return li;
  }) : [el('li', 'None')]));
  $('blocked-hosts').replaceChildren(...(state.blockedHosts.length ? state.blockedHosts.map((host) => {
    const li = el('li', `${host} `);
    li.dataset.host = host;
    li.append(button('Undo', () => act(messages.blockHost(host, false), `${host} is no longer blocked.`)));
    return li;
  }) : [el('li', 'None')]));
}

async function refresh() {
  try {
    render(await ask(messages.options()));
  } catch (error) {
    say(`PixelGuard is not working: ${error.message}`, true);
  }
}

$('add-url-form').onsubmit = (event) => {
  event.preventDefault();
  act(messages.addList({ url: $('add-url').value.trim() }), 'List added.', $('add-error'));
};
$('add-text-form').onsubmit = (event) => {
  event.preventDefault();
  act(messages.addList({ title: $('add-title-input').value.trim(), text: $('add-text').value }), 'List added.', $('add-error'));
};
$('add-file').onchange = async () => {
  const [file] = $('add-file').files;
  if (file) await act(messages.addList({ title: file.name, text: await file.text() }), 'List added.', $('add-error'));
  $('add-file').value = '';
};
$('auto-update').onchange = () => act(messages.autoUpdate($('auto-update').checked));
$('gpc').onchange = () => act(messages.privacy({ gpc: $('gpc').checked }), 'Global Privacy Control setting saved.');
$('strip-params').onchange = () => act(messages.privacy({ stripParams: $('strip-params').checked }), 'Tracking-parameter setting saved.');
$('export').onclick = async () => {
  const data = await ask(messages.export());
  const link = el('a');
  link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  link.download = 'pixelguard-settings.json';
  link.click();
  URL.revokeObjectURL(link.href);
};
$('import').onchange = async () => {
  const [file] = $('import').files;
  if (!file) return;
  let data;
  try {
    data = JSON.parse(await file.text());
  } catch {
    say(`${file.name} is not JSON; nothing changed.`, true);
    return;
  }
  await act(messages.import(data), `Imported ${file.name}.`);
  $('import').value = '';
};

await offerHostAccess($('host-access'), () => location.reload());
await refresh();
document.body.dataset.ready = '1';
