import { native } from '../native.js';
import { Dist } from '../random.js';
import * as v from '../validate.js';
import { Initializer, type Seed, seedForConfig } from './initializer.js';
import { RandomInitializer } from './random-init.js';

/** Options of {@link orthogonal}. */
export interface OrthogonalOptions {
  /** Multiplier of the orthogonal matrix (default 1). */
  gain?: number;
  seed?: Seed;
}

/**
 * Keras `Orthogonal` (Saxe et al. 2014): the weight, flattened to
 * [prod(shape[:-1]), shape[-1]], is the Q factor of the QR decomposition of a
 * standard normal matrix (transposed when it has fewer rows than columns), with
 * Q's columns multiplied by sign(diag R) so Q is uniformly (Haar) distributed.
 * The decomposition runs in float64 (classical Gram-Schmidt with
 * re-orthogonalisation, which yields R with a positive diagonal, i.e. the
 * sign-corrected Q directly); cost O(rows·cols²).
 */
export class Orthogonal extends RandomInitializer {
  readonly className = 'Orthogonal';
  readonly gain: number;

  constructor(options: OrthogonalOptions = {}) {
    const o = v.options('orthogonal options', options, ['gain', 'seed']);
    super(o.seed);
    this.gain = v.finiteNumber('options.gain', o.gain ?? 1);
  }

  protected override check(shape: number[]): void {
    if (shape.length < 2) {
      throw v.rangeError('a shape of rank >= 2 for orthogonal', 'shape', shape);
    }
  }

  protected draw(data: Float32Array, shape: number[]): void {
    const cols = shape[shape.length - 1];
    const rows = data.length / cols;
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const a = new Float32Array(m * n);
    native().randomFill(Dist.Normal, 0, 1, a, this.seed, 0n, 0n);
    const q = orthonormalColumns(Float64Array.from(a), m, n);
    // q is m×n row-major; the weight is rows×cols = q (rows >= cols) or qᵀ.
    if (rows >= cols) {
      for (let i = 0; i < m * n; i++) data[i] = this.gain * q[i];
    } else {
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) data[i * cols + j] = this.gain * q[j * n + i];
    }
  }

  protected configBody(): Record<string, unknown> {
    return { gain: this.gain, seed: seedForConfig(this.seed) };
  }
}

/**
 * Q of the thin QR of a (m×n row-major, m >= n), with R's diagonal positive.
 * Classical Gram-Schmidt applied twice per column ("twice is enough",
 * Giraud et al. 2005) keeps Q orthonormal to float64 precision.
 * @internal
 */
export function orthonormalColumns(a: Float64Array, m: number, n: number): Float64Array {
  const q = new Float64Array(m * n);
  const col = new Float64Array(m);
  const proj = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) col[i] = a[i * n + j];
    for (let pass = 0; pass < 2; pass++) {
      proj.fill(0, 0, j);
      for (let i = 0; i < m; i++) {
        const ci = col[i];
        const row = i * n;
        for (let k = 0; k < j; k++) proj[k] += q[row + k] * ci;
      }
      for (let i = 0; i < m; i++) {
        let s = col[i];
        const row = i * n;
        for (let k = 0; k < j; k++) s -= q[row + k] * proj[k];
        col[i] = s;
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += col[i] * col[i];
    norm = Math.sqrt(norm);
    // A normal matrix has full rank with probability 1; guard the measure-zero case anyway.
    if (!(norm > 0))
      throw new RangeError('orthogonal: the random matrix was rank deficient; try another seed');
    for (let i = 0; i < m; i++) q[i * n + j] = col[i] / norm;
  }
  return q;
}

/** Options of {@link identity}. */
export interface IdentityOptions {
  /** Diagonal value (default 1). */
  gain?: number;
}

/** Keras `Identity`: gain on the main diagonal of a 2-D weight (rectangular allowed), 0 elsewhere. */
export class Identity extends Initializer {
  readonly className = 'Identity';
  readonly gain: number;

  constructor(options: IdentityOptions = {}) {
    super();
    const o = v.options('identity options', options, ['gain']);
    this.gain = v.finiteNumber('options.gain', o.gain ?? 1);
  }

  protected override check(shape: number[]): void {
    if (shape.length !== 2) throw v.rangeError('a 2-D shape for identity', 'shape', shape);
  }

  protected draw(data: Float32Array, shape: number[]): void {
    const [rows, cols] = shape;
    data.fill(0);
    for (let i = 0; i < Math.min(rows, cols); i++) data[i * cols + i] = this.gain;
  }

  protected configBody(): Record<string, unknown> {
    return { gain: this.gain };
  }
}

/** @example `orthogonal({ gain: Math.SQRT2, seed: 3 }).sample([256, 256])` */
export const orthogonal = (options?: OrthogonalOptions): Orthogonal => new Orthogonal(options);
/** @example `identity().sample([4, 4])` */
export const identity = (options?: IdentityOptions): Identity => new Identity(options);
