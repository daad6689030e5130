/**
 * Mean-field signal propagation (Poole et al. 2016, "Exponential expressivity in deep neural
 * networks through transient chaos"; Schoenholz et al. 2017, "Deep information propagation")
 * for a deep fully connected net of equal widths N, weights W_ij ~ N(0, σ_w²/N), biases
 * b_i ~ N(0, σ_b²) and the same element-wise activation φ in every layer.
 *
 * As N → ∞ the pre-activations of layer l are N(0, q_l), with (Z ~ N(0, 1))
 *
 *   q_0 = σ_w² · E[x²] + σ_b²,          q_l = σ_w² · E[φ(√q_{l−1} Z)²] + σ_b²,
 *
 * and, with the gradient-independence assumption of Schoenholz et al., the mean squared
 * gradient with respect to a layer's input is χ_l = σ_w² · E[φ'(√q_l Z)²] times the one with
 * respect to its output. At the fixed point q* of the q-map, χ₁ = χ(q*) decides the phase:
 * gradients vanish geometrically (ordered, χ₁ < 1), explode (chaotic, χ₁ > 1), or neither
 * (critical, χ₁ = 1), over a depth scale ξ = −1/ln χ₁.
 *
 * Numerics. Two quadratures, for two kinds of integrand:
 *
 * - {@link gaussianExpectation}: 128-node Gauss–Hermite for the weight e^{−z²/2}, nodes and
 *   weights computed here. Exact to rounding for polynomials of degree ≤ 255 (E[Z⁸⁰] to 1e-15
 *   relative) and for integrands analytic in a wide strip around the real axis (E[cos Z] to
 *   1e-16), but its error grows like e^{−d√(2n)} as singularities come within d of the axis:
 *   tanh's poles at ±iπ/2 leave 1.2e-13 on E[tanh² Z] and 9e-12 on E[sech⁴ Z]. It is not
 *   used for the activation integrals, because it cannot resolve them: φ(√q z) varies on the
 *   scale 1/√q in z, while the nodes are 0.28 apart near 0 (with N(0, 1) weights at width 784,
 *   tanh has q* ≈ 761 and Gauss–Hermite gives χ₁ ≈ 0.0005 for 15.1), and a kink at 0 that is
 *   not antisymmetric costs it algebraic convergence (E|Z| is off by 2.6e-3).
 *
 * - The activation integrals E[g(√q Z)]: composite 20-point Gauss–Legendre on [0, 10] for
 *   g(√q z) + g(−√q z), in panels [0, 2^−K], [2^−K, 2^{1−K}], …, [½, 1], [1, 2], …, [9, 10],
 *   with 2^−K ≤ ℓ/√q for the activation's feature length ℓ (the distance of its complex
 *   singularities from the real axis, e.g. π/2 for tanh). The breakpoint at 0 makes every kink
 *   a panel end, and the geometric grading keeps every panel near 0 no wider than its distance
 *   to the singularities, so each panel converges geometrically whatever q is. Truncating at
 *   |z| = 10 drops < 1e-20 relative (φ² grows at most like x²). Measured for q from 1e-8 to
 *   1e12: against closed forms (linear, ReLU, leaky ReLU, ELU, SELU; erf, for which
 *   E[erf(√q Z)²] = (2/π) asin(2q/(1 + 2q)), a steep integrand for large q) relative error
 *   ≤ 1.5e-15; every activation against a rule with twice the points, half-width tail panels
 *   and three more grading levels: ≤ 6e-15.
 *
 * The erf and erfc that GELU needs are computed here too (Maclaurin series, Taylor series about
 * tabulated centres, Laplace's continued fraction). Measured on 4000 random points each against
 * 40-digit references: erf ≤ 1 ulp on [−6, 6], erfc ≤ 3 ulp on [−6, 27].
 */
import * as v from '../validate.js';

// ---------------------------------------------------------------------------------------------
// erf, erfc, Φ

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2/√π
const ONE_OVER_SQRT_PI = 0.5641895835477563; // 1/√π
const ONE_OVER_SQRT_2PI = 0.3989422804014327; // 1/√(2π)

/**
 * e^{−c·x²} for c = 1 or ½, without the relative error c·x²·2^−53 that rounding x² first would
 * cost (2.5e-14 at x = 15): x = h + l with h holding 20 fraction bits, so that c·h² is exact
 * for |x| < 32 and x² = h² + l(x + h), the second term below 2^−19·|x| and so rounded harmlessly.
 */
function expNegSquare(x: number, c = 1): number {
  const h = Math.trunc(x * 1048576) / 1048576;
  const l = x - h;
  return Math.exp(-c * h * h) * Math.exp(-c * l * (x + h));
}

/**
 * erf for |x| < 0.5 by its Maclaurin series (2/√π) Σ (−1)ⁿ x^{2n+1} / (n!(2n+1)): terms fall by
 * x² ≤ ¼ per step. Summed smallest first, and the leading x added last, so only the last
 * addition and the multiplication by 2/√π round at the scale of the result.
 */
function erfSmall(x: number): number {
  const x2 = x * x;
  const terms: number[] = [];
  let term = x; // (−1)ⁿ x^{2n+1} / n!
  for (let n = 1; n < 30; n++) {
    term *= -x2 / n;
    const t = term / (2 * n + 1);
    if (Math.abs(t) < 1e-18 * Math.abs(x)) break;
    terms.push(t);
  }
  let sum = 0;
  for (let i = terms.length - 1; i >= 0; i--) sum += terms[i];
  return TWO_OVER_SQRT_PI * x + TWO_OVER_SQRT_PI * sum;
}

/** erf and erfc at the centres 0.625, 0.875, 1.125, 1.375 (correctly rounded, from 40 digits). */
const ERF_CENTRES = [0.623240882188418, 0.7840750610598597, 0.8883882317017078, 0.9481700727820903];
const ERFC_CENTRES = [0.376759117811582, 0.21592493894014034, 0.11161176829829224, 0.051829927217909674];

/**
 * erf(x) − erf(c) for |x − c| ≤ 1/8 by Taylor's series: the n-th derivative of erf is
 * (2/√π)(−1)^{n−1} H_{n−1}(x) e^{−x²} with the physicists' Hermite polynomials, so
 * erf(c + h) − erf(c) = (2/√π) e^{−c²} Σ_{n≥1} (−1)^{n−1} H_{n−1}(c) hⁿ/n!. Terms fall at
 * least 4× per step for |h| ≤ 1/8. The increment is at most 0.11, so rounding in it costs a
 * fraction of an ulp of erf(c) + increment (the series summed directly from 0 would lose ~5 ulp
 * here, its terms several times larger than the sum).
 */
function erfIncrement(c: number, h: number): number {
  let hPrev = 0; // H_{n−2}(c)
  let hCur = 1; // H_{n−1}(c)
  let power = h; // (−1)^{n−1} hⁿ / n!
  let sum = 0;
  for (let n = 1; n < 40; n++) {
    const t = hCur * power;
    sum += t;
    if (Math.abs(t) <= 1e-18 * Math.abs(sum)) break;
    const hNext = 2 * c * hCur - 2 * (n - 1) * hPrev;
    hPrev = hCur;
    hCur = hNext;
    power *= -h / (n + 1);
  }
  return TWO_OVER_SQRT_PI * Math.exp(-c * c) * sum;
}

/** Index of the Taylor centre for 0.5 ≤ x < 1.5, and x minus that centre. */
function centre(x: number): [number, number] {
  const i = Math.min(3, Math.floor((x - 0.5) * 4));
  return [i, x - (0.625 + 0.25 * i)];
}

/**
 * erfc for x ≥ 1.5 by Laplace's continued fraction
 * erfc x = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated backward from a
 * depth of 250/x² + 12 terms (more than the forward Lentz iteration needs for 1e-17 at every
 * x ≥ 1.5: 91 terms at 1.5, 33 at 3, 17 at 6). Backward, each rounding is damped by the
 * steps after it, where the forward evaluation multiplies up all of them.
 */
function erfcLarge(x: number): number {
  if (x > 30) return 0; // below the smallest subnormal from x ≈ 27.3 on
  const depth = Math.ceil(250 / (x * x)) + 12;
  let t = x;
  for (let n = depth; n >= 1; n--) t = x + n / 2 / t;
  return (ONE_OVER_SQRT_PI * expNegSquare(x)) / t;
}

/**
 * The error function, float64. Measured against 40-digit references on a dense sweep of
 * [−6, 6]: ≤ 2 ulp. @internal exported for tests
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  let r: number;
  if (ax < 0.5) return erfSmall(x);
  if (ax < 1.5) {
    const [i, h] = centre(ax);
    r = ERF_CENTRES[i] + erfIncrement(0.625 + 0.25 * i, h);
  } else r = 1 - erfcLarge(ax);
  return x < 0 ? -r : r;
}

/**
 * The complementary error function, float64, with relative accuracy also in the tail (where
 * 1 − erf would cancel): ≤ 2 ulp measured on [−6, 27] (it underflows beyond 27.2).
 * @internal exported for tests
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x < 0.5) return 1 - erf(x); // erfc ≥ 0.48 here: no cancellation worth the name
  if (x < 1.5) {
    const [i, h] = centre(x);
    return ERFC_CENTRES[i] - erfIncrement(0.625 + 0.25 * i, h);
  }
  return erfcLarge(x);
}

/**
 * Φ, the standard normal CDF: ½ erfc(−x/√2). Relative error ≲ (1 + x²/2)·2^−53 for x < 0 (the
 * division by √2 rounds the argument), absolute error ≤ 2^−53 everywhere.
 * @internal exported for tests
 */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

// ---------------------------------------------------------------------------------------------
// Gauss–Hermite

/**
 * 128 nodes: degree of exactness 255, enough that every smooth integrand a test or a user is
 * likely to pass (moments of order ≤ 60, e^{tz}, cos) is integrated to rounding, while the rule
 * costs 64 evaluation pairs. Even, so that no node sits at 0 and the nodes come in ± pairs:
 * odd integrands sum to exactly 0, and an integrand with a jump at 0 (1{z > 0}) gets exactly ½.
 */
const HERMITE_NODES = 128;

interface HalfRule {
  /** Positive nodes. */
  z: Float64Array;
  /** Their weights (each node's mirror −z has the same one). */
  w: Float64Array;
}

let hermiteCache: HalfRule | undefined;

/**
 * Gauss–Hermite rule for E[f(Z)], Z ~ N(0, 1). The nodes are the eigenvalues of the Jacobi
 * matrix of the orthonormal Hermite polynomials (zero diagonal, off-diagonal √k), isolated by
 * Sturm-sequence bisection (robust, no starting guesses), then polished by Newton on the
 * three-term recurrence; weights are the Christoffel numbers 1/Σ_{k<n} p_k(z)², which stay
 * accurate relative to themselves even for the outermost (1e-102 at z = 21.6).
 */
function hermiteRule(): HalfRule {
  if (hermiteCache) return hermiteCache;
  const n = HERMITE_NODES;
  // Eigenvalues of J below x: the count of negative pivots of J − xI.
  const below = (x: number): number => {
    let count = 0;
    let d = 1;
    for (let k = 0; k < n; k++) {
      d = -x - (k === 0 ? 0 : k / d);
      if (d === 0) d = -1e-300;
      if (d < 0) count++;
    }
    return count;
  };
  // Orthonormal p_n(x), p_{n−1}(x) and Σ_{k<n} p_k(x)².
  const evaluate = (x: number): { pn: number; pn1: number; sumSq: number } => {
    let p0 = 0;
    let p1 = 1;
    let sumSq = 0;
    for (let k = 0; k < n; k++) {
      sumSq += p1 * p1;
      const p2 = (x * p1 - Math.sqrt(k) * p0) / Math.sqrt(k + 1);
      p0 = p1;
      p1 = p2;
    }
    return { pn: p1, pn1: p0, sumSq };
  };
  const half = n / 2;
  const z = new Float64Array(half);
  const w = new Float64Array(half);
  const bound = 2 * Math.sqrt(n); // Gershgorin: |λ| ≤ √(n−1) + √(n−2)
  let lo = 0;
  for (let i = 0; i < half; i++) {
    const index = half + i; // ascending index among all n eigenvalues
    let a = lo;
    let b = bound;
    for (let it = 0; it < 200 && b - a > 2 * Number.EPSILON * b; it++) {
      const m = 0.5 * (a + b);
      if (below(m) > index) b = m;
      else a = m;
    }
    let x = 0.5 * (a + b);
    for (let it = 0; it < 3; it++) {
      const { pn, pn1 } = evaluate(x);
      const step = pn / (Math.sqrt(n) * pn1); // p_n' = √n p_{n−1}
      if (!Number.isFinite(step) || Math.abs(step) > b - a + 4 * Number.EPSILON * x) break;
      x -= step;
    }
    z[i] = x;
    w[i] = 1 / evaluate(x).sumSq;
    lo = b;
  }
  normalizeHalf(w);
  hermiteCache = { z, w };
  return hermiteCache;
}

/**
 * E[f(Z)] for Z ~ N(0, 1) by 128-node Gauss–Hermite quadrature (see the module comment for its
 * accuracy: meant for smooth f; the activation integrals use a composite rule instead).
 */
export function gaussianExpectation(f: (z: number) => number): number {
  if (typeof f !== 'function') throw v.typeError('a function', 'f', f);
  const { z, w } = hermiteRule();
  // Smallest weights first, so they are not lost against the large ones.
  let sum = 0;
  for (let i = z.length - 1; i >= 0; i--) sum += w[i] * (f(z[i]) + f(-z[i]));
  return sum;
}

// ---------------------------------------------------------------------------------------------
// Composite Gauss–Legendre for E[g(√q Z)]

/** Points per panel. For a panel no wider than its distance to the nearest singularity, the
 * error falls like ρ^{−40} with a Bernstein-ellipse parameter ρ ≳ 3: below 1e-17. */
const LEGENDRE_POINTS = 20;
/** Truncation of the Gaussian: e^{−50}·10² ≈ 2e-20 relative for integrands growing like z². */
const Z_MAX = 10;
/** Finest grading level. Beyond it (√q > 2^60·ℓ) φ's features are not resolved, but all of
 * them lie in the panel [0, 2^−60], whose Gaussian mass is 3e-19. */
const MAX_LEVEL = 60;

let legendreCache: HalfRule | undefined;

/** Gauss–Legendre on [−1, 1] (positive half), by Newton on the Legendre recurrence. */
function legendreRule(): HalfRule {
  if (legendreCache) return legendreCache;
  const n = LEGENDRE_POINTS;
  const half = n / 2;
  const z = new Float64Array(half);
  const w = new Float64Array(half);
  for (let i = 0; i < half; i++) {
    // The usual asymptotic estimate of the i-th largest root, then Newton.
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 1;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / dp;
      x -= step;
      if (Math.abs(step) <= 1e-16) break;
    }
    z[half - 1 - i] = x;
    w[half - 1 - i] = 2 / ((1 - x * x) * dp * dp);
  }
  legendreCache = { z, w };
  return legendreCache;
}

const panelCache = new Map<number, HalfRule>();

/**
 * Nodes z > 0 and weights (Gaussian density included) of the composite rule on [0, Z_MAX]
 * graded down to 2^−level (see the module comment).
 */
function halfLineRule(level: number): HalfRule {
  const cached = panelCache.get(level);
  if (cached) return cached;
  const edges: number[] = [0];
  for (let k = level; k >= 1; k--) edges.push(2 ** -k);
  for (let e = 1; e <= Z_MAX; e++) edges.push(e);
  const gl = legendreRule();
  const m = gl.z.length;
  const panels = edges.length - 1;
  const z = new Float64Array(panels * 2 * m);
  const w = new Float64Array(panels * 2 * m);
  let j = 0;
  for (let p = 0; p < panels; p++) {
    const mid = 0.5 * (edges[p] + edges[p + 1]);
    const hw = 0.5 * (edges[p + 1] - edges[p]);
    for (let i = 0; i < m; i++) {
      for (const s of [-1, 1]) {
        const x = mid + s * hw * gl.z[i];
        z[j] = x;
        w[j] = hw * gl.w[i] * ONE_OVER_SQRT_2PI * expNegSquare(x, 0.5);
        j++;
      }
    }
  }
  normalizeHalf(w);
  const rule = { z, w };
  panelCache.set(level, rule);
  return rule;
}

/** Grading level for variance q and feature length ℓ: the first panel no wider than ℓ/√q. */
function levelFor(q: number, scale: number): number {
  if (scale === Number.POSITIVE_INFINITY) return 0;
  const s = scale / Math.sqrt(q);
  if (!(s < 1)) return 0;
  return Math.min(MAX_LEVEL, Math.ceil(-Math.log2(s)));
}

/**
 * E[g(√q Z)] for Z ~ N(0, 1) by the composite rule; `scale` is the length in x over which g
 * varies (Infinity for positively homogeneous g). At q = 0 it returns the mean of g at ±0⁺,
 * the limit q → 0⁺ also for g with a jump at 0.
 * @internal exported for tests
 */
export function scaledGaussianExpectation(g: (x: number) => number, q: number, scale = 1): number {
  return accumulate(q, scale, (x, out) => {
    out[0] = g(x);
    out[1] = 0;
  })[0];
}

/** E[g₀(√q Z)] and E[g₁(√q Z)] over the composite rule, `evaluate` writing g₀(x), g₁(x) to out. */
function accumulate(
  q: number,
  scale: number,
  evaluate: (x: number, out: Float64Array) => void,
): Float64Array {
  const plus = new Float64Array(2);
  const minus = new Float64Array(2);
  const sums = new Float64Array(2);
  if (q === 0) {
    evaluate(Number.MIN_VALUE, plus);
    evaluate(-Number.MIN_VALUE, minus);
    sums[0] = 0.5 * (plus[0] + minus[0]);
    sums[1] = 0.5 * (plus[1] + minus[1]);
    return sums;
  }
  const r = Math.sqrt(q);
  const { z, w } = halfLineRule(levelFor(q, scale));
  // Tail nodes first: small terms before large ones.
  for (let i = z.length - 1; i >= 0; i--) {
    const x = r * z[i];
    evaluate(x, plus);
    evaluate(-x, minus);
    sums[0] += w[i] * (plus[0] + minus[0]);
    sums[1] += w[i] * (plus[1] + minus[1]);
  }
  return sums;
}

/**
 * Nudges the largest weight until the weights, summed from the last to the first as the
 * quadratures sum them, give exactly ½: the rule's true mass on the half-line (1e-23 less for
 * the truncated composite rule), so that E[1{Z > 0}] comes out as exactly ½ and ReLU with
 * σ_w² = 2 as exactly critical.
 */
function normalizeHalf(w: Float64Array): void {
  let big = 0;
  for (let i = 1; i < w.length; i++) if (w[i] > w[big]) big = i;
  for (let it = 0; it < 8; it++) {
    let sum = 0;
    for (let i = w.length - 1; i >= 0; i--) sum += w[i];
    if (sum === 0.5) return;
    w[big] += 0.5 - sum;
  }
}

// ---------------------------------------------------------------------------------------------
// Activations

/** An activation's float64 f and f′ (and the length over which it varies, for the quadrature). @internal */
export interface ActivationFn {
  name: string;
  f: (x: number) => number;
  df: (x: number) => number;
  /** Length in x over which f varies: the distance from 0 to its complex singularities, or
   * the decay length of its exponentials; Infinity when f is positively homogeneous. */
  scale: number;
}

const SELU_LAMBDA = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;
const SQRT_2_OVER_PI = 0.7978845608028654; // √(2/π)

/** σ(t) without overflow for either sign. */
function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/** σ(t)σ(−t) = σ'(t), accurate relative to itself in both tails. */
function sigmoidPrime(t: number): number {
  const e = Math.exp(-Math.abs(t));
  return e / ((1 + e) * (1 + e));
}

/** softplus(x) = ln(1 + eˣ) without overflow or cancellation. */
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** sech²(y) for y ≥ 0 (or any y), relative accuracy in the tail: 4e^{−2|y|}/(1+e^{−2|y|})². */
function sech2(y: number): number {
  return 4 * sigmoidPrime(2 * y);
}

// Beyond |x| = 40 the smooth ReLU-likes equal x or 0 to the last bit of float64 (their
// corrections are e^{−40} or smaller relative); cutting there also keeps ±∞ (reached when q
// overflows) from producing ∞·0.
const SAT = 40;

function makeActivation(name: string, alpha: number, beta: number): ActivationFn {
  switch (name) {
    case 'linear':
      return { name, f: (x) => x, df: () => 1, scale: Number.POSITIVE_INFINITY };
    case 'sigmoid':
      // Poles at ±iπ.
      return { name, f: sigmoid, df: sigmoidPrime, scale: 1 };
    case 'tanh':
      // Poles at ±iπ/2.
      return { name, f: Math.tanh, df: sech2, scale: 0.5 };
    case 'relu':
      return {
        name,
        f: (x) => Math.max(x, 0),
        df: (x) => (x > 0 ? 1 : 0),
        scale: Number.POSITIVE_INFINITY,
      };
    case 'leakyRelu':
      return {
        name,
        f: (x) => (x > 0 ? x : alpha === 0 ? 0 : alpha * x), // 0·(−∞) would be NaN
        df: (x) => (x > 0 ? 1 : alpha),
        scale: Number.POSITIVE_INFINITY,
      };
    case 'elu':
      return {
        name,
        f: (x) => (x > 0 ? x : alpha * Math.expm1(x)),
        df: (x) => (x > 0 ? 1 : alpha * Math.exp(x)),
        scale: 1,
      };
    case 'selu':
      return {
        name,
        f: (x) => SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
        df: (x) => SELU_LAMBDA * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x)),
        scale: 1,
      };
    case 'gelu':
      return {
        name,
        f: (x) => (x > SAT ? x : x < -SAT ? 0 : x * normalCdf(x)),
        df: (x) =>
          x > SAT ? 1 : x < -SAT ? 0 : normalCdf(x) + x * ONE_OVER_SQRT_2PI * Math.exp(-0.5 * x * x),
        scale: 1,
      };
    case 'geluTanh': {
      // ½x(1 + tanh u) = x·σ(2u): no cancellation for x ≪ 0. The poles of tanh u, where the
      // cubic u(x) = iπ(m + ½), are at x ≈ ±0.63 ± 2.75i, ±3.10 ± 3.26i, …
      const k = 0.044715;
      return {
        name,
        f: (x) => (x > SAT ? x : x < -SAT ? 0 : x * sigmoid(2 * SQRT_2_OVER_PI * (x + k * x * x * x))),
        df: (x) => {
          if (x > SAT) return 1;
          if (x < -SAT) return 0;
          const t = 2 * SQRT_2_OVER_PI * (x + k * x * x * x);
          return sigmoid(t) + x * sigmoidPrime(t) * 2 * SQRT_2_OVER_PI * (1 + 3 * k * x * x);
        },
        scale: 1,
      };
    }
    case 'swish':
    case 'silu': {
      if (beta === 0) return { name, f: (x) => 0.5 * x, df: () => 0.5, scale: Number.POSITIVE_INFINITY };
      // x·σ(βx): poles of σ at βx = ±iπ, so the length is 1/|β|.
      const cut = (t: number) => (t > 745 ? 1 : t < -745 ? -1 : 0);
      return {
        name,
        f: (x) => {
          const t = beta * x;
          const c = cut(t);
          return c > 0 ? x : c < 0 ? 0 : x * sigmoid(t);
        },
        df: (x) => {
          const t = beta * x;
          const c = cut(t);
          return c > 0 ? 1 : c < 0 ? 0 : sigmoid(t) + t * sigmoidPrime(t);
        },
        scale: 1 / Math.abs(beta),
      };
    }
    case 'softplus':
      // Branch points at ±iπ.
      return { name, f: softplus, df: sigmoid, scale: 1 };
    case 'mish':
      // Poles where softplus x = ±iπ/2: x = ln √2 ± 3iπ/4.
      return {
        name,
        f: (x) => (x > SAT ? x : x < -745 ? 0 : x * Math.tanh(softplus(x))),
        df: (x) => {
          if (x > SAT) return 1;
          if (x < -745) return 0;
          const sp = softplus(x);
          return Math.tanh(sp) + x * sech2(sp) * sigmoid(x);
        },
        scale: 1,
      };
  }
  throw new Error(`unreachable: activation ${name}`);
}

const ACTIVATION_NAMES = [
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
] as const;

/** The spellings `resolveActivation` in lib/activations.ts also accepts. */
const ALIASES: Record<string, string> = {
  none: 'linear',
  identity: 'linear',
  leaky_relu: 'leakyRelu',
  gelu_tanh: 'geluTanh',
};

/** @internal float64 f, f′ of an activation name or { name, alpha, beta } */
export function activationFunction(spec: unknown): ActivationFn {
  const what = 'an activation name or { name, alpha?, beta? }';
  let raw: unknown;
  let o: { alpha?: unknown; beta?: unknown } = {};
  let field = 'activation';
  if (typeof spec === 'string') raw = spec;
  else if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
    o = v.options('activation', spec, ['name', 'alpha', 'beta']);
    raw = (o as { name?: unknown }).name;
    field = 'activation.name';
  } else throw v.typeError(what, 'activation', spec);
  const name = typeof raw === 'string' && ALIASES[raw] ? ALIASES[raw] : raw;
  if (name === 'softmax') {
    throw new RangeError(
      'softmax is not element-wise: the mean-field theory covers element-wise activations only (in activation)',
    );
  }
  const act = v.oneOf(field, name, ACTIVATION_NAMES);
  const takesAlpha = act === 'leakyRelu' || act === 'elu';
  const takesBeta = act === 'swish' || act === 'silu';
  if (o.alpha !== undefined && !takesAlpha) throw new RangeError(`Activation '${act}' takes no alpha`);
  if (o.beta !== undefined && !takesBeta) throw new RangeError(`Activation '${act}' takes no beta`);
  const alpha = takesAlpha
    ? v.finiteNumber('activation.alpha', o.alpha ?? (act === 'leakyRelu' ? 0.2 : 1))
    : 0;
  const beta = takesBeta ? v.finiteNumber('activation.beta', o.beta ?? 1) : 1;
  return makeActivation(act, alpha, beta);
}

// ---------------------------------------------------------------------------------------------
// The theory

/** Options of {@link signalPropagation}. */
export interface SignalPropagationOptions {
  /** Activation of every layer: a name, or `{ name, alpha?, beta? }` (leakyRelu α = 0.2, elu
   * α = 1, swish/silu β = 1 by default). softmax is refused: it is not element-wise. */
  activation: string | { name: string; alpha?: number; beta?: number };
  /** Per-element standard deviation of W; σ_w² = weightStd² · width. */
  weightStd?: number;
  /** Alternative to weightStd, with fanIn = fanOut = width: Var(W) = 2/(fanIn + fanOut) for
   * glorot/xavier (σ_w² = 1), 2/fanIn for he/kaiming (σ_w² = 2), 1/fanIn for lecun (σ_w² = 1);
   * the uniform variants have the same variance as the normal ones. */
  initializer?: string;
  /** Alternative to weightStd: σ_w² directly. */
  sigmaW2?: number;
  /** Standard deviation of the biases (default 0). */
  biasStd?: number;
  /** Units per layer (integer ≥ 1); only converts weightStd to σ_w². */
  width: number;
  /** Layers (integer in [1, 100000]). */
  depth: number;
  /**
   * Mean of x² over the input's features (default 1). The first layer is given the same σ_w²
   * as the others, which is right for fan-in-scaled initializers whatever the input size; with
   * weightStd, an input of d ≠ width features needs inputMeanSquare · d / width here.
   */
  inputMeanSquare?: number;
}

/** Result of {@link signalPropagation}. Layer 0 is the one next to the input. */
export interface SignalPropagation {
  /** Canonical activation name. */
  activation: string;
  sigmaW2: number;
  sigmaB2: number;
  /** q_l, the variance of layer l's pre-activations (Infinity once it overflows float64). */
  q: number[];
  /** χ_l = σ_w² E[φ'(√q_l Z)²]: mean squared gradient w.r.t. layer l's input over that w.r.t.
   * its output. */
  chi: number[];
  /**
   * Predicted mean squared gradient w.r.t. layer l's output (∂L/∂a_l, the gradient layer l
   * receives) over the same for the last layer: Π_{k>l} χ_k, 1 for the last layer. Mean
   * squares and squared norms agree since all widths are equal. (The weight gradient
   * ∂L/∂W_l = δ_l a_{l−1}ᵀ carries a further factor χ_l/σ_w² · E[a_{l−1}²], which is constant
   * once q_l has reached q*.)
   */
  gradientNormRatio: number[];
  /** Fixed point of the q-map reached from q_0; 0 when q collapses to 0, null when it diverges. */
  qStar: number | null;
  /** χ at q* (the limit q → 0⁺ when q* = 0); null when q* is. */
  chi1: number | null;
  /** χ₁ < 1 − 1e-6: ordered; χ₁ > 1 + 1e-6: chaotic; else critical. */
  regime: 'ordered' | 'critical' | 'chaotic' | null;
  /**
   * ξ = −1/ln χ₁: squared gradients change by a factor e every |ξ| layers, shrinking going down
   * when ξ > 0 (ordered), growing when ξ < 0 (chaotic); Infinity at χ₁ = 1 exactly.
   */
  depthScale: number | null;
}

const OPTION_KEYS = [
  'activation',
  'weightStd',
  'initializer',
  'sigmaW2',
  'biasStd',
  'width',
  'depth',
  'inputMeanSquare',
] as const;

/** σ_w² = Var(W) · width for each initializer, with fanIn = fanOut = width. */
const INITIALIZER_SIGMA_W2: Record<string, number> = {
  glorotNormal: 1,
  glorotUniform: 1,
  xavierNormal: 1,
  xavierUniform: 1,
  heNormal: 2,
  heUniform: 2,
  kaimingNormal: 2,
  kaimingUniform: 2,
  lecunNormal: 1,
  lecunUniform: 1,
};

const MAX_DEPTH = 100_000;
/** Iterations of the q-map before switching to bracketing (the q-map contracts by F'(q*) per
 * step, so 1000 steps settle any F'(q*) ≤ 0.97 to 1e-12). */
const MAX_ITERATIONS = 1000;
const REL_TOL = 1e-12;
/** Larger q counts as divergence: φ(√q z)² overflows float64 near 1e308 anyway. */
const Q_MAX = 1e300;
const CRITICAL_BAND = 1e-6;

function nonNegative(name: string, value: unknown): number {
  return v.numberIn(name, value, 0, Number.POSITIVE_INFINITY, { maxOpen: true });
}

/**
 * Mean-field predictions for a deep fully connected net at initialisation: per-layer
 * pre-activation variance q_l and gradient growth χ_l, the q-map's fixed point q*, χ₁ = χ(q*),
 * the phase (ordered / critical / chaotic) and the depth scale.
 * @example
 * signalPropagation({ activation: 'relu', initializer: 'heNormal', width: 256, depth: 20 });
 * // χ₁ = 1: critical, gradients neither vanish nor explode
 */
export function signalPropagation(options: SignalPropagationOptions): SignalPropagation {
  if (options === undefined) throw v.typeError('an options object', 'signalPropagation options', options);
  const o = v.options('signalPropagation options', options, OPTION_KEYS);
  const act = activationFunction(o.activation);
  const width = v.integer('width', o.width, 1, v.MAX_ELEMENTS);
  const depth = v.integer('depth', o.depth, 1, MAX_DEPTH);

  const given = (['weightStd', 'initializer', 'sigmaW2'] as const).filter((k) => o[k] !== undefined);
  if (given.length === 0) {
    throw v.typeError(
      'exactly one of weightStd, initializer or sigmaW2',
      'signalPropagation options',
      options,
    );
  }
  if (given.length > 1) {
    throw v.rangeError(
      `exactly one of weightStd, initializer or sigmaW2, not ${given.join(' and ')},`,
      'signalPropagation options',
      options,
    );
  }
  let sigmaW2: number;
  if (o.weightStd !== undefined) {
    const std = nonNegative('weightStd', o.weightStd);
    sigmaW2 = std * std * width;
    if (!Number.isFinite(sigmaW2)) {
      throw v.rangeError('a standard deviation with weightStd² · width finite', 'weightStd', std);
    }
  } else if (o.initializer !== undefined) {
    sigmaW2 = INITIALIZER_SIGMA_W2[v.oneOf('initializer', o.initializer, Object.keys(INITIALIZER_SIGMA_W2))];
  } else sigmaW2 = nonNegative('sigmaW2', o.sigmaW2);
  const biasStd = o.biasStd === undefined ? 0 : nonNegative('biasStd', o.biasStd);
  const sigmaB2 = biasStd * biasStd;
  if (!Number.isFinite(sigmaB2))
    throw v.rangeError('a standard deviation with a finite square', 'biasStd', biasStd);
  const inputMeanSquare =
    o.inputMeanSquare === undefined ? 1 : nonNegative('inputMeanSquare', o.inputMeanSquare);

  // E[φ(√q Z)²] and E[φ'(√q Z)²] in one pass.
  const moments = (q: number): Float64Array =>
    accumulate(q, act.scale, (x, out) => {
      const y = act.f(x);
      const d = act.df(x);
      out[0] = y * y;
      out[1] = d * d;
    });
  const qMap = (q: number): number => sigmaW2 * moments(q)[0] + sigmaB2;
  const chiOf = (q: number): number => sigmaW2 * moments(q)[1];

  // Per layer.
  const q: number[] = new Array(depth);
  const chi: number[] = new Array(depth);
  q[0] = sigmaW2 * inputMeanSquare + sigmaB2;
  if (!Number.isFinite(q[0])) q[0] = Number.POSITIVE_INFINITY;
  for (let l = 0; l < depth; l++) {
    if (l > 0 && q[l] === q[l - 1]) {
      // Converged to the last bit: reuse instead of recomputing.
      chi[l] = chi[l - 1];
      if (l + 1 < depth) q[l + 1] = q[l];
      continue;
    }
    const m = moments(q[l]);
    chi[l] = sigmaW2 * m[1];
    if (l + 1 < depth) {
      const next = sigmaW2 * m[0] + sigmaB2;
      q[l + 1] = Number.isFinite(next) ? next : Number.POSITIVE_INFINITY;
    }
  }
  const gradientNormRatio: number[] = new Array(depth);
  gradientNormRatio[depth - 1] = 1;
  for (let l = depth - 2; l >= 0; l--) gradientNormRatio[l] = gradientNormRatio[l + 1] * chi[l + 1];

  const qStar = fixedPoint(qMap, q[0], sigmaW2 * moments(0)[0] + sigmaB2);
  let chi1: number | null = null;
  let regime: SignalPropagation['regime'] = null;
  let depthScale: number | null = null;
  if (qStar !== null) {
    chi1 = chiOf(qStar);
    regime = chi1 < 1 - CRITICAL_BAND ? 'ordered' : chi1 > 1 + CRITICAL_BAND ? 'chaotic' : 'critical';
    depthScale = chi1 === 1 ? Number.POSITIVE_INFINITY : -1 / Math.log(chi1);
  }
  return {
    activation: act.name,
    sigmaW2,
    sigmaB2,
    q,
    chi,
    gradientNormRatio,
    qStar,
    chi1,
    regime,
    depthScale,
  };
}

/**
 * The fixed point of the q-map F reached from q0, or 0 when q collapses to 0, or null when q
 * grows without bound. F(0) is passed in (its limit q → 0⁺).
 *
 * Plain iteration first, stopped at a relative change of 1e-12 and finished by one Aitken Δ²
 * step (the remaining error is Δ·r/(1 − r) for a step ratio r). Near the critical line F'(q*)
 * tends to 1 and iteration crawls (q_l ~ 1/(2l) for tanh at σ_w² = 1, σ_b = 0), so after
 * MAX_ITERATIONS the direction of travel is used to bracket the fixed point ahead, which is
 * then found by the Illinois method; no bracket means q → ∞ (null) or q → 0.
 */
function fixedPoint(F: (q: number) => number, q0: number, F0: number): number | null {
  let q = Math.min(q0, Q_MAX);
  let previousDelta = Number.NaN;
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    const next = F(q);
    if (!(next <= Q_MAX)) return null;
    if (next === 0) return 0;
    const delta = next - q;
    if (Math.abs(delta) <= REL_TOL * next) {
      const r = delta / previousDelta;
      return r > -1 && r < 1 ? next + (delta * r) / (1 - r) : next;
    }
    previousDelta = delta;
    q = next;
  }
  const G = (x: number): number => F(x) - x;
  if (previousDelta > 0) {
    // Rising: multiply by 16 until F(b) ≤ b.
    let a = q;
    for (let b = 16 * q; b <= Q_MAX; b *= 16) {
      const gb = G(b);
      if (!Number.isFinite(gb)) return null;
      if (gb <= 0) return illinois(G, a, b);
      a = b;
    }
    return null;
  }
  // Falling: divide by 256 until F(a) ≥ a. When F(0) = 0, 0 is itself a fixed point, and G is then
  // required to be clearly positive (beyond quadrature rounding, ~1e-15 q) to count as a
  // fixed point above 0; otherwise q collapses to 0.
  let b = q;
  for (let a = q / 256; a >= 1e-300; a /= 256) {
    const ga = G(a);
    if (F0 > 0 ? ga >= 0 : ga > REL_TOL * a) return illinois(G, a, b);
    b = a;
  }
  return F0 > 0 ? illinois(G, 0, b) : 0;
}

/** Root of G in [a, b] given a sign change, by regula falsi with the Illinois modification. */
function illinois(G: (x: number) => number, a: number, b: number): number {
  let ga = G(a);
  let gb = G(b);
  if (ga === 0) return a;
  if (gb === 0) return b;
  let side = 0;
  for (let it = 0; it < 200; it++) {
    const c = (a * gb - b * ga) / (gb - ga);
    if (!(c > Math.min(a, b) && c < Math.max(a, b))) break;
    const gc = G(c);
    if (gc === 0) return c;
    if (Math.sign(gc) === Math.sign(gb)) {
      b = c;
      gb = gc;
      if (side === -1) ga /= 2;
      side = -1;
    } else {
      a = c;
      ga = gc;
      if (side === 1) gb /= 2;
      side = 1;
    }
    if (Math.abs(b - a) <= 1e-15 * Math.max(Math.abs(a), Math.abs(b))) break;
  }
  return Math.abs(ga) < Math.abs(gb) ? a : b;
}
