import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../lib/diagnostics/render-html.js';
import { renderText } from '../lib/diagnostics/render-text.js';
import type {
  ActivationStats,
  GradientStats,
  LayerReport,
  MonitorRecord,
  ReportData,
  Verdict,
} from '../lib/diagnostics/types.js';

// ---------------------------------------------------------------------------
// Hand-built reports

function act(std: number, extra: Partial<ActivationStats> = {}): ActivationStats {
  // a histogram of 20 bins shaped like a bell of width `std` (when finite)
  const s = Number.isFinite(std) && std > 0 ? std : 1;
  const edges = Array.from({ length: 21 }, (_, i) => -3 * s + (6 * s * i) / 20);
  const counts = Array.from({ length: 20 }, (_, i) => {
    const mid = (edges[i] + edges[i + 1]) / 2;
    return Math.round(1000 * Math.exp(-(mid * mid) / (2 * s * s)));
  });
  return {
    mean: 0,
    std,
    min: -3 * s,
    max: 3 * s,
    saturatedFraction: 0,
    zeroFraction: 0,
    deadUnitFraction: 0,
    nonFinite: 0,
    histogram: { edges, counts },
    ...extra,
  };
}

function grad(norm: number, nonFinite = 0): GradientStats {
  return { norm, std: norm / 100, maxAbs: norm / 10, nonFinite };
}

function layer(index: number, name: string, o: Partial<LayerReport> & { gradNorm: number }): LayerReport {
  const { gradNorm, ...rest } = o;
  return {
    index,
    name,
    activationName: name.split(' ').pop() ?? '',
    inUnits: 100,
    outUnits: 100,
    preActivation: act(1),
    activation: act(0.6),
    gradients: {
      weight: grad(gradNorm),
      bias: grad(gradNorm / 10),
      input: grad(gradNorm),
      output: grad(gradNorm),
    },
    weights: { norm: 10, std: 0.1 },
    forwardVarianceRatio: 1,
    backwardVarianceRatio: 1,
    ...rest,
  };
}

function report(
  title: string,
  layers: LayerReport[],
  verdict: Verdict,
  extra: Partial<ReportData> = {},
): ReportData {
  return {
    version: '0.1.0',
    createdAt: '2025-01-01T00:00:00.000Z',
    title,
    batch: 128,
    loss: 0.6812,
    lossName: 'crossEntropy',
    layers,
    verdict,
    gradientNormFactor: 0.97,
    ...extra,
  };
}

const healthy = report(
  'tanh <b>5×100</b> & "Xavier" \'init\' </script>',
  Array.from({ length: 5 }, (_, i) =>
    layer(i, `dense ${i === 0 ? 784 : 100}→100 tanh`, {
      gradNorm: 0.05 * 0.97 ** (4 - i),
      preActivation: act(0.9 + 0.02 * i),
      activation: act(0.62, { saturatedFraction: 0.02 + 0.01 * i }),
      theory: { preActivationVariance: 0.8 + 0.03 * i, gradientGrowth: 0.98 },
    }),
  ),
  {
    status: 'healthy',
    firstBadLayer: null,
    evidence: ['‖∂L/∂W‖ changes by ×0.97 per layer', 'no layer has more than 10% saturated units'],
    advice: [],
  },
);

const vanishing = report(
  'sigmoid + N(0,1) <10×100> & friends',
  Array.from({ length: 10 }, (_, i) =>
    layer(i, `dense ${i === 0 ? 784 : 100}→100 sigmoid`, {
      // 0 at the input layer, then 1e-12 … 1e-1 going up
      gradNorm: i === 0 ? 0 : 10 ** (-12 + ((i - 1) * 11) / 8),
      activation: act(0.45 - 0.04 * i, { mean: 0.5, saturatedFraction: Math.min(0.97, 0.1 * i) }),
      preActivation: act(10),
      forwardVarianceRatio: 0.3,
      backwardVarianceRatio: 0.06,
    }),
  ),
  {
    status: 'vanishing',
    firstBadLayer: 6,
    evidence: [
      '‖∂L/∂W‖ shrinks ×0.04 per layer going down: 1e-1 at layer 9, 1e-12 at layer 1, 0 at layer 0.',
      '97% of the sigmoid units of layer 9 are saturated (|z| > 4), where σ′(z) < 0.018; this sentence is long on purpose so that the text renderer has to wrap it over more than one line.',
    ],
    advice: ["Use init 'glorotNormal' for sigmoid layers.", 'Or switch to ReLU with heNormal.'],
  },
  { gradientNormFactor: 0.04 },
);

const nonFinite = report(
  'relu, lr=1e3 "exploded" <nan> & inf',
  [
    layer(0, 'dense 20→50 relu', {
      gradNorm: 3.2e5,
      activation: act(45, { deadUnitFraction: 0.3, zeroFraction: 0.55 }),
      theory: { preActivationVariance: 2.1e3, gradientGrowth: 1 },
    }),
    layer(1, 'dense 50→50 relu', {
      gradNorm: Number.POSITIVE_INFINITY,
      activation: act(Number.POSITIVE_INFINITY, { nonFinite: 12 }),
      preActivation: act(Number.NaN, { nonFinite: 30 }),
      forwardVarianceRatio: Number.POSITIVE_INFINITY,
      theory: { preActivationVariance: Number.POSITIVE_INFINITY, gradientGrowth: 1 },
    }),
    layer(2, 'dense 50→50 relu', {
      gradNorm: Number.NaN,
      activation: act(Number.NaN, {
        nonFinite: 2500,
        mean: Number.NaN,
        histogram: { edges: [], counts: [] },
      }),
      preActivation: act(Number.NaN, { nonFinite: 2500 }),
      forwardVarianceRatio: Number.NaN,
      backwardVarianceRatio: Number.NaN,
    }),
    layer(3, 'dense 50→10 softmax', {
      gradNorm: 0,
      activation: act(0, { histogram: { edges: [0, 0.5, 1], counts: [0, 0] } }),
    }),
  ],
  {
    status: 'nonFinite',
    firstBadLayer: 1,
    evidence: ['2500 NaN/Inf values in the activations of layer 2.'],
    advice: ['Lower the learning rate (1e3 is far too large).'],
  },
  { loss: Number.NaN, gradientNormFactor: Number.NaN },
);

function history(steps: number, layers: number): MonitorRecord[] {
  return Array.from({ length: steps }, (_, s) => ({
    step: s * 10,
    epoch: Math.floor(s / 10),
    loss: 2.3 * Math.exp(-s / 15) + 0.1,
    layers: Array.from({ length: layers }, (_, i) => ({
      weightGradNorm: 0.1 * 0.8 ** i * Math.exp(-s / 30),
      updateRatio: s === 0 ? 0 : 1e-3 * (1 + 0.5 * Math.sin(s / 5 + i)),
      saturatedFraction: 0.02 * i + 0.001 * s,
      deadUnitFraction: 0,
      activationStd: 0.6,
    })),
  }));
}

const withHistory = report(
  'monitor: "mnist" <mlp> & 50 steps',
  Array.from({ length: 3 }, (_, i) => layer(i, `dense 100→100 relu`, { gradNorm: 0.02 * (i + 1) })),
  {
    status: 'healthy',
    firstBadLayer: null,
    evidence: ['gradients stay within ×2 across layers'],
    advice: [],
  },
  { history: history(50, 3) },
);

/** Report, and the number of plots its page must hold. */
const cases: { name: string; r: ReportData; plots: number }[] = [
  // 3 per-layer plots + one histogram per layer + theory
  { name: 'healthy, 5 layers', r: healthy, plots: 3 + 5 + 1 },
  { name: 'vanishing, 10 layers', r: vanishing, plots: 3 + 10 },
  // layer 2 has no finite values and layer 3 only empty bins: no histogram for either
  { name: 'nonFinite', r: nonFinite, plots: 3 + 2 + 1 },
  // + loss, ‖∂L/∂W‖, update ratio, saturation over steps
  { name: 'history of 50 steps', r: withHistory, plots: 3 + 3 + 4 },
];

// ---------------------------------------------------------------------------
// Helpers

/** Attributes of every start tag `<tag …>` in serialized HTML (values decoded). */
function startTags(html: string, tag: string): Record<string, string>[] {
  const re = new RegExp(`<${tag}((?:\\s+[\\w:-]+(?:="[^"]*")?)*)\\s*/?>`, 'g');
  return [...html.matchAll(re)].map((m) => {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(/([\w:-]+)(?:="([^"]*)")?/g)) attrs[a[1]] = decode(a[2] ?? '');
    return attrs;
  });
}

function decode(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) =>
    e === 'amp'
      ? '&'
      : e === 'lt'
        ? '<'
        : e === 'gt'
          ? '>'
          : e === 'quot'
            ? '"'
            : e === '#39'
              ? "'"
              : '\u00a0',
  );
}

function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_BIN;
  if (fromEnv) return fromEnv;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

const chromium = findChromium();
if (chromium === null) {
  console.warn(
    'report-html: no chromium or chromium-browser on PATH (nor CHROMIUM_BIN); browser tests skipped',
  );
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'gradscope-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The DOM of the page after load, as headless Chromium serializes it. */
function dumpDom(file: string): string {
  return execFileSync(
    chromium!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--virtual-time-budget=2000',
      `--user-data-dir=${path.join(tmp, 'profile')}`,
      '--dump-dom',
      pathToFileURL(file).href,
    ],
    { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

// ---------------------------------------------------------------------------

describe('renderHtml (string)', () => {
  for (const c of cases) {
    it(`${c.name}: standalone, escaped, every plot has data`, () => {
      const html = renderHtml(c.r);
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      // nothing loaded from elsewhere
      expect(html).not.toMatch(/\ssrc=|<link|url\(|@import/i);
      // the raw title never appears, only its escaped form
      expect(html).not.toContain(c.r.title);
      const escaped = c.r.title
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;');
      expect(html).toContain(`<h1>${escaped}</h1>`);
      const plots = startTags(html, 'svg').filter((a) => a.class?.split(' ').includes('plot'));
      expect(plots).toHaveLength(c.plots);
      for (const p of plots) expect(Number(p['data-points'])).toBeGreaterThan(0);
    });
  }

  it('draws 0 and non-finite gradient norms as labelled markers on the log axis', () => {
    const html = renderHtml(nonFinite);
    const grads = html.slice(html.indexOf('aria-label="weight gradient norm per layer"'));
    const svg = grads.slice(0, grads.indexOf('</svg>'));
    expect(svg).toContain('>+Inf</text>');
    expect(svg).toContain('>NaN</text>');
    expect(svg).toContain('>0</text>');
    expect(svg.match(/class="pt off"/g)).toHaveLength(3);
  });
});

describe('renderHtml in headless Chromium', () => {
  for (const c of cases) {
    it.skipIf(chromium === null)(`${c.name}: loads without errors and checks itself ok`, () => {
      const file = path.join(tmp, `${c.name.replace(/\W+/g, '-')}.html`);
      writeFileSync(file, renderHtml(c.r));
      const dom = dumpDom(file);
      const body = startTags(dom, 'body')[0];
      expect(body, 'no <body> in the dumped DOM').toBeDefined();
      expect(body['data-check']).toBe('ok');
      expect(body['data-errors']).toBe('0');
      expect(body['data-error-log']).toBe('');
      expect(Number(body['data-plots'])).toBe(c.plots);
      const plots = startTags(dom, 'svg').filter((a) => a.class?.split(' ').includes('plot'));
      expect(plots).toHaveLength(c.plots);
      for (const p of plots) expect(Number(p['data-points'])).toBeGreaterThan(0);
      // the browser shows the title as text, exactly
      expect(body['data-title']).toBe(c.r.title);
      const h1 = /<h1>([\s\S]*?)<\/h1>/.exec(dom);
      expect(h1).not.toBeNull();
      expect(h1![1]).not.toContain('<');
      expect(decode(h1![1])).toBe(c.r.title);
    });
  }

  it.skipIf(chromium === null)('the self-check catches a broken page', () => {
    const broken = renderHtml(healthy)
      .replace(/data-points="(\d+)"/, (_, n: string) => `data-points="${Number(n) + 1}"`)
      .replace(/ cx="[\d.]+"/, ' cx="NaN"')
      .replace('<main>', '<main><script>notDefined();</script>');
    const file = path.join(tmp, 'broken.html');
    writeFileSync(file, broken);
    const body = startTags(dumpDom(file), 'body')[0];
    expect(body['data-check']).toMatch(/^fail: /);
    expect(body['data-check']).toContain('marks drawn');
    expect(body['data-check']).toContain('cx="NaN"');
    expect(body['data-errors']).toBe('1');
    expect(body['data-error-log']).toContain('notDefined');
  });
});

// ---------------------------------------------------------------------------

describe('renderText', () => {
  const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const width = (s: string) => [...s].length;

  for (const c of cases) {
    it(`${c.name}: one row per layer, the verdict, aligned columns, ≤ 100 columns`, () => {
      const text = renderText(c.r);
      const lines = text.split('\n');
      for (const l of lines) expect(width(l)).toBeLessThanOrEqual(100);
      for (const layer of c.r.layers) {
        const row = new RegExp(`^[ >] *${layer.index} +${escapeRe(layer.name)} `);
        expect(lines.filter((l) => row.test(l))).toHaveLength(1);
      }
      const status = c.r.verdict.status === 'nonFinite' ? 'NON-FINITE' : c.r.verdict.status.toUpperCase();
      expect(text).toContain(`verdict: ${status}`);
      for (const e of c.r.verdict.evidence.concat(c.r.verdict.advice)) {
        expect(text.replace(/\s+/g, ' ')).toContain(e.slice(0, 40));
      }
      // the table: header, rule and rows up to the blank line, all the same width
      const start = lines.findIndex((l) => l.includes('‖∂W‖'));
      const end = lines.indexOf('', start);
      const table = lines.slice(start, end);
      expect(table).toHaveLength(c.r.layers.length + 2);
      expect(new Set(table.map(width)).size).toBe(1);
      expect(text).not.toContain('\x1b');
    });
  }

  it('marks the first bad layer and shows the header numbers', () => {
    const text = renderText(vanishing);
    expect(text.split('\n').find((l) => l.startsWith('>'))).toMatch(/^> +6 +dense 100→100 sigmoid/);
    expect(text).toContain('loss 0.681 (crossEntropy) | batch 128');
    expect(text).toContain('1.00e-12');
    expect(renderText(nonFinite)).toMatch(/loss NaN/);
  });

  it('colors the status only when asked', () => {
    expect(renderText(healthy, { color: true })).toContain('\x1b[32mHEALTHY\x1b[0m');
    expect(renderText(vanishing, { color: true })).toContain('\x1b[31mVANISHING\x1b[0m');
  });

  it('summarizes the history', () => {
    expect(renderText(withHistory)).toMatch(
      /history: 50 steps recorded \(steps 0\.\.490, epochs 0\.\.4\), loss 2\.40 -> 0\.\d+/,
    );
  });

  it('keeps control characters out of the terminal', () => {
    const text = renderText({ ...healthy, title: 'evil\x1b[2J\ntitle' });
    expect(text).not.toContain('\x1b');
    expect(text.split('\n')[0]).toContain('evil [2J title');
  });
});

describe('real reports in headless Chromium', () => {
  it.skipIf(chromium === null)(
    'a diagnose report with a monitor history, and the doctor page, load and check themselves',
    async () => {
      const { dense, monitor, optim, rng, sequential } = await import('../lib/index.js');
      const { renderHtmlPage } = await import('../lib/diagnostics/render-html.js');
      const layers = [0, 1, 2].map((i) => dense(i === 0 ? 16 : 32, 32, { activation: 'tanh', seed: i }));
      const m = sequential([...layers, dense(32, 4, { activation: 'softmax', seed: 9 })], { seed: 1 });
      const x = rng(1).normal(256 * 16);
      const y = Int32Array.from(rng(2).uniform(256), (u) => Math.floor(u * 4));
      const mon = monitor(m, { every: 2 });
      await m.fit(x, y, {
        epochs: 2,
        batchSize: 32,
        loss: 'sparseCategoricalCrossentropy',
        optimizer: optim.sgd(),
        verbose: 0,
      });
      const report = await mon.report(x, y);
      const pages = {
        report: report.toHTML(),
        doctor: renderHtmlPage('doctor <page>', '<p>intro</p>', [report.toJSON(), report.toJSON()], 'footer'),
      };
      for (const [name, html] of Object.entries(pages)) {
        const file = path.join(tmp, `real-${name}.html`);
        writeFileSync(file, html);
        const body = startTags(dumpDom(file), 'body')[0];
        expect(body?.['data-check'], name).toBe('ok');
        expect(body?.['data-errors'], name).toBe('0');
        expect(Number(body?.['data-plots']), name).toBeGreaterThan(8);
      }
    },
  );
});
