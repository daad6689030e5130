/**
 * `gradscope doctor`: the textbook experiment on real digits. A deep net (10
 * hidden layers of 100 units by default) for each pairing of activation and
 * initialisation the chapter contrasts — sigmoid with N(0, 1) weights, sigmoid,
 * tanh and ReLU with Glorot, ReLU with He, SELU with LeCun — is diagnosed on a
 * batch of MNIST digits, then trained briefly to show which ones learn.
 * @internal
 */
import { writeFileSync } from 'node:fs';
import { mnist } from './datasets/mnist.js';
import { diagnose } from './diagnostics/diagnose.js';
import { fmtNum, fmtPct, statusText } from './diagnostics/format.js';
import { renderHtmlPage } from './diagnostics/render-html.js';
import type { Report } from './diagnostics/report.js';
import { esc } from './diagnostics/svg.js';
import { randomNormal } from './init/random-init.js';
import { activationName } from './init/recommend.js';
import { dense } from './layers/dense.js';
import { type Sequential, sequential } from './model.js';
import { sgd } from './optim/optimizers.js';
import { ProgressBar } from './progress.js';
import { version } from './version.js';

export interface DoctorCase {
  label: string;
  activation: string;
  /** An initializer name, or 'normal1' for N(0, 1) weights (the chapter's bad start). */
  init: string;
  /** A model of the user's (784 inputs, 10 outputs) instead of a built one. */
  model?: Sequential;
}

export const EXPERIMENT: DoctorCase[] = [
  { label: 'sigmoid + N(0,1)', activation: 'sigmoid', init: 'normal1' },
  { label: 'sigmoid + Glorot', activation: 'sigmoid', init: 'glorotUniform' },
  { label: 'tanh + Glorot', activation: 'tanh', init: 'glorotUniform' },
  { label: 'ReLU + Glorot', activation: 'relu', init: 'glorotUniform' },
  { label: 'ReLU + He', activation: 'relu', init: 'heNormal' },
  { label: 'SELU + LeCun', activation: 'selu', init: 'lecunNormal' },
];

export interface DoctorOptions {
  cases: DoctorCase[];
  depth: number;
  width: number;
  seed: number;
  epochs: number;
  out: string | null;
  log: (line: string) => void;
  color: boolean;
}

export interface DoctorResult {
  label: string;
  report: Report;
  accuracy: number | null;
  trainSeconds: number;
  lossCurve: number[];
}

function build(c: DoctorCase, o: DoctorOptions): Sequential {
  if (c.model) return c.model;
  const act = activationName('activation', c.activation);
  const kernel = (seed: number) =>
    c.init === 'normal1' ? randomNormal({ mean: 0, stddev: 1, seed }) : c.init;
  const layers = [];
  for (let i = 0; i < o.depth; i++) {
    layers.push(
      dense(i === 0 ? 784 : o.width, o.width, {
        activation: act,
        kernelInitializer: kernel(o.seed + i),
        seed: o.seed + i,
      }),
    );
  }
  layers.push(
    dense(o.width, 10, { activation: 'softmax', kernelInitializer: 'glorotUniform', seed: o.seed + o.depth }),
  );
  return sequential(layers, { seed: o.seed, name: c.label });
}

function describeNets(o: DoctorOptions): string {
  const m = o.cases[0]?.model;
  if (m) return `model "${m.name}" (${[m.inputUnits, ...m.layers.map((l) => l.outUnits)].join('-')})`;
  return `${o.depth} hidden layers × ${o.width} units`;
}

export async function runDoctor(o: DoctorOptions): Promise<DoctorResult[]> {
  const train = mnist({ count: 8000 });
  const test = mnist({ offset: 8000 });
  const batch = 256;
  const xb = train.x.subarray(0, batch * 784);
  const yb = train.labels.subarray(0, batch);
  const bar = new ProgressBar();
  const results: DoctorResult[] = [];
  o.log(
    `gradscope doctor: ${describeNets(o)} on MNIST digits (8,000 to train, 2,000 to test), seed ${o.seed}\n`,
  );
  for (const [k, c] of o.cases.entries()) {
    bar.update(`${c.label.padEnd(18)} diagnose`, k, o.cases.length);
    const model = build(c, o);
    const report = await diagnose(model, xb, yb, {
      loss: 'sparseCategoricalCrossentropy',
      title: c.model ? c.label : `${c.label}, ${o.depth}×${o.width}`,
    });
    let accuracy: number | null = null;
    let lossCurve: number[] = [];
    const t0 = performance.now();
    if (o.epochs > 0) {
      const h = await model.fit(train.x, train.labels, {
        epochs: o.epochs,
        batchSize: 64,
        loss: 'sparseCategoricalCrossentropy',
        optimizer: sgd({ lr: 0.01, momentum: 0.9 }),
        verbose: 0,
        onNonFinite: 'continue',
        callbacks: {
          onEpochEnd: (e) => {
            bar.update(
              `${c.label.padEnd(18)} train`,
              k + (e + 1) / o.epochs,
              o.cases.length,
              `epoch ${e + 1}/${o.epochs}`,
            );
          },
        },
      });
      lossCurve = h.loss;
      accuracy = model.evaluate(test.x, test.labels).accuracy ?? null;
    }
    results.push({
      label: c.label,
      report,
      accuracy,
      trainSeconds: (performance.now() - t0) / 1000,
      lossCurve,
    });
  }
  bar.clear();
  o.log(table(results, o));
  for (const r of results) {
    const v = r.report.verdict;
    if (v.status === 'healthy') continue;
    o.log(
      `\n${r.label}: ${statusText(v.status)}${v.firstBadLayer !== null ? ` from layer ${v.firstBadLayer}` : ''}`,
    );
    for (const e of v.evidence) o.log(`  - ${e}`);
    for (const a of v.advice) o.log(`  → ${a}`);
  }
  if (o.out) {
    writeFileSync(o.out, page(results, o));
    o.log(`\nreport written to ${o.out} (open it in a browser)`);
  }
  return results;
}

function table(results: DoctorResult[], o: DoctorOptions): string {
  const head = [
    'configuration',
    'verdict',
    'first bad',
    'grad ×/layer',
    'max sat %',
    'max dead %',
    'test acc',
  ];
  const rows = results.map((r) => {
    const v = r.report.verdict;
    const hidden = r.report.layers.slice(0, -1);
    return [
      r.label,
      statusText(v.status),
      v.firstBadLayer === null ? '-' : `layer ${v.firstBadLayer}`,
      fmtNum(r.report.gradientNormFactor),
      fmtPct(Math.max(...hidden.map((l) => l.activation.saturatedFraction))),
      fmtPct(Math.max(...hidden.map((l) => l.activation.deadUnitFraction))),
      r.accuracy === null ? '-' : `${(100 * r.accuracy).toFixed(1)}%`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[], color = false) =>
    r
      .map((c, i) => {
        const cell = i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]);
        if (!color || i !== 1) return cell;
        return `${c === 'HEALTHY' ? '\x1b[32m' : '\x1b[31m'}${cell}\x1b[0m`;
      })
      .join('  ');
  const rule = '─'.repeat(line(head).length);
  return (
    [line(head), rule, ...rows.map((r) => line(r, o.color))].join('\n') +
    `\n\ngrad ×/layer: how the RMS gradient changes per layer going down (1 is ideal; < 1 vanishes, > 1 explodes).` +
    (o.epochs > 0
      ? `\ntest acc: after ${o.epochs} epoch${o.epochs > 1 ? 's' : ''} of SGD (lr 0.01, momentum 0.9) on the same net.`
      : '')
  );
}

function page(results: DoctorResult[], o: DoctorOptions): string {
  const rows = results
    .map((r) => {
      const v = r.report.verdict;
      return `<tr><td><a href="#report-${results.indexOf(r)}">${esc(r.label)}</a></td><td class="${v.status === 'healthy' ? 'ok' : 'bad'}">${esc(statusText(v.status))}</td><td>${v.firstBadLayer ?? '–'}</td><td>${esc(fmtNum(r.report.gradientNormFactor))}</td><td>${r.accuracy === null ? '–' : `${(100 * r.accuracy).toFixed(1)}%`}</td><td>${esc(r.lossCurve.map((x) => fmtNum(x)).join(' → '))}</td></tr>`;
    })
    .join('');
  const intro = `<section class="summary"><p>${esc(describeNets(o))} on MNIST digits; each configuration diagnosed on a batch of 256, then trained for ${o.epochs} epoch(s) with SGD (lr 0.01, momentum 0.9) and tested on 2,000 held-out digits.</p>
<table class="summary-table"><thead><tr><th>configuration</th><th>verdict</th><th>first bad layer</th><th>gradient ×/layer</th><th>test accuracy</th><th>training loss per epoch</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  return renderHtmlPage(
    `gradscope doctor: ${o.cases[0]?.model ? o.cases[0].label : `${o.depth}×${o.width}`} on MNIST`,
    intro,
    results.map((r) => r.report.toJSON()),
    `gradscope ${version} · ${new Date().toISOString()}`,
  );
}
