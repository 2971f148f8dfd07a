// The privacy report page: one round-trip for the ledger's days, then every view drawn here (the
// headline in words, companies and sites ranked with drill-downs, kinds per day, the GPC record),
// exports made as files on this device, and "Clear history". Rendered as text only.
import { browserName } from '../src/browser.js';
import { dateTime, label, language, localize, number, t } from '../src/i18n.js';
import { KINDS, dayOf } from '../src/ledger-day.js';
import { messages } from '../src/messages.js';
import { ask, el, followTheme } from '../src/ui.js';
import { barList, stackedColumns } from './charts.js';
import { PERIODS, gpcCsv, gpcJson, historyCsv, historyJson, summarize } from './summary.js';

const $ = (id) => document.getElementById(id);
const plurals = new Intl.PluralRules(language);
/** The plural form of `n` our messages have: `one` or `other`. */
const form = (n) => (plurals.select(n) === 'one' ? 'one' : 'other');
/** The `count_what_one` or `count_what_other` message ("1 site", "3 sites"), filled with `n`. */
const count = (what, n) => label('count', `${what}_${form(n)}`, number(n));
/** "this week", "in the last 30 days": ends a sentence about the chosen period. */
const when = () => label('when', period);
const list = (items) => new Intl.ListFormat(language, { type: 'conjunction' }).format(items);
const SHOWN = 12;  // bars shown before "Show all"

let records = [];
let gpcOn = true;
let period = 'week';
let chosen = null;  // the drill-down: { company } or { site }
let expanded = { companies: false, sites: false };
const exportUrls = [];

function dayLabel(day) {
  if (!day) return t('privacyReportColDay');
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(language, { weekday: 'short', day: 'numeric', month: 'short' });
}

const kindLabel = (kind) => label('kind', kind);
/** "Conversion 2, Retargeting 1": a row's kinds in words, largest first. */
const kindsInWords = (kinds) => Object.entries(kinds).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1])
  .map(([kind, n]) => t('privacyReportKindCount', kindLabel(kind), number(n))).join(', ');

function renderHeadline(s) {
  $('headline').textContent = s.blocked === 0 ? t('privacyReportHeadlineNone', when())
    : t('privacyReportHeadline', count('companies', s.companies.length), count('sites', s.sites.length), when());
  const purchases = s.actions.purchase ?? 0;
  $('purchases').textContent = purchases ? count('purchases', purchases) : '';
  const others = Object.entries(s.actions).filter(([a]) => a !== 'purchase').sort((a, b) => b[1] - a[1])
    .map(([action, n]) => label('action', `${action}_${form(n)}`, number(n)));
  $('actions').textContent = others.length ? t('privacyReportActions', list(others)) : '';
  $('dropped').hidden = s.dropped === 0;
  $('dropped').textContent = t('privacyReportDropped', number(s.dropped));
}

/** A ranked list with "Show all" past SHOWN rows. */
function renderBars(which, items, options) {
  const listNode = $(which);
  barList(listNode, expanded[which] ? items : items.slice(0, SHOWN), options);
  if (items.length > SHOWN) {
    const more = el('button', expanded[which] ? t('privacyReportShowFewer') : t('privacyReportShowAll', number(items.length)), 'more');
    more.type = 'button';
    more.onclick = () => { expanded[which] = !expanded[which]; render(); };
    const row = el('li');
    row.append(more);
    listNode.append(row);
  }
  if (items.length === 0) listNode.replaceChildren(el('li', t('privacyReportNothing'), 'hint'));
}

function renderDrill(s) {
  const company = chosen?.company && s.companies.find((c) => c.company === chosen.company);
  const site = chosen?.site && s.sites.find((x) => x.site === chosen.site);
  const table = $('drill-table');
  table.hidden = !company && !site;
  if (table.hidden) {
    $('drill-title').textContent = t('privacyReportDrillHint');
    return;
  }
  const rows = company ? company.sites : site.companies;
  $('drill-title').textContent = company ? t('privacyReportDrillCompany', company.company, count('sites', rows.length))
    : t('privacyReportDrillSite', site.site, count('companies', rows.length));
  $('drill-name').textContent = company ? t('privacyReportColSite') : t('privacyReportColCompany');
  table.tBodies[0].replaceChildren(...rows.map((r) => {
    const row = el('tr');
    row.append(el('td', r.site ?? r.company), el('td', number(r.count)), el('td', kindsInWords(r.kinds)));
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
  $('gpc-state').textContent = !gpcOn && s.gpc.length === 0 ? t('privacyReportGpcOff')
    : s.gpc.length === 0 ? t('privacyReportGpcNone', when())
      : t('privacyReportGpcCount', count('sites', sites), when());
  $('gpc-table').hidden = s.gpc.length === 0;
  $('gpc-table').tBodies[0].replaceChildren(...s.gpc.map((g) => {
    const row = el('tr');
    row.dataset.site = g.site;
    row.append(el('td', g.site), el('td', g.company), el('td', kindLabel(g.kind)), el('td', g.event ?? '—'),
      el('td', dateTime(g.first)), el('td', dateTime(g.last)), el('td', number(g.blocked)), el('td', number(g.loaded)));
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
  // Firefox sets a page load's own Sec-GPC from its preference, over the extension's rule; the
  // page's script and its subresource requests carry the signal.
  const signal = browserName === 'firefox' ? t('privacyReportSignalFirefox') : t('privacyReportSignalChromium');
  link('history-csv', historyCsv(records), 'text/csv');
  link('history-json', historyJson(records, now, t('privacyReportHistoryHolds')), 'application/json');
  link('gpc-csv', gpcCsv(records, signal), 'text/csv');
  link('gpc-json', gpcJson(records, now, { signal, observed: t('privacyReportGpcObserved') }), 'application/json');
}

function render() {
  const s = summarize(records, dayOf(Date.now()), PERIODS[period]);
  for (const b of document.querySelectorAll('[data-period]')) b.setAttribute('aria-pressed', String(b.dataset.period === period));
  renderHeadline(s);
  renderBars('companies', s.companies, {
    label: (c) => c.company, value: (c) => c.sites.length,
    words: (c) => `${count('sites', c.sites.length)} · ${count('requests', c.count)}`,
    choose: (c, button) => choose({ company: c.company }, button),
  });
  renderBars('sites', s.sites, {
    label: (x) => x.site, value: (x) => x.companies.length,
    words: (x) => `${count('companies', x.companies.length)} · ${count('requests', x.count)}`,
    choose: (x, button) => choose({ site: x.site }, button),
  });
  for (const b of document.querySelectorAll('.bar-row')) {
    const name = b.querySelector('.bar-label').textContent;
    b.setAttribute('aria-pressed', String(chosen?.company === name || chosen?.site === name));
  }
  renderDrill(s);
  $('kinds').replaceChildren(stackedColumns(s.series, KINDS, {
    dayLabel, kindLabel, caption: t('privacyReportKindsCaption', when()), tableLabel: t('privacyReportShowTable'), hint: t('privacyReportKindsHint'),
    describe: (p) => `${dayLabel(p.day)}: ${kindsInWords(p.kinds) || t('privacyReportNothing')}`,
  }));
  renderGpc(s);
  renderExports();
}

async function load() {
  try {
    ({ days: records, gpc: gpcOn } = await ask(messages.privacyReport()));
    $('error').hidden = true;
  } catch (error) {
    $('error').hidden = false;
    $('error').textContent = t('privacyReportError', error.message);
  }
  render();
}

await followTheme();
localize();
for (const b of document.querySelectorAll('[data-period]')) {
  b.onclick = () => { period = b.dataset.period; expanded = { companies: false, sites: false }; render(); };
}
$('clear').onclick = () => { $('clear-confirm').hidden = false; $('clear-yes').focus(); };
$('clear-no').onclick = () => { $('clear-confirm').hidden = true; $('clear').focus(); };
$('clear-yes').onclick = async () => {
  $('clear-confirm').hidden = true;
  try {
    await ask(messages.clearPrivacyReport());
    chosen = null;
    $('cleared').textContent = t('privacyReportCleared');
  } catch (error) {
    $('cleared').textContent = t('privacyReportError', error.message);
  }
  await load();
};
await load();
document.body.dataset.ready = '1';
