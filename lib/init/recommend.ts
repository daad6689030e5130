import * as v from '../validate.js';
import type { Initializer, Seed } from './initializer.js';
import { glorotUniform, heNormal, lecunNormal } from './variance-scaling.js';

/** Activation names known to gradscope (camelCase; Keras' snake_case accepted where it differs). */
export const ACTIVATIONS = [
  'linear',
  'sigmoid',
  'tanh',
  'softmax',
  'relu',
  'leakyRelu',
  'elu',
  'selu',
  'gelu',
  'geluTanh',
  'swish',
  'silu',
  'softplus',
  'mish',
] as const;
/** An activation name. */
export type ActivationName = (typeof ACTIVATIONS)[number];

const ALIASES: Record<string, ActivationName> = {
  none: 'linear',
  identity: 'linear',
  leaky_relu: 'leakyRelu',
  gelu_tanh: 'geluTanh',
};

/** Result of {@link recommend}. */
export interface Recommendation {
  /** The activation asked about, canonical name. */
  activation: ActivationName;
  /** Initializer name, as accepted by `kernelInitializer`. */
  initializer: 'glorotUniform' | 'heNormal' | 'lecunNormal';
  /** 'Glorot' | 'He' | 'LeCun'. */
  family: 'Glorot' | 'He' | 'LeCun';
  /** Target weight variance. */
  variance: '1 / fan_avg' | '2 / fan_in' | '1 / fan_in';
  /** One line on why. */
  reason: string;
  /** Creates the recommended initializer. */
  create(options?: { seed?: Seed }): Initializer;
}

/** Canonical activation name, or a RangeError/TypeError naming the argument. @internal */
export function activationName(name: string, value: unknown): ActivationName {
  const n = typeof value === 'string' && ALIASES[value] ? ALIASES[value] : value;
  return v.oneOf(name, n, ACTIVATIONS);
}

/**
 * The initialisation matched to an activation (Glorot & Bengio 2010; He et al. 2015;
 * Klambauer et al. 2017):
 *
 * | activations | initializer | Var(w) |
 * |---|---|---|
 * | linear, tanh, sigmoid, softmax | glorotUniform | 1 / fan_avg |
 * | relu, leakyRelu, elu, gelu, geluTanh, swish, silu, softplus, mish | heNormal | 2 / fan_in |
 * | selu | lecunNormal | 1 / fan_in |
 * @example
 * ```ts
 * recommend('selu').initializer; // 'lecunNormal'
 * ```
 */
export function recommend(activation: ActivationName | string): Recommendation {
  const act = activationName('activation', activation);
  if (act === 'selu') {
    return {
      activation: act,
      initializer: 'lecunNormal',
      family: 'LeCun',
      variance: '1 / fan_in',
      reason: 'SELU self-normalises only when Var(w) = 1/fan_in (Klambauer et al. 2017)',
      create: (o) => lecunNormal(o),
    };
  }
  if (act === 'linear' || act === 'tanh' || act === 'sigmoid' || act === 'softmax') {
    return {
      activation: act,
      initializer: 'glorotUniform',
      family: 'Glorot',
      variance: '1 / fan_avg',
      reason: `${act} is close to linear around 0, so Var(w) = 1/fan_avg keeps the variance of activations and gradients (Glorot & Bengio 2010)`,
      create: (o) => glorotUniform(o),
    };
  }
  return {
    activation: act,
    initializer: 'heNormal',
    family: 'He',
    variance: '2 / fan_in',
    reason: `${act} zeroes (or nearly) half its inputs, halving the variance; Var(w) = 2/fan_in restores it (He et al. 2015)`,
    create: (o) => heNormal(o),
  };
}
