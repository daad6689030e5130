/**
 * Activation functions: names, parameters and their native codes.
 *
 * | name | f(z) | parameters (default) |
 * |---|---|---|
 * | linear | z | |
 * | sigmoid | 1 / (1 + e^−z) | |
 * | tanh | tanh z | |
 * | relu | max(z, 0) | |
 * | leakyRelu | z > 0 ? z : αz | alpha (0.2) |
 * | elu | z > 0 ? z : α(e^z − 1) | alpha (1) |
 * | selu | λ·elu_α(z), λ = 1.0507009873554805, α = 1.6732632423543772 | |
 * | gelu | z·Φ(z) (exact, erf) | |
 * | geluTanh | ½z(1 + tanh(√(2/π)(z + 0.044715z³))) | |
 * | swish / silu | z·σ(βz) | beta (1) |
 * | softplus | log(1 + e^z) | |
 * | mish | z·tanh(softplus z) | |
 * | softmax | e^{z_j − max} / Σ e^{z_k − max}, row-wise | |
 *
 * leakyRelu's default slope is 0.2, as `keras.activations.leaky_relu` and
 * `tf.nn.leaky_relu` (Keras' LeakyReLU *layer* uses 0.3, PyTorch 0.01): a slope
 * large enough that units below zero keep learning, which is the point of it.
 */
import { ACTIVATIONS, type ActivationName, activationName } from './init/recommend.js';
import * as v from './validate.js';

export { ACTIVATIONS, type ActivationName };

/** An activation: its name, or an object with its parameters. */
export type ActivationSpec =
  | ActivationName
  | { name: ActivationName | string; alpha?: number; beta?: number }
  | string;

/** A validated activation. @internal */
export interface Activation {
  name: ActivationName;
  code: number;
  alpha: number;
  beta: number;
}

const CODES: Record<ActivationName, number> = {
  linear: 0,
  sigmoid: 1,
  tanh: 2,
  relu: 3,
  leakyRelu: 4,
  elu: 5,
  selu: 6,
  gelu: 7,
  geluTanh: 8,
  swish: 9,
  silu: 9,
  softplus: 10,
  mish: 11,
  softmax: 12,
};

/** Default parameters per activation. */
export const ACTIVATION_DEFAULTS = {
  leakyRelu: { alpha: 0.2 },
  elu: { alpha: 1 },
  swish: { beta: 1 },
  silu: { beta: 1 },
} as const;

/** Validates an activation spec. @internal */
export function resolveActivation(name: string, spec: unknown): Activation {
  if (typeof spec === 'string' || spec === undefined) {
    return build(activationName(name, spec ?? 'linear'), {}, name);
  }
  if (spec === null || typeof spec !== 'object')
    throw v.typeError('an activation name or { name, alpha?, beta? }', name, spec);
  const o = v.options(name, spec, ['name', 'alpha', 'beta']);
  return build(activationName(`${name}.name`, o.name), o, name);
}

function build(act: ActivationName, o: { alpha?: unknown; beta?: unknown }, name: string): Activation {
  const takesAlpha = act === 'leakyRelu' || act === 'elu';
  const takesBeta = act === 'swish' || act === 'silu'; // one kernel: z·σ(βz)
  if (o.alpha !== undefined && !takesAlpha)
    throw new RangeError(`Activation '${act}' takes no alpha (in ${name})`);
  if (o.beta !== undefined && !takesBeta)
    throw new RangeError(`Activation '${act}' takes no beta (in ${name})`);
  const alpha = takesAlpha ? v.finiteNumber(`${name}.alpha`, o.alpha ?? (act === 'leakyRelu' ? 0.2 : 1)) : 0;
  const beta = takesBeta ? v.finiteNumber(`${name}.beta`, o.beta ?? 1) : 1;
  return { name: act, code: CODES[act], alpha, beta };
}

/** The spec that resolves back to `a` (parameters only where the activation takes them). @internal */
export function activationSpec(a: Activation): ActivationSpec {
  if (a.name === 'leakyRelu' || a.name === 'elu') return { name: a.name, alpha: a.alpha };
  if (a.name === 'swish') return { name: a.name, beta: a.beta };
  if (a.name === 'silu' && a.beta !== 1) return { name: a.name, beta: a.beta };
  return a.name;
}
