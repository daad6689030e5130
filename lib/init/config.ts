import * as v from '../validate.js';
import { Constant, Ones, Zeros } from './constant.js';
import type { Initializer, InitializerConfig } from './initializer.js';
import { Identity, Orthogonal } from './orthogonal.js';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random-init.js';
import {
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  VarianceScaling,
} from './variance-scaling.js';

type Factory = (config: Record<string, unknown>) => Initializer;

const REGISTRY: Record<string, Factory> = {
  Zeros: () => new Zeros(),
  Ones: () => new Ones(),
  Constant: (c) => new Constant(c as { value?: number }),
  RandomUniform: (c) => new RandomUniform(c),
  RandomNormal: (c) => new RandomNormal(c),
  TruncatedNormal: (c) => new TruncatedNormal(c),
  VarianceScaling: (c) => new VarianceScaling(c),
  GlorotNormal: (c) => glorotNormal(c),
  GlorotUniform: (c) => glorotUniform(c),
  HeNormal: (c) => heNormal(c),
  HeUniform: (c) => heUniform(c),
  LecunNormal: (c) => lecunNormal(c),
  LecunUniform: (c) => lecunUniform(c),
  Orthogonal: (c) => new Orthogonal(c),
  Identity: (c) => new Identity(c),
};

/** Keras names of initializers {@link fromConfig} reads. */
export const INITIALIZER_CLASSES = Object.keys(REGISTRY);

const NAMES: Record<string, string> = {
  zeros: 'Zeros',
  ones: 'Ones',
  constant: 'Constant',
  randomUniform: 'RandomUniform',
  randomNormal: 'RandomNormal',
  truncatedNormal: 'TruncatedNormal',
  varianceScaling: 'VarianceScaling',
  glorotNormal: 'GlorotNormal',
  glorotUniform: 'GlorotUniform',
  heNormal: 'HeNormal',
  heUniform: 'HeUniform',
  lecunNormal: 'LecunNormal',
  lecunUniform: 'LecunUniform',
  orthogonal: 'Orthogonal',
  identity: 'Identity',
  // Keras' snake_case string identifiers
  random_uniform: 'RandomUniform',
  random_normal: 'RandomNormal',
  truncated_normal: 'TruncatedNormal',
  variance_scaling: 'VarianceScaling',
  glorot_normal: 'GlorotNormal',
  glorot_uniform: 'GlorotUniform',
  he_normal: 'HeNormal',
  he_uniform: 'HeUniform',
  lecun_normal: 'LecunNormal',
  lecun_uniform: 'LecunUniform',
};

/**
 * Rebuilds an initializer from a Keras-style config: `{ class_name, config }`
 * (Keras 2 and 3 layer configs; `module` / `registered_name` are ignored) or
 * `{ className, config }` (TF.js). `seed: null` draws a fresh seed.
 * @example
 * ```ts
 * fromConfig({ class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'uniform', seed: 1 } });
 * ```
 */
export function fromConfig(
  config: InitializerConfig | { className: string; config?: Record<string, unknown> },
): Initializer {
  if (config === null || typeof config !== 'object')
    throw v.typeError('an initializer config object', 'config', config);
  const c = config as Record<string, unknown>;
  const cls = c.class_name ?? c.className;
  if (typeof cls !== 'string') throw v.typeError('a config with a string class_name', 'config', config);
  const factory = REGISTRY[cls];
  if (!factory)
    throw v.rangeError(`a class_name among ${INITIALIZER_CLASSES.join(', ')}`, 'config.class_name', cls);
  const body = c.config ?? {};
  if (body === null || typeof body !== 'object') throw v.typeError('an object', 'config.config', body);
  const clean: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(body)) if (val !== null) clean[k] = val;
  return factory(clean);
}

/**
 * An initializer from what a user may pass as `kernelInitializer`: an
 * Initializer, a name (`'heNormal'`, Keras' `'he_normal'` or class name
 * `'HeNormal'`), or a config.
 */
export function toInitializer(name: string, value: unknown, seed?: bigint): Initializer {
  if (value !== null && typeof value === 'object' && typeof (value as Initializer).sample === 'function') {
    return value as Initializer;
  }
  if (typeof value === 'string') {
    const cls = NAMES[value] ?? (REGISTRY[value] ? value : undefined);
    if (!cls)
      throw v.rangeError(
        `an initializer name among ${Object.keys(NAMES)
          .filter((n) => !n.includes('_'))
          .join(', ')}`,
        name,
        value,
      );
    const takesSeed = !['Zeros', 'Ones', 'Constant', 'Identity'].includes(cls);
    return REGISTRY[cls](takesSeed && seed !== undefined ? { seed } : {});
  }
  if (value !== null && typeof value === 'object') return fromConfig(value as InitializerConfig);
  throw v.typeError('an initializer, its name or its config', name, value);
}
