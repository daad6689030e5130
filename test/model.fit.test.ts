// Sequential models: training steps against the layer-by-layer path, fit off the
// JS thread (timers keep firing), callbacks, determinism, and bad input.
import { describe, expect, it } from 'vitest';
import {
  cpu,
  dense,
  earlyStopping,
  GradscopeError,
  ops,
  optim,
  reduceLROnPlateau,
  rng,
  type Sequential,
  sequential,
} from '../lib/index.js';
import { ALL_ISAS, hash, ISAS, withIsa, withThreads } from './helpers.js';

// A synthetic 3-class problem: labels from a fixed random linear map.
function problem(n: number, seed: number) {
  const x = rng(seed).normal(n * 10);
  const wTrue = rng(999).normal(10 * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = [0, 1, 2].map((c) => {
      let t = 0;
      for (let k = 0; k < 10; k++) t += x[i * 10 + k] * wTrue[k * 3 + c];
      return t;
    });
    labels[i] = s.indexOf(Math.max(...s));
  }
  const onehot = new Float32Array(n * 3);
  labels.forEach((l, i) => {
    onehot[i * 3 + l] = 1;
  });
  return { x, labels, onehot };
}

const net = (seed = 1) =>
  sequential(
    [
      dense(10, 32, { activation: 'relu', seed }),
      dense(32, 16, { activation: 'tanh', seed: seed + 1 }),
      dense(16, 3, { activation: 'softmax', seed: seed + 2 }),
    ],
    { seed: 42 },
  );

const weightsHash = (m: Sequential) => m.getWeights().map(hash).join('');

describe('trainStep', () => {
  it('equals the layer-by-layer path (same kernels, same order) bit for bit', () => {
    const m = net();
    const layers = [
      dense(10, 32, { activation: 'relu', seed: 1 }),
      dense(32, 16, { activation: 'tanh', seed: 2 }),
      dense(16, 3, { seed: 3 }), // linear: softmax + cross-entropy are applied below, fused
    ];
    const { x, onehot } = problem(64, 5);
    const optA = optim.sgd({ lr: 0.1, momentum: 0.9 });
    const optB = optim.sgd({ lr: 0.1, momentum: 0.9 });
    for (let step = 0; step < 5; step++) {
      m.trainStep(x, onehot, { loss: 'categoricalCrossentropy', optimizer: optA });
      const xs = { shape: [64, 10], data: x };
      const p = ops.activation(layers[2].forward(layers[1].forward(layers[0].forward(xs))), 'softmax');
      const g3 = layers[2].backward(ops.softmaxCrossEntropyBackward(p, { shape: [64, 3], data: onehot }));
      const g2 = layers[1].backward(g3.dx as never);
      const g1 = layers[0].backward(g2.dx as never, { inputGradient: false });
      optB.step(
        layers.flatMap((l) => [l.kernel, l.bias as Float32Array]),
        [g1, g2, g3].flatMap((g) => [g.dw.data, g.db as Float32Array]),
      );
    }
    expect(weightsHash(m)).toBe(
      layers.flatMap((l) => [hash(l.kernel), hash(l.bias as Float32Array)]).join(''),
    );
    expect(optA.iterations).toBe(5);
  });

  it('reports the batch loss before the update and decreases it', () => {
    const m = net();
    const { x, labels } = problem(128, 6);
    const first = m.trainStep(x, labels, {
      loss: 'sparseCategoricalCrossentropy',
      optimizer: optim.adam({ lr: 0.01 }),
    });
    let last = first;
    for (let i = 0; i < 50; i++) last = m.trainStep(x, labels);
    expect(last.loss).toBeLessThan(first.loss / 3);
    expect(last.accuracy).toBeGreaterThan(0.9);
  });
});

describe('fit', () => {
  const { x, labels } = problem(1200, 7);
  const test = problem(500, 8);

  it('learns, keeps the event loop free, and reports a Keras-like history', async () => {
    const m = net();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    let ticksDuringFit = 0;
    const seen: number[] = [];
    const h = await m.fit(x, labels, {
      epochs: 8,
      batchSize: 16,
      loss: 'sparseCategoricalCrossentropy',
      optimizer: optim.adam({ lr: 3e-3 }),
      validationData: [test.x, test.labels],
      verbose: 0,
      callbacks: {
        onEpochEnd: (e) => {
          seen.push(e);
          ticksDuringFit = ticks;
        },
      },
    });
    clearInterval(timer);
    expect(ticksDuringFit).toBeGreaterThan(0); // timers ran while epochs trained
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(h.epoch).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(h.loss).toHaveLength(8);
    expect(h.loss[7]).toBeLessThan(h.loss[0] / 2);
    expect(h.steps).toBe(8 * Math.ceil(1200 / 16));
    expect(h.valAccuracy?.[7]).toBeGreaterThan(0.9);
    const ev = m.evaluate(test.x, test.labels, { loss: 'sparseCategoricalCrossentropy' });
    expect(ev.accuracy).toBe(h.valAccuracy?.[7]);
  });

  it('gives bit-identical weights for the same seed on every ISA and thread count', async () => {
    const run = async () => {
      const m = net();
      await m.fit(x, labels, {
        epochs: 1,
        batchSize: 32,
        loss: 'sparseCategoricalCrossentropy',
        optimizer: optim.adam(),
        verbose: 0,
      });
      return weightsHash(m);
    };
    const ref = await withIsa('scalar', () => withThreads(1, run));
    for (const isa of ISAS) {
      for (const t of [1, 2, 3]) {
        expect(await withIsa(isa, () => withThreads(t, run)), `${isa}, ${t} threads`).toBe(ref);
      }
    }
    const missing = ALL_ISAS.filter((i) => !ISAS.includes(i));
    if (missing.length) console.log(`fit determinism: ${missing.join(', ')} not runnable on ${cpu().isa}`);
  });

  it('shuffles by seed: same seed same weights, another seed other weights', async () => {
    const train = async (seed: number, shuffle = true) => {
      const m = net();
      await m.fit(x, labels, {
        epochs: 1,
        batchSize: 50,
        loss: 'sparseCategoricalCrossentropy',
        seed,
        shuffle,
        verbose: 0,
      });
      return weightsHash(m);
    };
    expect(await train(1)).toBe(await train(1));
    expect(await train(1)).not.toBe(await train(2));
    expect(await train(1, false)).toBe(await train(2, false));
  });

  it('validationSplit holds out the last rows before shuffling', async () => {
    const m = net();
    const h = await m.fit(x, labels, {
      epochs: 1,
      validationSplit: 0.25,
      loss: 'sparseCategoricalCrossentropy',
      verbose: 0,
    });
    const last = m.evaluate(x.subarray(900 * 10), labels.subarray(900), {
      loss: 'sparseCategoricalCrossentropy',
    });
    expect(h.valLoss?.[0]).toBeCloseTo(last.loss, 12);
    expect(h.steps).toBe(Math.ceil(900 / 32));
  });

  it('a callback returning false stops at that batch; async callbacks are awaited', async () => {
    const m = net();
    const order: string[] = [];
    const h = await m.fit(x, labels, {
      epochs: 3,
      batchSize: 100,
      loss: 'sparseCategoricalCrossentropy',
      verbose: 0,
      callbacks: {
        onBatchEnd: async (b) => {
          await new Promise((r) => setTimeout(r, 1));
          order.push(`b${b}`);
          return b === 3 ? false : undefined;
        },
      },
    });
    expect(h.steps).toBe(4);
    expect(h.stopped).toBe(true);
    expect(order).toEqual(['b0', 'b1', 'b2', 'b3']);
    expect(m.handle.busy()).toBe(false);
  });

  it('model.stopTraining set by an epoch callback stops after that epoch', async () => {
    const m = net();
    const h = await m.fit(x, labels, {
      epochs: 5,
      loss: 'sparseCategoricalCrossentropy',
      verbose: 0,
      callbacks: {
        onEpochEnd: (e, _l, model) => {
          if (e === 1) model.stopTraining = true;
        },
      },
    });
    expect(h.epoch).toEqual([0, 1]);
  });

  it('a callback that throws rejects fit with ERR_GRADSCOPE_CALLBACK and leaves the model usable', async () => {
    const m = net();
    await expect(
      m.fit(x, labels, {
        loss: 'sparseCategoricalCrossentropy',
        verbose: 0,
        callbacks: {
          onBatchEnd: () => {
            throw new Error('boom');
          },
        },
      }),
    ).rejects.toMatchObject({ code: 'ERR_GRADSCOPE_CALLBACK', message: expect.stringContaining('boom') });
    expect(() => m.predict(x)).not.toThrow();
  });

  it('rejects a second fit on the same model while one runs, and sync calls too', async () => {
    const m = net();
    const first = m.fit(x, labels, { epochs: 2, loss: 'sparseCategoricalCrossentropy', verbose: 0 });
    await expect(
      m.fit(x, labels, { loss: 'sparseCategoricalCrossentropy', verbose: 0 }),
    ).rejects.toMatchObject({
      code: 'ERR_GRADSCOPE_BUSY',
    });
    expect(() => m.trainStep(x, labels)).toThrow(GradscopeError);
    expect(() => m.setWeights(m.getWeights())).toThrow(/busy/);
    await first;
    expect(() => m.trainStep(x, labels)).not.toThrow();
  });

  it('reports a NaN that appears mid-training: where, and weights from before that step', async () => {
    const m = net();
    const bad = x.slice();
    bad[(5 * 32 + 7) * 10 + 3] = Number.NaN; // row 167: batch 5 of epoch 0 without shuffling
    const err = await m
      .fit(bad, labels, {
        epochs: 2,
        batchSize: 32,
        shuffle: false,
        loss: 'sparseCategoricalCrossentropy',
        verbose: 0,
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(GradscopeError);
    expect(err.code).toBe('ERR_GRADSCOPE_NON_FINITE');
    expect(err.nonFinite).toMatchObject({ epoch: 0, batch: 5, step: 5, layer: 0, tensor: 'preActivation' });
    expect(err.message).toMatch(/epoch 0, batch 5/);
    for (const w of m.getWeights()) expect(w.every(Number.isFinite)).toBe(true);
    expect(err.history.steps).toBe(5);

    // 'continue' warns once per event and goes on
    const warnings: string[] = [];
    const onWarn = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarn);
    const m2 = net();
    const h = await m2.fit(bad, labels, {
      epochs: 1,
      batchSize: 32,
      shuffle: false,
      loss: 'sparseCategoricalCrossentropy',
      verbose: 0,
      onNonFinite: 'continue',
    });
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarn);
    expect(h.nonFinite?.batch).toBe(5);
    expect(h.steps).toBe(Math.ceil(1200 / 32));
    expect(warnings.some((w) => /non-finite loss at epoch 0, batch 5/.test(w))).toBe(true);
  });

  it('reduceLROnPlateau lowers the rate; earlyStopping stops', async () => {
    const m = net();
    const h = await m.fit(x, labels, {
      epochs: 4,
      loss: 'sparseCategoricalCrossentropy',
      optimizer: optim.sgd({ lr: 0.1 }),
      verbose: 0,
      // monitoring accuracy with an impossible minDelta: every epoch counts as stalled
      callbacks: [reduceLROnPlateau({ monitor: 'accuracy', patience: 0, factor: 0.5, minDelta: 2 })],
    });
    // the first epoch sets the reference; each later one counts as stalled
    expect(h.lr).toEqual([0.1, 0.1, 0.05, 0.025]);
    const m2 = net();
    const h2 = await m2.fit(x, labels, {
      epochs: 10,
      loss: 'sparseCategoricalCrossentropy',
      verbose: 0,
      callbacks: [earlyStopping({ monitor: 'loss', patience: 1, minDelta: 10 })],
    });
    expect(h2.epoch).toEqual([0, 1]);
  });

  it('schedules give one learning rate per step, continuing the optimiser count', async () => {
    const m = net();
    const opt = optim.sgd({ lr: optim.piecewiseConstant({ boundaries: [10], values: [0.1, 0.01] }) });
    const h = await m.fit(x, labels, {
      epochs: 1,
      batchSize: 200,
      loss: 'sparseCategoricalCrossentropy',
      optimizer: opt,
      verbose: 0,
    });
    expect(h.steps).toBe(6);
    expect(opt.iterations).toBe(6);
    const h2 = await m.fit(x, labels, { epochs: 1, batchSize: 200, optimizer: opt, verbose: 0 });
    expect(h2.lr).toEqual([0.01]);
    expect(opt.iterations).toBe(12);
  });
});

describe('bad input changes nothing', () => {
  const { x, labels } = problem(100, 9);
  const cases: [string, (m: Sequential) => unknown, RegExp | typeof TypeError][] = [
    [
      'x/y rows differ',
      (m) => m.trainStep(x, labels.subarray(0, 50), { loss: 'sparseCategoricalCrossentropy' }),
      /100 labels/,
    ],
    [
      'label out of range',
      (m) =>
        m.trainStep(
          x,
          labels.map((l) => l + 1),
          { loss: 'sparseCategoricalCrossentropy' },
        ),
      /labels in \[0, 3\)/,
    ],
    [
      'x of the wrong width',
      (m) => m.trainStep(x.subarray(0, 99 * 10 + 7), labels, { loss: 'sparseCategoricalCrossentropy' }),
      /multiple of 10/,
    ],
    ['unknown loss', (m) => m.trainStep(x, labels, { loss: 'hinge' }), /one of meanSquaredError/],
    [
      'unknown optimiser',
      (m) => m.trainStep(x, labels, { loss: 'sparseCategoricalCrossentropy', optimizer: {} as never }),
      TypeError,
    ],
    [
      'loss that does not fit the output',
      (m) => m.trainStep(x, labels, { loss: 'binaryCrossentropy' }),
      /sigmoid output layer/,
    ],
    ['unknown option', (m) => m.trainStep(x, labels, { loss: 'mse', lr: 1 } as never), /lr/],
    [
      'a schedule that yields NaN',
      (m) =>
        m.fit(x, labels, {
          loss: 'sparseCategoricalCrossentropy',
          optimizer: optim.sgd({
            lr: { at: () => Number.NaN, getConfig: () => ({ class_name: 'x', config: {} }) },
          }),
        }),
      /learning rate/,
    ],
    [
      'batchSize 0',
      (m) => m.fit(x, labels, { loss: 'sparseCategoricalCrossentropy', batchSize: 0 }),
      /batchSize/,
    ],
    ['epochs -1', (m) => m.fit(x, labels, { loss: 'sparseCategoricalCrossentropy', epochs: -1 }), /epochs/],
    [
      'validationData and validationSplit',
      (m) =>
        m.fit(x, labels, {
          loss: 'sparseCategoricalCrossentropy',
          validationSplit: 0.1,
          validationData: [x, labels],
        }),
      /not both/,
    ],
  ];
  for (const [name, call, expected] of cases) {
    it(name, async () => {
      const m = net();
      const before = weightsHash(m);
      const result = (async () => call(m))();
      await expect(result).rejects.toThrow(expected as never);
      expect(weightsHash(m)).toBe(before);
      expect(m.handle.busy()).toBe(false);
    });
  }

  it('model construction checks layer shapes and placement', () => {
    expect(() => sequential([])).toThrow(TypeError);
    expect(() => sequential([dense(3, 4), dense(5, 2)])).toThrow(/inUnits 4/);
    expect(() => sequential([dense(3, 4, { activation: 'softmax' }), dense(4, 2)])).toThrow(
      /softmax on the output layer only/,
    );
    const l = dense(3, 3);
    sequential([l]);
    expect(() => sequential([l])).toThrow(/not part of another model/);
  });
});
