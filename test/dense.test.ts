// Dense layer: forward against float64, gradients by float64 finite differences for every
// activation and for softmax + cross-entropy, the fixed-order bias reduction bit for bit,
// bit-identity across ISAs and threads, the layer object, and bad input.
import { describe, expect, it } from 'vitest';
import { dense, init, ops, rng } from '../lib/index.js';
import { hash, ISAS, normalCdf, withIsa, withThreads } from './helpers.js';

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const sp = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const F64: Record<string, (x: number) => number> = {
  linear: (x) => x,
  sigmoid: sig,
  tanh: Math.tanh,
  relu: (x) => Math.max(x, 0),
  leakyRelu: (x) => (x > 0 ? x : 0.2 * x),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  selu: (x) => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * Math.expm1(x)),
  gelu: (x) => x * normalCdf(x),
  geluTanh: (x) => x * sig(2 * Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)),
  swish: (x) => x * sig(x),
  silu: (x) => x * sig(x),
  softplus: sp,
  mish: (x) => x * Math.tanh(sp(x)),
  softmax: (x) => x, // row-wise: forward64's softmax flag does the work
};

const B = 3;
const IN = 4;
const OUT = 5;

function forward64(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  b: ArrayLike<number>,
  f: (z: number) => number,
  softmax = false,
) {
  const z = new Float64Array(B * OUT);
  for (let i = 0; i < B; i++)
    for (let j = 0; j < OUT; j++) {
      let s = b[j];
      for (let k = 0; k < IN; k++) s += x[i * IN + k] * w[k * OUT + j];
      z[i * OUT + j] = s;
    }
  if (!softmax) return { z, a: z.map(f) };
  const a = new Float64Array(B * OUT);
  for (let i = 0; i < B; i++) {
    const row = z.subarray(i * OUT, (i + 1) * OUT);
    const m = Math.max(...row);
    let s = 0;
    for (let j = 0; j < OUT; j++) s += Math.exp(row[j] - m);
    for (let j = 0; j < OUT; j++) a[i * OUT + j] = Math.exp(row[j] - m) / s;
  }
  return { z, a };
}

/** central differences of loss(params) w.r.t. each entry of `p` (float64) */
function fd(p: Float64Array, loss: () => number): Float64Array {
  const g = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const old = p[i];
    const h = 1e-6 * Math.max(1, Math.abs(old));
    p[i] = old + h;
    const up = loss();
    p[i] = old - h;
    const down = loss();
    p[i] = old;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string) {
  // float32 forward/backward vs float64 finite differences: a few float32 roundings per value
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs(got[i] - want[i]), `${what}[${i}]`).toBeLessThanOrEqual(
      2e-5 * Math.max(1, Math.abs(want[i])),
    );
  }
}

describe.each(Object.keys(F64))('dense + %s', (act) => {
  const softmax = act === 'softmax'; // dX and dW then go through the softmax Jacobian
  it('forward matches float64; dW, db, dX match float64 finite differences of Σ c·a', () => {
    const x = rng(1).normal(B * IN);
    const w = rng(2).normal(IN * OUT, { std: 0.7 });
    const b = rng(3).normal(OUT, { std: 0.3 });
    const c = rng(4).normal(B * OUT);
    const out = ops.dense({ shape: [B, IN], data: x }, { shape: [IN, OUT], data: w }, b, act);
    const ref = forward64(x, w, b, F64[act], softmax);
    close(out.z.data, ref.z, 'z');
    close(out.a.data, ref.a, 'a');

    const g = ops.denseBackward(
      { shape: [B, IN], data: x },
      { shape: [IN, OUT], data: w },
      out,
      { shape: [B, OUT], data: c },
      act,
    );
    const x64 = Float64Array.from(x);
    const w64 = Float64Array.from(w);
    const b64 = Float64Array.from(b);
    const loss = () => forward64(x64, w64, b64, F64[act], softmax).a.reduce((s, v, i) => s + v * c[i], 0);
    close(g.dw.data, fd(w64, loss), 'dW');
    close(g.db, fd(b64, loss), 'db');
    close(g.dx!.data, fd(x64, loss), 'dX');
  });
});

describe('softmax + cross-entropy', () => {
  it('the fused (p − y)/batch gradient, through dense, matches finite differences of the mean CE', () => {
    const x = rng(5).normal(B * IN);
    const w = rng(6).normal(IN * OUT);
    const b = rng(7).normal(OUT, { std: 0.1 });
    const labels = [1, 4, 0];
    const y = new Float32Array(B * OUT);
    labels.forEach((l, i) => {
      y[i * OUT + l] = 1;
    });
    const logits = ops.dense({ shape: [B, IN], data: x }, { shape: [IN, OUT], data: w }, b, 'linear');
    const p = ops.activation(logits.z, 'softmax');
    const dz = ops.softmaxCrossEntropyBackward(p, { shape: [B, OUT], data: y });
    const g = ops.denseBackward(
      { shape: [B, IN], data: x },
      { shape: [IN, OUT], data: w },
      logits,
      dz,
      'linear',
    );
    const x64 = Float64Array.from(x);
    const w64 = Float64Array.from(w);
    const b64 = Float64Array.from(b);
    const ce = () => {
      const { a } = forward64(x64, w64, b64, (v) => v, true);
      return -labels.reduce((s, l, i) => s + Math.log(a[i * OUT + l]), 0) / B;
    };
    close(g.dw.data, fd(w64, ce), 'dW');
    close(g.db, fd(b64, ce), 'db');
    close(g.dx!.data, fd(x64, ce), 'dX');
    // and the softmax layer's own backward agrees with the fused form
    const viaJacobian = ops.activationBackward(
      logits.z,
      p,
      { shape: [B, OUT], data: y.map((v, i) => -v / p.data[i] / B) },
      'softmax',
    );
    for (let i = 0; i < B * OUT; i++) expect(viaJacobian.data[i]).toBeCloseTo(dz.data[i], 5);
  });
});

describe('bias gradient', () => {
  it('db is the fixed-order column sum (16 interleaved partials, fixed tree), bit for bit', () => {
    const rows = 77;
    const cols = 300;
    const dz = rng(8).normal(rows * cols);
    const x = { shape: [rows, 1], data: new Float32Array(rows) };
    const w = { shape: [1, cols], data: new Float32Array(cols) };
    const fwd = ops.dense(x, w, null, 'linear');
    const g = ops.denseBackward(x, w, fwd, { shape: [rows, cols], data: dz }, 'linear');
    const f = Math.fround;
    for (let j = 0; j < cols; j++) {
      const part = new Array(16).fill(0);
      for (let i = 0; i < rows; i++) part[i % 16] = f(part[i % 16] + dz[i * cols + j]);
      for (let wdt = 8; wdt >= 1; wdt /= 2)
        for (let r = 0; r < wdt; r++) part[r] = f(part[r] + part[r + wdt]);
      expect(g.db[j]).toBe(part[0]);
    }
  });
});

describe('determinism', () => {
  it('a 784→256 step at batch 64 is bit-identical on every ISA and 1/2/4 threads, for each activation', () => {
    const x = { shape: [64, 784], data: rng(9).uniform(64 * 784) };
    const w = init.heNormal({ seed: 1 }).sample([784, 256]);
    const b = rng(10).normal(256, { std: 0.1 });
    const da = { shape: [64, 256], data: rng(11).normal(64 * 256) };
    for (const act of ['relu', 'tanh', 'gelu', 'softmax', 'mish'] as const) {
      const run = () => {
        const f = ops.dense(x, w, b, act);
        const g = ops.denseBackward(x, w, f, da, act);
        return [f.z.data, f.a.data, g.dw.data, g.db, g.dx!.data].map(hash).join();
      };
      const ref = withIsa('scalar', () => withThreads(1, run));
      for (const isa of ISAS)
        for (const t of [1, 2, 4])
          expect(
            withIsa(isa, () => withThreads(t, run)),
            `${act} ${isa} ${t}`,
          ).toBe(ref);
    }
  });
});

describe('the dense layer object', () => {
  it('defaults its kernel initializer from the activation, biases to zeros', () => {
    expect(dense(10, 4, { activation: 'relu', seed: 1 }).kernelInitializer.getConfig().class_name).toBe(
      'HeNormal',
    );
    expect(dense(10, 4, { activation: 'tanh', seed: 1 }).kernelInitializer.getConfig().class_name).toBe(
      'GlorotUniform',
    );
    expect(dense(10, 4, { activation: 'selu', seed: 1 }).kernelInitializer.getConfig().class_name).toBe(
      'LecunNormal',
    );
    const l = dense(10, 4, { seed: 1 });
    expect(Array.from(l.bias!)).toEqual([0, 0, 0, 0]);
    expect(l.paramCount).toBe(44);
  });

  it('takes initializers by object, name or config, and activations with parameters', () => {
    const a = dense(6, 3, {
      kernelInitializer: init.orthogonal({ seed: 2 }),
      activation: { name: 'leakyRelu', alpha: 0.1 },
    });
    expect(a.activation).toMatchObject({ name: 'leakyRelu', alpha: 0.1 });
    const b = dense(6, 3, { kernelInitializer: 'he_uniform', seed: 3 });
    expect(b.kernelInitializer.getConfig().class_name).toBe('HeUniform');
    const c = dense(6, 3, {
      kernelInitializer: { class_name: 'Constant', config: { value: 0.5 } },
      useBias: false,
    });
    expect(Array.from(c.kernel).every((v) => v === 0.5)).toBe(true);
    expect(c.bias).toBeNull();
    expect(hash(dense(6, 3, { seed: 9 }).kernel)).toBe(hash(dense(6, 3, { seed: 9 }).kernel));
  });

  it('forward/backward agree with the functional ops', () => {
    const l = dense(4, 5, { activation: 'tanh', seed: 4 });
    const x = { shape: [B, 4], data: rng(12).normal(B * 4) };
    const a = l.forward(x);
    const f = ops.dense(x, { shape: [4, 5], data: l.kernel }, l.bias, 'tanh');
    expect(hash(a.data)).toBe(hash(f.a.data));
    const da = { shape: [B, 5], data: rng(13).normal(B * 5) };
    const g = l.backward(da, { inputGradient: false });
    expect(g.dx).toBeNull();
    expect(hash(g.dw.data)).toBe(
      hash(ops.denseBackward(x, { shape: [4, 5], data: l.kernel }, f, da, 'tanh').dw.data),
    );
    expect(l.getConfig()).toMatchObject({
      class_name: 'Dense',
      config: { units: 5, activation: 'tanh', use_bias: true },
    });
  });

  it('rejects bad input with clear errors; nothing is written on failure', () => {
    expect(() => dense(0, 3)).toThrow(/for inUnits/);
    expect(() => dense(3, 2.5)).toThrow(/for outUnits/);
    expect(() => dense(3, 3, { activation: 'relu7' })).toThrow(/for options\.activation/);
    expect(() => dense(3, 3, { activation: { name: 'elu', alpha: Number.NaN } })).toThrow(
      /options\.activation\.alpha/,
    );
    expect(() => dense(3, 3, { kernelInitializer: 'heNormale' })).toThrow(/for options\.kernelInitializer/);
    expect(() => dense(3, 3, { units: 3 } as never)).toThrow(/Unknown option 'units'/);
    const l = dense(4, 5, { seed: 5 });
    const before = hash(l.kernel);
    expect(() => l.forward({ shape: [2, 3], data: new Float32Array(6) })).toThrow(
      /x.shape\[1\] \(3\) to equal w.shape\[0\] \(4\)/,
    );
    expect(() => l.backward({ shape: [2, 5], data: new Float32Array(10) })).toThrow(/forward pass first/);
    const x = { shape: [2, 4], data: new Float32Array(8) };
    const f = ops.dense(x, { shape: [4, 5], data: l.kernel }, l.bias, 'relu');
    expect(() =>
      ops.denseBackward(x, { shape: [4, 5], data: l.kernel }, f, {
        shape: [3, 5],
        data: new Float32Array(15),
      }),
    ).toThrow(/da.shape to be \[2, 5\]/);
    expect(() => ops.dense(x, { shape: [4, 5], data: l.kernel }, new Float32Array(4))).toThrow(
      /length 5 for b/,
    );
    expect(hash(l.kernel)).toBe(before);
  });
});

describe('Dense layer state', () => {
  it('backward before any forward is a GradscopeError naming the order', () => {
    const l = dense(3, 2, { seed: 1 });
    expect(() => l.backward({ shape: [1, 2], data: new Float32Array(2) })).toThrow(
      expect.objectContaining({ code: 'ERR_GRADSCOPE_INVALID_STATE' }),
    );
  });
});
