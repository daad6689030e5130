/**
 * The verdict: which of the textbook failures a net shows, where it starts, the
 * measured evidence and concrete advice. Rules (thresholds are options):
 *
 * - nonFinite: any NaN/±Inf in a layer's z, a or gradients. First bad layer: the
 *   first in forward order with a non-finite z or a, else the highest with a
 *   non-finite gradient (where backward met it first).
 * - saturated: a hidden layer with ≥ `saturated` (0.3) of its sigmoid/tanh
 *   outputs within 0.01 of an asymptote (where f′ < ~0.01; a sigmoid layer whose
 *   pre-activations have std 5 is at ≈ 0.35). First such layer.
 * - dead: a hidden layer with ≥ `dead` (0.5) of its units exactly 0 for the whole batch.
 * - exploding: the backward signal (RMS of ∂L/∂a) grows more than `exploding`
 *   (100×) from the output layer down to the first layer, or the forward signal
 *   E[a²] grows more than `exploding`² over the stack. First bad layer: the highest
 *   layer past the threshold.
 * - vanishing: the backward signal shrinks below `vanishing` (1/100) of its value at
 *   the output. First bad layer: the highest layer below the threshold.
 * - healthy otherwise.
 * Precedence follows cause before symptom: nonFinite, saturated, dead, exploding,
 * vanishing. Saturation is the usual cause of vanishing gradients in sigmoid nets,
 * so a saturated net's evidence also carries its gradient decay.
 */
import { recommend } from '../init/recommend.js';
import * as v from '../validate.js';
import { fmtNum, fmtPct } from './format.js';
import type { LayerReport, Verdict } from './types.js';

/** Thresholds of the rules (defaults in brackets in the module comment). */
export interface VerdictThresholds {
  saturated?: number;
  dead?: number;
  vanishing?: number;
  exploding?: number;
}

export function thresholds(name: string, t: unknown): Required<VerdictThresholds> {
  const o = v.options(name, t ?? {}, ['saturated', 'dead', 'vanishing', 'exploding']);
  return {
    saturated: v.numberIn(`${name}.saturated`, o.saturated ?? 0.3, 0, 1, { minOpen: true }),
    dead: v.numberIn(`${name}.dead`, o.dead ?? 0.5, 0, 1, { minOpen: true }),
    vanishing: v.numberIn(`${name}.vanishing`, o.vanishing ?? 1e-2, 0, 1, { minOpen: true, maxOpen: true }),
    exploding: v.numberIn(`${name}.exploding`, o.exploding ?? 1e2, 1, Number.MAX_VALUE, { minOpen: true }),
  };
}

/** RMS of ∂L/∂a of a layer over a batch: the backward signal. */
export const backwardSignal = (l: LayerReport, batch: number): number =>
  l.gradients.output.norm / Math.sqrt(l.outUnits * batch);

/** Weight std the recommended initializer gives this layer. */
export function recommendedStd(l: LayerReport): { std: number; initializer: string } {
  const r = recommend(l.activationName);
  const std =
    r.family === 'Glorot'
      ? Math.sqrt(2 / (l.inUnits + l.outUnits))
      : r.family === 'He'
        ? Math.sqrt(2 / l.inUnits)
        : Math.sqrt(1 / l.inUnits);
  return { std, initializer: r.initializer };
}

/** Measured per-layer factor of the backward signal going down one layer (geometric mean). */
export function gradientNormFactor(layers: LayerReport[], batch: number): number {
  const n = layers.length;
  if (n < 2) return 1;
  const top = backwardSignal(layers[n - 1], batch);
  const bottom = backwardSignal(layers[0], batch);
  if (!(top > 0) || !Number.isFinite(top) || !Number.isFinite(bottom)) return Number.NaN;
  return (bottom / top) ** (1 / (n - 1));
}

const ref = (l: LayerReport) => `layer ${l.index} (${l.name})`;

/** Advice to change the init, when the weights are off the recommended scale by more than 1.5×. */
function initAdvice(l: LayerReport): string | null {
  const { std, initializer } = recommendedStd(l);
  const r = recommend(l.activationName);
  const off = l.weights.std / std;
  if (off > 1 / 1.5 && off < 1.5) return null;
  return `${ref(l)} has weights with std ${fmtNum(l.weights.std)}; ${initializer} gives ${fmtNum(std)} (Var(w) = ${r.variance}) — use kernelInitializer: '${initializer}'.`;
}

export function judge(layers: LayerReport[], batch: number, t: Required<VerdictThresholds>): Verdict {
  const L = layers.length;
  const hidden = layers.slice(0, Math.max(0, L - 1));
  const factor = gradientNormFactor(layers, batch);
  const top = backwardSignal(layers[L - 1], batch);
  const signal = layers.map((l) => backwardSignal(l, batch) / top);
  const decay =
    L > 1 && Number.isFinite(factor)
      ? `the backward signal (RMS ∂L/∂a) changes ×${fmtNum(factor)} per layer going down: ${fmtNum(signal[0])}× its output-layer value at layer 0`
      : null;

  // non-finite
  const fwdBad = layers.find((l) => l.preActivation.nonFinite > 0 || l.activation.nonFinite > 0);
  const gradBad = [...layers]
    .reverse()
    .find(
      (l) =>
        l.gradients.weight.nonFinite > 0 ||
        (l.gradients.bias?.nonFinite ?? 0) > 0 ||
        l.gradients.output.nonFinite > 0 ||
        l.gradients.input.nonFinite > 0,
    );
  if (fwdBad || gradBad) {
    const l = (fwdBad ?? gradBad) as LayerReport;
    const where = fwdBad
      ? l.preActivation.nonFinite > 0
        ? `${l.preActivation.nonFinite} non-finite pre-activations (z = x·W + b)`
        : `${l.activation.nonFinite} non-finite activations`
      : `non-finite gradients (∂L/∂W: ${l.gradients.weight.nonFinite}, ∂L/∂a: ${l.gradients.output.nonFinite})`;
    return {
      status: 'nonFinite',
      firstBadLayer: l.index,
      evidence: [`${ref(l)} is the first with ${where}.`],
      advice: [
        l.index === 0 && fwdBad
          ? 'Check the input batch for NaN/Inf values (layer 0 is the first to see them).'
          : 'Look for overflow: very large weights or learning rates, or a loss fed probabilities of exactly 0 or 1.',
        'Lower the learning rate and clip gradients (globalClipNorm: 1) so one bad step cannot blow up the weights.',
      ],
    };
  }

  // saturated
  const sat = hidden.find((l) => l.activation.saturatedFraction >= t.saturated);
  if (sat) {
    const evidence = [
      `${fmtPct(sat.activation.saturatedFraction)}% of ${ref(sat)}'s outputs sit within 0.01 of an asymptote, where f′ ≈ 0 (pre-activation std ${fmtNum(sat.preActivation.std)}).`,
    ];
    const more = hidden.filter((l) => l !== sat && l.activation.saturatedFraction >= t.saturated).length;
    if (more > 0) evidence.push(`${more} more hidden layer${more > 1 ? 's are' : ' is'} saturated as well.`);
    if (decay) evidence.push(`As a result ${decay}.`);
    return {
      status: 'saturated',
      firstBadLayer: sat.index,
      evidence,
      advice: [
        initAdvice(sat),
        `${initAdvice(sat) ? 'Or switch' : 'Switch'} to a non-saturating activation: relu with heNormal (Var(w) = 2/fan_in), or selu with lecunNormal.`,
      ].filter((a): a is string => a !== null),
    };
  }

  // dead
  const dead = hidden.find((l) => l.activation.deadUnitFraction >= t.dead);
  if (dead) {
    return {
      status: 'dead',
      firstBadLayer: dead.index,
      evidence: [
        `${fmtPct(dead.activation.deadUnitFraction)}% of ${ref(dead)}'s units output exactly 0 for every sample of the batch, so no gradient reaches their weights.`,
        `Its pre-activations have mean ${fmtNum(dead.preActivation.mean)} and std ${fmtNum(dead.preActivation.std)}.`,
      ],
      advice: [
        'Lower the learning rate (a too large step can push units permanently below 0).',
        `Use leakyRelu or elu, which keep a gradient below 0; check the init (${recommendedStd(dead).initializer}) and the biases.`,
      ],
    };
  }

  // exploding (backward growth, or forward growth)
  const xs = layers.map((l) => l.activation.std * l.activation.std + l.activation.mean * l.activation.mean);
  const fwdGrowth = hidden.length > 0 ? xs[hidden.length - 1] / Math.max(xs[0], Number.MIN_VALUE) : 1;
  const explodeAt =
    hidden.length > 0
      ? [...signal]
          .map((s, i) => [s, i])
          .reverse()
          .find(([s]) => s > t.exploding)
      : undefined;
  if (explodeAt || fwdGrowth > t.exploding * t.exploding) {
    const idx = explodeAt
      ? explodeAt[1]
      : (hidden.find((_, i) => xs[i] / Math.max(xs[0], Number.MIN_VALUE) > t.exploding * t.exploding)
          ?.index ?? 0);
    const l = layers[idx];
    const evidence: string[] = [];
    if (decay) evidence.push(`${decay[0].toUpperCase()}${decay.slice(1)}.`);
    if (fwdGrowth > 1)
      evidence.push(
        `The forward signal E[a²] grows ×${fmtNum(fwdGrowth)} from layer 0 to layer ${hidden.length - 1}.`,
      );
    const worst = layers.reduce((a, b) =>
      b.weights.std / recommendedStd(b).std > a.weights.std / recommendedStd(a).std ? b : a,
    );
    return {
      status: 'exploding',
      firstBadLayer: l.index,
      evidence,
      advice: [
        initAdvice(worst) ?? `Lower the weight scale: ${ref(worst)} has std ${fmtNum(worst.weights.std)}.`,
        'Clip gradients (globalClipNorm: 1, or clipNorm per tensor) to survive the first steps.',
      ],
    };
  }

  // vanishing
  const vanishAt = [...signal]
    .map((s, i) => [s, i])
    .reverse()
    .find(([s]) => s < t.vanishing);
  if (vanishAt && decay) {
    const l = layers[vanishAt[1]];
    const slope = ['sigmoid', 'tanh', 'softmax'].includes(l.activationName);
    return {
      status: 'vanishing',
      firstBadLayer: l.index,
      evidence: [
        `${decay[0].toUpperCase()}${decay.slice(1)}.`,
        `At ${ref(l)} it is below ${fmtNum(t.vanishing)} of the output layer's, so the lower layers barely learn.`,
      ],
      advice: [
        slope
          ? `${l.activationName}'s slope is at most ${l.activationName === 'sigmoid' ? '1/4' : '1'} and smaller away from 0, so gradients shrink layer by layer: use relu with heNormal, or selu with lecunNormal.`
          : null,
        initAdvice(l),
        slope
          ? null
          : 'Check for layers that scale the signal down (small weights, narrow layers) and re-initialise them, e.g. with lsuv(model, x).',
      ].filter((a): a is string => a !== null),
    };
  }

  return {
    status: 'healthy',
    firstBadLayer: null,
    evidence: [
      decay
        ? `${decay[0].toUpperCase()}${decay.slice(1)} (within [${fmtNum(t.vanishing)}, ${fmtNum(t.exploding)}]).`
        : 'A single layer: nothing to propagate.',
      `No hidden layer is saturated (≥ ${fmtPct(t.saturated)}%) or dead (≥ ${fmtPct(t.dead)}%), and every value is finite.`,
    ],
    advice: [],
  };
}
