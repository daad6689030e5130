// Mean-field signal propagation: the special functions against 20-digit references, the two
// quadratures against closed forms and against each other, the q-map and χ against closed forms
// (linear, ReLU, leaky ReLU, ELU) and against Monte Carlo (sigmoid, tanh), the known phases
// (He + ReLU critical, tanh at σ_w² = 1 critical at q* = 0, SELU's fixed point), and the
// argument checks.
import { describe, expect, it } from 'vitest';
import {
  erf,
  erfc,
  gaussianExpectation,
  normalCdf,
  scaledGaussianExpectation,
  signalPropagation,
} from '../lib/diagnostics/theory.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('erf, erfc, Φ', () => {
  // From a 40-digit evaluation (mpmath), rounded to the nearest float64.
  const ERF: [number, number][] = [
    [0.1, 0.1124629160182849],
    [-0.3, -0.32862675945912745],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [1.5, 0.9661051464753108],
    [2, 0.9953222650189527],
    [3, 0.9999779095030014],
  ];
  const ERFC: [number, number][] = [
    [-0.3, 1.3286267594591274],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [1.5, 0.033894853524689274],
    [2, 0.004677734981047266],
    [3, 2.209049699858544e-5],
    [5, 1.537459794428035e-12],
    [10, 2.088487583762545e-45],
    [26, 5.663192408856143e-296],
  ];
  const PHI: [number, number][] = [
    [1, 0.8413447460685429],
    [-2, 0.02275013194817921],
    [-3, 0.0013498980316300946],
    [-10, 7.619853024160525e-24],
  ];

  it('erf matches references to 1e-14 relative', () => {
    for (const [x, y] of ERF) expect(rel(erf(x), y), `erf(${x})`).toBeLessThan(1e-14);
  });

  it('erfc matches references to 1e-14 relative, deep into the tail', () => {
    for (const [x, y] of ERFC) expect(rel(erfc(x), y), `erfc(${x})`).toBeLessThan(1e-14);
  });

  it('Φ matches references (relative error grows like x²·2^-53 in the lower tail)', () => {
    for (const [x, y] of PHI) expect(rel(normalCdf(x), y), `Φ(${x})`).toBeLessThan(1e-14 * (1 + x * x));
  });

  it('special values and symmetry', () => {
    expect(erf(0)).toBe(0);
    expect(erfc(0)).toBe(1);
    expect(normalCdf(0)).toBe(0.5);
    expect(erf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(erf(Number.NEGATIVE_INFINITY)).toBe(-1);
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfc(Number.NEGATIVE_INFINITY)).toBe(2);
    expect(Number.isNaN(erf(Number.NaN))).toBe(true);
    for (const x of [0.2, 0.7, 1.3, 2.6, 4.1]) {
      expect(erf(-x)).toBe(-erf(x));
      expect(Math.abs(erf(x) + erfc(x) - 1)).toBeLessThanOrEqual(2 ** -52);
    }
  });
});

describe('quadrature', () => {
  it('Gauss–Hermite integrates even moments exactly: E[Z^2k] = (2k − 1)!!', () => {
    let doubleFactorial = 1;
    expect(gaussianExpectation(() => 1)).toBe(1);
    for (let k = 1; k <= 40; k++) {
      doubleFactorial *= 2 * k - 1;
      expect(
        rel(
          gaussianExpectation((z) => z ** (2 * k)),
          doubleFactorial,
        ),
        `k = ${k}`,
      ).toBeLessThan(2e-15);
    }
  });

  it('Gauss–Hermite gives odd moments exactly 0 (nodes in ± pairs, none at 0)', () => {
    for (let k = 0; k < 20; k++) expect(gaussianExpectation((z) => z ** (2 * k + 1))).toBe(0);
    // An indicator jumping at 0 gets exactly ½.
    expect(gaussianExpectation((z) => (z > 0 ? 1 : 0))).toBe(0.5);
  });

  it('Gauss–Hermite: E[cos Z] = e^{−1/2}, E[e^{tZ}] = e^{t²/2}', () => {
    expect(Math.abs(gaussianExpectation(Math.cos) - Math.exp(-0.5))).toBeLessThan(1e-15);
    expect(Math.abs(gaussianExpectation((z) => Math.cos(3 * z)) - Math.exp(-4.5))).toBeLessThan(1e-15);
    for (const t of [0.5, 1, 2, 3]) {
      expect(
        rel(
          gaussianExpectation((z) => Math.exp(t * z)),
          Math.exp((t * t) / 2),
        ),
      ).toBeLessThan(1e-14);
    }
  });

  it('composite rule: E[erf(√q Z)²] and E[erf′(√q Z)²] in closed form, q from 1e-8 to 1e12', () => {
    // E[erf(√q Z)²] = (2/π) asin(2q/(1+2q)), written with atan to stay well conditioned as q → ∞;
    // erf′(x)² = (4/π) e^{−2x²}, so E = (4/π)/√(1+4q). A steep integrand for large q: erf(√q z)
    // turns over within 1/√q of 0.
    const erfPrime2 = (x: number) => (4 / Math.PI) * Math.exp(-2 * x * x);
    for (let e = -8; e <= 12; e += 0.5) {
      const q = 10 ** e;
      const a = (2 / Math.PI) * Math.atan((2 * q) / Math.sqrt(1 + 4 * q));
      const b = 4 / Math.PI / Math.sqrt(1 + 4 * q);
      expect(
        rel(
          scaledGaussianExpectation((x) => erf(x) ** 2, q, 0.5),
          a,
        ),
        `q = ${q}`,
      ).toBeLessThan(5e-15);
      expect(rel(scaledGaussianExpectation(erfPrime2, q, 0.5), b), `q = ${q}`).toBeLessThan(5e-15);
    }
  });

  it('composite rule: a jump at 0 gets the limit q → 0⁺ at q = 0', () => {
    expect(scaledGaussianExpectation((x) => (x > 0 ? 1 : 0), 0, Number.POSITIVE_INFINITY)).toBe(0.5);
    expect(scaledGaussianExpectation((x) => (x > 0 ? 1 : 0), 3, Number.POSITIVE_INFINITY)).toBe(0.5);
  });
});

/** q_{l+1} / σ_w² − σ_b² and χ_l / σ_w² for one layer: E[φ(√q Z)²] and E[φ'(√q Z)²]. */
function moments(activation: Parameters<typeof signalPropagation>[0]['activation'], q: number) {
  const r = signalPropagation({ activation, sigmaW2: 1, inputMeanSquare: q, width: 1, depth: 2 });
  return { phi2: r.q[1], dphi2: r.chi[0] };
}

describe('q-map and χ in closed form', () => {
  it('linear: q_l = σ_w² q_{l−1} + σ_b², χ = σ_w²', () => {
    const r = signalPropagation({
      activation: 'linear',
      sigmaW2: 0.8,
      biasStd: 0.5,
      inputMeanSquare: 3,
      width: 10,
      depth: 8,
    });
    expect(r.q[0]).toBe(0.8 * 3 + 0.25);
    for (let l = 1; l < 8; l++) expect(rel(r.q[l], 0.8 * r.q[l - 1] + 0.25)).toBeLessThan(1e-15);
    for (const c of r.chi) expect(rel(c, 0.8)).toBeLessThan(1e-15);
    expect(rel(r.qStar!, 0.25 / (1 - 0.8))).toBeLessThan(1e-12);
    expect(r.regime).toBe('ordered');
    for (let l = 0; l < 8; l++) expect(rel(r.gradientNormRatio[l], 0.8 ** (7 - l))).toBeLessThan(1e-14);
  });

  it('linear with σ_w² > 1: q diverges, no fixed point', () => {
    const r = signalPropagation({ activation: 'linear', sigmaW2: 1.2, width: 10, depth: 4 });
    expect(r.qStar).toBeNull();
    expect(r.chi1).toBeNull();
    expect(r.regime).toBeNull();
    expect(r.depthScale).toBeNull();
    expect(rel(r.chi[3], 1.2)).toBeLessThan(1e-15);
  });

  it('ReLU: q_l = σ_w² q_{l−1}/2 + σ_b², χ = σ_w²/2, q* = σ_b²/(1 − σ_w²/2)', () => {
    const s2 = 1.7;
    const r = signalPropagation({
      activation: 'relu',
      sigmaW2: s2,
      biasStd: 0.3,
      inputMeanSquare: 0.8,
      width: 10,
      depth: 6,
    });
    expect(rel(r.q[0], s2 * 0.8 + 0.09)).toBeLessThan(1e-15);
    for (let l = 1; l < 6; l++) expect(rel(r.q[l], (s2 * r.q[l - 1]) / 2 + 0.09)).toBeLessThan(1e-14);
    for (const c of r.chi) expect(rel(c, s2 / 2)).toBeLessThan(1e-15);
    expect(rel(r.qStar!, 0.09 / (1 - s2 / 2))).toBeLessThan(1e-12);
    expect(rel(r.chi1!, s2 / 2)).toBeLessThan(1e-15);
    expect(r.regime).toBe('ordered');
    expect(rel(r.depthScale!, -1 / Math.log(s2 / 2))).toBeLessThan(1e-13);
    for (let l = 0; l < 6; l++) expect(rel(r.gradientNormRatio[l], (s2 / 2) ** (5 - l))).toBeLessThan(1e-14);
  });

  it('ReLU without bias and σ_w² < 2 collapses: q* = 0, χ₁ = σ_w²/2 (the limit q → 0⁺)', () => {
    const r = signalPropagation({ activation: 'relu', sigmaW2: 1.5, width: 10, depth: 3 });
    expect(r.qStar).toBe(0);
    expect(rel(r.chi1!, 0.75)).toBeLessThan(1e-15);
    expect(r.regime).toBe('ordered');
  });

  it('leaky ReLU: E[φ²] = q(1 + α²)/2, E[φ′²] = (1 + α²)/2', () => {
    for (const alpha of [0.2, 0.01, -0.5]) {
      for (const q of [1e-6, 0.7, 40, 1e9]) {
        const m = moments({ name: 'leakyRelu', alpha }, q);
        expect(rel(m.phi2, (q * (1 + alpha * alpha)) / 2)).toBeLessThan(1e-14);
        expect(rel(m.dphi2, (1 + alpha * alpha) / 2)).toBeLessThan(1e-15);
      }
    }
    expect(rel(moments('leakyRelu', 1).dphi2, 0.52)).toBeLessThan(1e-15); // default α = 0.2
  });

  it('ELU and SELU (a kink and a jump in φ′ at 0): closed forms via e^{2q}Φ(−2√q)', () => {
    // E[elu(√qZ)²] = q/2 + α²(e^{2q}Φ(−2√q) − 2e^{q/2}Φ(−√q) + ½),  E[elu′(√qZ)²] = ½ + α²e^{2q}Φ(−2√q).
    const L = 1.0507009873554805;
    const A = 1.6732632423543772;
    const cases: [Parameters<typeof moments>[0], number, number][] = [
      ['elu', 1, 1],
      [{ name: 'elu', alpha: 0.5 }, 0.5, 1],
      ['selu', A, L],
    ];
    for (const [act, alpha, lambda] of cases) {
      for (const q of [1e-4, 0.3, 1, 4, 25]) {
        const r = Math.sqrt(q);
        const e2 = Math.exp(2 * q) * normalCdf(-2 * r);
        const e1 = Math.exp(q / 2) * normalCdf(-r);
        const m = moments(act, q);
        const phi2 = lambda * lambda * (q / 2 + alpha * alpha * (e2 - 2 * e1 + 0.5));
        const dphi2 = lambda * lambda * (0.5 + alpha * alpha * e2);
        // The closed form cancels for small q: its bracket is O(q) from O(1) terms, each with
        // an error of a few 2^-53, which bounds how well it can check.
        const cancellation = (1e-15 * lambda * lambda * alpha * alpha) / phi2;
        expect(rel(m.phi2, phi2), `${JSON.stringify(act)} q = ${q}`).toBeLessThan(2e-13 + cancellation);
        expect(rel(m.dphi2, dphi2), `${JSON.stringify(act)} q = ${q}`).toBeLessThan(2e-13);
      }
    }
  });

  it('swish with β = 0 is x/2', () => {
    const m = moments({ name: 'swish', beta: 0 }, 3);
    expect(rel(m.phi2, 0.75)).toBeLessThan(1e-15);
    expect(m.dphi2).toBe(0.25);
  });
});

describe('smooth activations: the composite rule agrees with Gauss–Hermite at q = ¼', () => {
  // Independent float64 definitions. At q = ¼ the nearest singularities of these integrands in
  // z (tanh's poles at ±iπ/(2√q)) are π away from the real axis, far enough for 128-node
  // Gauss–Hermite to be exact to rounding. (At q = 1 it is not: it is off by 9e-12 on
  // E[sech⁴ Z], which the composite rule gets to 7e-16.)
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const sp = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  const C = Math.sqrt(2 / Math.PI);
  const pdf = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  const gt = (x: number) => C * (x + 0.044715 * x ** 3);
  const fns: Record<string, [(x: number) => number, (x: number) => number]> = {
    sigmoid: [sig, (x) => sig(x) * (1 - sig(x))],
    tanh: [Math.tanh, (x) => 1 - Math.tanh(x) ** 2],
    gelu: [(x) => x * normalCdf(x), (x) => normalCdf(x) + x * pdf(x)],
    geluTanh: [
      (x) => 0.5 * x * (1 + Math.tanh(gt(x))),
      (x) =>
        0.5 * (1 + Math.tanh(gt(x))) + 0.5 * x * (1 - Math.tanh(gt(x)) ** 2) * C * (1 + 3 * 0.044715 * x * x),
    ],
    swish: [(x) => x * sig(x), (x) => sig(x) + x * sig(x) * (1 - sig(x))],
    silu: [(x) => x * sig(x), (x) => sig(x) + x * sig(x) * (1 - sig(x))],
    softplus: [sp, sig],
    mish: [(x) => x * Math.tanh(sp(x)), (x) => Math.tanh(sp(x)) + x * (1 - Math.tanh(sp(x)) ** 2) * sig(x)],
  };
  for (const [name, [f, df]] of Object.entries(fns)) {
    it(name, () => {
      const m = moments(name, 0.25);
      expect(Math.abs(m.phi2 - gaussianExpectation((z) => f(0.5 * z) ** 2))).toBeLessThan(1e-15);
      expect(Math.abs(m.dphi2 - gaussianExpectation((z) => df(0.5 * z) ** 2))).toBeLessThan(1e-15);
    });
  }
});

describe('Monte Carlo: q* is a fixed point and χ₁ its gradient factor (sigmoid, tanh)', () => {
  // xoshiro128** (32-bit state words) and Box–Muller: a seeded N(0, 1) sample of 10^6.
  function normals(n: number, seed: number): Float64Array {
    const s = new Uint32Array([seed, 0x9e3779b9, 0x243f6a88, 0xb7e15162]);
    const next = () => {
      const result = Math.imul(((Math.imul(s[1], 5) << 7) | (Math.imul(s[1], 5) >>> 25)) >>> 0, 9) >>> 0;
      const t = s[1] << 9;
      s[2] ^= s[0];
      s[3] ^= s[1];
      s[1] ^= s[2];
      s[0] ^= s[3];
      s[2] ^= t;
      s[3] = (s[3] << 11) | (s[3] >>> 21);
      return result;
    };
    for (let i = 0; i < 16; i++) next();
    // Uniform in (0, 1) with 53 random bits, never 0.
    const uniform = () => ((next() >>> 5) * 67108864 + (next() >>> 6) + 0.5) / 9007199254740992;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(uniform()));
      const a = 2 * Math.PI * uniform();
      out[i] = r * Math.cos(a);
      if (i + 1 < n) out[i + 1] = r * Math.sin(a);
    }
    return out;
  }
  const Z = normals(1_000_000, 20240607);

  /** Mean and its standard error of y(Z). */
  function mc(y: (z: number) => number): { mean: number; se: number } {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < Z.length; i++) {
      const v = y(Z[i]);
      s += v;
      s2 += v * v;
    }
    const mean = s / Z.length;
    const variance = (s2 / Z.length - mean * mean) * (Z.length / (Z.length - 1));
    return { mean, se: Math.sqrt(variance / Z.length) };
  }

  it('the sample is N(0, 1) (mean and variance within 5 standard errors)', () => {
    const m = mc((z) => z);
    expect(Math.abs(m.mean)).toBeLessThan(5 * m.se);
    const v = mc((z) => z * z);
    expect(Math.abs(v.mean - 1)).toBeLessThan(5 * v.se);
  });

  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const acts: Record<string, [(x: number) => number, (x: number) => number]> = {
    sigmoid: [sig, (x) => sig(x) * (1 - sig(x))],
    tanh: [Math.tanh, (x) => 1 - Math.tanh(x) ** 2],
  };
  const cases: [string, number, number][] = [
    ['sigmoid', 4, 0.1],
    ['sigmoid', 16, 0.5],
    ['tanh', 1.5, 0.3],
    ['tanh', 4, 0.05],
  ];
  for (const [name, sigmaW2, biasStd] of cases) {
    it(`${name}, σ_w² = ${sigmaW2}, σ_b = ${biasStd}`, () => {
      const [f, df] = acts[name];
      const r = signalPropagation({ activation: name, sigmaW2, biasStd, width: 100, depth: 3 });
      const q = r.qStar!;
      expect(q).toBeGreaterThan(0);
      const s = Math.sqrt(q);
      const fq = mc((z) => sigmaW2 * f(s * z) ** 2 + biasStd * biasStd);
      expect(Math.abs(fq.mean - q)).toBeLessThan(5 * fq.se);
      const chi = mc((z) => sigmaW2 * df(s * z) ** 2);
      expect(Math.abs(chi.mean - r.chi1!)).toBeLessThan(5 * chi.se);
    });
  }

  it('tanh with N(0, 1) weights at width 784 (q* ≈ 761: φ′ is a spike of width 1/28 in z)', () => {
    const r = signalPropagation({ activation: 'tanh', weightStd: 1, width: 784, depth: 2 });
    const q = r.qStar!;
    const s = Math.sqrt(q);
    const fq = mc((z) => 784 * Math.tanh(s * z) ** 2);
    expect(Math.abs(fq.mean - q)).toBeLessThan(5 * fq.se);
    const chi = mc((z) => 784 * (1 - Math.tanh(s * z) ** 2) ** 2);
    expect(Math.abs(chi.mean - r.chi1!)).toBeLessThan(5 * chi.se);
    expect(r.regime).toBe('chaotic');
    // And against a 30-digit evaluation (mpmath, integration split at 0, ±1/√q, ±10/√q, ±1).
    // 128-node Gauss–Hermite alone gets χ₁ ≈ 0.0005 here.
    expect(rel(q, 761.3414556426261)).toBeLessThan(1e-14);
    expect(rel(r.chi1!, 15.110651112892057)).toBeLessThan(1e-14);
  });
});

describe('phases', () => {
  it('He initialisation + ReLU is exactly critical', () => {
    for (const initializer of ['heNormal', 'heUniform', 'kaimingNormal', 'kaimingUniform']) {
      const r = signalPropagation({ activation: 'relu', initializer, width: 64, depth: 10 });
      expect(r.sigmaW2).toBe(2);
      expect(r.chi1).toBe(1);
      expect(r.regime).toBe('critical');
      expect(r.depthScale).toBe(Number.POSITIVE_INFINITY);
      expect(rel(r.qStar!, 2)).toBeLessThan(1e-15);
      for (const g of r.gradientNormRatio) expect(g).toBe(1);
    }
  });

  it('Glorot and LeCun give σ_w² = 1 at equal fans; weightStd gives weightStd²·width', () => {
    for (const initializer of [
      'glorotNormal',
      'glorotUniform',
      'xavierNormal',
      'xavierUniform',
      'lecunNormal',
      'lecunUniform',
    ]) {
      expect(signalPropagation({ activation: 'tanh', initializer, width: 7, depth: 1 }).sigmaW2).toBe(1);
    }
    expect(signalPropagation({ activation: 'tanh', weightStd: 0.5, width: 12, depth: 1 }).sigmaW2).toBe(3);
  });

  it('tanh at σ_w² = 1, σ_b = 0 is critical with q* = 0 (q_l decays only like 1/(2l))', () => {
    const r = signalPropagation({ activation: 'tanh', sigmaW2: 1, width: 100, depth: 200 });
    expect(r.qStar).toBe(0);
    expect(r.chi1).toBe(1);
    expect(r.regime).toBe('critical');
    expect(r.depthScale).toBe(Number.POSITIVE_INFINITY);
    for (let l = 1; l < 200; l++) expect(r.q[l]).toBeLessThan(r.q[l - 1]);
    expect(rel(r.q[199], 1 / (2 * 199))).toBeLessThan(0.05);
  });

  it('tanh: σ_w² < 1 without bias is ordered at q* = 0, σ_w² > 1 chaotic at q* > 0', () => {
    const ordered = signalPropagation({ activation: 'tanh', sigmaW2: 0.8, width: 100, depth: 2 });
    expect(ordered.qStar).toBe(0);
    expect(rel(ordered.chi1!, 0.8)).toBeLessThan(1e-15);
    expect(ordered.regime).toBe('ordered');
    const chaotic = signalPropagation({ activation: 'tanh', sigmaW2: 2, width: 100, depth: 2 });
    expect(chaotic.qStar).toBeGreaterThan(0.5);
    expect(chaotic.regime).toBe('chaotic');
    expect(chaotic.depthScale).toBeLessThan(0);
  });

  it('SELU with LeCun initialisation: q* = 1 (self-normalising), but χ₁ = λ²(½ + α²e²Φ(−2)) ≈ 1.0716', () => {
    // E[selu(Z)²] = 1 is what λ and α were chosen for, so q* = 1. The gradient factor is not 1:
    // in this (infinitely wide, zero-mean weights) theory SELU is mildly chaotic.
    const r = signalPropagation({ activation: 'selu', initializer: 'lecunNormal', width: 100, depth: 30 });
    expect(Math.abs(r.qStar! - 1)).toBeLessThan(1e-12);
    expect(rel(r.chi1!, 1.0715749924557991)).toBeLessThan(1e-14);
    expect(r.regime).toBe('chaotic');
    for (const q of r.q) expect(Math.abs(q - 1)).toBeLessThan(1e-12);
  });

  it('gradientNormRatio is the product of the χ of the layers above', () => {
    const r = signalPropagation({
      activation: 'gelu',
      sigmaW2: 1.8,
      biasStd: 0.2,
      inputMeanSquare: 4,
      width: 10,
      depth: 12,
    });
    expect(r.gradientNormRatio[11]).toBe(1);
    for (let l = 0; l < 11; l++) {
      let p = 1;
      for (let k = l + 1; k < 12; k++) p *= r.chi[k];
      expect(rel(r.gradientNormRatio[l], p)).toBeLessThan(1e-14);
    }
    expect(rel(r.depthScale!, -1 / Math.log(r.chi1!))).toBeLessThan(1e-15);
  });

  it('every activation gives finite, non-negative results, also at q = 0 and when q overflows', () => {
    const names = [
      'linear',
      'sigmoid',
      'tanh',
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
    ];
    for (const activation of [...names, { name: 'leakyRelu', alpha: 0 }, { name: 'swish', beta: -2 }]) {
      for (const [sigmaW2, inputMeanSquare, biasStd] of [
        [1, 0, 0],
        [1e-3, 1, 0],
        [1e150, 1e150, 0],
        [3, 1e300, 1],
        [1e200, 1e200, 0],
      ]) {
        const r = signalPropagation({ activation, sigmaW2, inputMeanSquare, biasStd, width: 1, depth: 4 });
        for (const x of [...r.q, ...r.chi, ...r.gradientNormRatio]) {
          expect(Number.isNaN(x), `${JSON.stringify(activation)} σ_w² = ${sigmaW2}`).toBe(false);
          expect(x).toBeGreaterThanOrEqual(0);
        }
        if (r.chi1 !== null) expect(Number.isFinite(r.chi1)).toBe(true);
      }
    }
  });

  it('aliases resolve to canonical names', () => {
    expect(signalPropagation({ activation: 'leaky_relu', sigmaW2: 1, width: 1, depth: 1 }).activation).toBe(
      'leakyRelu',
    );
    expect(
      signalPropagation({ activation: { name: 'identity' }, sigmaW2: 1, width: 1, depth: 1 }).activation,
    ).toBe('linear');
  });
});

describe('argument checks', () => {
  const base = { activation: 'tanh', sigmaW2: 1, width: 10, depth: 3 };
  it('needs exactly one of weightStd, initializer, sigmaW2', () => {
    expect(() => signalPropagation({ activation: 'tanh', width: 10, depth: 3 })).toThrow(TypeError);
    expect(() => signalPropagation({ activation: 'tanh', width: 10, depth: 3 })).toThrow(
      /weightStd, initializer or sigmaW2/,
    );
    expect(() => signalPropagation({ ...base, weightStd: 0.1 })).toThrow(RangeError);
    expect(() => signalPropagation({ ...base, weightStd: 0.1 })).toThrow(/weightStd and sigmaW2/);
  });
  it('rejects unknown options and non-objects', () => {
    expect(() => signalPropagation({ ...base, foo: 1 } as never)).toThrow(/Unknown option 'foo'/);
    expect(() => signalPropagation(null as never)).toThrow(TypeError);
    expect(() => signalPropagation(undefined as never)).toThrow(TypeError);
  });
  it('checks width, depth, stds and inputMeanSquare', () => {
    expect(() => signalPropagation({ ...base, width: 0 })).toThrow(/width/);
    expect(() => signalPropagation({ ...base, width: 2.5 })).toThrow(RangeError);
    expect(() => signalPropagation({ ...base, depth: '3' as never })).toThrow(TypeError);
    expect(() => signalPropagation({ ...base, depth: 0 })).toThrow(/depth/);
    expect(() => signalPropagation({ ...base, biasStd: -1 })).toThrow(/biasStd/);
    expect(() => signalPropagation({ ...base, sigmaW2: Number.NaN })).toThrow(/sigmaW2/);
    expect(() => signalPropagation({ ...base, sigmaW2: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => signalPropagation({ activation: 'tanh', weightStd: -0.1, width: 10, depth: 3 })).toThrow(
      /weightStd/,
    );
    expect(() => signalPropagation({ activation: 'tanh', weightStd: 1e200, width: 10, depth: 3 })).toThrow(
      /weightStd/,
    );
    expect(() => signalPropagation({ ...base, inputMeanSquare: -1 })).toThrow(/inputMeanSquare/);
  });
  it('checks the initializer and the activation', () => {
    expect(() =>
      signalPropagation({ activation: 'tanh', initializer: 'orthogonal', width: 10, depth: 3 }),
    ).toThrow(/initializer/);
    expect(() => signalPropagation({ ...base, activation: 'softmax' })).toThrow(RangeError);
    expect(() => signalPropagation({ ...base, activation: 'softmax' })).toThrow(/element-wise/);
    expect(() => signalPropagation({ ...base, activation: 'swishy' })).toThrow(RangeError);
    expect(() => signalPropagation({ ...base, activation: 3 as never })).toThrow(TypeError);
    expect(() => signalPropagation({ ...base, activation: { name: 'tanh', alpha: 1 } })).toThrow(/alpha/);
    expect(() => signalPropagation({ ...base, activation: { name: 'elu', alpha: Number.NaN } })).toThrow(
      /alpha/,
    );
    expect(() => signalPropagation({ ...base, activation: { name: 'relu', beta: 1 } })).toThrow(/beta/);
    expect(() => signalPropagation({ ...base, activation: { name: 'relu', gamma: 1 } as never })).toThrow(
      /gamma/,
    );
  });
  it('gaussianExpectation wants a function', () => {
    expect(() => gaussianExpectation(1 as never)).toThrow(TypeError);
  });
});
