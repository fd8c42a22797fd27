import { esc } from './html.js';

export interface ChartPoint {
  label: string;
  value: number | null;
}

const W = 520;
const H = 180;
const pad = { left: 44, right: 8, top: 24, bottom: 28 };

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/**
 * A bar chart as inline SVG (no script, prints to PDF as is): one bar per month, its value above it, a month
 * without a value shown as "–". Text is escaped; the chart has a title and a text alternative for screen readers.
 */
export function barChart(title: string, unit: string, points: readonly ChartPoint[]): string {
  const max = Math.max(1, ...points.map((p) => p.value ?? 0));
  const plotW = W - pad.left - pad.right;
  const plotH = H - pad.top - pad.bottom;
  const slot = plotW / Math.max(1, points.length);
  const barW = Math.max(4, slot * 0.6);
  const summary = points.map((p) => `${p.label}: ${p.value === null ? 'none' : `${fmt(p.value)} ${unit}`}`).join(', ');
  const bars = points.map((p, i) => {
    const x = pad.left + i * slot + (slot - barW) / 2;
    const h = p.value === null ? 0 : (p.value / max) * plotH;
    const y = pad.top + plotH - h;
    const label = p.value === null ? '–' : fmt(p.value);
    return [
      `<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="#2f6f9f"><title>${esc(`${p.label}: ${label} ${unit}`)}</title></rect>`,
      `<text x="${(x + barW / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" font-size="10">${esc(label)}</text>`,
      `<text x="${(x + barW / 2).toFixed(1)}" y="${H - 10}" text-anchor="middle" font-size="9">${esc(p.label)}</text>`,
    ].join('');
  });
  return `<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(`${title}: ${summary}`)}">
<title>${esc(title)}</title>
<text x="${pad.left}" y="14" font-size="11" font-weight="bold">${esc(`${title} (${unit})`)}</text>
<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${W - pad.right}" y2="${pad.top + plotH}" stroke="#6b7785"/>
<text x="${pad.left - 6}" y="${pad.top + 4}" text-anchor="end" font-size="9">${esc(fmt(max))}</text>
<text x="${pad.left - 6}" y="${pad.top + plotH}" text-anchor="end" font-size="9">0</text>
${bars.join('\n')}
</svg></figure>`;
}
