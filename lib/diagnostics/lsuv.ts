/**
 * LSUV, layer-sequential unit-variance initialisation (Mishkin & Matas 2015):
 * every kernel is first set to a random orthogonal matrix, then, layer by layer
 * from the input, scaled until the variance of the layer's output on a batch is
 * within `tol` of `tolTarget`. "Output" is the dense layer's output before its
 * activation, z = x·W + b, as in the paper (where nonlinearities are layers of
 * their own); biases are left as they are.
 */

import { activationSpec } from '../activations.js';
import type { MatrixLike } from '../data.js';
import { matrix } from '../data.js';
import { orthogonal } from '../init/orthogonal.js';
import type { Sequential } from '../model.js';
import { dense as denseOp } from '../ops.js';
import type { Tensor } from '../tensor.js';
import * as v from '../validate.js';
import { checkModel } from './diagnose.js';

export interface LsuvOptions {
  /** Target variance of each layer's output (default 1). */
  tolTarget?: number;
  /** Accepted |Var − tolTarget| (default 0.1). */
  tol?: number;
  /** Rescaling rounds per layer at most (default 10). */
  maxIter?: number;
  /** Seed of the orthogonal matrices (default: the model's seed). */
  seed?: number | bigint;
}

/** Per layer: the variance reached and the rounds it took. */
export interface LsuvResult {
  layers: { variance: number; iterations: number; converged: boolean }[];
}

function variance(x: Float32Array): number {
  let m = 0;
  for (const t of x) m += t;
  m /= x.length;
  let s = 0;
  for (const t of x) s += (t - m) * (t - m);
  return s / x.length;
}

/** Re-initialises `model` in place by LSUV on the batch x; returns what each layer reached. */
export function lsuv(model: Sequential, x: MatrixLike, options: LsuvOptions = {}): LsuvResult {
  checkModel(model);
  const o = v.options('lsuv options', options, ['tolTarget', 'tol', 'maxIter', 'seed']);
  const target = v.numberIn('options.tolTarget', o.tolTarget ?? 1, 0, Number.MAX_VALUE, { minOpen: true });
  const tol = v.numberIn('options.tol', o.tol ?? 0.1, 0, Number.MAX_VALUE, { minOpen: true });
  const maxIter = v.integer('options.maxIter', o.maxIter ?? 10, 1, 1000);
  const seed = o.seed === undefined ? model.seed : v.seed64('options.seed', o.seed);
  const m = matrix('x', x, model.inputUnits);
  model.checkIdle('lsuv');

  model.layers.forEach((l, i) => {
    orthogonal({ gain: 1, seed: seed + BigInt(i) }).fill(l.kernel, [l.inUnits, l.outUnits]);
  });
  const result: LsuvResult = { layers: [] };
  let input: Tensor = { shape: [m.rows, model.inputUnits], data: m.data };
  for (const l of model.layers) {
    const kernel = { shape: [l.inUnits, l.outUnits], data: l.kernel };
    const act = activationSpec(l.activation);
    let out = denseOp(input, kernel, l.bias, act);
    let varZ = variance(out.z.data);
    let it = 0;
    while (Math.abs(varZ - target) >= tol && it < maxIter && varZ > 0 && Number.isFinite(varZ)) {
      const scale = Math.sqrt(target / varZ);
      for (let k = 0; k < l.kernel.length; k++) l.kernel[k] *= scale;
      out = denseOp(input, kernel, l.bias, act);
      varZ = variance(out.z.data);
      it++;
    }
    result.layers.push({ variance: varZ, iterations: it, converged: Math.abs(varZ - target) < tol });
    input = out.a;
  }
  return result;
}
