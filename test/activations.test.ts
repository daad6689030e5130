// Activations: accuracy against float64 over a dense sweep, special values, derivatives by
// float64 finite differences, softmax, and bit-identity across ISAs and thread counts.
//
// Accuracy metric: error in float32 ulps of the float64 value, divided by max(1, κ(z)),
// κ = |z·f'(z)/f(z)| the condition number: an evaluation in float32 whose steps are each
// correctly rounded cannot do better than about κ·u, so the bound is stated relative to it
// (e.g. geluTanh near z = −9 has κ ≈ 200). Results below the normal range (2^-126) are
// checked in absolute terms (|error| ≤ 2^-126) instead.
import { describe, expect, it } from 'vitest';
import { ops } from '../lib/index.js';
import { hash, ISAS, normalCdf, ulp32, withIsa, withThreads } from './helpers.js';

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const sp = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const L = 1.0507009873554805;
const AL = 1.6732632423543772;
const C = Math.sqrt(2 / Math.PI);

type Case = { f: (x: number) => number; ulp: number; spec?: Parameters<typeof ops.activation>[1] };
const CASES: Record<string, Case> = {
  linear: { f: (x) => x, ulp: 0 },
  sigmoid: { f: sig, ulp: 4 },
  tanh: { f: Math.tanh, ulp: 4 },
  relu: { f: (x) => Math.max(x, 0), ulp: 0 },
  leakyRelu: { f: (x) => (x > 0 ? x : 0.2 * x), ulp: 1 },
  leakyRelu01: { f: (x) => (x > 0 ? x : 0.1 * x), ulp: 1, spec: { name: 'leakyRelu', alpha: 0.1 } },
  elu: { f: (x) => (x > 0 ? x : Math.expm1(x)), ulp: 4 },
  elu05: { f: (x) => (x > 0 ? x : 0.5 * Math.expm1(x)), ulp: 4, spec: { name: 'elu', alpha: 0.5 } },
  selu: { f: (x) => L * (x > 0 ? x : AL * Math.expm1(x)), ulp: 4 },
  gelu: { f: (x) => x * normalCdf(x), ulp: 6 },
  geluTanh: { f: (x) => x * sig(2 * C * (x + 0.044715 * x ** 3)), ulp: 6 },
  swish: { f: (x) => x * sig(x), ulp: 4 },
  swish2: { f: (x) => x * sig(2 * x), ulp: 4, spec: { name: 'swish', beta: 2 } },
  silu: { f: (x) => x * sig(x), ulp: 4 },
  softplus: { f: sp, ulp: 4 },
  mish: { f: (x) => x * Math.tanh(sp(x)), ulp: 8 },
};

// the sweep: every 1e-4 over [-20, 20], then powers of ten (and quarter steps) from 1e-40 to 1e38
const xs: number[] = [];
for (let i = -200000; i <= 200000; i += 1) xs.push(Math.fround(i / 10000));
for (let e = -40; e <= 38; e += 0.25) xs.push(Math.fround(10 ** e), Math.fround(-(10 ** e)));
const Z = { shape: [xs.length], data: Float32Array.from(xs) };

function cond(f: (x: number) => number, x: number): number {
  const h = 1e-7 * Math.max(1, Math.abs(x));
  const d = (f(x + h) - f(x - h)) / (2 * h);
  const y = f(x);
  return y === 0 ? 1 : Math.abs((x * d) / y);
}

describe.each(Object.entries(CASES))('%s', (name, c) => {
  const spec = c.spec ?? name;
  it(`is within ${c.ulp} ulp·max(1, κ) of float64 over the sweep`, () => {
    const a = ops.activation(Z, spec).data;
    let worst = 0;
    let at = 0;
    for (let i = 0; i < xs.length; i++) {
      const r = c.f(xs[i]);
      if (!Number.isFinite(r)) {
        expect(a[i]).toBe(Math.fround(r));
        continue;
      }
      if (Math.abs(r) < 2 ** -126) {
        expect(Math.abs(a[i] - r)).toBeLessThanOrEqual(2 ** -126);
        continue;
      }
      const e = Math.abs(a[i] - r) / ulp32(r) / Math.max(1, cond(c.f, xs[i]));
      if (e > worst) {
        worst = e;
        at = xs[i];
      }
    }
    expect(worst, `worst at z = ${at}`).toBeLessThanOrEqual(c.ulp);
  });

  it('maps NaN to NaN, ±Inf to the limits, ±0 to f(±0)', () => {
    const special = Float32Array.of(
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      0,
      -0,
      1e-45,
      -1e-45,
    );
    const a = ops.activation({ shape: [special.length], data: special }, spec).data;
    expect(Number.isNaN(a[0])).toBe(true);
    // the limits at ±∞, as float64 gives them at ±1e300
    expect(a[1] === Math.fround(c.f(1e300)), `f(+inf) = ${a[1]}`).toBe(true);
    expect(a[2] === Math.fround(c.f(-1e300)), `f(-inf) = ${a[2]}`).toBe(true);
    // ±0 and the smallest denormals: within the ulp bound of float64's f, or within
    // 2^-126 where f is below the normal range (a denormal result may flush or round)
    for (let i = 3; i < special.length; i++) {
      const r = c.f(special[i]);
      const err = Math.abs(a[i] - r);
      if (Math.abs(r) < 2 ** -126) expect(err, `f(${special[i]})`).toBeLessThanOrEqual(2 ** -126);
      else expect(err / ulp32(r), `f(${special[i]}) = ${a[i]}`).toBeLessThanOrEqual(Math.max(c.ulp, 0.5));
      // a zero result keeps float64's sign (tanh(−0) = −0, as IEEE 754 and C's tanhf)
      if (r === 0 && a[i] === 0)
        expect(Object.is(a[i], -0), `sign of f(${special[i]})`).toBe(Object.is(r, -0));
    }
  });

  it('backward at ±Inf, ±huge, ±0 and denormals gives the derivative (its limit at ±Inf), never NaN', () => {
    const zs = [
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      3e38,
      -3e38,
      1e20,
      -1e20,
      0,
      -0,
      1e-45,
      -1e-45,
      1e-39,
      -1e-39,
    ];
    const z = { shape: [zs.length], data: Float32Array.from(zs) };
    const a = ops.activation(z, spec);
    const dz = ops.activationBackward(
      z,
      a,
      { shape: [zs.length], data: new Float32Array(zs.length).fill(1) },
      spec,
    ).data;
    // float64 central differences at the nearest point where they are meaningful:
    // ±30 stands for everything beyond it (every derivative here has reached its
    // limit to float32 precision there), 0 for ±0 and the denormals
    const fdAt = (x: number) => {
      const h = 1e-6 * Math.max(1, Math.abs(x));
      return (c.f(x + h) - c.f(x - h)) / (2 * h);
    };
    zs.forEach((x, i) => {
      const at = Math.abs(x) > 30 ? Math.sign(x) * 30 : Math.abs(x) < 1e-30 ? 0 : x;
      // relu-family kinks at 0: the side the input is on (±0 take the left, z ≤ 0, as
      // Keras), by a one-sided float64 difference
      const kinked = /relu|elu/i.test(name);
      const want =
        kinked && at === 0
          ? x > 0
            ? (c.f(2e-7) - c.f(1e-7)) / 1e-7
            : (c.f(-1e-7) - c.f(-2e-7)) / 1e-7
          : fdAt(at);
      expect(Number.isNaN(dz[i]), `f'(${x}) is NaN`).toBe(false);
      expect(Math.abs(dz[i] - want), `f'(${x}) = ${dz[i]}, want ${want}`).toBeLessThanOrEqual(
        1e-5 * Math.max(1, Math.abs(want)),
      );
    });
  });

  it('backward equals float64 finite differences of f, and NaN propagates', () => {
    const pts: number[] = [];
    for (let x = -8; x <= 8; x += 0.0173) if (Math.abs(x) > 1e-3) pts.push(Math.fround(x));
    const z = { shape: [pts.length], data: Float32Array.from(pts) };
    const a = ops.activation(z, spec);
    const dy = { shape: [pts.length], data: new Float32Array(pts.length).fill(1) };
    const dz = ops.activationBackward(z, a, dy, spec).data;
    for (let i = 0; i < pts.length; i++) {
      const x = pts[i];
      const h = 1e-6 * Math.max(1, Math.abs(x));
      const fd = (c.f(x + h) - c.f(x - h)) / (2 * h);
      expect(Math.abs(dz[i] - fd), `z = ${x}`).toBeLessThanOrEqual(
        2e-6 * Math.max(1, Math.abs(fd)) * Math.max(1, Math.abs(x)),
      );
    }
    const nz = { shape: [1], data: Float32Array.of(Number.NaN) };
    const back = ops.activationBackward(
      nz,
      ops.activation(nz, spec),
      { shape: [1], data: Float32Array.of(1) },
      spec,
    );
    expect(Number.isNaN(back.data[0])).toBe(true);
  });

  it('is bit-identical on every ISA and thread count, forward and backward', () => {
    const z = {
      shape: [1000, 131],
      data: Float32Array.from({ length: 131000 }, (_, i) => Math.sin(i * 12.9898) * 12),
    };
    const run = () => {
      const a = ops.activation(z, spec);
      const d = ops.activationBackward(z, a, { shape: z.shape, data: z.data.map((v) => Math.cos(v)) }, spec);
      return hash(a.data) + hash(d.data);
    };
    const ref = withIsa('scalar', () => withThreads(1, run));
    for (const isa of ISAS)
      for (const t of [1, 2, 4]) expect(withIsa(isa, () => withThreads(t, run))).toBe(ref);
  });
});

describe('softmax', () => {
  const rows = 37;
  const cols = 101;
  const data = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 78.233) * 30);
  const z = { shape: [rows, cols], data };

  it('rows sum to 1 and match float64 within 4 ulp + the row-sum rounding', () => {
    const p = ops.activation(z, 'softmax').data;
    for (let r = 0; r < rows; r++) {
      const row = Array.from(data.subarray(r * cols, (r + 1) * cols));
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((x, y) => x + y, 0);
      let total = 0;
      for (let j = 0; j < cols; j++) {
        const ref = e[j] / s;
        total += p[r * cols + j];
        // 4 ulp for exp and the division, plus the relative error of the fixed-order float32 sum (≤ cols·u)
        const tol = 4 * ulp32(ref) + ref * cols * 2 ** -24;
        expect(Math.abs(p[r * cols + j] - ref)).toBeLessThanOrEqual(tol + 1e-45);
      }
      expect(Math.abs(total - 1)).toBeLessThan(cols * 2 ** -23);
    }
  });

  it('is shift invariant with large logits (max-subtracted) and NaN rows give NaN', () => {
    const big = { shape: [1, 3], data: Float32Array.of(1000, 1001, 1002) };
    const p = ops.activation(big, 'softmax').data;
    const q = ops.activation({ shape: [1, 3], data: Float32Array.of(0, 1, 2) }, 'softmax').data;
    expect(Array.from(p)).toEqual(Array.from(q));
    const n = ops.activation({ shape: [2, 2], data: Float32Array.of(1, Number.NaN, 1, 2) }, 'softmax').data;
    expect(Number.isNaN(n[0]) && Number.isNaN(n[1])).toBe(true);
    expect(n[2] + n[3]).toBeCloseTo(1, 6);
  });

  it('backward is the Jacobian-vector product a ⊙ (dy − Σ dy·a)', () => {
    const a = ops.activation(z, 'softmax');
    const dy = {
      shape: [rows, cols],
      data: Float32Array.from({ length: rows * cols }, (_, i) => Math.cos(i)),
    };
    const dz = ops.activationBackward(z, a, dy, 'softmax').data;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += dy.data[r * cols + j] * a.data[r * cols + j];
      // float32 error bound: the fixed-order sum s has |error| ≤ cols·u·Σ|dy·a|; then the
      // subtraction and the product add one rounding each
      let sAbs = 0;
      for (let j = 0; j < cols; j++) sAbs += Math.abs(dy.data[r * cols + j] * a.data[r * cols + j]);
      const u = 2 ** -24;
      for (let j = 0; j < cols; j++) {
        const aj = a.data[r * cols + j];
        const ref = aj * (dy.data[r * cols + j] - s);
        const tol =
          Math.abs(aj) * ((cols + 1) * u * sAbs + u * Math.abs(dy.data[r * cols + j] - s)) +
          u * Math.abs(ref);
        expect(Math.abs(dz[r * cols + j] - ref)).toBeLessThanOrEqual(tol * 1.01 + 1e-45);
      }
    }
  });

  it('is bit-identical across ISAs and threads', () => {
    const run = () => hash(ops.activation(z, 'softmax').data);
    const ref = withIsa('scalar', run);
    for (const isa of ISAS)
      for (const t of [1, 2, 3]) expect(withIsa(isa, () => withThreads(t, run))).toBe(ref);
  });
});

describe('activation errors', () => {
  const z = { shape: [2, 2], data: new Float32Array(4) };
  it('rejects unknown names, bad parameters and mismatched shapes', () => {
    expect(() => ops.activation(z, 'relu6' as never)).toThrow(/for activation but received "relu6"/);
    expect(() => ops.activation(z, { name: 'leakyRelu', alpha: Number.NaN })).toThrow(
      /for activation\.alpha/,
    );
    expect(() => ops.activation(z, { name: 'elu', alpha: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => ops.activation(z, { name: 'relu', alpha: 1 })).toThrow(/takes no alpha/);
    expect(() => ops.activation(z, { name: 'swish', gamma: 1 } as never)).toThrow(/Unknown option 'gamma'/);
    expect(() => ops.activation(z, { name: 'swish', beta: Number.NaN })).toThrow(/for activation\.beta/);
    expect(() => ops.activation(z, { name: 'silu', beta: Number.NEGATIVE_INFINITY })).toThrow(
      /for activation\.beta/,
    );
    expect(() => ops.activation(z, { name: 'tanh', beta: 2 })).toThrow(/takes no beta/);
    expect(() => ops.activation(z, 7 as never)).toThrow(TypeError);
    expect(() => ops.activationBackward(z, { shape: [4], data: new Float32Array(4) }, z, 'relu')).toThrow(
      /a.shape to equal/,
    );
    expect(() => ops.activation({ shape: [2, 2], data: new Float32Array(3) }, 'relu')).toThrow(
      /length 4 for z.data/,
    );
  });
  it('writes nothing into out when a call fails', () => {
    const out = Float32Array.of(7, 7, 7, 7);
    const zz = { shape: [2, 2], data: Float32Array.of(-1, 0, 1, 2) };
    expect(() => ops.activation(zz, { name: 'leakyRelu', alpha: Number.NaN }, { out })).toThrow(RangeError);
    expect(() => ops.activation({ shape: [2, 3], data: new Float32Array(6) }, 'relu', { out })).toThrow(
      /out/,
    );
    expect(Array.from(out)).toEqual([7, 7, 7, 7]);
    expect(Array.from(ops.activation(zz, 'relu', { out }).data)).toEqual([0, 0, 1, 2]);
  });
  it('silu takes β like swish (one kernel, z·σ(βz)) and defaults to β = 1', () => {
    const zz = { shape: [1, 4], data: Float32Array.of(-2, -0.5, 0.5, 3) };
    const a = ops.activation(zz, { name: 'silu', beta: 1.7 }).data;
    expect(Array.from(a)).toEqual(Array.from(ops.activation(zz, { name: 'swish', beta: 1.7 }).data));
    expect(Array.from(ops.activation(zz, 'silu').data)).toEqual(Array.from(ops.activation(zz, 'swish').data));
    expect(Array.from(a)).not.toEqual(Array.from(ops.activation(zz, 'silu').data));
  });
  it('swish backward at ±Inf takes the limits of σ(βz): 1/0 for β > 0, 0/1 for β < 0, ½ for β = 0', () => {
    const z = { shape: [2], data: Float32Array.of(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) };
    const dy = { shape: [2], data: Float32Array.of(1, 1) };
    const grad = (beta: number) => {
      const spec = { name: 'swish', beta } as const;
      return Array.from(ops.activationBackward(z, ops.activation(z, spec), dy, spec).data);
    };
    expect(grad(1.5)).toEqual([1, 0]);
    expect(grad(-1)).toEqual([0, 1]);
    expect(grad(0)).toEqual([0.5, 0.5]);
  });
});
