/**
 * Small self-contained SVG charts for the HTML report: line / bar / dot series
 * on linear or log axes with ticks, grid, legend, an optional shaded band, and
 * off-scale values (0 or negative on a log axis, NaN, ±Inf) drawn as labelled
 * hollow diamonds in a strip at the bottom of the plot (at the top for +Inf),
 * below the lowest tick, instead of being dropped.
 *
 * Every chart is `<svg class="plot" data-points="N">` where N is the number of
 * data marks (elements with class `pt`) it holds; the report page checks that.
 * Styling comes from {@link SVG_CSS}, which the page must include.
 */

import { fmtNum } from './format.js';

/** Escapes text for HTML/SVG content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/** CSS for the classes the charts use; colors come from the page's custom properties (with fallbacks). */
export const SVG_CSS = `
svg.plot { display: block; max-width: 100%; height: auto; font-family: inherit; }
svg.plot text { fill: var(--muted, #555); font-size: 11px; }
svg.plot text.axis-title { fill: var(--ink, #222); font-size: 11.5px; }
svg.plot text.off { font-size: 9.5px; font-weight: 600; }
svg.plot .grid { stroke: var(--grid, #e6e6e6); stroke-width: 1; }
svg.plot .grid.minor { stroke-dasharray: 2 3; }
svg.plot .axis { stroke: var(--axis, #888); stroke-width: 1; }
svg.plot .offstrip { fill: var(--grid, #e6e6e6); fill-opacity: 0.55; }
svg.plot .band { fill: #2e9e5b; fill-opacity: 0.12; }
svg.plot text.band-label { fill: #2e7d4f; font-size: 10px; }
svg.plot .mark { stroke: #c6372f; stroke-width: 1.2; stroke-dasharray: 4 3; }
svg.plot text.mark-label { fill: #c6372f; font-size: 10px; }
svg.plot .ln { fill: none; stroke-width: 1.8; stroke-linejoin: round; stroke-linecap: round; }
svg.plot .pt:hover { stroke: var(--ink, #222); stroke-width: 1.5; }
`;

/** One data point; `tip` is the hover text (plain text, escaped here). */
export interface Point {
  x: number;
  y: number;
  tip?: string;
}

export interface Series {
  name: string;
  color: string;
  /** line: connected points; bar: bars from the baseline (index x axis only); dot: points only. */
  kind: 'line' | 'bar' | 'dot';
  points: Point[];
  dashed?: boolean;
  /** Show in the legend (default true). */
  legend?: boolean;
}

export interface ChartOptions {
  /** Accessible name of the chart. */
  label: string;
  xLabel: string;
  yLabel: string;
  /** `index`: categories 0..count-1 (layers); `linear`: a numeric axis (steps). */
  x: { kind: 'index'; count: number } | { kind: 'linear' };
  /** `auto` picks log when all finite values are positive and span at least two decades. */
  y: 'linear' | 'log' | 'auto';
  /** Linear y axis starts at 0 (or below, for negative values). */
  yFromZero?: boolean;
  /** Linear y axis reaches at least this value (so small values do not fill the plot). */
  yAtLeast?: number;
  /** A vertical marker at this x (e.g. the first bad layer), with a short label. */
  mark?: { x: number; label: string };
  /** Shaded horizontal band, e.g. a healthy range; it is always inside the y range. */
  band?: { lo: number; hi: number; label: string };
  width?: number;
  height?: number;
}

interface Tick {
  value: number;
  /** SVG markup for the label ('' for an unlabelled minor tick). */
  label: string;
  minor?: boolean;
}

interface Axis {
  kind: 'linear' | 'log';
  lo: number;
  hi: number;
  ticks: Tick[];
}

/** Smallest / largest of a non-empty array (a loop: spreading a long array into Math.min can overflow the stack). */
function minOf(a: readonly number[]): number {
  let m = a[0];
  for (const v of a) if (v < m) m = v;
  return m;
}

function maxOf(a: readonly number[]): number {
  let m = a[0];
  for (const v of a) if (v > m) m = v;
  return m;
}

/** Coordinates rounded to 0.1 px. */
function px(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function niceStep(range: number, count: number): number {
  const raw = range / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function tickLabel(v: number, step: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return esc(fmtNum(v, 2));
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  return esc(v.toFixed(decimals));
}

function linearAxis(min: number, max: number, integer: boolean): Axis {
  if (!(max > min)) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.5;
    min -= pad;
    max += pad;
  }
  let step = niceStep(max - min, 5);
  if (integer) step = Math.max(1, Math.round(step));
  const k0 = Math.floor(min / step + 1e-9);
  const k1 = Math.ceil(max / step - 1e-9);
  const ticks: Tick[] = [];
  for (let k = k0; k <= k1; k++) {
    const value = k * step + 0; // + 0 turns -0 into 0
    ticks.push({ value, label: tickLabel(value, step) });
  }
  return { kind: 'linear', lo: k0 * step, hi: k1 * step, ticks };
}

function powerLabel(k: number): string {
  if (k === 0) return '1';
  if (k === 1) return '10';
  const exp = k < 0 ? `\u2212${-k}` : String(k);
  return `10<tspan dy="-5" font-size="8.5">${exp}</tspan>`;
}

function logAxis(min: number, max: number): Axis {
  // Whole decades, with room so that no point sits on the bottom edge, where off-scale markers go.
  const a = Math.floor(Math.log10(min) - 0.2);
  let b = Math.ceil(Math.log10(max) + 0.05);
  if (b <= a) b = a + 1;
  const decades = b - a;
  const every = Math.ceil(decades / 6);
  // Up to two decades of ordinary-sized numbers: plain labels on 1, 2, 5 × 10^k as well.
  const plain = decades <= 2 && a >= -3 && b <= 4;
  const plainLabel = (v: number) => esc(String(Number(v.toPrecision(1))));
  const ticks: Tick[] = [];
  for (let k = a; k <= b; k++) {
    if (plain) ticks.push({ value: 10 ** k, label: plainLabel(10 ** k) });
    else if (((k % every) + every) % every === 0) ticks.push({ value: 10 ** k, label: powerLabel(k) });
    else ticks.push({ value: 10 ** k, label: '', minor: true });
    if (decades <= 3 && k < b) {
      for (const m of [2, 5]) {
        const value = m * 10 ** k;
        ticks.push(plain ? { value, label: plainLabel(value) } : { value, label: '', minor: true });
      }
    }
  }
  return { kind: 'log', lo: 10 ** a, hi: 10 ** b, ticks };
}

function indexAxis(count: number): Axis {
  const n = Math.max(1, count);
  const step = Math.max(1, Math.round(niceStep(n, 10)));
  const ticks: Tick[] = [];
  for (let i = 0; i < n; i += step) ticks.push({ value: i, label: String(i) });
  return { kind: 'linear', lo: -0.5, hi: n - 0.5, ticks };
}

/** Position of v in [0, 1] along the axis. */
function frac(axis: Axis, v: number): number {
  if (axis.kind === 'log') {
    const l0 = Math.log10(axis.lo);
    return (Math.log10(v) - l0) / (Math.log10(axis.hi) - l0);
  }
  return (v - axis.lo) / (axis.hi - axis.lo);
}

/** Where a y value goes: on the scale, or off it (with the label its marker gets). */
type Placement = { at: 'in' } | { at: 'low' | 'high'; label: string };

function place(v: number, log: boolean): Placement {
  if (Number.isNaN(v)) return { at: 'low', label: 'NaN' };
  if (v === Number.POSITIVE_INFINITY) return { at: 'high', label: '+Inf' };
  if (v === Number.NEGATIVE_INFINITY) return { at: 'low', label: '-Inf' };
  if (log && v <= 0) return { at: 'low', label: v === 0 ? '0' : '<0' };
  return { at: 'in' };
}

const FONT_W = 6.3; // average glyph width of the 11px legend font, for layout

/** Legend rows (swatch + name), wrapped to `width`; returns markup and height. */
function legend(series: Series[], x0: number, y0: number, width: number): { svg: string; height: number } {
  const items = series.filter((s) => s.legend !== false);
  if (items.length === 0) return { svg: '', height: 0 };
  const rowH = 16;
  let x = x0;
  let y = y0;
  let out = '';
  for (const s of items) {
    const w = 22 + s.name.length * FONT_W + 12;
    if (x > x0 && x + w > x0 + width) {
      x = x0;
      y += rowH;
    }
    const cy = y + rowH / 2;
    const swatch =
      s.kind === 'bar'
        ? `<rect x="${px(x)}" y="${px(cy - 5)}" width="14" height="10" rx="2" fill="${s.color}"/>`
        : `<line x1="${px(x)}" y1="${px(cy)}" x2="${px(x + 16)}" y2="${px(cy)}" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`;
    out += `${swatch}<text x="${px(x + 20)}" y="${px(cy + 4)}">${esc(s.name)}</text>`;
    x += w;
  }
  return { svg: `<g class="legend">${out}</g>`, height: y - y0 + rowH + 4 };
}

/** A chart of `series` as `<svg class="plot" data-points="N">`. */
export function chart(opts: ChartOptions, series: Series[]): string {
  const W = opts.width ?? 560;
  const H0 = opts.height ?? 280;
  const left = 62;
  const right = 16;
  const plotW = W - left - right;
  const leg = legend(series, left, 6, plotW);
  const top = 16 + leg.height;
  const bottom = 42;
  const H = H0 + leg.height;
  const plotH = H - top - bottom;

  // y axis from the finite values on the scale
  const finite = series.flatMap((s) => s.points.map((p) => p.y)).filter((v) => Number.isFinite(v));
  const positive = finite.filter((v) => v > 0);
  let log = opts.y === 'log';
  if (opts.y === 'auto') {
    log =
      positive.length > 0 && positive.length === finite.length && maxOf(positive) / minOf(positive) >= 100;
  }
  let yAxis: Axis;
  if (log) {
    let lo = positive.length > 0 ? minOf(positive) : 0.1;
    let hi = positive.length > 0 ? maxOf(positive) : 10;
    if (opts.band) {
      lo = Math.min(lo, opts.band.lo);
      hi = Math.max(hi, opts.band.hi);
    }
    yAxis = logAxis(lo, hi);
  } else {
    let lo = finite.length > 0 ? minOf(finite) : 0;
    let hi = finite.length > 0 ? maxOf(finite) : 1;
    if (opts.yFromZero) {
      lo = Math.min(lo, 0);
      hi = Math.max(hi, 0);
    }
    if (opts.yAtLeast !== undefined) hi = Math.max(hi, opts.yAtLeast);
    if (opts.band) {
      lo = Math.min(lo, opts.band.lo);
      hi = Math.max(hi, opts.band.hi);
    }
    yAxis = linearAxis(lo, hi, false);
  }

  // x axis
  let xAxis: Axis;
  if (opts.x.kind === 'index') xAxis = indexAxis(opts.x.count);
  else {
    const xs = series.flatMap((s) => s.points.map((p) => p.x)).filter((v) => Number.isFinite(v));
    xAxis = linearAxis(xs.length ? minOf(xs) : 0, xs.length ? maxOf(xs) : 1, true);
  }

  // Off-scale values get a strip of their own at the bottom (top for +Inf), outside the scale.
  const placements = series.map((s) =>
    s.points.map((p): Placement => (Number.isFinite(p.x) ? place(p.y, log) : { at: 'low', label: 'NaN' })),
  );
  const strip = 18;
  const hasLow = placements.some((ps) => ps.some((p) => p.at === 'low'));
  const hasHigh = placements.some((ps) => ps.some((p) => p.at === 'high'));
  const yBottom = top + plotH;
  const scaleTop = top + (hasHigh ? strip : 0);
  const scaleBottom = yBottom - (hasLow ? strip : 0);
  const X = (v: number) => left + frac(xAxis, v) * plotW;
  const Y = (v: number) => scaleTop + (1 - frac(yAxis, v)) * (scaleBottom - scaleTop);

  let body = '';
  // grid and ticks
  for (const t of yAxis.ticks) {
    const y = px(Y(t.value));
    body += `<line class="grid${t.minor ? ' minor' : ''}" x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}"/>`;
    if (t.label) {
      body += `<line class="axis" x1="${left - 4}" x2="${left}" y1="${y}" y2="${y}"/>`;
      body += `<text x="${left - 7}" y="${px(Y(t.value) + 4)}" text-anchor="end">${t.label}</text>`;
    }
  }
  for (const t of xAxis.ticks) {
    const x = px(X(t.value));
    body += `<line class="axis" x1="${x}" x2="${x}" y1="${px(yBottom)}" y2="${px(yBottom + 4)}"/>`;
    body += `<text x="${x}" y="${px(yBottom + 16)}" text-anchor="middle">${t.label}</text>`;
  }
  if (opts.band) {
    const y1 = Y(opts.band.hi);
    const y0 = Y(opts.band.lo);
    body += `<rect class="band" x="${left}" y="${px(y1)}" width="${px(plotW)}" height="${px(y0 - y1)}"/>`;
    body += `<text class="band-label" x="${px(left + plotW - 4)}" y="${px(y1 + 12)}" text-anchor="end">${esc(opts.band.label)}</text>`;
  }
  if (opts.mark && Number.isFinite(opts.mark.x)) {
    const x = px(X(opts.mark.x));
    body += `<line class="mark" x1="${x}" x2="${x}" y1="${top}" y2="${px(yBottom)}"/>`;
    body += `<text class="mark-label" x="${x}" y="${top - 4}" text-anchor="middle">${esc(opts.mark.label)}</text>`;
  }
  if (hasLow) {
    body += `<rect class="offstrip" x="${left}" y="${px(scaleBottom + 3)}" width="${px(plotW)}" height="${px(strip - 3)}"/>`;
  }
  if (hasHigh)
    body += `<rect class="offstrip" x="${left}" y="${top}" width="${px(plotW)}" height="${px(strip - 3)}"/>`;
  body += `<line class="axis" x1="${left}" x2="${left}" y1="${top}" y2="${px(yBottom)}"/>`;
  body += `<line class="axis" x1="${left}" x2="${left + plotW}" y1="${px(yBottom)}" y2="${px(yBottom)}"/>`;
  body += `<text class="axis-title" x="${px(left + plotW / 2)}" y="${H - 8}" text-anchor="middle">${esc(opts.xLabel)}</text>`;
  body += `<text class="axis-title" transform="translate(14 ${px(top + plotH / 2)}) rotate(-90)" text-anchor="middle">${esc(opts.yLabel)}${log ? ' (log)' : ''}</text>`;

  // data
  let points = 0;
  const bars = series.filter((s) => s.kind === 'bar');
  const slot = opts.x.kind === 'index' ? (plotW / Math.max(1, opts.x.count)) * 0.8 : 0;
  const barW = bars.length > 0 ? slot / bars.length : 0;
  const baseline = log ? scaleBottom : Y(Math.min(Math.max(0, yAxis.lo), yAxis.hi));
  const dotR = (s: Series) => (s.points.length > 60 ? 1.6 : 3);
  for (const s of series) {
    let marks = '';
    let path = '';
    let penDown = false;
    let lastOff = '';
    const barIndex = bars.indexOf(s);
    const where = placements[series.indexOf(s)];
    s.points.forEach((p, i) => {
      const tip = p.tip === undefined ? '' : `<title>${esc(p.tip)}</title>`;
      const cx = s.kind === 'bar' ? X(p.x) - slot / 2 + barW * (barIndex + 0.5) : X(p.x);
      const at = where[i];
      points++;
      if (at.at !== 'in') {
        // off-scale: a hollow diamond in its strip, labelled at the start of each run
        const cy = at.at === 'low' ? yBottom - strip / 2 + 1.5 : top + strip / 2 - 1.5;
        const d = 4.5;
        marks += `<path class="pt off" d="M${px(cx)} ${px(cy - d)}L${px(cx + d)} ${px(cy)}L${px(cx)} ${px(cy + d)}L${px(cx - d)} ${px(cy)}Z" style="fill:var(--bg, #fff)" stroke="${s.color}" stroke-width="1.6">${tip}</path>`;
        if (at.label !== lastOff) {
          marks += `<text class="off" x="${px(cx + d + 2)}" y="${px(cy + 3.5)}" style="fill:${s.color}">${esc(at.label)}</text>`;
        }
        lastOff = at.label;
        penDown = false;
        return;
      }
      lastOff = '';
      const cy = Y(p.y);
      if (s.kind === 'bar') {
        // a value on the baseline still gets a 1px bar, to show it was measured
        const h = Math.max(1, Math.abs(baseline - cy));
        const y0 = cy < baseline ? cy : baseline - (cy > baseline ? 0 : 1);
        marks += `<rect class="pt" x="${px(cx - barW / 2 + 0.5)}" y="${px(y0)}" width="${px(Math.max(1, barW - 1))}" height="${px(h)}" rx="1.5" fill="${s.color}">${tip}</rect>`;
        return;
      }
      if (s.kind === 'line') {
        path += `${penDown ? 'L' : 'M'}${px(cx)} ${px(cy)}`;
        penDown = true;
      }
      marks += `<circle class="pt" cx="${px(cx)}" cy="${px(cy)}" r="${dotR(s)}" fill="${s.color}">${tip}</circle>`;
    });
    const line = path
      ? `<path class="ln" d="${path}" stroke="${s.color}"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`
      : '';
    body += `<g class="series" data-name="${esc(s.name)}">${line}${marks}</g>`;
  }

  return (
    `<svg class="plot" data-points="${points}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(opts.label)}">` +
    `${leg.svg}${body}</svg>`
  );
}

/**
 * A small histogram (`counts[i]` values in [edges[i], edges[i+1])) as a plot with one
 * bar per bin; null when there is nothing to draw (no bins or no counts).
 */
export function histogram(
  edges: readonly number[],
  counts: readonly number[],
  opts: { label: string; color: string; width?: number; height?: number },
): string | null {
  const bins = Math.min(counts.length, edges.length - 1);
  if (bins <= 0) return null;
  const lo = edges[0];
  const hi = edges[bins];
  const maxCount = maxOf([0, ...counts.slice(0, bins).filter((c) => Number.isFinite(c))]);
  if (!(maxCount > 0) || !Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) return null;
  const W = opts.width ?? 230;
  const H = opts.height ?? 104;
  const left = 8;
  const right = 8;
  const top = 14;
  const bottom = 20;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const X = (v: number) => left + ((v - lo) / (hi - lo)) * plotW;
  const yBottom = top + plotH;
  let body = '';
  let points = 0;
  for (let i = 0; i < bins; i++) {
    const c = Number.isFinite(counts[i]) ? counts[i] : 0;
    const x0 = X(edges[i]);
    const x1 = X(edges[i + 1]);
    const h = (c / maxCount) * plotH;
    const tip = `[${fmtNum(edges[i])}, ${fmtNum(edges[i + 1])}): ${c}`;
    body += `<rect class="pt" x="${px(x0 + 0.25)}" y="${px(yBottom - h)}" width="${px(Math.max(0.5, x1 - x0 - 0.5))}" height="${px(h)}" fill="${opts.color}"><title>${esc(tip)}</title></rect>`;
    points++;
  }
  body += `<line class="axis" x1="${left}" x2="${left + plotW}" y1="${px(yBottom)}" y2="${px(yBottom)}"/>`;
  const xTicks = [lo, hi];
  if (lo < 0 && hi > 0) xTicks.splice(1, 0, 0);
  xTicks.forEach((v, i) => {
    const anchor = i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle';
    body += `<line class="axis" x1="${px(X(v))}" x2="${px(X(v))}" y1="${px(yBottom)}" y2="${px(yBottom + 3)}"/>`;
    body += `<text x="${px(X(v))}" y="${px(yBottom + 14)}" text-anchor="${anchor}">${esc(fmtNum(v))}</text>`;
  });
  body += `<text x="${left}" y="10">max ${esc(String(maxCount))}</text>`;
  return (
    `<svg class="plot hist" data-points="${points}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(opts.label)}">` +
    `${body}</svg>`
  );
}
