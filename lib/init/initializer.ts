import { entropySeed } from '../random.js';
import type { Tensor } from '../tensor.js';
import * as v from '../validate.js';

/** A Keras-style serialised initializer: `{ class_name, config }`. */
export interface InitializerConfig {
  class_name: string;
  config: Record<string, unknown>;
}

/** Seed accepted by initializers: safe integer, bigint < 2^64, or its decimal string (as configs store it). */
export type Seed = number | bigint | string;

/**
 * Base of every initializer. `sample(shape)` allocates and fills; `fill(data, shape)`
 * fills a given Float32Array. Both validate everything before writing anything.
 */
export abstract class Initializer {
  /** Keras class name, used by getConfig / fromConfig. */
  abstract readonly className: string;

  /** A new tensor of the given shape drawn from this initializer. */
  sample(shape: readonly number[]): Tensor {
    const s = v.shape('shape', shape);
    this.check(s);
    const data = new Float32Array(v.sizeOf(s));
    this.draw(data, s);
    return { shape: s, data };
  }

  /** Fills `data` (length = product of `shape`) and returns it. */
  fill(data: Float32Array, shape: readonly number[]): Float32Array {
    const s = v.shape('shape', shape);
    v.float32Array('data', data, v.sizeOf(s));
    this.check(s);
    this.draw(data, s);
    return data;
  }

  /** Keras-compatible `{ class_name, config }`; `fromConfig` reads it back. */
  getConfig(): InitializerConfig {
    return { class_name: this.className, config: this.configBody() };
  }

  /** @internal validates shape-dependent constraints before anything is written */
  protected check(_shape: number[]): void {}
  /** @internal */
  protected abstract draw(data: Float32Array, shape: number[]): void;
  /** @internal */
  protected abstract configBody(): Record<string, unknown>;
}

/** Normalises a seed option; an absent seed is drawn once from OS entropy (53 bits, so configs stay JSON). */
export function resolveSeed(name: string, seed: unknown): bigint {
  if (seed === undefined || seed === null) return entropySeed() & ((1n << 53n) - 1n);
  if (typeof seed === 'string') {
    if (!/^\d{1,20}$/.test(seed)) throw v.rangeError('a decimal integer string', name, seed);
    return v.seed64(name, BigInt(seed));
  }
  return v.seed64(name, seed);
}

/** A seed as a config value: a number when safe, else a decimal string. */
export function seedForConfig(seed: bigint): number | string {
  return seed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seed) : seed.toString();
}
