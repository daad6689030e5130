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

  // The model's update runs in native Model::update (its own per-step scalars and
  // clipping); Optimizer.step is checked against float64 references in
  // optim.test.ts. Equal bits here tie the model path to those references, for
  // every optimiser, option and clipping variant.
  const variants: Array<[string, () => optim.Optimizer]> = [
    ['sgd', () => optim.sgd({ lr: 0.05 })],
    ['sgd nesterov + l2', () => optim.sgd({ lr: 0.05, momentum: 0.8, nesterov: true, l2: 1e-3 })],
    ['adagrad', () => optim.adagrad({ lr: 0.05 })],
    ['rmsprop momentum', () => optim.rmsprop({ lr: 0.01, momentum: 0.5 })],
    ['adam', () => optim.adam({ lr: 0.01 })],
    ['adamw', () => optim.adamw({ lr: 0.01, weightDecay: 0.05 })],
    ['nadam', () => optim.nadam({ lr: 0.01 })],
    ['adam clipValue', () => optim.adam({ lr: 0.01, clipValue: 2e-3 })],
    ['sgd clipNorm', () => optim.sgd({ lr: 0.5, clipNorm: 0.02 })],
    ['rmsprop globalClipNorm', () => optim.rmsprop({ lr: 0.01, globalClipNorm: 0.03 })],
  ];
  it.each(variants)(
    '%s: the model update equals Optimizer.step on the same gradients, bit for bit',
    (name, make) => {
      const m = net();
      const twin = net(); // same seeds: same initial weights; only its gradients are used
      const ref = net()
        .getWeights()
        .map((w) => Float32Array.from(w));
      const { x, labels } = problem(64, 9);
      const optA = make();
      const optB = make();
      for (let step = 0; step < 4; step++) {
        // gradients of the reference weights, taken through the twin model
        twin.setWeights(ref);
        const g = twin.gradients(x, labels, { loss: 'sparseCategoricalCrossentropy' });
        optB.step(
          ref,
          g.layers.flatMap((l) => [l.kernel, l.bias as Float32Array]),
        );
        m.trainStep(x, labels, { loss: 'sparseCategoricalCrossentropy', optimizer: optA });
      }
      expect(weightsHash(m)).toBe(ref.map(hash).join(''));
      if (name.includes('clip')) {
        // the clipping was active: without it the weights differ
        const plain = net();
        const unclipped = name.startsWith('adam')
          ? optim.adam({ lr: 0.01 })
          : name.startsWith('sgd')
            ? optim.sgd({ lr: 0.5 })
            : optim.rmsprop({ lr: 0.01 });
        for (let step = 0; step < 4; step++)
          plain.trainStep(x, labels, { loss: 'sparseCategoricalCrossentropy', optimizer: unclipped });
        expect(weightsHash(plain)).not.toBe(weightsHash(m));
      }
    },
  );

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

  it('never holds the JS thread for long: a 1 ms timer keeps firing all through a fit', async () => {
    // Long enough to time (a few hundred ms): 3 epochs of a 784-256-10 net. A fit
    // that ran an epoch (or the whole run) on the JS thread would leave a gap of
    // a third of the run (or all of it) between two ticks; off the thread, the
    // gaps are the event loop's own (GC, the callbacks), a few ms.
    const big = sequential(
      [dense(784, 256, { activation: 'relu', seed: 1 }), dense(256, 10, { activation: 'softmax', seed: 2 })],
      { seed: 3 },
    );
    const bx = rng(11).uniform(6000 * 784);
    const by = Int32Array.from(rng(12).uniform(6000), (u) => Math.floor(u * 10));
    let ticks = 0;
    let last = performance.now();
    let maxGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      ticks++;
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 1);
    const started = performance.now();
    last = started;
    await big.fit(bx, by, {
      epochs: 3,
      batchSize: 32,
      loss: 'sparseCategoricalCrossentropy',
      optimizer: optim.sgd({ lr: 0.01 }),
      verbose: 0,
    });
    const elapsed = performance.now() - started;
    maxGap = Math.max(maxGap, performance.now() - last);
    clearInterval(timer);
    expect(elapsed).toBeGreaterThan(60); // else the test could not tell
    expect(maxGap).toBeLessThan(elapsed / 5);
    expect(ticks).toBeGreaterThan(elapsed / 20);
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

describe('progress output', () => {
  // stderr captured in process; isTTY forced to say what a terminal would
  async function stderrOf(tty: boolean, verbose: 0 | 1 | 2): Promise<string> {
    const { x, labels } = problem(256, 12);
    const m = net();
    const err = process.stderr as NodeJS.WriteStream & { isTTY?: boolean };
    const write = err.write;
    const wasTTY = err.isTTY;
    let out = '';
    err.isTTY = tty;
    err.write = ((chunk: string | Uint8Array) => {
      out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    }) as typeof err.write;
    try {
      await m.fit(x, labels, { epochs: 2, batchSize: 32, loss: 'sparseCategoricalCrossentropy', verbose });
    } finally {
      err.write = write;
      err.isTTY = wasTTY;
    }
    return out;
  }

  it('draws a bar and epoch lines on a terminal with verbose 1', async () => {
    const out = await stderrOf(true, 1);
    expect(out).toContain('\r\x1b[2K'); // redraws in place
    expect(out).toMatch(/epoch 1\/2 \[=*>? *\]\s+\d+% loss \d/); // the bar
    // each epoch ends with a line of its own (the bar cleared first)
    expect(out).toContain('\r\x1b[2Kepoch 1/2  loss ');
    expect(out).toMatch(/epoch 1\/2 {2}loss \d\.\d{4} {2}acc [\d.]+%.*\n/);
    expect(out).toMatch(/epoch 2\/2 {2}loss \d\.\d{4} {2}acc [\d.]+%.*\n/);
  });

  it('stays quiet when stderr is not a terminal (verbose 1) and with verbose 0', async () => {
    expect(await stderrOf(false, 1)).toBe('');
    expect(await stderrOf(true, 0)).toBe('');
  });

  it('verbose 2 writes plain epoch lines, no bar, even off a terminal', async () => {
    const out = await stderrOf(false, 2);
    expect(out).not.toContain('\x1b[');
    expect(out.trim().split('\n')).toHaveLength(2);
  });
});

describe('weights and summary', () => {
  it('getWeights gives live views that training updates; setWeights writes into them', () => {
    const m = net();
    const views = m.getWeights();
    expect(views).toHaveLength(6); // kernel, bias × 3 layers
    expect(views.map((w) => w.length)).toEqual([320, 32, 512, 16, 48, 3]);
    const before = views.map((w) => Float32Array.from(w));
    const { x, labels } = problem(64, 10);
    m.trainStep(x, labels, { loss: 'sparseCategoricalCrossentropy', optimizer: optim.sgd({ lr: 0.1 }) });
    // the same arrays now hold the updated values
    expect(m.getWeights()[0]).toBe(views[0]);
    views.forEach((w, i) => {
      expect(hash(w)).not.toBe(hash(before[i]));
    });
    m.setWeights(before);
    views.forEach((w, i) => {
      expect(hash(w)).toBe(hash(before[i]));
    });
    // the model computes with what setWeights wrote: the same step gives the same result
    const again = net();
    again.setWeights(before);
    const a = m.trainStep(x, labels, {
      loss: 'sparseCategoricalCrossentropy',
      optimizer: optim.sgd({ lr: 0.1 }),
    });
    const b = again.trainStep(x, labels, {
      loss: 'sparseCategoricalCrossentropy',
      optimizer: optim.sgd({ lr: 0.1 }),
    });
    expect(a.loss).toBe(b.loss);
    expect(weightsHash(m)).toBe(weightsHash(again));
  });

  it('summary lists each layer with its shapes, parameters, activation and initializer', () => {
    const lines = net().summary().split('\n');
    const row = (i: number) => lines.find((l) => l.startsWith(`${i} `)) ?? '';
    expect(row(0)).toMatch(/dense 10→32\s+\[batch, 32\]\s+352\s+relu\s+HeNormal/);
    expect(row(1)).toMatch(/dense 32→16\s+\[batch, 16\]\s+528\s+tanh\s+GlorotUniform/);
    expect(row(2)).toMatch(/dense 16→3\s+\[batch, 3\]\s+51\s+softmax\s+GlorotUniform/);
    expect(lines[0]).toBe('Model "sequential"');
    expect(lines.at(-1)).toBe('Total params: 931');
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
    [
      'negative label',
      (m) =>
        m.trainStep(
          x,
          labels.map((l, i) => (i === 37 ? -1 : l)),
          { loss: 'sparseCategoricalCrossentropy' },
        ),
      /labels in \[0, 3\)/,
    ],
    [
      'clipNorm 0 in fit',
      (m) => m.fit(x, labels, { loss: 'sparseCategoricalCrossentropy', clipNorm: 0 }),
      /clipNorm/,
    ],
    [
      'negative clipValue in fit',
      (m) => m.fit(x, labels, { loss: 'sparseCategoricalCrossentropy', clipValue: -1 }),
      /clipValue/,
    ],
    [
      'NaN globalClipNorm in fit',
      (m) => m.fit(x, labels, { loss: 'sparseCategoricalCrossentropy', globalClipNorm: Number.NaN }),
      /globalClipNorm/,
    ],
    [
      'setWeights with a wrong length',
      (m) => m.setWeights(m.getWeights().map((w, i) => (i === 2 ? new Float32Array(w.length + 1) : w))),
      /weights\[2\]/,
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
