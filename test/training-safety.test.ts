// Async safety of training: buffers detached while fit runs, process exit
// during fit, models in several worker_threads at once, and bit-identical
// results while another process loads the CPU, for 1..8 threads.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dense, optim, rng, sequential } from '../lib/index.js';
import { packageRoot } from '../lib/internal.js';
import { hash, withThreads } from './helpers.js';

const net = () =>
  sequential(
    [dense(20, 32, { activation: 'relu', seed: 1 }), dense(32, 4, { activation: 'softmax', seed: 2 })],
    { seed: 3 },
  );
const data = (n: number) => ({
  x: rng(4).normal(n * 20),
  y: Int32Array.from(rng(5).uniform(n), (u) => Math.floor(u * 4)),
});
const weights = (m: ReturnType<typeof net>) => m.getWeights().map(hash).join('');

async function train(threads: number) {
  return withThreads(threads, async () => {
    const m = net();
    const { x, y } = data(600);
    await m.fit(x, y, {
      epochs: 2,
      batchSize: 32,
      loss: 'sparseCategoricalCrossentropy',
      optimizer: optim.adam(),
      verbose: 0,
    });
    return weights(m);
  });
}

describe('training is safe while async work runs', () => {
  it('fit works on its own copy of x and y: detaching them meanwhile changes nothing', async () => {
    const ref = await train(1);
    const m = net();
    const { x, y } = data(600);
    const p = m.fit(x, y, {
      epochs: 2,
      batchSize: 32,
      loss: 'sparseCategoricalCrossentropy',
      optimizer: optim.adam(),
      verbose: 0,
    });
    structuredClone(x.buffer, { transfer: [x.buffer as ArrayBuffer] });
    structuredClone(y.buffer, { transfer: [y.buffer as ArrayBuffer] });
    expect(x.length).toBe(0); // detached
    await p;
    expect(weights(m)).toBe(ref);
  });

  it('a weight view transferred away does not free the memory the model trains', async () => {
    const m = net();
    const { x, y } = data(200);
    structuredClone(m.layers[0].kernel.buffer, { transfer: [m.layers[0].kernel.buffer as ArrayBuffer] });
    await m.fit(x, y, { epochs: 1, loss: 'sparseCategoricalCrossentropy', verbose: 0 });
    const out = m.predict(x).data;
    expect(out.every(Number.isFinite)).toBe(true);
  });

  it('the process can exit while fit runs (no crash, no hang)', () => {
    const code = `
      import { dense, sequential, rng } from './lib/index.js';
      const m = sequential([dense(50, 256, { activation: 'relu', seed: 1 }), dense(256, 4, { activation: 'softmax', seed: 2 })]);
      const x = rng(1).normal(4000 * 50), y = Int32Array.from(rng(2).uniform(4000), (u) => Math.floor(u * 4));
      m.fit(x, y, { epochs: 1000, loss: 'sparseCategoricalCrossentropy', verbose: 0, callbacks: { onBatchEnd: () => {} } });
      setTimeout(() => process.exit(7), 200);
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: packageRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(7);
  });

  const built = existsSync(path.join(packageRoot, 'dist', 'index.cjs'));
  it.skipIf(!built)(
    'models train in several worker_threads at once, with the same bits as the main thread',
    async () => {
      const ref = await train(1);
      const code = `
      const { Worker } = require('node:worker_threads');
      const src = \`
        const { parentPort } = require('node:worker_threads');
        const { createHash } = require('node:crypto');
        const g = require(${JSON.stringify(path.join(packageRoot, 'dist', 'index.cjs'))});
        g.setThreads(1);
        const m = g.sequential([g.dense(20, 32, { activation: 'relu', seed: 1 }), g.dense(32, 4, { activation: 'softmax', seed: 2 })], { seed: 3 });
        const x = g.rng(4).normal(600 * 20), y = Int32Array.from(g.rng(5).uniform(600), (u) => Math.floor(u * 4));
        m.fit(x, y, { epochs: 2, batchSize: 32, loss: 'sparseCategoricalCrossentropy', optimizer: g.optim.adam(), verbose: 0 }).then(() => {
          parentPort.postMessage(m.getWeights().map((w) => createHash('sha256').update(new Uint8Array(w.buffer, w.byteOffset, w.byteLength)).digest('hex')).join(''));
        });
      \`;
      Promise.all([0, 1, 2].map(() => new Promise((res, rej) => {
        const w = new Worker(src, { eval: true });
        w.once('message', res);
        w.once('error', rej);
      }))).then((h) => { console.log(JSON.stringify(h)); process.exit(0); });
    `;
      const out = execFileSync(process.execPath, ['-e', code], {
        cwd: packageRoot,
        encoding: 'utf8',
        timeout: 120_000,
      });
      const hashes = JSON.parse(out.trim().split('\n').pop() as string);
      expect(hashes).toEqual([ref, ref, ref]);
    },
  );

  it('is bit-identical for 1..8 threads while another process loads the CPU', async () => {
    const ref = await train(1);
    const burner = spawn(
      process.execPath,
      ['-e', 'const end = Date.now() + 60000; while (Date.now() < end) {}'],
      {
        stdio: 'ignore',
      },
    );
    try {
      for (const t of [1, 2, 3, 4, 5, 6, 7, 8]) expect(await train(t), `${t} threads`).toBe(ref);
    } finally {
      burner.kill();
    }
  });
});
