// The plain-text report "Copy a report" puts on the clipboard: site, browser, PixelGuard and list
// versions, and every request blocked on the page with its filter and list. Nothing is sent.
import { t } from './i18n.js';

/** The report for `data`, the background's `report` answer, as lines of text. */
export function reportText(data) {
  const lists = data.lists.map((l) => (l.version ? `${l.title} (${l.id}) ${l.version}` : `${l.title} (${l.id})`));
  const lines = [
    t('reportHeading'),
    `${t('reportSite')} ${data.site ?? '-'}`,
    `${t('reportPage')} ${data.url ?? '-'}`,
    `${t('reportBrowser')} ${navigator.userAgent}`,
    `${t('reportVersion')} ${data.version}`,
    `${t('reportLists')} ${lists.join('; ')}`,
    `${t('reportProtection')} ${data.paused ? t('statePaused') : t('stateOn')}`,
    `${t('reportTime')} ${new Date(data.time).toISOString()}`,
    '',
    data.beforePause ? t('reportBlockedBeforePause', data.entries.length) : t('reportBlocked', data.entries.length),
  ];
  for (const e of data.entries) {
    const filter = e.filter ? `${e.filter.text} (${e.filter.list}${e.filter.line ? `:${e.filter.line}` : ''})` : '-';
    lines.push(`- ${e.url}`, `  ${e.type} · ${e.kind ?? 'other'} · ${e.company ?? e.host} · ${filter}`);
  }
  return `${lines.join('\n')}\n`;
}
