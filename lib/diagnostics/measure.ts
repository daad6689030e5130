/**
 * Turns the native statistics of one forward + backward pass (core/stats:
 * `model_stats`) into per-layer reports. The layout of the Float64Array is fixed
 * there: per layer z and a (activation statistics: 8 numbers, `bins` counts,
 * `bins + 1` edges), then ∂L/∂W, ∂L/∂b, ∂L/∂x, ∂L/∂a and W (5 numbers each:
 * norm, std, max |g|, non-finite count, mean); then the input x.
 * @internal
 */
import type { Sequential } from '../model.js';
import type { ActivationStats, GradientStats, LayerReport } from './types.js';

const ACT_FIXED = 8;
const T = 5;

function actStats(s: Float64Array, o: number, bins: number): ActivationStats {
  const counts = Array.from(s.subarray(o + ACT_FIXED, o + ACT_FIXED + bins));
  const edges = Array.from(s.subarray(o + ACT_FIXED + bins, o + ACT_FIXED + 2 * bins + 1));
  return {
    mean: s[o],
    std: s[o + 1],
    min: s[o + 2],
    max: s[o + 3],
    saturatedFraction: s[o + 4],
    zeroFraction: s[o + 5],
    deadUnitFraction: s[o + 6],
    nonFinite: s[o + 7],
    histogram: { edges, counts },
  };
}

/** Tensor statistics plus the mean (kept for second moments). */
export interface TensorStats extends GradientStats {
  mean: number;
}

function tensorStats(s: Float64Array, o: number): TensorStats {
  return { norm: s[o], std: s[o + 1], maxAbs: s[o + 2], nonFinite: s[o + 3], mean: s[o + 4] };
}

const grad = ({ norm, std, maxAbs, nonFinite }: TensorStats): GradientStats => ({
  norm,
  std,
  maxAbs,
  nonFinite,
});

/** Second moment E[v²] of a tensor from its std and mean. */
export const secondMoment = (t: { std: number; mean: number }): number => t.std * t.std + t.mean * t.mean;

export interface Measured {
  layers: LayerReport[];
  /** ∂L/∂x and ∂L/∂a second moments per layer, and the input's statistics. */
  inputGrad: TensorStats[];
  outputGrad: TensorStats[];
  weights: TensorStats[];
  biasStd: number[];
  input: TensorStats;
}

export function parseStats(model: Sequential, s: Float64Array, bins: number): Measured {
  const actSize = ACT_FIXED + 2 * bins + 1;
  const layers: LayerReport[] = [];
  const inputGrad: TensorStats[] = [];
  const outputGrad: TensorStats[] = [];
  const weights: TensorStats[] = [];
  const biasStd: number[] = [];
  let o = 0;
  const inputOffset = model.layers.length * (2 * actSize + 5 * T);
  const input = tensorStats(s, inputOffset);
  let prevVar = input.std * input.std;
  model.layers.forEach((l, i) => {
    const z = actStats(s, o, bins);
    const a = actStats(s, o + actSize, bins);
    o += 2 * actSize;
    const gw = tensorStats(s, o);
    const gb = tensorStats(s, o + T);
    const dx = tensorStats(s, o + 2 * T);
    const da = tensorStats(s, o + 3 * T);
    const w = tensorStats(s, o + 4 * T);
    o += 5 * T;
    const aVar = a.std * a.std;
    layers.push({
      index: i,
      name: `dense ${l.inUnits}→${l.outUnits} ${l.activation.name}`,
      activationName: l.activation.name,
      inUnits: l.inUnits,
      outUnits: l.outUnits,
      preActivation: z,
      activation: a,
      gradients: { weight: grad(gw), bias: l.bias ? grad(gb) : null, input: grad(dx), output: grad(da) },
      weights: { norm: w.norm, std: w.std },
      // Glorot's two conditions, on variances (std² over units and samples)
      forwardVarianceRatio: prevVar > 0 ? aVar / prevVar : Number.NaN,
      backwardVarianceRatio: da.std > 0 ? (dx.std * dx.std) / (da.std * da.std) : Number.NaN,
    });
    inputGrad.push(dx);
    outputGrad.push(da);
    weights.push(w);
    biasStd.push(l.bias ? stdOf(l.bias) : 0);
    prevVar = aVar;
  });
  return { layers, inputGrad, outputGrad, weights, biasStd, input };
}

function stdOf(b: Float32Array): number {
  let m = 0;
  for (const v of b) m += v;
  m /= b.length;
  let s = 0;
  for (const v of b) s += (v - m) ** 2;
  return Math.sqrt(s / b.length);
}
