import { native } from '../native.js';
import { Dist, distParams } from '../random.js';
import * as v from '../validate.js';
import { Initializer, resolveSeed, type Seed, seedForConfig } from './initializer.js';

/**
 * Base of initializers that draw from a Philox stream. Every `sample` / `fill`
 * starts at position 0 of the initializer's seed, so an instance always produces
 * the same values; an unseeded one draws its seed once, at construction (as Keras 3).
 */
export abstract class RandomInitializer extends Initializer {
  /** The seed in use (drawn at construction when none was given). */
  readonly seed: bigint;

  constructor(seed: unknown) {
    super();
    this.seed = resolveSeed('options.seed', seed);
  }

  /** @internal draws with the native sampler */
  protected drawDist(dist: Dist, a: number, b: number, data: Float32Array): void {
    native().randomFill(dist, a, b, data, this.seed, 0n, 0n);
  }
}

/** Options of {@link randomUniform}. */
export interface RandomUniformOptions {
  /** Lower bound (default -0.05). */
  minval?: number;
  /** Upper bound, exclusive (default 0.05). */
  maxval?: number;
  seed?: Seed;
}

/** Uniform in [minval, maxval). Keras `RandomUniform`. */
export class RandomUniform extends RandomInitializer {
  readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;

  constructor(options: RandomUniformOptions = {}) {
    const o = v.options('randomUniform options', options, ['minval', 'maxval', 'seed']);
    super(o.seed);
    this.minval = v.finiteNumber('options.minval', o.minval ?? -0.05);
    this.maxval = v.finiteNumber('options.maxval', o.maxval ?? 0.05);
    distParams(Dist.Uniform, { low: this.minval, high: this.maxval }, 'randomUniform options');
  }

  protected draw(data: Float32Array): void {
    this.drawDist(Dist.Uniform, this.minval, this.maxval, data);
  }

  protected configBody(): Record<string, unknown> {
    return { minval: this.minval, maxval: this.maxval, seed: seedForConfig(this.seed) };
  }
}

/** Options of {@link randomNormal} and {@link truncatedNormal}. */
export interface RandomNormalOptions {
  /** Mean (default 0). */
  mean?: number;
  /** Standard deviation (default 0.05); for truncatedNormal, of the distribution before truncation. */
  stddev?: number;
  seed?: Seed;
}

/** Normal N(mean, stddev²). Keras `RandomNormal`. */
export class RandomNormal extends RandomInitializer {
  readonly className: string = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  /** @internal */
  protected readonly dist: Dist = Dist.Normal;

  constructor(options: RandomNormalOptions = {}, name = 'randomNormal') {
    const o = v.options(`${name} options`, options, ['mean', 'stddev', 'seed']);
    super(o.seed);
    this.mean = v.finiteNumber('options.mean', o.mean ?? 0);
    this.stddev = v.numberIn('options.stddev', o.stddev ?? 0.05, 0, 3.4e38);
  }

  protected draw(data: Float32Array): void {
    this.drawDist(this.dist, this.mean, this.stddev, data);
  }

  protected configBody(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: seedForConfig(this.seed) };
  }
}

/**
 * Normal N(mean, stddev²) restricted to (mean - 2 stddev, mean + 2 stddev), as Keras
 * `TruncatedNormal`; the result's standard deviation is 0.8796 stddev.
 */
export class TruncatedNormal extends RandomNormal {
  override readonly className = 'TruncatedNormal';
  protected override readonly dist: Dist = Dist.TruncatedNormal;

  constructor(options: RandomNormalOptions = {}) {
    super(options, 'truncatedNormal');
  }
}

/** @example `randomUniform({ minval: -0.1, maxval: 0.1, seed: 1 })` */
export const randomUniform = (options?: RandomUniformOptions): RandomUniform => new RandomUniform(options);
/** @example `randomNormal({ stddev: 0.01, seed: 1 })` */
export const randomNormal = (options?: RandomNormalOptions): RandomNormal => new RandomNormal(options);
/** @example `truncatedNormal({ stddev: 0.02, seed: 1 })` */
export const truncatedNormal = (options?: RandomNormalOptions): TruncatedNormal =>
  new TruncatedNormal(options);
