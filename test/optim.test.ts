// Optimisers against float64 reference implementations of Keras 3's update rules
// over several steps; clipping and schedules against closed forms; bad input.
import { describe, expect, it } from 'vitest';
import { optim, rng } from '../lib/index.js';
import { hash, withThreads } from './helpers.js';

type H = Record<string, number>;
/** float64 reference: returns w after each step given grads per step */
function reference(kind: string, h: H, w0: Float64Array, grads: Float64Array[]): Float64Array {
  const w = Float64Array.from(w0);
  const n = w.length;
  const s1 = new Float64Array(n).fill(kind === 'adagrad' ? (h.initialAccumulatorValue ?? 0.1) : 0);
  const s2 = new Float64Array(n);
  let uProd = 1;
  grads.forEach((gIn, k) => {
    const t = k + 1;
    const lr = h.lr;
    const u = (s: number) => h.beta1 * (1 - 0.5 * 0.96 ** s);
    if (kind === 'nadam') uProd *= u(t);
    for (let i = 0; i < n; i++) {
      let g = gIn[i];
      if (h.l2) g += 2 * h.l2 * w[i];
      if (h.weightDecay) w[i] -= w[i] * h.weightDecay * lr;
      if (kind === 'sgd') {
        if (!h.momentum) w[i] -= lr * g;
        else {
          s1[i] = h.momentum * s1[i] - lr * g;
          w[i] += h.nesterov ? h.momentum * s1[i] - lr * g : s1[i];
        }
      } else if (kind === 'adagrad') {
        s1[i] += g * g;
        w[i] -= (lr * g) / Math.sqrt(s1[i] + h.epsilon);
      } else if (kind === 'rmsprop') {
        s1[i] = h.rho * s1[i] + (1 - h.rho) * g * g;
        const inc = (lr * g) / Math.sqrt(s1[i] + h.epsilon);
        if (!h.momentum) w[i] -= inc;
        else {
          s2[i] = h.momentum * s2[i] + inc;
          w[i] -= s2[i];
        }
      } else {
        s1[i] += (g - s1[i]) * (1 - h.beta1);
        s2[i] += (g * g - s2[i]) * (1 - h.beta2);
        if (kind === 'adam') {
          const alpha = (lr * Math.sqrt(1 - h.beta2 ** t)) / (1 - h.beta1 ** t);
          w[i] -= (s1[i] * alpha) / (Math.sqrt(s2[i]) + h.epsilon);
        } else {
          const mHat = (u(t + 1) * s1[i]) / (1 - uProd * u(t + 1)) + ((1 - u(t)) * g) / (1 - uProd);
          const vHat = s2[i] / (1 - h.beta2 ** t);
          w[i] -= (mHat * lr) / (Math.sqrt(vHat) + h.epsilon);
        }
      }
    }
  });
  return w;
}

const CASES: Array<[string, () => optim.Optimizer, string, H]> = [
  ['sgd', () => optim.sgd({ lr: 0.1 }), 'sgd', { lr: 0.1 }],
  ['sgd momentum', () => optim.sgd({ lr: 0.1, momentum: 0.9 }), 'sgd', { lr: 0.1, momentum: 0.9 }],
  [
    'sgd nesterov',
    () => optim.sgd({ lr: 0.1, momentum: 0.9, nesterov: true }),
    'sgd',
    { lr: 0.1, momentum: 0.9, nesterov: 1 },
  ],
  ['sgd + l2', () => optim.sgd({ lr: 0.1, l2: 0.01 }), 'sgd', { lr: 0.1, l2: 0.01 }],
  [
    'adagrad',
    () => optim.adagrad({ lr: 0.1 }),
    'adagrad',
    { lr: 0.1, initialAccumulatorValue: 0.1, epsilon: 1e-7 },
  ],
  ['rmsprop', () => optim.rmsprop({ lr: 0.01 }), 'rmsprop', { lr: 0.01, rho: 0.9, epsilon: 1e-7 }],
  [
    'rmsprop momentum',
    () => optim.rmsprop({ lr: 0.01, momentum: 0.5 }),
    'rmsprop',
    { lr: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7 },
  ],
  ['adam', () => optim.adam({ lr: 0.01 }), 'adam', { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }],
  [
    'adamw',
    () => optim.adamw({ lr: 0.01 }),
    'adam',
    { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.004 },
  ],
  ['nadam', () => optim.nadam({ lr: 0.01 }), 'nadam', { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }],
];

describe.each(CASES)('%s', (_name, make, kind, h) => {
  it('matches the float64 reference over 8 steps on two tensors', () => {
    const w1 = rng(1).normal(1000);
    const w2 = rng(2).normal(37);
    const g1 = Array.from({ length: 8 }, (_, k) => rng(10 + k).normal(1000));
    const g2 = Array.from({ length: 8 }, (_, k) => rng(30 + k).normal(37, { std: 3 }));
    const ref1 = reference(
      kind,
      h,
      Float64Array.from(w1),
      g1.map((g) => Float64Array.from(g)),
    );
    const ref2 = reference(
      kind,
      h,
      Float64Array.from(w2),
      g2.map((g) => Float64Array.from(g)),
    );
    const o = make();
    for (let k = 0; k < 8; k++) o.step([w1, w2], [g1[k].slice(), g2[k].slice()]);
    expect(o.iterations).toBe(8);
    // float32 vs float64 over 8 steps: a few roundings of O(1) quantities per step, far below
    // the size of one update (lr ≥ 0.01), so a wrong formula fails
    for (const [w, ref] of [
      [w1, ref1],
      [w2, ref2],
    ] as const) {
      for (let i = 0; i < w.length; i++)
        expect(Math.abs(w[i] - ref[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(ref[i])));
    }
  });

  it('is bit-identical for any thread count', () => {
    const run = () => {
      const w = rng(3).normal(100_000);
      const o = make();
      for (let k = 0; k < 3; k++) o.step([w], [rng(40 + k).normal(100_000)]);
      return hash(w);
    };
    const ref = withThreads(1, run);
    for (const t of [2, 4]) expect(withThreads(t, run)).toBe(ref);
  });
});

describe('clipping', () => {
  it('by value clamps, by norm rescales each tensor, by global norm rescales all together', () => {
    const a = Float32Array.of(3, -4);
    const b = Float32Array.of(0, 12);
    optim.clipByValue([a], 3.5);
    expect(Array.from(a)).toEqual([3, -3.5]);
    const c = Float32Array.of(3, -4);
    const d = Float32Array.of(0, 12);
    expect(optim.clipByNorm([c, d], 5)).toEqual([5, 12]);
    expect(Array.from(c)).toEqual([3, -4]);
    expect(Array.from(d).map((x) => Math.round(x * 1e6) / 1e6)).toEqual([0, 5]);
    const e = Float32Array.of(3, -4);
    expect(optim.clipByGlobalNorm([e, b], 6.5)).toBeCloseTo(13, 12);
    expect(e[0]).toBeCloseTo(1.5, 6);
    expect(b[1]).toBeCloseTo(6, 6);
  });
  it('an optimiser with globalClipNorm clips before updating', () => {
    const w = Float32Array.of(0, 0);
    optim.sgd({ lr: 1, globalClipNorm: 1 }).step([w], [Float32Array.of(30, 40)]);
    expect(w[0]).toBeCloseTo(-0.6, 6);
    expect(w[1]).toBeCloseTo(-0.8, 6);
  });
});

describe('schedules', () => {
  it('match their closed forms', () => {
    const e = optim.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expect(e.at(0)).toBe(0.1);
    expect(e.at(10)).toBeCloseTo(0.05, 15);
    expect(e.at(5)).toBeCloseTo(0.1 * 0.5 ** 0.5, 15);
    const s = optim.exponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.5,
      staircase: true,
    });
    expect(s.at(19)).toBeCloseTo(0.05, 15);
    const it_ = optim.inverseTimeDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 0.5 });
    expect(it_.at(4)).toBeCloseTo(0.5, 15);
    const p = optim.piecewiseConstant({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
    expect([p.at(0), p.at(10), p.at(11), p.at(20), p.at(21)]).toEqual([1, 1, 0.5, 0.5, 0.1]);
    const c = optim.cosineDecay({ initialLearningRate: 1, decaySteps: 100, alpha: 0.1 });
    expect(c.at(0)).toBeCloseTo(1, 15);
    expect(c.at(50)).toBeCloseTo(0.55, 15);
    expect(c.at(200)).toBeCloseTo(0.1, 15);
    // Keras PolynomialDecay: (lr0 − end)(1 − s/T)^power + end
    const q = optim.polynomialDecay({
      initialLearningRate: 1,
      decaySteps: 10,
      endLearningRate: 0.1,
      power: 2,
    });
    expect(q.at(0)).toBe(1);
    expect(q.at(5)).toBeCloseTo(0.9 * 0.25 + 0.1, 15);
    expect(q.at(10)).toBeCloseTo(0.1, 15);
    expect(q.at(25)).toBeCloseTo(0.1, 15); // held at the end rate
    const lin = optim.polynomialDecay({ initialLearningRate: 1, decaySteps: 4 });
    expect(lin.at(1)).toBeCloseTo((1 - 1e-4) * 0.75 + 1e-4, 15); // Keras defaults: end 1e-4, power 1
    const cyc = optim.polynomialDecay({
      initialLearningRate: 1,
      decaySteps: 10,
      endLearningRate: 0,
      cycle: true,
    });
    expect(cyc.at(10)).toBeCloseTo(0, 15);
    expect(cyc.at(15)).toBeCloseTo(0.25, 15); // horizon 20: 1 − 15/20
    expect(cyc.getConfig()).toEqual({
      class_name: 'PolynomialDecay',
      config: { initial_learning_rate: 1, decay_steps: 10, end_learning_rate: 0, power: 1, cycle: true },
    });
    expect(() => optim.polynomialDecay({ initialLearningRate: 1, decaySteps: 0 })).toThrow(
      /options\.decaySteps/,
    );
    expect(() => optim.polynomialDecay({ initialLearningRate: 1, decaySteps: 5, power: -1 })).toThrow(
      /options\.power/,
    );
    expect(() =>
      optim.exponentialDecay({
        initialLearningRate: 1,
        decaySteps: 5,
        decayRate: 0.5,
        staircase: 'y' as never,
      }),
    ).toThrow(/options\.staircase/);
    expect(() => optim.polynomialDecay({ initialLearningRate: 1, decaySteps: 5, cycle: 1 as never })).toThrow(
      /options\.cycle/,
    );
  });
  it('drive an optimiser step by step', () => {
    const o = optim.sgd({ lr: optim.piecewiseConstant({ boundaries: [0], values: [1, 0.5] }) });
    const w = Float32Array.of(0);
    o.step([w], [Float32Array.of(1)]);
    expect(w[0]).toBe(-1);
    o.step([w], [Float32Array.of(1)]);
    expect(w[0]).toBe(-1.5);
  });
});

describe('bad input', () => {
  it('rejects bad hyperparameters and mismatched tensors, changing nothing', () => {
    expect(() => optim.adam({ lr: Number.NaN })).toThrow(/for options\.lr/);
    expect(() => optim.adam({ beta1: 1 })).toThrow(/for options\.beta1/);
    expect(() => optim.sgd({ momentum: -0.1 })).toThrow(RangeError);
    expect(() => optim.sgd({ nesterov: 'yes' as never })).toThrow(TypeError);
    expect(() => optim.rmsprop({ rh0: 0.9 } as never)).toThrow(/Unknown option 'rh0'/);
    expect(() => optim.sgd({ clipNorm: 0 })).toThrow(/for options\.clipNorm/);
    const o = optim.adam();
    const w = Float32Array.of(1, 2, 3);
    const before = hash(w);
    expect(() => o.step([w], [new Float32Array(2)])).toThrow(/length 3 for grads\[0\]/);
    expect(() => o.step([w, w], [new Float32Array(3), new Float32Array(3)])).toThrow(/distinct/);
    expect(() => o.step([w], [])).toThrow(/one per param/);
    expect(() => o.step(w as never, [w])).toThrow(TypeError);
    expect(hash(w)).toBe(before);
    expect(o.iterations).toBe(0);
  });
});
