// The README's custom training loop (layers + fused softmax/CE gradient + optimiser)
// learns a synthetic 3-class problem, deterministically.
import { describe, expect, it } from 'vitest';
import { dense, ops, optim, rng } from '../lib/index.js';
import { hash, withThreads } from './helpers.js';

function data(n: number, seed: number) {
  const x = rng(seed).normal(n * 10);
  const wTrue = rng(999).normal(10 * 3);
  const y = new Float32Array(n * 3);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = [0, 1, 2].map((c) => {
      let t = 0;
      for (let k = 0; k < 10; k++) t += x[i * 10 + k] * wTrue[k * 3 + c];
      return t;
    });
    const l = s.indexOf(Math.max(...s));
    labels.push(l);
    y[i * 3 + l] = 1;
  }
  return { x: { shape: [n, 10], data: x }, y: { shape: [n, 3], data: y }, labels };
}

function train() {
  const l1 = dense(10, 32, { activation: 'relu', seed: 1 });
  const l2 = dense(32, 3, { kernelInitializer: 'glorotUniform', seed: 2 });
  const opt = optim.adam({ lr: 0.01 });
  const losses: number[] = [];
  for (let step = 0; step < 150; step++) {
    const { x, y } = data(64, 100 + step);
    const p = ops.activation(l2.forward(l1.forward(x)), 'softmax');
    let loss = 0;
    for (let i = 0; i < p.data.length; i++) if (y.data[i] === 1) loss -= Math.log(p.data[i]);
    losses.push(loss / 64);
    const g2 = l2.backward(ops.softmaxCrossEntropyBackward(p, y));
    const g1 = l1.backward(g2.dx!, { inputGradient: false });
    opt.step([l1.kernel, l1.bias!, l2.kernel, l2.bias!], [g1.dw.data, g1.db, g2.dw.data, g2.db]);
  }
  const test = data(1000, 7);
  const p = ops.activation(l2.forward(l1.forward(test.x)), 'softmax').data;
  let correct = 0;
  test.labels.forEach((l, i) => {
    const row = Array.from(p.subarray(i * 3, i * 3 + 3));
    if (row.indexOf(Math.max(...row)) === l) correct++;
  });
  return { losses, accuracy: correct / 1000, weights: hash(l1.kernel) + hash(l2.kernel) };
}

describe('a custom training loop', () => {
  it('learns (loss falls, held-out accuracy > 90%) and is bit-identical for 1 and 2 threads', () => {
    const a = withThreads(1, train);
    const first = a.losses.slice(0, 10).reduce((s, v) => s + v, 0) / 10;
    const last = a.losses.slice(-10).reduce((s, v) => s + v, 0) / 10;
    expect(last).toBeLessThan(first / 3);
    expect(a.accuracy).toBeGreaterThan(0.9);
    expect(withThreads(2, train).weights).toBe(a.weights);
  });
});
