// The privacy report page: one round-trip for the ledger's days, then every view drawn here (the
// headline in words, companies and sites ranked with drill-downs, kinds per day, the GPC record),
// exports made as files on this device, and "Clear history". Rendered as text only.
import { api, browserName } from '../src/browser.js';
import { KINDS, dayOf } from '../src/ledger-day.js';
import { messages } from '../src/messages.js';
import { ask, el } from '../src/ui.js';
import { barList, stackedColumns } from './charts.js';
import { PERIODS, gpcCsv, gpcJson, historyCsv, historyJson, summarize } from './summary.js';

const $ = (id) => document.getElementById(id);
const language = api.i18n.getUILanguage();
/** The message `key` of `_locales`, with `$1`, `$2`, … filled. */
const t = (key, ...subs) => api.i18n.getMessage(key, subs.map(String)) || key;
const plurals = new Intl.PluralRules(language);
/** The `key_one` or `key_other` message, filled with `n`. */
const count = (key, n) => t(`${key}_${plurals.select(n) === 'one' ? 'one' : 'other'}`, n.toLocaleString(language));
const list = (items) => new Intl.ListFormat(language, { type: 'conjunction' }).format(items);
const SHOWN = 12;  // bars shown before "Show all"

let records = [];
let gpcOn = true;
let period = 'week';
let chosen = null;  // the drill-down: { company } or { site }
let expanded = { companies: false, sites: false };
const exportUrls = [];

function dayLabel(day) {
  if (!day) return t('report_col_day');
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(language, { weekday: 'short', day: 'numeric', month: 'short' });
}

const kindLabel = (kind) => t(`report_kind_${kind.replace('-', '_')}`);
/** "2 conversion, 1 retargeting": a row's kinds in words, largest first. */
const kindsInWords = (kinds) => Object.entries(kinds).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1])
  .map(([kind, n]) => `${n.toLocaleString(language)} ${kindLabel(kind)}`).join(', ');

function renderHeadline(s) {
  const when = t(`report_when_${period}`);
  $('headline').textContent = s.blocked === 0 ? t('report_headline_none', when)
    : t('report_headline', count('report_companies', s.companies.length), count('report_sites', s.sites.length), when);
  const purchases = s.actions.purchase ?? 0;
  $('purchases').textContent = purchases ? count('report_purchases', purchases) : '';
  const others = Object.entries(s.actions).filter(([a]) => a !== 'purchase').sort((a, b) => b[1] - a[1])
    .map(([action, n]) => count(`report_action_${action.replaceAll('-', '_')}`, n));
  $('actions').textContent = others.length ? t('report_actions', list(others)) : '';
  $('dropped').hidden = s.dropped === 0;
  $('dropped').textContent = t('report_dropped', s.dropped.toLocaleString(language));
}

/** A ranked list with "Show all" past SHOWN rows. */
function renderBars(which, items, options) {
  const listNode = $(which);
  barList(listNode, expanded[which] ? items : items.slice(0, SHOWN), options);
  if (items.length > SHOWN) {
    const more = el('button', expanded[which] ? t('report_show_fewer') : t('report_show_all', items.length.toLocaleString(language)), 'more');
    more.type = 'button';
    more.onclick = () => { expanded[which] = !expanded[which]; render(); };
    const row = el('li');
    row.append(more);
    listNode.append(row);
  }
  if (items.length === 0) listNode.replaceChildren(el('li', t('report_nothing'), 'hint'));
}

function renderDrill(s) {
  const company = chosen?.company && s.companies.find((c) => c.company === chosen.company);
  const site = chosen?.site && s.sites.find((x) => x.site === chosen.site);
  const table = $('drill-table');
  table.hidden = !company && !site;
  if (table.hidden) {
    $('drill-title').textContent = t('report_drill_hint');
    return;
  }
  const rows = company ? company.sites : site.companies;
  $('drill-title').textContent = company ? t('report_drill_company', company.company, count('report_sites', rows.length))
    : t('report_drill_site', site.site, count('report_companies', rows.length));
  $('drill-name').textContent = company ? t('report_col_site') : t('report_col_company');
  table.tBodies[0].replaceChildren(...rows.map((r) => {
    const row = el('tr');
    row.append(el('td', r.site ?? r.company), el('td', r.count.toLocaleString(language)), el('td', kindsInWords(r.kinds)));
    return row;
  }));
}

function choose(selection, button) {
  chosen = selection;
  for (const b of document.querySelectorAll('.bar-row[aria-pressed]')) b.setAttribute('aria-pressed', 'false');
  button.setAttribute('aria-pressed', 'true');
  renderDrill(summarize(records, dayOf(Date.now()), PERIODS[period]));
}

function renderGpc(s) {
  const sites = new Set(s.gpc.map((g) => g.site)).size;
  $('gpc-state').textContent = !gpcOn && s.gpc.length === 0 ? t('report_gpc_off')
    : s.gpc.length === 0 ? t('report_gpc_none', t(`report_when_${period}`))
      : t('report_gpc_count', count('report_sites', sites), t(`report_when_${period}`));
  $('gpc-table').hidden = s.gpc.length === 0;
  const time = (ms) => new Date(ms).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' });
  $('gpc-table').tBodies[0].replaceChildren(...s.gpc.map((g) => {
    const row = el('tr');
    row.dataset.site = g.site;
    row.append(el('td', g.site), el('td', g.company), el('td', kindLabel(g.kind)), el('td', g.event ?? '—'),
      el('td', time(g.first)), el('td', time(g.last)), el('td', String(g.blocked)), el('td', String(g.loaded)));
    return row;
  }));
}

/** The export links: files made here, from the whole history (every kept day). */
function renderExports() {
  for (const url of exportUrls.splice(0)) URL.revokeObjectURL(url);
  const now = Date.now();
  const link = (id, text, type) => {
    const url = URL.createObjectURL(new Blob([text], { type }));
    exportUrls.push(url);
    $(id).href = url;
  };
  link('history-csv', historyCsv(records), 'text/csv');
  link('history-json', historyJson(records, now), 'application/json');
  link('gpc-csv', gpcCsv(records, browserName), 'text/csv');
  link('gpc-json', gpcJson(records, now, browserName), 'application/json');
}

function render() {
  const s = summarize(records, dayOf(Date.now()), PERIODS[period]);
  for (const b of document.querySelectorAll('[data-period]')) b.setAttribute('aria-pressed', String(b.dataset.period === period));
  renderHeadline(s);
  renderBars('companies', s.companies, {
    label: (c) => c.company, value: (c) => c.sites.length,
    words: (c) => `${count('report_sites', c.sites.length)} · ${count('report_requests', c.count)}`,
    choose: (c, button) => choose({ company: c.company }, button),
  });
  renderBars('sites', s.sites, {
    label: (x) => x.site, value: (x) => x.companies.length,
    words: (x) => `${count('report_companies', x.companies.length)} · ${count('report_requests', x.count)}`,
    choose: (x, button) => choose({ site: x.site }, button),
  });
  for (const b of document.querySelectorAll('.bar-row')) {
    const name = b.querySelector('.bar-label').textContent;
    b.setAttribute('aria-pressed', String(chosen?.company === name || chosen?.site === name));
  }
  renderDrill(s);
  $('kinds').replaceChildren(stackedColumns(s.series, KINDS, {
    dayLabel, kindLabel, caption: t('report_kinds_caption', t(`report_when_${period}`)), tableLabel: t('report_show_table'), hint: t('report_kinds_hint'),
    describe: (p) => `${dayLabel(p.day)}: ${kindsInWords(p.kinds) || t('report_nothing')}`,
  }));
  renderGpc(s);
  renderExports();
}

async function load() {
  try {
    ({ days: records, gpc: gpcOn } = await ask(messages.report()));
    $('error').hidden = true;
  } catch (error) {
    $('error').hidden = false;
    $('error').textContent = t('report_error', error.message);
  }
  render();
}

document.documentElement.lang = language;
for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
for (const node of document.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t(node.dataset.i18nLabel));
document.title = t('report_title');
for (const b of document.querySelectorAll('[data-period]')) {
  b.onclick = () => { period = b.dataset.period; expanded = { companies: false, sites: false }; render(); };
}
$('clear').onclick = () => { $('clear-confirm').hidden = false; $('clear-yes').focus(); };
$('clear-no').onclick = () => { $('clear-confirm').hidden = true; $('clear').focus(); };
$('clear-yes').onclick = async () => {
  $('clear-confirm').hidden = true;
  try {
    await ask(messages.clearReport());
    chosen = null;
    $('cleared').textContent = t('report_cleared');
  } catch (error) {
    $('cleared').textContent = t('report_error', error.message);
  }
  await load();
};
await load();
document.body.dataset.ready = '1';
