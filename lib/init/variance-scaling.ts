import { Dist } from '../random.js';
import * as v from '../validate.js';
import { fans } from './fans.js';
import { gain as gainOf, type Nonlinearity } from './gain.js';
import type { Seed } from './initializer.js';
import { seedForConfig } from './initializer.js';
import { RandomInitializer } from './random-init.js';

/** Which fan divides the scale. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
/** Distribution of {@link varianceScaling}. */
export type ScalingDistribution = 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

const MODES: Record<string, FanMode> = {
  fanIn: 'fanIn',
  fanOut: 'fanOut',
  fanAvg: 'fanAvg',
  fan_in: 'fanIn',
  fan_out: 'fanOut',
  fan_avg: 'fanAvg',
};
const DISTS: Record<string, ScalingDistribution> = {
  truncatedNormal: 'truncatedNormal',
  untruncatedNormal: 'untruncatedNormal',
  uniform: 'uniform',
  truncated_normal: 'truncatedNormal',
  untruncated_normal: 'untruncatedNormal',
  normal: 'truncatedNormal', // Keras' legacy name for truncated_normal
};
const SNAKE: Record<string, string> = {
  fanIn: 'fan_in',
  fanOut: 'fan_out',
  fanAvg: 'fan_avg',
  truncatedNormal: 'truncated_normal',
  untruncatedNormal: 'untruncated_normal',
  uniform: 'uniform',
};

/**
 * Standard deviation of N(0, 1) truncated to (-2, 2): the truncated normal of
 * scale σ has std 0.8796 σ, so Keras divides σ by this to hit the target std.
 */
export const TRUNCATED_STD = 0.87962566103423978;

/** Options of {@link varianceScaling}. */
export interface VarianceScalingOptions {
  /** Target variance numerator (default 1): Var(w) = scale / n. */
  scale?: number;
  /** n = fanIn, fanOut or their mean (default 'fanIn'; Keras snake_case names accepted). */
  mode?: FanMode | 'fan_in' | 'fan_out' | 'fan_avg';
  /** Default 'truncatedNormal' (Keras snake_case names accepted). */
  distribution?: ScalingDistribution | 'truncated_normal' | 'untruncated_normal' | 'normal';
  seed?: Seed;
}

/**
 * Keras `VarianceScaling`: weights with variance `scale / n`, n the fan chosen by `mode`.
 * - truncatedNormal: N(0, σ²) cut at ±2σ with σ = sqrt(scale / n) / 0.87962566103423978,
 *   so the actual std is sqrt(scale / n);
 * - untruncatedNormal: N(0, scale / n);
 * - uniform: U(-limit, limit) with limit = sqrt(3 scale / n).
 * Glorot, He and LeCun initializers are instances of it.
 */
export class VarianceScaling extends RandomInitializer {
  readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: ScalingDistribution;

  constructor(options: VarianceScalingOptions = {}, name = 'varianceScaling') {
    const o = v.options(`${name} options`, options, ['scale', 'mode', 'distribution', 'seed']);
    super(o.seed);
    this.scale = v.numberIn('options.scale', o.scale ?? 1, 0, Number.MAX_VALUE, { minOpen: true });
    const mode = o.mode ?? 'fanIn';
    if (typeof mode !== 'string' || !(mode in MODES)) {
      throw (typeof mode === 'string' ? v.rangeError : v.typeError)(
        "one of 'fanIn', 'fanOut', 'fanAvg'",
        'options.mode',
        mode,
      );
    }
    this.mode = MODES[mode];
    const dist = o.distribution ?? 'truncatedNormal';
    if (typeof dist !== 'string' || !(dist in DISTS)) {
      throw (typeof dist === 'string' ? v.rangeError : v.typeError)(
        "one of 'truncatedNormal', 'untruncatedNormal', 'uniform'",
        'options.distribution',
        dist,
      );
    }
    this.distribution = DISTS[dist];
  }

  /** The variance this initializer targets for a given shape: scale / n. */
  variance(shape: readonly number[]): number {
    const { fanIn, fanOut } = fans(shape);
    const n = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    return this.scale / Math.max(1, n);
  }

  protected draw(data: Float32Array, shape: number[]): void {
    const variance = this.variance(shape);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      this.drawDist(Dist.Uniform, -limit, limit, data);
    } else if (this.distribution === 'untruncatedNormal') {
      this.drawDist(Dist.Normal, 0, Math.sqrt(variance), data);
    } else {
      this.drawDist(Dist.TruncatedNormal, 0, Math.sqrt(variance) / TRUNCATED_STD, data);
    }
  }

  protected override check(shape: number[]): void {
    const variance = this.variance(shape);
    if (
      !(Math.fround(Math.sqrt(3 * variance)) > 0) ||
      !Number.isFinite(Math.fround(Math.sqrt(3 * variance) / TRUNCATED_STD))
    ) {
      throw new RangeError(
        `Expected options.scale to give a float32 weight scale for shape [${shape}] but received scale=${this.scale}`,
      );
    }
  }

  protected configBody(): Record<string, unknown> {
    return {
      scale: this.scale,
      mode: SNAKE[this.mode],
      distribution: SNAKE[this.distribution],
      seed: seedForConfig(this.seed),
    };
  }
}

/** A VarianceScaling with fixed scale/mode/distribution, serialised under its own Keras name. */
class Preset extends VarianceScaling {
  override readonly className: string;
  constructor(
    className: string,
    scale: number,
    mode: FanMode,
    distribution: ScalingDistribution,
    options: { seed?: Seed },
    name: string,
  ) {
    const o = v.options(`${name} options`, options, ['seed']);
    super({ scale, mode, distribution, seed: o.seed as Seed | undefined }, name);
    this.className = className;
  }
  protected override configBody(): Record<string, unknown> {
    return { seed: seedForConfig(this.seed) };
  }
}

/** Options of the Glorot / He / LeCun initializers. */
export interface SeedOptions {
  seed?: Seed;
}

/** Glorot & Bengio 2010, normal: Var = 1 / fan_avg (truncated at ±2σ). For tanh, sigmoid, softmax, linear. */
export const glorotNormal = (o: SeedOptions = {}): VarianceScaling =>
  new Preset('GlorotNormal', 1, 'fanAvg', 'truncatedNormal', o, 'glorotNormal');
/** Glorot & Bengio 2010, uniform: limit = sqrt(6 / (fan_in + fan_out)). Keras' default kernel initializer. */
export const glorotUniform = (o: SeedOptions = {}): VarianceScaling =>
  new Preset('GlorotUniform', 1, 'fanAvg', 'uniform', o, 'glorotUniform');
/** He et al. 2015, normal: Var = 2 / fan_in (truncated at ±2σ). For ReLU and its variants. */
export const heNormal = (o: SeedOptions = {}): VarianceScaling =>
  new Preset('HeNormal', 2, 'fanIn', 'truncatedNormal', o, 'heNormal');
/** He et al. 2015, uniform: limit = sqrt(6 / fan_in). */
export const heUniform = (o: SeedOptions = {}): VarianceScaling =>
  new Preset('HeUniform', 2, 'fanIn', 'uniform', o, 'heUniform');
/** LeCun 1998, normal: Var = 1 / fan_in (truncated at ±2σ). For SELU (self-normalising nets). */
export const lecunNormal = (o: SeedOptions = {}): VarianceScaling =>
  new Preset('LecunNormal', 1, 'fanIn', 'truncatedNormal', o, 'lecunNormal');
/** LeCun 1998, uniform: limit = sqrt(3 / fan_in). */
export const lecunUniform = (o: SeedOptions = {}): VarianceScaling =>
  new Preset('LecunUniform', 1, 'fanIn', 'uniform', o, 'lecunUniform');
/** @see {@link VarianceScaling} */
export const varianceScaling = (o?: VarianceScalingOptions): VarianceScaling => new VarianceScaling(o);

/** Options of {@link xavierUniform} / {@link xavierNormal} (PyTorch `torch.nn.init`). */
export interface XavierOptions {
  /** Multiplier of the std (default 1); see {@link gain}. */
  gain?: number;
  seed?: Seed;
}

function xavier(o: XavierOptions, dist: ScalingDistribution, name: string): VarianceScaling {
  const opts = v.options(`${name} options`, o, ['gain', 'seed']);
  const g = v.numberIn('options.gain', opts.gain ?? 1, 0, 1e18, { minOpen: true });
  return new VarianceScaling(
    { scale: g * g, mode: 'fanAvg', distribution: dist, seed: opts.seed as Seed | undefined },
    name,
  );
}

/** PyTorch `xavier_uniform_`: U(-a, a), a = gain·sqrt(6 / (fan_in + fan_out)). */
export const xavierUniform = (o: XavierOptions = {}): VarianceScaling =>
  xavier(o, 'uniform', 'xavierUniform');
/** PyTorch `xavier_normal_`: N(0, std²), std = gain·sqrt(2 / (fan_in + fan_out)), not truncated. */
export const xavierNormal = (o: XavierOptions = {}): VarianceScaling =>
  xavier(o, 'untruncatedNormal', 'xavierNormal');

/** Options of {@link kaimingUniform} / {@link kaimingNormal} (PyTorch `torch.nn.init`). */
export interface KaimingOptions {
  /** Negative slope of the leaky ReLU after this layer (default 0). */
  a?: number;
  /** 'fanIn' (default) keeps forward variance; 'fanOut' keeps backward variance. */
  mode?: 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';
  /** Default 'leakyRelu' (with slope a), as PyTorch. */
  nonlinearity?: Nonlinearity;
  seed?: Seed;
}

function kaiming(o: KaimingOptions, dist: ScalingDistribution, name: string): VarianceScaling {
  const opts = v.options(`${name} options`, o, ['a', 'mode', 'nonlinearity', 'seed']);
  const a = v.finiteNumber('options.a', opts.a ?? 0);
  const mode = opts.mode ?? 'fanIn';
  if (!['fanIn', 'fanOut', 'fan_in', 'fan_out'].includes(mode as string)) {
    throw (typeof mode === 'string' ? v.rangeError : v.typeError)(
      "one of 'fanIn', 'fanOut'",
      'options.mode',
      mode,
    );
  }
  const g = gainOf((opts.nonlinearity ?? 'leakyRelu') as Nonlinearity, a);
  return new VarianceScaling(
    { scale: g * g, mode: mode as FanMode, distribution: dist, seed: opts.seed as Seed | undefined },
    name,
  );
}

/** PyTorch `kaiming_uniform_`: U(-b, b), b = gain·sqrt(3 / fan), gain from `nonlinearity` and `a`. */
export const kaimingUniform = (o: KaimingOptions = {}): VarianceScaling =>
  kaiming(o, 'uniform', 'kaimingUniform');
/** PyTorch `kaiming_normal_`: N(0, std²), std = gain / sqrt(fan), not truncated. */
export const kaimingNormal = (o: KaimingOptions = {}): VarianceScaling =>
  kaiming(o, 'untruncatedNormal', 'kaimingNormal');
