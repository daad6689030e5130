/**
 * `diagnose(model, x, y)`: one forward + backward pass (no update) with every
 * layer's statistics measured natively, the verdict drawn from them, and the
 * mean-field prediction beside the measurement.
 */
import { withCallSite } from '../async.js';
import type { MatrixLike, TargetsLike } from '../data.js';
import type { LossSpec } from '../losses.js';
import { Sequential } from '../model.js';
import * as v from '../validate.js';
import { version } from '../version.js';
import { parseStats } from './measure.js';
import { Report } from './report.js';
import { layerTheory } from './theory-layers.js';
import { gradientNormFactor, judge, thresholds, type VerdictThresholds } from './verdict.js';

/** Options of {@link diagnose}. */
export interface DiagnoseOptions {
  /** Loss (default: the last one used with the model, else chosen by the output layer: softmax → crossEntropy, sigmoid → binaryCrossentropy, otherwise mse). */
  loss?: LossSpec;
  /** Histogram bins per tensor (default 30). */
  bins?: number;
  /** Saturation margin: sigmoid a < t or a > 1 − t, tanh |a| > 1 − t (default 0.01). */
  saturation?: number;
  /** Thresholds of the verdict's rules (see verdict.ts). */
  thresholds?: VerdictThresholds;
  /** Put the mean-field prediction beside each layer (default true). */
  theory?: boolean;
  /** A title for the report. */
  title?: string;
}

/** @internal the loss diagnose uses when none is given */
export function defaultLoss(model: Sequential): LossSpec {
  const out = model.layers[model.layers.length - 1].activation.name;
  return out === 'softmax' ? 'crossEntropy' : out === 'sigmoid' ? 'binaryCrossentropy' : 'meanSquaredError';
}

/** @internal checks a model argument */
export function checkModel(model: unknown): Sequential {
  if (!(model instanceof Sequential)) throw v.typeError('a model from sequential()', 'model', model);
  return model;
}

/**
 * Measures one forward + backward pass of `model` on (x, y) without changing
 * anything, and judges it: vanishing, exploding, saturated, dead, non-finite or healthy.
 * ```ts
 * const report = await diagnose(model, x, y);
 * console.log(report.toText());
 * report.verdict.status; report.layers[3].gradients.weight.norm;
 * ```
 */
export async function diagnose(
  model: Sequential,
  x: MatrixLike,
  y: TargetsLike,
  options: DiagnoseOptions = {},
): Promise<Report> {
  const site = new Error('diagnose');
  checkModel(model);
  const o = v.options('diagnose options', options, [
    'loss',
    'bins',
    'saturation',
    'thresholds',
    'theory',
    'title',
  ]);
  const bins = v.integer('options.bins', o.bins ?? 30, 1, 1000);
  const saturation = v.numberIn('options.saturation', o.saturation ?? 0.01, 0, 0.5, { maxOpen: true });
  const t = thresholds('options.thresholds', o.thresholds);
  const withTheory = v.boolean('options.theory', o.theory, true);
  const title =
    o.title === undefined
      ? `${model.name}: ${model.layers.map((l) => l.outUnits).join('-')}`
      : String(o.title);
  model.checkIdle('diagnose');
  const { m, t: targets, loss } = model.inputs(x, y, o.loss ?? defaultLoss(model));
  const config = model.stepConfig(loss, model.resolveOptimizer(undefined));
  model.setBusy('diagnose');
  let r: { loss: number; stats: Float64Array };
  try {
    r = await withCallSite(model.handle.diagnose(m.data, targets, m.rows, config, bins, saturation), site);
  } finally {
    model.setBusy(null);
  }
  const measured = parseStats(model, r.stats, bins);
  const layers = measured.layers;
  if (withTheory) {
    const predicted = layerTheory(model, measured);
    layers.forEach((l, i) => {
      if (predicted[i]) l.theory = predicted[i];
    });
  }
  return new Report({
    version,
    createdAt: new Date().toISOString(),
    title,
    batch: m.rows,
    loss: r.loss,
    lossName: loss.name,
    layers,
    verdict: judge(layers, m.rows, t),
    gradientNormFactor: gradientNormFactor(layers, m.rows),
  });
}
