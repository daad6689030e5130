import * as v from '../validate.js';

/** Nonlinearities known to {@link gain} (PyTorch's snake_case names are accepted too). */
export type Nonlinearity =
  | 'linear'
  | 'identity'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'convTranspose1d'
  | 'convTranspose2d'
  | 'convTranspose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leakyRelu'
  | 'selu';

const ALIASES: Record<string, Nonlinearity> = {
  conv_transpose1d: 'convTranspose1d',
  conv_transpose2d: 'convTranspose2d',
  conv_transpose3d: 'convTranspose3d',
  leaky_relu: 'leakyRelu',
};
const KNOWN = [
  'linear',
  'identity',
  'conv1d',
  'conv2d',
  'conv3d',
  'convTranspose1d',
  'convTranspose2d',
  'convTranspose3d',
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'selu',
] as const;

/**
 * PyTorch's `calculate_gain`: the factor by which to scale a unit-variance
 * initialisation for a nonlinearity so activations keep their scale.
 *
 * | nonlinearity | gain |
 * |---|---|
 * | linear, identity, conv*, sigmoid | 1 |
 * | tanh | 5/3 |
 * | relu | √2 |
 * | leakyRelu (slope a, default 0.01) | √(2 / (1 + a²)) |
 * | selu | 3/4 |
 * @example
 * ```ts
 * gain('leakyRelu', 0.2); // 1.3868…
 * ```
 */
export function gain(nonlinearity: Nonlinearity | string, param?: number): number {
  const name = (typeof nonlinearity === 'string' && ALIASES[nonlinearity]) || nonlinearity;
  const nl = v.oneOf('nonlinearity', name, KNOWN);
  if (nl === 'leakyRelu') {
    const a = v.finiteNumber('param', param ?? 0.01);
    return Math.sqrt(2 / (1 + a * a));
  }
  if (param !== undefined) v.finiteNumber('param', param);
  switch (nl) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'selu':
      return 3 / 4;
    default:
      return 1;
  }
}
