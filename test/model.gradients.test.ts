// The whole model's loss and gradient against a float64 reference by central
// finite differences, for every loss and the output activations it pairs with.
import { describe, expect, it } from 'vitest';
import { dense, type LossSpec, rng, sequential } from '../lib/index.js';
import { hash, ISAS, withIsa, withThreads } from './helpers.js';
import {
  forward,
  loss,
  numericGradients,
  type RefAct,
  type RefLayer,
  type RefLoss,
} from './reference-model.js';

const EPS32 = 2 ** -24;

interface Case {
  name: string;
  out: RefAct;
  loss: LossSpec;
  ref: RefLoss;
  targets: 'values' | 'binary' | 'onehot' | 'labels';
}

const CASES: Case[] = [
  { name: 'mse, linear output', out: 'linear', loss: 'mse', ref: 'mse', targets: 'values' },
  { name: 'mse, tanh output', out: 'tanh', loss: 'meanSquaredError', ref: 'mse', targets: 'values' },
  { name: 'mse, softmax output', out: 'softmax', loss: 'mse', ref: 'mse', targets: 'onehot' },
  { name: 'mae, linear output', out: 'linear', loss: 'mae', ref: 'mae', targets: 'values' },
  { name: 'bce, sigmoid output', out: 'sigmoid', loss: 'binaryCrossentropy', ref: 'bce', targets: 'binary' },
  {
    name: 'bce from logits',
    out: 'linear',
    loss: { name: 'binaryCrossentropy', fromLogits: true },
    ref: 'bceLogits',
    targets: 'binary',
  },
  {
    name: 'cce, softmax output',
    out: 'softmax',
    loss: 'categoricalCrossentropy',
    ref: 'cce',
    targets: 'onehot',
  },
  {
    name: 'cce from logits',
    out: 'linear',
    loss: { name: 'categoricalCrossentropy', fromLogits: true },
    ref: 'cceLogits',
    targets: 'onehot',
  },
  {
    name: 'sparse cce, softmax output',
    out: 'softmax',
    loss: 'sparseCategoricalCrossentropy',
    ref: 'sparse',
    targets: 'labels',
  },
  {
    name: 'sparse cce from logits',
    out: 'linear',
    loss: { name: 'sparseCategoricalCrossentropy', fromLogits: true },
    ref: 'sparseLogits',
    targets: 'labels',
  },
];

const [IN, HID, OUT, BATCH] = [5, 7, 3, 6];

function targetsFor(kind: Case['targets'], seed: number): Float32Array | Int32Array {
  const r = rng(seed);
  const u = r.uniform(BATCH * OUT);
  switch (kind) {
    case 'values':
      return r.normal(BATCH * OUT);
    case 'binary':
      return u.map((t) => (t < 0.5 ? 0 : 1));
    case 'onehot': {
      const y = new Float32Array(BATCH * OUT);
      for (let i = 0; i < BATCH; i++) y[i * OUT + Math.floor(u[i] * OUT)] = 1;
      return y;
    }
    case 'labels':
      return Int32Array.from({ length: BATCH }, (_, i) => Math.floor(u[i] * OUT));
  }
}

describe('model gradients = float64 finite differences', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const l1 = dense(IN, HID, { activation: 'tanh', seed: 11 });
      const l2 = dense(HID, OUT, { activation: c.out, seed: 12 });
      // non-zero biases so that their gradients are exercised through every path
      l1.bias?.set(rng(13).normal(HID, { std: 0.3 }));
      l2.bias?.set(rng(14).normal(OUT, { std: 0.3 }));
      const model = sequential([l1, l2], { seed: 1 });
      const x = rng(15).normal(BATCH * IN);
      const y = targetsFor(c.targets, 16);
      const got = model.gradients(x, y, { loss: c.loss });

      const ref: RefLayer[] = [l1, l2].map((l) => ({
        in: l.inUnits,
        out: l.outUnits,
        act: l.activation.name as RefAct,
        w: Float64Array.from(l.kernel),
        b: Float64Array.from(l.bias ?? []),
      }));
      const refLoss = loss(c.ref, forward(ref, x, BATCH), y);
      const num = numericGradients(ref, x, y, BATCH, c.ref);

      // float32 forward/backward: each value is a sum of at most K = max(IN, HID, BATCH)
      // rounded products through two layers, so errors stay within ~K·ε₃₂ of the
      // largest gradient; 16·K·ε₃₂ leaves room for the activations' few-ulp errors.
      const K = Math.max(IN, HID, BATCH, OUT);
      const tol = 16 * K * EPS32;
      expect(Math.abs(got.loss - refLoss)).toBeLessThanOrEqual(tol * Math.abs(refLoss) + 1e-12);
      num.forEach((g, li) => {
        const scale = Math.max(...g.w.map(Math.abs), ...g.b.map(Math.abs));
        expect(scale).toBeGreaterThan(0);
        const native = got.layers[li];
        g.w.forEach((t, k) => {
          expect(Math.abs(native.kernel[k] - t)).toBeLessThanOrEqual(tol * scale);
        });
        g.b.forEach((t, k) => {
          expect(Math.abs((native.bias as Float32Array)[k] - t)).toBeLessThanOrEqual(tol * scale);
        });
      });
    });
  }

  it('a deeper sigmoid/tanh/softmax stack also matches', () => {
    const layers = [
      dense(4, 6, { activation: 'sigmoid', seed: 1 }),
      dense(6, 6, { activation: 'tanh', seed: 2 }),
      dense(6, 5, { activation: 'sigmoid', seed: 3 }),
      dense(5, 3, { activation: 'softmax', seed: 4 }),
    ];
    const model = sequential(layers, { seed: 1 });
    const x = rng(5).normal(8 * 4);
    const y = Int32Array.from([0, 1, 2, 0, 1, 2, 2, 1]);
    const got = model.gradients(x, y, { loss: 'sparseCategoricalCrossentropy' });
    const ref: RefLayer[] = layers.map((l) => ({
      in: l.inUnits,
      out: l.outUnits,
      act: l.activation.name as RefAct,
      w: Float64Array.from(l.kernel),
      b: Float64Array.from(l.bias ?? []),
    }));
    const num = numericGradients(ref, x, y, 8, 'sparse');
    const tol = 16 * 8 * 4 * EPS32;
    num.forEach((g, li) => {
      const scale = Math.max(...g.w.map(Math.abs));
      g.w.forEach((t, k) => {
        expect(Math.abs(got.layers[li].kernel[k] - t)).toBeLessThanOrEqual(tol * scale);
      });
    });
  });
});

describe('row-parallel forward and backward', () => {
  // With several threads a batch of ≥ 32 rows runs its forward and the row-local
  // backward (dZ, dX) in one slice per thread, and the weight gradients as one
  // region over (layer, column block) units. Every element is computed as on one
  // thread, so the loss, the gradients and the predictions must keep their bits:
  // odd batch sizes give uneven slices, 3 threads three of them, and the layers
  // mix fused (relu) and separate (tanh, elu) activations, a loss fused with
  // softmax, and a layer without bias.
  const layers = () => [
    dense(30, 40, { activation: 'relu', seed: 1 }),
    dense(40, 100, { activation: 'tanh', seed: 2 }),
    dense(100, 37, { activation: 'elu', seed: 3, useBias: false }),
    dense(37, 10, { activation: 'softmax', seed: 4 }),
  ];
  for (const batch of [31, 32, 50, 67, 128]) {
    it(`batch ${batch}: the bits of one thread on 2, 3 and 4 threads, on every ISA`, () => {
      const x = rng(batch).normal(batch * 30);
      const y = Int32Array.from(rng(batch + 1).uniform(batch), (u) => Math.floor(u * 10));
      const run = () => {
        const model = sequential(layers(), { seed: 1 });
        const g = model.gradients(x, y, { loss: 'sparseCategoricalCrossentropy' });
        const parts = g.layers.flatMap((l) => [hash(l.kernel), l.bias ? hash(l.bias) : '-']);
        return [g.loss, ...parts, hash(model.predict(x).data)].join(' ');
      };
      const want = withIsa('scalar', () => withThreads(1, run));
      for (const isa of ISAS)
        for (const threads of [1, 2, 3, 4])
          expect(
            withIsa(isa, () => withThreads(threads, run)),
            `${isa}, ${threads} threads`,
          ).toBe(want);
    });
  }
});
