// The benchmark chart as a self-contained SVG: match time per request (median and p99) and snapshot
// restore time, one bar pair per engine. No charting dependency.
const COLORS = { median: '#2b6cb0', p99: '#90cdf4', restore: '#2f855a' };
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

function panel({ x, y, w, title, unit, rows, series }) {
  const rowH = 16 * series.length + 10, labelW = 170, barW = w - labelW - 130;
  const max = Math.max(...rows.flatMap((r) => series.map((s) => r[s.key] ?? 0)));
  const out = [`<text x="${x}" y="${y}" font-weight="bold">${esc(title)}</text>`];
  rows.forEach((r, i) => {
    const top = y + 12 + i * rowH;
    out.push(`<text x="${x + labelW - 8}" y="${top + rowH / 2 + 2}" text-anchor="end">${esc(r.label)}</text>`);
    series.forEach((s, j) => {
      const v = r[s.key];
      if (v === undefined) return;
      const len = Math.max(1, (v / max) * barW), by = top + j * 16;
      out.push(`<rect x="${x + labelW}" y="${by}" width="${len.toFixed(1)}" height="13" fill="${s.color}"/>`,
        `<text x="${x + labelW + len + 4}" y="${by + 11}">${v.toFixed(v < 10 ? 2 : 1)} ${unit}${series.length > 1 ? ` ${s.name}` : ''}</text>`);
    });
  });
  return { svg: out.join('\n'), height: 12 + rows.length * rowH + 24 };
}

export function chart(results) {
  const order = ['wasm', 'native', 'ubo', 'ghostery'].filter((k) => results[k]);
  const short = { wasm: 'PixelGuard wasm', native: 'native adblock-rust', ubo: 'uBO core', ghostery: 'Ghostery adblocker' };
  const w = 760;
  const match = panel({
    x: 10, y: 24, w, title: 'Match time per request (µs, lower is better)', unit: 'µs',
    rows: order.map((k) => ({ label: short[k], median: results[k].match.all.medianNs / 1000, p99: results[k].match.all.p99Ns / 1000 })),
    series: [{ key: 'median', name: 'median', color: COLORS.median }, { key: 'p99', name: 'p99', color: COLORS.p99 }],
  });
  const restore = panel({
    x: 10, y: 24 + match.height + 10, w, title: 'Restore from snapshot, EasyList + EasyPrivacy (ms)', unit: 'ms',
    rows: order.map((k) => ({ label: short[k], restore: results[k].restoreMs })),
    series: [{ key: 'restore', name: 'restore', color: COLORS.restore }],
  });
  const h = 24 + match.height + 10 + restore.height;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
${match.svg}
${restore.svg}
</svg>
`;
}
