// diagnose / verdicts / monitor / lsuv on known cases, and the native statistics
// against a plain float64 reference computed from the same float32 tensors.
import { describe, expect, it } from 'vitest';
import {
  type ActivationSpec,
  datasets,
  dense,
  diagnose,
  init,
  lsuv,
  monitor,
  ops,
  optim,
  rng,
  sequential,
  type Tensor,
} from '../lib/index.js';

function deep(act: ActivationSpec, kernel: (i: number) => unknown, depth = 8, width = 64, inUnits = 32) {
  const layers = [];
  for (let i = 0; i < depth; i++) {
    layers.push(
      dense(i === 0 ? inUnits : width, width, {
        activation: act,
        kernelInitializer: kernel(i) as never,
        seed: 10 + i,
      }),
    );
  }
  layers.push(dense(width, 10, { activation: 'softmax', kernelInitializer: 'glorotUniform', seed: 99 }));
  return sequential(layers, { seed: 1 });
}
const batch = (n = 128, inUnits = 32) => ({
  x: rng(5).normal(n * inUnits),
  y: Int32Array.from(rng(6).uniform(n), (u) => Math.floor(u * 10)),
});

describe('verdicts on known cases', () => {
  const { x, y } = batch();
  it('deep sigmoid with N(0,1) weights: saturated from layer 0, gradients shrinking', async () => {
    const m = deep('sigmoid', (i) => init.randomNormal({ stddev: 1, seed: i }));
    const r = await diagnose(m, x, y);
    expect(r.verdict.status).toBe('saturated');
    expect(r.verdict.firstBadLayer).toBe(0);
    expect(r.layers[0].activation.saturatedFraction).toBeGreaterThan(0.3);
    expect(r.gradientNormFactor).toBeLessThan(1);
    expect(r.verdict.advice.join(' ')).toMatch(/glorotUniform/);
  });

  it('deep sigmoid with Glorot weights: vanishing (slope ≤ 1/4 per layer)', async () => {
    const r = await diagnose(
      deep('sigmoid', () => 'glorotUniform', 12),
      x,
      y,
    );
    expect(r.verdict.status).toBe('vanishing');
    expect(r.gradientNormFactor).toBeLessThan(0.5);
    expect(r.verdict.firstBadLayer).toBeGreaterThan(0);
  });

  it('deep ReLU with He init: healthy', async () => {
    const r = await diagnose(
      deep('relu', () => 'heNormal'),
      x,
      y,
    );
    expect(r.verdict.status).toBe('healthy');
    expect(r.verdict.firstBadLayer).toBeNull();
    expect(r.gradientNormFactor).toBeGreaterThan(0.7);
    expect(r.gradientNormFactor).toBeLessThan(1.4);
  });

  it('deep linear layers with std 3× Glorot: exploding', async () => {
    const glorotStd = Math.sqrt(2 / (64 + 64));
    const r = await diagnose(
      deep('linear', (i) => init.randomNormal({ stddev: 3 * glorotStd, seed: i })),
      x,
      y,
    );
    expect(r.verdict.status).toBe('exploding');
    expect(r.gradientNormFactor).toBeGreaterThan(2);
  });

  for (const k of [0, 3, 7]) {
    it(`a NaN injected in layer ${k}'s weights: nonFinite naming layer ${k}`, async () => {
      const m = deep('relu', () => 'heNormal');
      m.layers[k].kernel[5] = Number.NaN;
      const r = await diagnose(m, x, y);
      expect(r.verdict.status).toBe('nonFinite');
      expect(r.verdict.firstBadLayer).toBe(k);
      expect(r.verdict.evidence[0]).toMatch(new RegExp(`layer ${k} `));
    });
  }

  it('dead ReLU units (biases pushed far below zero): dead', async () => {
    const m = deep('relu', () => 'heNormal');
    m.layers[2].bias?.fill(-100);
    const r = await diagnose(m, x, y);
    expect(r.verdict.status).toBe('dead');
    expect(r.verdict.firstBadLayer).toBe(2);
    expect(r.layers[2].activation.deadUnitFraction).toBe(1);
  });
});

// float64 statistics of a float32 tensor, written plainly
function refStats(t: Float32Array, rows: number, cols: number, act: string) {
  const fin = Array.from(t).filter(Number.isFinite);
  const mean = fin.reduce((s, v) => s + v, 0) / fin.length;
  const std = Math.sqrt(fin.reduce((s, v) => s + (v - mean) ** 2, 0) / fin.length);
  const sat = fin.filter((v) =>
    act === 'sigmoid' ? v < 0.01 || v > 0.99 : act === 'tanh' ? Math.abs(v) > 0.99 : false,
  );
  let dead = 0;
  for (let j = 0; j < cols; j++) {
    let all = true;
    for (let i = 0; i < rows; i++) if (t[i * cols + j] !== 0) all = false;
    if (all) dead++;
  }
  return {
    mean,
    std,
    min: Math.min(...fin),
    max: Math.max(...fin),
    saturatedFraction: sat.length / fin.length,
    zeroFraction: fin.filter((v) => v === 0).length / fin.length,
    deadUnitFraction: dead / cols,
    norm: Math.sqrt(fin.reduce((s, v) => s + v * v, 0)),
    maxAbs: Math.max(...fin.map(Math.abs)),
  };
}

describe('native statistics equal a float64 reference', () => {
  it('for z, a and every gradient of a small net', async () => {
    const n = 16;
    const layers = [
      dense(6, 5, {
        activation: 'tanh',
        seed: 1,
        kernelInitializer: init.randomNormal({ stddev: 1.5, seed: 1 }),
      }),
      dense(5, 4, { activation: 'relu', seed: 2 }),
      dense(4, 3, {
        activation: 'sigmoid',
        seed: 3,
        kernelInitializer: init.randomNormal({ stddev: 3, seed: 3 }),
      }),
    ];
    const m = sequential(layers, { seed: 1 });
    const x = rng(7).normal(n * 6);
    const y = Float32Array.from(rng(8).uniform(n * 3), (u) => (u < 0.5 ? 0 : 1));
    const r = await diagnose(m, x, y, { loss: 'binaryCrossentropy', bins: 7 });

    // the same float32 tensors through the layer-by-layer ops (same kernels, same bits)
    let input: Tensor = { shape: [n, 6], data: x };
    const outs = layers.map((l) => {
      const o = ops.dense(
        input,
        { shape: [l.inUnits, l.outUnits], data: l.kernel },
        l.bias,
        l.activation.name,
      );
      const res = { x: input, ...o };
      input = o.a;
      return res;
    });
    // bce on a sigmoid output: ∂L/∂z = (a − y)/N, formed in float32
    let dz: Tensor = {
      shape: [n, 3],
      data: Float32Array.from(outs[2].a.data, (a, i) => Math.fround(Math.fround(a - y[i]) / (n * 3))),
    };
    const grads: { dw: Float32Array; db: Float32Array; dx: Float32Array; da: Float32Array }[] = [];
    for (let l = 2; l >= 0; l--) {
      const L = layers[l];
      const g = ops.denseBackward(
        outs[l].x,
        { shape: [L.inUnits, L.outUnits], data: L.kernel },
        { z: outs[l].z, a: outs[l].a },
        dz,
        l === 2 ? 'linear' : L.activation.name,
      );
      grads[l] = { dw: g.dw.data, db: g.db as Float32Array, dx: (g.dx as Tensor).data, da: dz.data };
      dz = g.dx as Tensor;
    }
    const close = (got: number, want: number) =>
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
    r.layers.forEach((lr, l) => {
      const L = layers[l];
      for (const [got, t, act] of [
        [lr.preActivation, outs[l].z.data, 'linear'],
        [lr.activation, outs[l].a.data, L.activation.name],
      ] as const) {
        const want = refStats(t, n, L.outUnits, act);
        for (const k of [
          'mean',
          'std',
          'min',
          'max',
          'saturatedFraction',
          'zeroFraction',
          'deadUnitFraction',
        ] as const)
          close(got[k], want[k]);
        expect(got.histogram.counts.reduce((s, c) => s + c, 0)).toBe(n * L.outUnits);
        expect(got.histogram.edges).toHaveLength(8);
      }
      for (const [got, t] of [
        [lr.gradients.weight, grads[l].dw],
        [lr.gradients.bias, grads[l].db],
        [lr.gradients.input, grads[l].dx],
        [lr.gradients.output, grads[l].da],
      ] as const) {
        const want = refStats(t, 1, t.length, 'linear');
        close(got?.norm ?? Number.NaN, want.norm);
        close(got?.std ?? Number.NaN, want.std);
        close(got?.maxAbs ?? Number.NaN, want.maxAbs);
      }
      close(lr.weights.norm, refStats(L.kernel, 1, L.kernel.length, 'linear').norm);
    });
    expect(r.layers[2].activation.saturatedFraction).toBeGreaterThan(0); // the check exercised saturation
  });
});

describe('theory beside measurement', () => {
  it('a deep linear net follows the closed form q_l = n·s²·q_{l−1}, χ = m·s²', async () => {
    const m = deep('linear', () => 'glorotNormal', 5);
    const { x, y } = batch(64);
    const r = await diagnose(m, x, y);
    let q = 0;
    let xs = 0;
    for (const v of x) xs += v * v;
    q = xs / x.length;
    r.layers.slice(0, -1).forEach((l) => {
      const s2 = l.weights.std ** 2 + (l.weights.norm ** 2 / (l.inUnits * l.outUnits) - l.weights.std ** 2);
      q = l.inUnits * s2 * q;
      expect(l.theory?.preActivationVariance).toBeCloseTo(q, 10);
      expect(l.theory?.gradientGrowth).toBeCloseTo(l.outUnits * s2, 12);
    });
    expect(r.layers[r.layers.length - 1].theory).toBeUndefined(); // softmax: no element-wise prediction
  });

  it('predicted pre-activation variance is close to the measured one for a wide tanh net', async () => {
    const m = deep('tanh', () => 'glorotNormal', 6, 256, 32);
    const { x, y } = batch(512);
    const r = await diagnose(m, x, y);
    for (const l of r.layers.slice(0, -1)) {
      const measured = l.preActivation.std ** 2 + l.preActivation.mean ** 2;
      // finite width and batch: agreement within ~15% (mean-field is exact as width → ∞)
      expect(Math.abs(measured / (l.theory?.preActivationVariance ?? 0) - 1)).toBeLessThan(0.15);
    }
  });
});

describe('monitor', () => {
  it('records every k-th step during fit: gradient norms and update ratios equal a step-by-step replay', async () => {
    const mk = () => deep('relu', () => 'heNormal', 3);
    const m = mk();
    const { x, y } = batch(256);
    const lr = 0.05;
    const streamed: number[] = [];
    const mon = monitor(m, { every: 2, onRecord: (rec) => streamed.push(rec.step) });
    await m.fit(x, y, {
      epochs: 2,
      batchSize: 32,
      loss: 'sparseCategoricalCrossentropy',
      optimizer: optim.sgd({ lr }),
      verbose: 0,
      shuffle: false,
    });
    expect(mon.history.map((h) => h.step)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    expect(streamed).toEqual([0, 2, 4, 6, 8, 10, 12, 14]); // the stream delivered every record, in order
    expect(mon.history[0].layers).toHaveLength(4);

    // replay the same steps one by one (same kernels, same bits): the gradient norm of
    // each step, and for SGD ‖ΔW‖ = lr·‖g‖, so the ratio is lr·‖g‖/‖W after‖
    const replay = mk();
    const opt = optim.sgd({ lr });
    const norm = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
    for (let step = 0; step < 16; step++) {
      const b = step % 8;
      const xb = x.subarray(b * 32 * 32, (b + 1) * 32 * 32);
      const yb = y.subarray(b * 32, (b + 1) * 32);
      const g = replay.gradients(xb, yb, { loss: 'sparseCategoricalCrossentropy' });
      replay.trainStep(xb, yb, { optimizer: opt });
      if (step % 2 !== 0) continue;
      const rec = mon.history[step / 2];
      replay.layers.forEach((l, i) => {
        const gn = norm(g.layers[i].kernel);
        // measured in the update pass with float partials inside 1024-element chunks (≤ 4e-6 relative)
        expect(Math.abs(rec.layers[i].weightGradNorm / gn - 1)).toBeLessThan(1e-5);
        // ΔW is rounded to float32 per element: relative agreement to ~1e-6
        expect(Math.abs(rec.layers[i].updateRatio / ((lr * gn) / norm(l.kernel)) - 1)).toBeLessThan(1e-5);
      });
    }
    const rep = await mon.report(x.subarray(0, 64 * 32), y.subarray(0, 64));
    expect(rep.history).toHaveLength(8);
    expect(rep.toHTML()).toContain('<svg');
    mon.detach();
    await m.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
    expect(mon.history).toHaveLength(8);
  });
});

describe('LSUV', () => {
  it('brings every layer output variance within tol of 1 on MNIST digits', async () => {
    const d = datasets.mnist({ count: 500 });
    const layers = [];
    for (let i = 0; i < 6; i++) layers.push(dense(i === 0 ? 784 : 100, 100, { activation: 'tanh', seed: i }));
    layers.push(dense(100, 10, { activation: 'softmax', seed: 9 }));
    const m = sequential(layers, { seed: 3 });
    const res = lsuv(m, d.x, { tol: 0.05 });
    // measured independently through the ops on the same batch
    let input: Tensor = { shape: [500, 784], data: d.x };
    layers.forEach((l, i) => {
      const o = ops.dense(
        input,
        { shape: [l.inUnits, l.outUnits], data: l.kernel },
        l.bias,
        l.activation.name,
      );
      let s = 0;
      let s2 = 0;
      for (const v of o.z.data) {
        s += v;
        s2 += v * v;
      }
      const variance = s2 / o.z.data.length - (s / o.z.data.length) ** 2;
      expect(Math.abs(variance - 1), `layer ${i}`).toBeLessThan(0.05);
      expect(res.layers[i].converged).toBe(true);
      input = o.a;
    });
  });
});

describe('bad input', () => {
  const m = deep('relu', () => 'heNormal', 2);
  const { x, y } = batch(8);
  it('rejects a non-model, x of the wrong width and unknown options', async () => {
    await expect(diagnose({} as never, x, y)).rejects.toThrow(/a model from sequential/);
    await expect(diagnose(m, x.subarray(0, 8 * 31), y)).rejects.toThrow(/multiple of 32/);
    await expect(diagnose(m, x, y, { bogus: 1 } as never)).rejects.toThrow(/bogus/);
    await expect(diagnose(m, x, y, { thresholds: { vanishing: 2 } })).rejects.toThrow(/vanishing/);
    expect(() => monitor(m, { every: 0 })).toThrow(/every/);
    expect(() => lsuv(m, x, { tol: -1 })).toThrow(/tol/);
    expect(() => sequential([])).toThrow(/non-empty array/);
  });
});
