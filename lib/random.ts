/**
 * Random sampling on Philox4x32-10, a counter-based generator (Salmon et al. 2011).
 *
 * Element i of any fill is a pure function of (seed, stream, position + i):
 * the same bits on every CPU, SIMD implementation and thread count, and
 * however a fill is split into calls. Each value uses exactly one 32-bit word.
 *
 * Layout (pinned): key = 64-bit seed (k0 = low 32 bits, k1 = high 32 bits);
 * counter = (c0, c1) 64-bit block index, (c2, c3) 64-bit stream id; word i of
 * a stream is word i % 4 of block i / 4.
 */
import { withCallSite } from './async.js';
import { native } from './native.js';
import * as v from './validate.js';

const U64 = (1n << 64n) - 1n;

/** Distribution codes shared with native/core/random/kernels.h. @internal */
export const Dist = { Uniform: 0, Normal: 1, TruncatedNormal: 2 } as const;
/** @internal */
export type Dist = (typeof Dist)[keyof typeof Dist];

/** Options of {@link Rng.uniform}. */
export interface UniformOptions {
  /** Inclusive lower bound (default 0). */
  low?: number;
  /** Exclusive upper bound (default 1). */
  high?: number;
}

/** Options of {@link Rng.normal} and {@link Rng.truncatedNormal}. */
export interface NormalOptions {
  /** Mean (default 0). */
  mean?: number;
  /** Standard deviation, >= 0 (default 1). For the truncated normal, of the untruncated distribution. */
  std?: number;
}

/** Options of {@link rng}. */
export interface RngOptions {
  /** Stream id, a second 64-bit key: streams of one seed are independent (default 0). */
  stream?: number | bigint;
}

/** Validated (a, b) for a distribution. @internal */
export function distParams(dist: Dist, opts: unknown, name: string): [number, number] {
  if (dist === Dist.Uniform) {
    const o = v.options(name, opts, ['low', 'high']);
    const low = v.finiteNumber(`${name}.low`, o.low ?? 0);
    const high = v.finiteNumber(`${name}.high`, o.high ?? 1);
    if (!(Math.fround(low) < Math.fround(high))) {
      throw new RangeError(
        `Expected ${name}.low < ${name}.high in float32 but received low=${low}, high=${high}`,
      );
    }
    if (!Number.isFinite(Math.fround(Math.fround(high) - Math.fround(low)))) {
      throw new RangeError(
        `Expected ${name}.high - ${name}.low to be finite in float32 but received low=${low}, high=${high}`,
      );
    }
    return [low, high];
  }
  const o = v.options(name, opts, ['mean', 'std']);
  const mean = v.finiteNumber(`${name}.mean`, o.mean ?? 0);
  const std = v.numberIn(`${name}.std`, o.std ?? 1, 0, 3.4e38);
  if (!Number.isFinite(Math.fround(mean)))
    throw v.rangeError('a number within float32 range', `${name}.mean`, mean);
  return [mean, std];
}

/**
 * A Philox stream with a 64-bit position that advances by the values drawn.
 * Create with {@link rng}.
 */
export class Rng {
  /** The 64-bit key. */
  readonly seed: bigint;
  /** The stream id. */
  readonly stream: bigint;
  #position = 0n;

  /** @internal use {@link rng} */
  constructor(seed: bigint, stream: bigint) {
    this.seed = seed;
    this.stream = stream;
  }

  /** Index of the next 32-bit word this generator will use. */
  get position(): bigint {
    return this.#position;
  }

  /** Moves to word `position` of the stream (any value in [0, 2^64)). Returns this. */
  seek(position: number | bigint): this {
    this.#position = v.seed64('position', position);
    return this;
  }

  /** Advances by `n` words without producing them. Returns this. */
  skip(n: number | bigint): this {
    this.#position = (this.#position + v.seed64('n', n)) & U64;
    return this;
  }

  /** A generator at the same seed, stream and position. */
  clone(): Rng {
    return new Rng(this.seed, this.stream).seek(this.#position);
  }

  #take(n: number): bigint {
    const p = this.#position;
    this.#position = (p + BigInt(n)) & U64;
    return p;
  }

  /** `n` raw 32-bit words, or fills `out`. */
  uint32(nOrOut: number | Uint32Array): Uint32Array {
    const out = nOrOut instanceof Uint32Array ? nOrOut : new Uint32Array(count(nOrOut, 'Uint32Array'));
    native().randomFillU32(out, this.seed, this.stream, this.#position);
    this.#take(out.length);
    return out;
  }

  #fill(dist: Dist, nOrOut: number | Float32Array, opts: unknown, name: string): Float32Array {
    const [a, b] = distParams(dist, opts, `${name} options`);
    const out = allocate(nOrOut);
    native().randomFill(dist, a, b, out, this.seed, this.stream, this.#position);
    this.#take(out.length);
    return out;
  }

  /**
   * Starts an async fill: `prepare` validates and returns the output and the native
   * call, which gets this generator's position; the range is reserved at once, so
   * call order decides positions. Errors come back as a rejected Promise.
   */
  #async<T extends { length: number }>(
    prepare: () => { out: T; start: (position: bigint) => Promise<void> },
  ): Promise<T> {
    const site = new Error();
    try {
      const { out, start } = prepare();
      const p = start(this.#position);
      this.#take(out.length);
      return withCallSite(p, site).then(() => out);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  #fillAsync(dist: Dist, nOrOut: number | Float32Array, opts: unknown, name: string): Promise<Float32Array> {
    return this.#async(() => {
      const [a, b] = distParams(dist, opts, `${name} options`);
      const out = allocate(nOrOut);
      // a caller's own buffer is filled through native scratch memory (see native/addon/random.cc)
      const staged = nOrOut instanceof Float32Array;
      return {
        out,
        start: (pos) => native().randomFillAsync(dist, a, b, out, this.seed, this.stream, pos, staged),
      };
    });
  }

  /** Uniform floats in [low, high): `low + (high - low) * k / 2^24`, k a 24-bit integer. */
  uniform(nOrOut: number | Float32Array, options?: UniformOptions): Float32Array {
    return this.#fill(Dist.Uniform, nOrOut, options, 'uniform');
  }

  /** Normal floats by inverse CDF (Giles' erfinv); |z| <= 5.42 standard deviations. */
  normal(nOrOut: number | Float32Array, options?: NormalOptions): Float32Array {
    return this.#fill(Dist.Normal, nOrOut, options, 'normal');
  }

  /**
   * Normal floats restricted to (mean - 2 std, mean + 2 std), as Keras / TensorFlow's
   * truncated normal; the standard deviation of the result is 0.8796 std.
   */
  truncatedNormal(nOrOut: number | Float32Array, options?: NormalOptions): Float32Array {
    return this.#fill(Dist.TruncatedNormal, nOrOut, options, 'truncatedNormal');
  }

  /** {@link uint32} on the thread pool, off the JS thread. */
  uint32Async(nOrOut: number | Uint32Array): Promise<Uint32Array> {
    return this.#async(() => {
      const staged = nOrOut instanceof Uint32Array;
      const out = staged ? nOrOut : new Uint32Array(count(nOrOut, 'Uint32Array'));
      return {
        out,
        start: (pos) => native().randomFillU32Async(out, this.seed, this.stream, pos, staged),
      };
    });
  }

  /** {@link uniform} on the thread pool, off the JS thread. */
  uniformAsync(nOrOut: number | Float32Array, options?: UniformOptions): Promise<Float32Array> {
    return this.#fillAsync(Dist.Uniform, nOrOut, options, 'uniformAsync');
  }

  /** {@link normal} on the thread pool, off the JS thread. */
  normalAsync(nOrOut: number | Float32Array, options?: NormalOptions): Promise<Float32Array> {
    return this.#fillAsync(Dist.Normal, nOrOut, options, 'normalAsync');
  }

  /** {@link truncatedNormal} on the thread pool, off the JS thread. */
  truncatedNormalAsync(nOrOut: number | Float32Array, options?: NormalOptions): Promise<Float32Array> {
    return this.#fillAsync(Dist.TruncatedNormal, nOrOut, options, 'truncatedNormalAsync');
  }
}

function allocate(nOrOut: number | Float32Array): Float32Array {
  return nOrOut instanceof Float32Array ? nOrOut : new Float32Array(count(nOrOut, 'Float32Array'));
}

function count(n: unknown, arrayType: string): number {
  if (typeof n !== 'number') throw v.typeError(`a non-negative integer or a ${arrayType}`, 'n', n);
  return v.count('n', n);
}

/**
 * A Philox4x32-10 generator.
 * @param seed non-negative safe integer or bigint in [0, 2^64)
 * @example
 * ```ts
 * const r = rng(42);
 * const w = r.normal(1000, { std: 0.05 });
 * ```
 */
export function rng(seed: number | bigint, options?: RngOptions): Rng {
  const s = v.seed64('seed', seed);
  const o = v.options('rng options', options, ['stream']);
  return new Rng(s, v.seed64('options.stream', o.stream ?? 0));
}

/**
 * The raw Philox4x32-10 block function, for verification against Random123's
 * known-answer vectors.
 * @param counter 4 words (c0..c3)
 * @param key 2 words (k0, k1)
 */
export function philox4x32(counter: Uint32Array, key: Uint32Array): Uint32Array {
  return native().philox4x32(v.uint32Array('counter', counter, 4), v.uint32Array('key', key, 2));
}

/** A seed drawn from the OS's entropy (for unseeded initialisers). @internal */
export function entropySeed(): bigint {
  const a = new BigUint64Array(1);
  globalThis.crypto.getRandomValues(a);
  return a[0];
}
