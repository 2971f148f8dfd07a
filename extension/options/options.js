// The options page: lists (built-in and custom) with their reports, adding lists, paused sites,
// hosts allowed on a site, blocked hosts, privacy signals, updates, the theme, the rule budget,
// export / import / reset, and what start-up repaired. One state round-trip, then one message per action.
import { dateTime, fromNow, localize, number, t } from '../src/i18n.js';
import { messages } from '../src/messages.js';
import { ask, button, el, followTheme, offerHostAccess } from '../src/ui.js';

const $ = (id) => document.getElementById(id);
const MB = 1024 * 1024;
const MAX_IMPORT_BYTES = 60 * MB;  // below the 64 MiB a browser message may carry

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

/** Details listing `items` (strings) under `title`, or nothing when there are none. */
function details(title, items) {
  if (items.length === 0) return [];
  const d = el('details');
  const ul = el('ul');
  ul.append(...items.map((text) => el('li', text, 'line')));
  d.append(el('summary', title), ul);
  return [d];
}

const lineOf = (line, text, reason = null) => (reason ? t('lineReason', line, text, reason) : t('lineText', line, text));

function reportLines({ info, report }, heading = t('reportLabelDnr')) {
  const out = [];
  if (info) {
    out.push(el('p', t('listStats', number(info.stats.network), number(info.stats.cosmetic), number(info.stats.invalid.length)), 'report'));
    out.push(...details(t('listInvalidLines'), info.stats.invalid.map((i) => lineOf(i.line, i.text, i.reason))));
  }
  if (report) {
    const left = report.rulesLeftOut ? t('reportLeftOut', number(report.rulesLeftOut), number(report.filtersLeftOut.length)) : '';
    const summary = t('reportRules', heading, number(report.rules), number(report.regexRules), number(report.unsafeRules), number(report.accepted), number(report.refused));
    out.push(el('p', `${summary}${left}`, ...(left ? ['report', 'over-budget'] : ['report'])));
    out.push(...details(t('refusedByReason'), Object.entries(report.refusedByReason).map(([reason, n]) => `${reason}: ${number(n)}`)));
    out.push(...details(t('refusedFilters'), report.refusals.map((r) => lineOf(r.line, r.filter, r.detail ? `${r.reason} (${r.detail})` : r.reason))));
    out.push(...details(t('filtersLeftOut'), report.filtersLeftOut.map((f) => lineOf(f.line, f.filter))));
  }
  return out;
}

/** A built-in list's run-time update: what it removed (static rules turned off) and added (dynamic rules). */
function updateLines(update) {
  if (!update) return [];
  const kept = update.removalsLeftOut.length ? t('updateKept', number(update.removalsLeftOut.length)) : '';
  return [
    el('p', `${t('updateSummary', number(update.removedFilters), number(update.disabledRules))}${kept}`, ...(kept ? ['report', 'over-budget'] : ['report'])),
    ...details(t('removedLeftOut'), update.removalsLeftOut.map((f) => lineOf(f.line, f.filter))),
    ...reportLines({ report: update }, t('reportLabelUpdate')),
  ];
}

function listBox(list, builtin) {
  const box = el('div', '', 'list');
  box.dataset.list = list.id;
  const toggle = el('input');
  toggle.type = 'checkbox';
  toggle.checked = list.enabled;
  toggle.setAttribute('aria-label', t('listUse', list.title));
  toggle.onchange = () => act(messages.enableList(list.id, toggle.checked));
  box.append(toggle, el('h3', list.title));
  const version = list.info?.version ?? list.version;
  const origin = list.url ? t('listBuiltinUrl', list.url) : t('listBuiltin');
  const meta = [builtin ? origin : list.url ?? t('listPasted'),
    version && t('listVersion', version), list.updated && t('listFetched', list.updated.slice(0, 16).replace('T', ' '))];
  box.append(el('p', meta.filter(Boolean).join(' · '), 'meta'));
  if (list.lastError) box.append(el('p', t('listLastError', list.lastError), 'error', 'list-error'));
  box.append(...reportLines(list), ...updateLines(list.update));
  if (list.url) box.append(button(t('listUpdate'), () => act(messages.updateList(list.id))));
  if (!builtin) box.append(button(t('listRemove'), () => act(messages.removeList(list.id), t('listRemoved', list.title))));
  return box;
}

/** `items` as list items made by `item`, or one "None". */
const listOrNone = (items, item) => (items.length ? items.map(item) : [el('li', t('none'))]);

/** What start-up could not start, and the stored values it dropped; hidden when there are none. */
function renderTrouble({ repair, startErrors }) {
  $('trouble').hidden = !repair && startErrors.length === 0;
  $('start-errors').replaceChildren(...startErrors.map(({ step, error }) => el('li', t('startFailed', step, error))));
  $('repair-summary').textContent = repair ? t('repairSummary', dateTime(repair.time)) : '';
  $('repair-problems').replaceChildren(...(repair?.problems ?? []).map((problem) => el('li', problem, 'line')));
}

function render(state) {
  renderTrouble(state);
  $('lists').replaceChildren(...state.builtins.map((l) => listBox(l, true)), ...state.custom.map((l) => listBox(l, false)));
  const { limits, usage } = state;
  const row = (name, used, limit) => {
    const tr = el('tr');
    tr.append(el('td', name), el('td', number(used)), el('td', number(limit)));
    return tr;
  };
  $('budget').tBodies[0].replaceChildren(row(t('budgetAll'), usage.rules, limits.dynamicRules),
    row(t('budgetRegex'), usage.regex, limits.regexRules), row(t('budgetUnsafe'), usage.unsafe, limits.unsafeRules));
  $('auto-update').checked = state.autoUpdate;
  $('gpc').checked = state.gpc;
  $('strip-params').checked = state.stripParams;
  $('theme').value = state.theme;
  $('paused').replaceChildren(...listOrNone(state.paused, (site) => {
    const li = el('li');
    li.dataset.site = site;
    const until = state.pausedUntil[site];
    li.append(el('span', site, 'site'), el('span', until ? t('pausedFor', fromNow(until)) : t('pausedAlways'), 'hint'),
      button(t('resume'), () => act(messages.pause(site, false), t('pausedResumed', site))));
    return li;
  }));
  const allowed = Object.entries(state.allowed).flatMap(([site, hosts]) => hosts.map((host) => ({ site, host })));
  $('allowed').replaceChildren(...listOrNone(allowed, ({ site, host }) => {
    const li = el('li', `${t('allowedItem', host, site)} `);
    Object.assign(li.dataset, { site, host });
    li.append(button(t('undo'), () => act(messages.allowHost(site, host, false), t('allowedUndone', host, site))));
    return li;
  }));
  $('blocked-hosts').replaceChildren(...listOrNone(state.blockedHosts, (host) => {
    const li = el('li', `${host} `);
    li.dataset.host = host;
    li.append(button(t('undo'), () => act(messages.blockHost(host, false), t('blockedHostUndone', host))));
    return li;
  }));
}

async function refresh() {
  try {
    render(await ask(messages.options()));
  } catch (error) {
    say(t('errorNotWorking', error.message), true);
  }
}

$('add-url-form').onsubmit = (event) => {
  event.preventDefault();
  act(messages.addList({ url: $('add-url').value.trim() }), t('listAdded'), $('add-error'));
};
$('add-text-form').onsubmit = (event) => {
  event.preventDefault();
  act(messages.addList({ title: $('add-title-input').value.trim(), text: $('add-text').value }), t('listAdded'), $('add-error'));
};
$('add-file').onchange = async () => {
  const [file] = $('add-file').files;
  if (file) await act(messages.addList({ title: file.name, text: await file.text() }), t('listAdded'), $('add-error'));
  $('add-file').value = '';
};
$('auto-update').onchange = () => act(messages.autoUpdate($('auto-update').checked));
$('gpc').onchange = () => act(messages.privacy({ gpc: $('gpc').checked }), t('gpcSaved'));
$('strip-params').onchange = () => act(messages.privacy({ stripParams: $('strip-params').checked }), t('stripSaved'));
$('theme').onchange = () => act(messages.theme($('theme').value), t('themeSaved'));
$('export').onclick = async () => {
  const data = await ask(messages.export());
  const link = el('a');
  link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  link.download = 'pixelguard-settings.json';
  link.click();
  URL.revokeObjectURL(link.href);
};
$('reset').onclick = () => { $('reset-confirm').hidden = false; $('reset-yes').focus(); };
$('reset-no').onclick = () => { $('reset-confirm').hidden = true; $('reset').focus(); };
$('reset-yes').onclick = async () => {
  $('reset-confirm').hidden = true;
  await act(messages.reset(), t('resetDone'));
};
$('import').onchange = async () => {
  const [file] = $('import').files;
  if (!file) return;
  if (file.size > MAX_IMPORT_BYTES) {  // the browser refuses a message past 64 MiB, in its own words
    say(t('importTooBig', file.name, number(Math.ceil(file.size / MB)), number(MAX_IMPORT_BYTES / MB)), true);
    $('import').value = '';
    return;
  }
  let data;
  try {
    data = JSON.parse(await file.text());
  } catch {
    say(t('importNotJson', file.name), true);
    return;
  }
  await act(messages.import(data), t('imported', file.name));
  $('import').value = '';
};

await followTheme();
localize();
await offerHostAccess($('host-access'), () => location.reload());
await refresh();
document.body.dataset.ready = '1';
