// The soak: many training steps, fills and diagnose calls in one process,
// sampling RSS and external memory after a warm-up; run with --expose-gc.
// SOAK_SCALE multiplies the counts (1: CI, 5: `npm run soak` = 10,000 steps,
// 10,000 fills, 1,000 diagnose calls). Prints one JSON line.
import { dense, diagnose, monitor, optim, rng, sequential } from '../../lib/index.js';

const scale = Number(process.env.SOAK_SCALE ?? 1);
const steps = 2000 * scale;
const fills = 2000 * scale;
const diagnoses = 200 * scale;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

const m = sequential(
  [
    dense(32, 64, { activation: 'relu', seed: 1 }),
    dense(64, 64, { activation: 'tanh', seed: 2 }),
    dense(64, 10, { activation: 'softmax', seed: 3 }),
  ],
  { seed: 4 },
);
const x = rng(5).normal(64 * 32);
const y = Int32Array.from(rng(6).uniform(64), (u) => Math.floor(u * 10));
const opt = optim.adam();
const r = rng(7);

const collected = { count: 0 };
const registry = new FinalizationRegistry(() => {
  collected.count++;
});

async function phase(fraction: number) {
  for (let i = 0; i < steps * fraction; i++)
    m.trainStep(x, y, { loss: 'sparseCategoricalCrossentropy', optimizer: opt });
  for (let i = 0; i < fills * fraction; i++) {
    const out = await r.normalAsync(4096);
    registry.register(out, i);
  }
  const mon = monitor(m, { every: 5 });
  await m.fit(x, y, { epochs: Math.max(1, Math.round(20 * fraction)), batchSize: 16, verbose: 0 });
  mon.detach();
  for (let i = 0; i < diagnoses * fraction; i++) await diagnose(m, x, y);
}

// Several collections with turns of the event loop between them: array buffers
// are freed by V8 after their wrappers, and finalizers run on later turns.
const mem = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((res) => setTimeout(res, 10));
  }
  const u = process.memoryUsage();
  return { rss: u.rss, heap: u.heapUsed, external: u.external, arrayBuffers: u.arrayBuffers };
};

await phase(0.1); // warm-up: workspaces, pools, JIT
// Growth is judged between the two halves: a leak grows with the work done; the
// heap and allocator settling after the warm-up do not.
await phase(0.45);
const before = await mem();
await phase(0.45);
const after = await mem();
process.stdout.write(
  `${JSON.stringify({ steps, fills, diagnoses, before, after, collectedFills: collected.count, weightsFinite: m.getWeights().every((w) => w.every(Number.isFinite)) })}\n`,
);
