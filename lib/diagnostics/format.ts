/**
 * Number and label formatting shared by the report renderers (text and HTML),
 * so both show the same digits for the same value.
 */

import type { LayerReport, VerdictStatus } from './types.js';

/**
 * `x` with `digits` significant digits: fixed notation for 1e-3 ≤ |x| < 1e3,
 * exponent notation otherwise (`1.23e-12`, `4.56e5`). Zero is `0`, non-finite
 * values are `NaN`, `Inf`, `-Inf` (non-numbers, e.g. JSON's null, are `NaN`).
 */
export function fmtNum(x: number, digits = 3): string {
  // a NaN that went through JSON comes back as null
  if (typeof x !== 'number' || Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e3) {
    const s = x.toPrecision(digits);
    if (!s.includes('e')) return s;
    // toPrecision switches to exponents when the integer part has more digits than asked for
    // (135 with 2 digits), or when rounding reaches 1e3 (999.7 → 1.00e3).
    const whole = Math.round(x);
    return Math.abs(whole) < 1e3 ? String(whole) : x.toExponential(digits - 1).replace('e+', 'e');
  }
  return x.toExponential(digits - 1).replace('e+', 'e');
}

/**
 * A fraction in [0, 1] as a percentage without the sign: `12.3`, `0` for exactly
 * zero, `<0.1` / `>99.9` for values that would otherwise round to 0 / 100.
 */
export function fmtPct(fraction: number): string {
  if (!Number.isFinite(fraction)) return fmtNum(fraction);
  if (fraction === 0) return '0';
  const p = fraction * 100;
  if (p > 0 && p < 0.05) return '<0.1';
  if (p < 100 && p >= 99.95) return '>99.9';
  return p.toFixed(1);
}

/** A count: plain integer, `NaN`/`Inf` when not finite. */
export function fmtCount(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n)) : fmtNum(n);
}

/** The verdict status as shown to a reader: `HEALTHY`, `VANISHING`, …, `NON-FINITE`. */
export function statusText(status: VerdictStatus): string {
  return status === 'nonFinite' ? 'NON-FINITE' : status.toUpperCase();
}

/**
 * Measured second moment of the pre-activation z over units and samples, E[z²] =
 * std² + mean²: what mean-field theory calls q (it is the variance when z is centred).
 */
export function measuredPreActVariance(layer: LayerReport): number {
  const z = layer.preActivation;
  return z.std * z.std + z.mean * z.mean;
}

/** NaN/±Inf elements across a layer's activations and gradients. */
export function layerNonFinite(layer: LayerReport): number {
  const g = layer.gradients;
  return (
    layer.preActivation.nonFinite +
    layer.activation.nonFinite +
    g.weight.nonFinite +
    (g.bias ? g.bias.nonFinite : 0) +
    g.input.nonFinite +
    g.output.nonFinite
  );
}

/** "layer 3 (dense 100→100 sigmoid)" for a layer index, or just "layer 3" when unknown. */
export function layerRef(layers: readonly LayerReport[], index: number): string {
  const layer = layers.find((l) => l.index === index);
  return layer ? `layer ${index} (${layer.name})` : `layer ${index}`;
}

/** Length, step and epoch range, and first/last loss of a monitor history (null when empty). */
export function historySummary(history: readonly { step: number; epoch: number; loss: number }[]): {
  steps: number;
  firstStep: number;
  lastStep: number;
  firstEpoch: number;
  lastEpoch: number;
  firstLoss: number;
  lastLoss: number;
} | null {
  if (history.length === 0) return null;
  const first = history[0];
  const last = history[history.length - 1];
  return {
    steps: history.length,
    firstStep: first.step,
    lastStep: last.step,
    firstEpoch: first.epoch,
    lastEpoch: last.epoch,
    firstLoss: first.loss,
    lastLoss: last.loss,
  };
}
