/**
 * Plain-text rendering of a diagnostics report for a terminal: a header line,
 * one aligned table row per layer, the verdict, and a one-line history summary.
 * At most 100 columns wide; ANSI color only when asked for.
 */

import {
  fmtNum,
  fmtPct,
  historySummary,
  layerNonFinite,
  layerRef,
  measuredPreActVariance,
  statusText,
} from './format.js';
import type { ReportData } from './types.js';

const MAX_WIDTH = 100;
const MIN_NAME_WIDTH = 12;

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', red: '\x1b[31m', green: '\x1b[32m' };

/** Options of {@link renderText}. */
export interface RenderTextOptions {
  /** Color the verdict status with ANSI escapes (green when healthy, red otherwise). Default false. */
  color?: boolean;
}

/** The report as a compact, aligned, at most 100-column text block (ends with a newline). */
export function renderText(r: ReportData, options: RenderTextOptions = {}): string {
  const color = options.color === true;
  const out: string[] = [];
  out.push(
    fitLine(
      'gradscope report: ',
      clean(r.title),
      ` | loss ${fmtNum(r.loss)} (${clean(r.lossName)}) | batch ${r.batch}`,
    ),
  );
  out.push('');
  if (r.layers.length === 0) out.push('(no layers)');
  else {
    out.push(...layerTable(r));
    out.push('');
    out.push(`gradient norm factor: x${fmtNum(r.gradientNormFactor)} per layer going down (<1 shrinks)`);
  }
  out.push('');
  out.push(...verdictLines(r, color));
  if (r.history) {
    const h = historySummary(r.history);
    out.push('');
    out.push(
      h
        ? `history: ${h.steps} steps recorded (steps ${h.firstStep}..${h.lastStep}, epochs ${h.firstEpoch}..${h.lastEpoch}), loss ${fmtNum(h.firstLoss)} -> ${fmtNum(h.lastLoss)}`
        : 'history: no steps recorded',
    );
  }
  return `${out.join('\n')}\n`;
}

interface Column {
  header: string;
  align: 'left' | 'right';
  cells: string[];
}

/** Header, rule and one row per layer, every line the same width. */
function layerTable(r: ReportData): string[] {
  const layers = r.layers;
  const bad = r.verdict.firstBadLayer;
  const withTheory = layers.some((l) => l.theory !== undefined);
  const withNonFinite = layers.some((l) => layerNonFinite(l) > 0);
  const col = (header: string, align: Column['align'], cell: (i: number) => string): Column => ({
    header,
    align,
    cells: layers.map((_, i) => cell(i)),
  });
  const columns: Column[] = [
    col('', 'left', (i) => (layers[i].index === bad ? '>' : ' ')),
    col('#', 'right', (i) => String(layers[i].index)),
    col('layer', 'left', (i) => clean(layers[i].name)),
    col('act std', 'right', (i) => fmtNum(layers[i].activation.std)),
    col('sat %', 'right', (i) => fmtPct(layers[i].activation.saturatedFraction)),
    col('dead %', 'right', (i) => fmtPct(layers[i].activation.deadUnitFraction)),
    col('‖∂W‖', 'right', (i) => fmtNum(layers[i].gradients.weight.norm)),
    col('fwd var', 'right', (i) => fmtNum(layers[i].forwardVarianceRatio)),
    col('bwd var', 'right', (i) => fmtNum(layers[i].backwardVarianceRatio)),
  ];
  if (withNonFinite) columns.push(col('NaN/Inf', 'right', (i) => String(layerNonFinite(layers[i]))));
  if (withTheory) {
    columns.push(
      col('q pred', 'right', (i) => {
        const t = layers[i].theory;
        return t ? fmtNum(t.preActivationVariance) : '-';
      }),
      col('Var(z)', 'right', (i) => fmtNum(measuredPreActVariance(layers[i]))),
    );
  }

  const widths = columns.map((c) => Math.max(len(c.header), ...c.cells.map(len)));
  const nameCol = 2;
  // Gutter column is followed by one space, the others by `gap` spaces.
  const total = (gap: number) => widths.reduce((s, w) => s + w, 0) + 1 + gap * (columns.length - 2);
  let gap = 2;
  if (total(gap) > MAX_WIDTH)
    widths[nameCol] = Math.max(MIN_NAME_WIDTH, widths[nameCol] - (total(gap) - MAX_WIDTH));
  if (total(gap) > MAX_WIDTH) gap = 1;
  if (total(gap) > MAX_WIDTH) widths[nameCol] = Math.max(4, widths[nameCol] - (total(gap) - MAX_WIDTH));

  const line = (cells: string[]) =>
    cells
      .map((cell, c) => {
        const text = truncate(cell, widths[c]);
        const pad = ' '.repeat(widths[c] - len(text));
        const padded = columns[c].align === 'left' ? text + pad : pad + text;
        return c === 0 ? `${padded} ` : c === columns.length - 1 ? padded : padded + ' '.repeat(gap);
      })
      .join('');
  const header = line(columns.map((c) => c.header));
  const rows = layers.map((_, i) => line(columns.map((c) => c.cells[i])));
  return [header, '-'.repeat(len(header)), ...rows];
}

function verdictLines(r: ReportData, color: boolean): string[] {
  const v = r.verdict;
  const status = statusText(v.status);
  const shown = color
    ? `${ANSI.bold}${v.status === 'healthy' ? ANSI.green : ANSI.red}${status}${ANSI.reset}`
    : status;
  let head = `verdict: ${shown}`;
  if (v.firstBadLayer !== null) {
    const ref = clean(layerRef(r.layers, v.firstBadLayer));
    const room = MAX_WIDTH - len(`verdict: ${status} | first bad: `);
    head += ` | first bad: ${truncate(ref, room)}`;
  }
  const out = [head];
  const bullets = (label: string, items: readonly string[]) => {
    if (items.length === 0) return;
    out.push(`${label}:`);
    for (const item of items) out.push(...wrap(clean(item), '  - ', '    '));
  };
  bullets('evidence', v.evidence);
  bullets('advice', v.advice);
  return out;
}

/** Word-wraps `text` to MAX_WIDTH, the first line after `first`, the others after `rest`. */
function wrap(text: string, first: string, rest: string): string[] {
  const lines: string[] = [];
  let prefix = first;
  let current = '';
  const flush = () => {
    lines.push(prefix + current);
    prefix = rest;
    current = '';
  };
  for (let word of text.split(' ').filter((w) => w !== '')) {
    // A word longer than a whole line is cut into pieces.
    while (len(prefix) + len(word) > MAX_WIDTH) {
      if (current !== '') flush();
      const room = MAX_WIDTH - len(prefix);
      const chars = [...word];
      lines.push(prefix + chars.slice(0, room).join(''));
      prefix = rest;
      word = chars.slice(room).join('');
    }
    if (word === '') continue;
    if (current !== '' && len(prefix) + len(current) + 1 + len(word) > MAX_WIDTH) flush();
    current = current === '' ? word : `${current} ${word}`;
  }
  if (current !== '' || lines.length === 0) flush();
  return lines;
}

/** `head + middle + tail` with `middle` shortened (…) so the line fits MAX_WIDTH. */
function fitLine(head: string, middle: string, tail: string): string {
  const room = MAX_WIDTH - len(head) - len(tail);
  return head + truncate(middle, Math.max(1, room)) + tail;
}

/** Control characters (newlines, ESC of injected ANSI codes, …) become spaces. */
function clean(s: string): string {
  return s.replace(/\p{Cc}/gu, ' ');
}

/** Length in code points (what a terminal shows for the characters used here). */
function len(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function truncate(s: string, width: number): string {
  if (len(s) <= width) return s;
  return `${[...s].slice(0, Math.max(0, width - 1)).join('')}…`;
}
