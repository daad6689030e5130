import { createHash } from 'node:crypto';
import { cpu, setThreads } from '../lib/index.js';
import { setIsa } from '../lib/internal.js';

/** SHA-256 of a typed array's bytes. */
export function hash(a: ArrayBufferView): string {
  return createHash('sha256')
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex');
}

/** ISAs this machine can run (scalar first). */
export const ISAS = cpu().available;
/** ISAs a build may have; those missing here are reported as skipped. */
export const ALL_ISAS = ['scalar', 'avx2', 'avx512', 'neon'] as const;

// Runs fn, then `restore` — after the promise settles when fn is async.
function around<T>(fn: () => T, restore: () => void): T {
  let r: T;
  try {
    r = fn();
  } catch (e) {
    restore();
    throw e;
  }
  if (r instanceof Promise) return r.finally(restore) as T;
  restore();
  return r;
}

/** Runs fn (sync or async) under an ISA, restoring the one in use before. */
export function withIsa<T>(isa: string, fn: () => T): T {
  const before = cpu().isa;
  if (!setIsa(isa)) throw new Error(`ISA ${isa} not available`);
  return around(fn, () => setIsa(before));
}

/** Runs fn (sync or async) with n threads, restoring the count before. */
export function withThreads<T>(n: number, fn: () => T): T {
  const before = cpu().threads;
  setThreads(n);
  return around(fn, () => setThreads(before));
}

/** float64 mean, variance, skewness, excess kurtosis. */
export function moments(x: ArrayLike<number>): {
  mean: number;
  variance: number;
  skewness: number;
  kurtosis: number;
} {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mean = s / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { mean, variance: m2, skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) - 3 };
}

/** Standard normal density and CDF (float64; erf by its positive-term series, exact to ~1e-15). */
export function phi(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** erf(x) = 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} / (1·3···(2n+1)): all terms positive, no cancellation. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax > 6) return Math.sign(x);
  let term = ax;
  let sum = ax;
  for (let n = 1; n < 400; n++) {
    term *= (2 * ax * ax) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum;
}

/** erfc(x) in float64 without cancellation: 1 − erf(x) below 3, the continued fraction
 * e^{−x²}/√π / (x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …)))) above. */
export function erfc(x: number): number {
  if (x < 3) return 1 - erf(x);
  let f = x;
  for (let n = 300; n >= 1; n--) f = x + n / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Standard normal CDF, accurate in both tails. */
export function normalCdf(x: number): number {
  return x < 0 ? 0.5 * erfc(-x / Math.SQRT2) : 1 - 0.5 * erfc(x / Math.SQRT2);
}

/** float64 erfinv by Newton's method on erf, started from a coarse guess. */
export function erfinv(y: number): number {
  if (y === 0) return 0;
  const a = Math.abs(y);
  // Start: Winitzki's approximation (good to ~2e-3), then Newton to full precision.
  const k = 0.147;
  const l = Math.log(1 - a * a);
  const t = 2 / (Math.PI * k) + l / 2;
  let x = Math.sqrt(Math.sqrt(t * t - l / k) - t);
  for (let i = 0; i < 50; i++) {
    const f = erf(x) - a;
    const step = f / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
    x -= step;
    if (Math.abs(step) <= 1e-16 * x) break;
  }
  return Math.sign(y) * x;
}

/** Size of one float32 ulp at |x| (normal range). */
export function ulp32(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(ax)) - 23);
}

/** Kolmogorov-Smirnov statistic D of a sample against a CDF. */
export function ksStatistic(x: Float32Array, cdf: (v: number) => number): number {
  const s = Float64Array.from(x).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}
