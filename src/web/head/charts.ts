/**
 * Server-side charts as accessible inline SVG (pure: data in, markup out). No script and no inline
 * style (the CSP forbids both): colours are presentation attributes, every figure is also written
 * as text, and each chart has a <title> and <desc> named by aria-labelledby. Pages put a data
 * table after each chart for those who cannot see it.
 */

const TEXT = '#0b0c0c';
const GRID = '#b1b4b6';
const BLUE = '#1d70b8';
const RED = '#d4351c';
const FONT = 'font-family="GDS Transport, arial, sans-serif"';

/** Text for XML content and attribute values. */
export function escapeXml(value: string | number | null | undefined): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A linear map from a domain onto a range; a zero-width domain maps to the range's start. */
export function linearScale(
  domain: [number, number],
  range: [number, number],
): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (value) => (span === 0 ? r0 : r0 + ((value - d0) / span) * (r1 - r0));
}

/**
 * A round top for an axis holding `max`: 1, 2 or 5 times a power of ten (at least 1, so an empty
 * chart still has an axis).
 */
export function niceMax(max: number): number {
  if (!Number.isFinite(max) || max <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((m) => m * power >= max) ?? 10;
  return step * power;
}

/** Ticks from 0 to a nice top: whole numbers only, at most `count` intervals. */
export function ticks(max: number, count = 4): number[] {
  const top = niceMax(max);
  const step = Math.max(1, Math.ceil(top / count));
  const out: number[] = [];
  for (let v = 0; v <= top; v += step) out.push(v);
  if (out[out.length - 1] !== top) out.push(top);
  return out;
}

const round = (n: number) => Math.round(n * 10) / 10;

interface ChartText {
  /** A short id unique on the page (letters, digits, dashes): the title and desc ids derive from it. */
  id: string;
  title: string;
  description: string;
}

function open(
  { id, title, description }: ChartText,
  width: number,
  height: number,
  qa: string,
): string {
  const safeId = id.replace(/[^A-Za-z0-9-]/g, '-');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" class="app-chart" data-qa="${escapeXml(qa)}" ` +
    `viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" ` +
    `aria-labelledby="${safeId}-title ${safeId}-desc" focusable="false">` +
    `<title id="${safeId}-title">${escapeXml(title)}</title>` +
    `<desc id="${safeId}-desc">${escapeXml(description)}</desc>`
  );
}

function yAxis(values: number[], y: (v: number) => number, left: number, right: number): string {
  return ticks(Math.max(0, ...values))
    .map(
      (t) =>
        `<line x1="${left}" x2="${right}" y1="${round(y(t))}" y2="${round(y(t))}" stroke="${GRID}" stroke-width="1"/>` +
        `<text x="${left - 6}" y="${round(y(t) + 4)}" text-anchor="end" font-size="12" fill="${TEXT}" ${FONT}>${t}</text>`,
    )
    .join('');
}

export interface BarDatum {
  label: string;
  value: number;
}

/** A vertical bar chart with each bar's value written above it and its label below. */
export function barChartSvg(
  chart: ChartText & { data: BarDatum[]; width?: number; height?: number },
): string {
  const width = chart.width ?? 640;
  const height = chart.height ?? 300;
  const m = { top: 24, right: 16, bottom: 40, left: 48 };
  const values = chart.data.map((d) => Math.max(0, d.value));
  const top = niceMax(Math.max(0, ...values));
  const y = linearScale([0, top], [height - m.bottom, m.top]);
  const slot = chart.data.length ? (width - m.left - m.right) / chart.data.length : 0;
  const barWidth = round(slot * 0.6);
  const bars = chart.data
    .map((d, i) => {
      const v = Math.max(0, d.value);
      const x = round(m.left + slot * i + (slot - barWidth) / 2);
      const centre = round(m.left + slot * i + slot / 2);
      const barTop = round(y(v));
      return (
        `<g data-qa="bar">` +
        `<rect x="${x}" y="${barTop}" width="${barWidth}" height="${round(height - m.bottom - barTop)}" fill="${BLUE}"/>` +
        `<text x="${centre}" y="${round(barTop - 6)}" text-anchor="middle" font-size="14" font-weight="bold" fill="${TEXT}" ${FONT}>${escapeXml(d.value)}</text>` +
        `<text x="${centre}" y="${height - m.bottom + 20}" text-anchor="middle" font-size="13" fill="${TEXT}" ${FONT}>${escapeXml(d.label)}</text>` +
        `</g>`
      );
    })
    .join('');
  const empty = chart.data.length
    ? ''
    : `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="16" fill="${TEXT}" ${FONT}>No data</text>`;
  return (
    open(chart, width, height, 'bar-chart') +
    yAxis(values, y, m.left, width - m.right) +
    `<line x1="${m.left}" x2="${width - m.right}" y1="${height - m.bottom}" y2="${height - m.bottom}" stroke="${TEXT}" stroke-width="2"/>` +
    bars +
    empty +
    `</svg>`
  );
}

export interface LineSeries {
  name: string;
  points: { at: Date; value: number }[];
  /** Draw dashed (so series differ by more than colour). */
  dashed?: boolean;
}

const dayMonth = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
});

/** `3 Mar`, London time. */
export const shortDate = (d: Date): string => dayMonth.format(d);

/**
 * A line chart over time: one or more series, dates at both ends of the time axis, a legend in
 * words, and each series' last value written at its end.
 */
export function lineChartSvg(
  chart: ChartText & { series: LineSeries[]; width?: number; height?: number },
): string {
  const width = chart.width ?? 640;
  const height = chart.height ?? 300;
  const m = { top: 40, right: 48, bottom: 40, left: 48 };
  const all = chart.series.flatMap((s) => s.points);
  const body = open(chart, width, height, 'line-chart');
  if (!all.length) {
    return (
      body +
      `<line x1="${m.left}" x2="${width - m.right}" y1="${height - m.bottom}" y2="${height - m.bottom}" stroke="${TEXT}" stroke-width="2"/>` +
      `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="16" fill="${TEXT}" ${FONT}>No data yet</text>` +
      `</svg>`
    );
  }
  const times = all.map((p) => p.at.getTime());
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = linearScale([t0, t1], [m.left, width - m.right]);
  const values = all.map((p) => Math.max(0, p.value));
  const y = linearScale([0, niceMax(Math.max(0, ...values))], [height - m.bottom, m.top]);
  const colours = [BLUE, RED, TEXT];
  const lines = chart.series
    .map((s, i) => {
      const colour = colours[i % colours.length];
      const pts = [...s.points].sort((a, b) => a.at.getTime() - b.at.getTime());
      if (!pts.length) return '';
      const coords = pts.map((p) => `${round(x(p.at.getTime()))},${round(y(p.value))}`);
      const last = pts[pts.length - 1];
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
      const shape =
        pts.length === 1
          ? `<circle cx="${coords[0].split(',')[0]}" cy="${coords[0].split(',')[1]}" r="4" fill="${colour}"/>`
          : `<polyline points="${coords.join(' ')}" fill="none" stroke="${colour}" stroke-width="3"${dash}/>`;
      return (
        `<g data-qa="series">${shape}` +
        `<text x="${round(x(last.at.getTime()) + 6)}" y="${round(y(last.value) + 4)}" font-size="13" font-weight="bold" fill="${colour}" ${FONT}>${escapeXml(last.value)}</text></g>`
      );
    })
    .join('');
  const legend = chart.series
    .map((s, i) => {
      const colour = colours[i % colours.length];
      const lx = m.left + i * 180;
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
      return (
        `<line x1="${lx}" x2="${lx + 24}" y1="14" y2="14" stroke="${colour}" stroke-width="3"${dash}/>` +
        `<text x="${lx + 30}" y="18" font-size="13" fill="${TEXT}" ${FONT}>${escapeXml(s.name)}</text>`
      );
    })
    .join('');
  return (
    body +
    yAxis(values, y, m.left, width - m.right) +
    `<line x1="${m.left}" x2="${width - m.right}" y1="${height - m.bottom}" y2="${height - m.bottom}" stroke="${TEXT}" stroke-width="2"/>` +
    `<text x="${m.left}" y="${height - m.bottom + 20}" text-anchor="start" font-size="13" fill="${TEXT}" ${FONT}>${escapeXml(shortDate(new Date(t0)))}</text>` +
    (t1 !== t0
      ? `<text x="${width - m.right}" y="${height - m.bottom + 20}" text-anchor="end" font-size="13" fill="${TEXT}" ${FONT}>${escapeXml(shortDate(new Date(t1)))}</text>`
      : '') +
    legend +
    lines +
    `</svg>`
  );
}

/**
 * The last snapshot of each London day, oldest first: the trend's data table reads by day rather
 * than by hour.
 */
export function lastPerDay<T extends { takenAt: Date | string }>(
  items: T[],
): (T & { day: string })[] {
  const byDay = new Map<string, T & { day: string }>();
  const key = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const sorted = [...items].sort(
    (a, b) => new Date(a.takenAt).getTime() - new Date(b.takenAt).getTime(),
  );
  for (const item of sorted) {
    const day = key.format(new Date(item.takenAt));
    byDay.set(day, { ...item, day });
  }
  return [...byDay.values()];
}
