// The report's pictures, drawn as plain SVG: ranked bars (each row a button, its text the
// equivalent of its bar) and kinds stacked per day (each day focusable, with its numbers in words,
// and the whole chart as a table). Text only: nothing here parses HTML.
import { number } from '../src/i18n.js';
import { el } from '../src/ui.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/**
 * A ranked list: one `<li><button>` per item, with its label, its figure in words and a bar
 * whose length is `value(item)` against the largest; `choose(item, button)` runs on activation.
 */
export function barList(list, items, { label, value, words, choose }) {
  const max = Math.max(1, ...items.map(value));
  list.replaceChildren(...items.map((item) => {
    const button = el('button', '', 'bar-row');
    button.type = 'button';
    const bar = svg('svg', { viewBox: '0 0 100 8', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false', class: 'bar-track' });
    bar.append(svg('rect', { x: 0, y: 0, height: 8, width: Math.max(1, (100 * value(item)) / max), rx: 1 }));
    button.append(el('span', label(item), 'bar-label'), el('span', words(item), 'bar-words'), bar);
    button.onclick = () => choose(item, button);
    const row = el('li');
    row.append(button);
    return row;
  }));
}

/**
 * Columns of `series` (`[{ day, kinds: { kind: n } }]`), one stacked segment per kind, coloured
 * by the `kind-…` class, on a scale from 0 to the busiest day; `dayLabel(day)` names a day,
 * `kindLabel(kind)` a kind, `describe(point)` says a day's numbers. Returns a figure with the
 * chart, a legend, a readout of the focused day (`hint` until one is) and the same numbers as a table.
 */
export function stackedColumns(series, kinds, { dayLabel, kindLabel, describe, caption, tableLabel, hint }) {
  const axis = 36;  // the left gutter, for the scale
  const width = 700;
  const height = 160;
  const top = 8;
  const gap = series.length > 40 ? 1 : 3;
  const step = (width - axis) / series.length;
  const max = Math.max(1, ...series.map((p) => kinds.reduce((n, k) => n + p.kinds[k], 0)));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 18}`, class: 'columns-chart', role: 'group' });
  chart.setAttribute('aria-label', caption);
  // The scale: a line and a figure at the top (the busiest day) and at zero.
  for (const [y, value] of [[top, max], [height, 0]]) {
    chart.append(svg('line', { x1: axis, x2: width, y1: y, y2: y, class: 'grid', 'aria-hidden': 'true' }));
    const label = svg('text', { x: axis - 6, y: y + 4, 'text-anchor': 'end', class: 'axis', 'aria-hidden': 'true' });
    label.textContent = number(value);
    chart.append(label);
  }
  const readout = el('p', hint, 'readout');
  readout.setAttribute('aria-live', 'polite');
  const x = (i) => axis + i * step;
  series.forEach((point, i) => {
    const column = svg('g', { tabindex: 0, role: 'img', class: 'column' });
    const words = describe(point);
    column.setAttribute('aria-label', words);
    const title = svg('title');
    title.textContent = words;
    column.append(title, svg('rect', { x: x(i), y: 0, width: step, height, class: 'column-hit' }));
    let y = height;
    for (const kind of kinds) {
      const h = ((height - top) * point.kinds[kind]) / max;
      if (h > 0) column.append(svg('rect', { x: x(i) + gap / 2, y: y - h, width: Math.max(1, step - gap), height: h, class: `kind-${kind}` }));
      y -= h;
    }
    const show = () => { readout.textContent = words; };
    column.addEventListener('focus', show);
    column.addEventListener('mouseenter', show);
    chart.append(column);
  });
  // Axis labels: the first, middle and last day.
  for (const i of new Set([0, Math.floor((series.length - 1) / 2), series.length - 1])) {
    const text = svg('text', { x: x(i) + step / 2, y: height + 14, 'text-anchor': 'middle', class: 'axis', 'aria-hidden': 'true' });
    text.textContent = dayLabel(series[i].day);
    chart.append(text);
  }
  const legend = el('ul', '', 'legend');
  legend.append(...kinds.map((kind) => {
    const item = el('li');
    const swatch = svg('svg', { viewBox: '0 0 10 10', class: 'swatch', 'aria-hidden': 'true' });
    swatch.append(svg('rect', { width: 10, height: 10, class: `kind-${kind}` }));
    item.append(swatch, el('span', kindLabel(kind)));
    return item;
  }));
  const table = el('table', '', 'kinds-table');
  const head = el('tr');
  head.append(el('th', dayLabel(null)), ...kinds.map((k) => el('th', kindLabel(k))));
  for (const cell of head.children) cell.scope = 'col';
  const body = el('tbody');
  body.append(...series.map((point) => {
    const row = el('tr');
    const day = el('th', dayLabel(point.day));
    day.scope = 'row';
    row.append(day, ...kinds.map((k) => el('td', String(point.kinds[k]))));
    return row;
  }));
  const thead = el('thead');
  thead.append(head);
  table.append(thead, body);
  const details = el('details');
  details.append(el('summary', tableLabel), table);
  const figure = el('figure');
  figure.append(chart, legend, readout, details);
  return figure;
}
