// Statistical tests of the distributions. Every tolerance comes from the
// sampling distribution of the statistic under the hypothesis that the
// generator is right, at a threshold of 5 standard errors (two-sided
// p ≈ 6e-7 per check), so a correct generator fails with negligible
// probability while a wrong scale, shift or shape is caught:
//   mean:       SE = σ / √n
//   variance:   SE = sqrt((μ4 − σ⁴) / n)          (normal: σ² √(2/n); uniform: σ² √(0.8/n))
//   skewness:   SE ≈ √(6/n),  excess kurtosis: SE ≈ √(24/n)    (normal samples)
//               other symmetric laws, by the delta method on the central moments μk
//               (μ3 = μ5 = 0): see shapeSE below
//   KS:         P(√n·D > t) ≈ 2·exp(−2t²) → t = 2.69 for p = 1e-6
//   chi-square: k − 1 degrees of freedom, mean k − 1, SD √(2(k − 1)); checked on both sides
import { describe, expect, it } from 'vitest';
import { rng } from '../lib/index.js';
import { erf, ksStatistic, moments, normalCdf, phi } from './helpers.js';

const Z = 5;
const N = 1 << 20;

// Standard errors of the sample skewness g1 = m3/m2^1.5 and excess kurtosis
// g2 = m4/m2² − 3 for n samples of a symmetric law with central moments μ2..μ8,
// by the delta method (first order; the odd moments vanish):
//   Var(g1) ≈ (μ6 − 6μ4μ2 + 9μ2³) / (n μ2³)
//   Var(g2) ≈ [Var(m4) − 4(μ4/μ2)·Cov(m4, m2) + 4(μ4/μ2)²·Var(m2)] / μ2⁴, with
//   n·Var(m4) = μ8 − μ4², n·Cov(m4, m2) = μ6 − μ4μ2, n·Var(m2) = μ4 − μ2².
// For the normal (μ4 = 3, μ6 = 15, μ8 = 105) these give √(6/n) and √(24/n).
function shapeSE(n: number, mu2: number, mu4: number, mu6: number, mu8: number) {
  const skew = Math.sqrt((mu6 - 6 * mu4 * mu2 + 9 * mu2 ** 3) / (n * mu2 ** 3));
  const r = mu4 / mu2;
  const kurt = Math.sqrt(
    (mu8 - mu4 ** 2 - 4 * r * (mu6 - mu4 * mu2) + 4 * r * r * (mu4 - mu2 ** 2)) / (n * mu2 ** 4),
  );
  return { skew, kurt };
}

describe('shapeSE', () => {
  it('reduces to √(6/n) and √(24/n) for the normal', () => {
    const se = shapeSE(100, 1, 3, 15, 105);
    expect(se.skew).toBeCloseTo(Math.sqrt(6 / 100), 12);
    expect(se.kurt).toBeCloseTo(Math.sqrt(24 / 100), 12);
  });
});

describe('normal', () => {
  const mean = 0.7;
  const std = 2.5;
  const x = rng(2024).normal(N, { mean, std });
  const m = moments(x);

  it('has the right mean and variance', () => {
    expect(Math.abs(m.mean - mean) / (std / Math.sqrt(N))).toBeLessThan(Z);
    expect(Math.abs(m.variance - std * std) / (std * std * Math.sqrt(2 / N))).toBeLessThan(Z);
  });

  it('has zero skewness and excess kurtosis', () => {
    expect(Math.abs(m.skewness) / Math.sqrt(6 / N)).toBeLessThan(Z);
    expect(Math.abs(m.kurtosis) / Math.sqrt(24 / N)).toBeLessThan(Z);
  });

  it('passes a Kolmogorov-Smirnov test against the normal CDF (n = 2^17)', () => {
    const n = 1 << 17;
    const d = ksStatistic(rng(99, { stream: 3 }).normal(n), normalCdf);
    expect(d * Math.sqrt(n)).toBeLessThan(2.69);
  });

  it('KS catches a 5% scale error (the test has power)', () => {
    const n = 1 << 17;
    const d = ksStatistic(rng(99, { stream: 3 }).normal(n, { std: 1.05 }), normalCdf);
    expect(d * Math.sqrt(n)).toBeGreaterThan(2.69);
  });
});

describe('uniform', () => {
  const low = -2;
  const high = 3;
  const x = rng(7).uniform(N, { low, high });

  it('stays in [low, high)', () => {
    let ok = true;
    for (const v of x) if (!(v >= low && v < high)) ok = false;
    expect(ok).toBe(true);
  });

  it('has mean (low + high)/2 and variance (high − low)²/12', () => {
    const m = moments(x);
    const variance = (high - low) ** 2 / 12;
    expect(Math.abs(m.mean - (low + high) / 2) / Math.sqrt(variance / N)).toBeLessThan(Z);
    expect(Math.abs(m.variance - variance) / (variance * Math.sqrt(0.8 / N))).toBeLessThan(Z);
  });

  it('has zero skewness and excess kurtosis −1.2', () => {
    const m = moments(x);
    // central moments of U(−1, 1): μk = 1/(k + 1) for even k (the scale cancels)
    const se = shapeSE(N, 1 / 3, 1 / 5, 1 / 7, 1 / 9);
    expect(Math.abs(m.skewness) / se.skew).toBeLessThan(Z);
    expect(Math.abs(m.kurtosis + 1.2) / se.kurt).toBeLessThan(Z);
  });

  it('passes a chi-square test on 1024 equal bins', () => {
    const k = 1024;
    const counts = new Float64Array(k);
    const u = rng(8).uniform(N);
    for (const v of u) counts[Math.floor(v * k)]++;
    const e = N / k;
    let chi2 = 0;
    for (const c of counts) chi2 += (c - e) ** 2 / e;
    const df = k - 1;
    expect(Math.abs(chi2 - df) / Math.sqrt(2 * df)).toBeLessThan(Z);
  });
});

describe('truncated normal', () => {
  const a = 2; // cut at ±2σ
  const zMass = erf(a / Math.SQRT2); // P(|Z| < 2)
  // Moments of N(0,1) restricted to (−a, a), by integration by parts:
  //   E[X²] = 1 − 2aφ(a)/Z,  E[X⁴] = 3·E[X²] − 2a³φ(a)/Z
  const var1 = 1 - (2 * a * phi(a)) / zMass;
  const m4 = 3 * var1 - (2 * a ** 3 * phi(a)) / zMass;

  it('has the textbook variance 0.773741·σ² (closed form check)', () => {
    expect(var1).toBeCloseTo(0.773741, 6);
  });

  const mean = -1;
  const std = 0.5;
  const x = rng(31).truncatedNormal(N, { mean, std });

  it('stays strictly inside mean ± 2σ', () => {
    let ok = true;
    for (const v of x) if (!(Math.abs(v - mean) < 2 * std)) ok = false;
    expect(ok).toBe(true);
  });

  it('has mean `mean` and variance 0.773741·σ²', () => {
    const m = moments(x);
    const variance = var1 * std * std;
    expect(Math.abs(m.mean - mean) / Math.sqrt(variance / N)).toBeLessThan(Z);
    const seVar = std ** 4 * Math.sqrt((m4 - var1 * var1) / N);
    expect(Math.abs(m.variance - variance) / seVar).toBeLessThan(Z);
  });

  it('has zero skewness and the truncated normal excess kurtosis', () => {
    // E[X^k] on (−a, a) by parts: E[X^k] = (k − 1)·E[X^(k−2)] − 2a^(k−1)φ(a)/Z
    const m6 = 5 * m4 - (2 * a ** 5 * phi(a)) / zMass;
    const m8 = 7 * m6 - (2 * a ** 7 * phi(a)) / zMass;
    const m = moments(x);
    const se = shapeSE(N, var1, m4, m6, m8);
    expect(Math.abs(m.skewness) / se.skew).toBeLessThan(Z);
    expect(Math.abs(m.kurtosis - (m4 / var1 ** 2 - 3)) / se.kurt).toBeLessThan(Z);
  });

  it('passes a KS test against the truncated normal CDF', () => {
    const n = 1 << 17;
    const cdf = (v: number) => (normalCdf(v) - normalCdf(-a)) / zMass;
    const d = ksStatistic(rng(5, { stream: 9 }).truncatedNormal(n), cdf);
    expect(d * Math.sqrt(n)).toBeLessThan(2.69);
  });
});

describe('independence', () => {
  it('consecutive normals are uncorrelated (lag 1..4), and so are two streams', () => {
    const x = rng(11).normal(N);
    const y = rng(11, { stream: 1 }).normal(N);
    const corr = (a: Float32Array, b: Float32Array, lag: number) => {
      let s = 0;
      for (let i = 0; i + lag < a.length; i++) s += a[i] * b[i + lag];
      return s / (a.length - lag);
    };
    // for independent N(0,1) pairs the mean product has SE 1/√n
    for (const lag of [1, 2, 3, 4]) expect(Math.abs(corr(x, x, lag)) * Math.sqrt(N)).toBeLessThan(Z);
    expect(Math.abs(corr(x, y, 0)) * Math.sqrt(N)).toBeLessThan(Z);
  });
});
