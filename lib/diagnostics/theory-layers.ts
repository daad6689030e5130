/**
 * The mean-field prediction for the layers of a real model, beside what
 * diagnose measured. Starting from the measured E[x²] of the input, each layer l
 * with fan-in n, fan-out m and its measured weight second moment s² = E[w²] and
 * bias variance σ_b² predicts
 *   q_l   = n·s²·E[a²_{l−1}] + σ_b²                  (pre-activation second moment)
 *   E[a²_l] = E[φ(√q_l Z)²]                           (Z ~ N(0, 1), by quadrature)
 *   χ_l   = m·s²·E[φ′(√q_l Z)²]                       (growth of E[(∂L/∂·)²] passing down
 *                                                     through layer l; σ_w²·E[φ′²] when n = m)
 * chained through the stack (Poole et al. 2016; Schoenholz et al. 2017). Softmax
 * layers have no element-wise prediction and end the chain.
 * @internal
 */
import { activationSpec } from '../activations.js';
import type { Sequential } from '../model.js';
import { type Measured, secondMoment } from './measure.js';
import { activationFunction, scaledGaussianExpectation } from './theory.js';
import type { LayerReport } from './types.js';

export function layerTheory(model: Sequential, measured: Measured): (LayerReport['theory'] | undefined)[] {
  const out: (LayerReport['theory'] | undefined)[] = [];
  let m2 = secondMoment(measured.input);
  for (const [i, l] of model.layers.entries()) {
    if (l.activation.name === 'softmax' || !Number.isFinite(m2)) break;
    const s2 = secondMoment(measured.weights[i]);
    const q = l.inUnits * s2 * m2 + measured.biasStd[i] ** 2;
    const act = activationFunction(activationSpec(l.activation));
    const dphi2 = scaledGaussianExpectation((x) => act.df(x) ** 2, q, act.scale);
    out.push({ preActivationVariance: q, gradientGrowth: l.outUnits * s2 * dphi2 });
    m2 = scaledGaussianExpectation((x) => act.f(x) ** 2, q, act.scale);
  }
  return out;
}
