// Trains the 784-256-128-10 ReLU/softmax net on 8,000 real MNIST digits with
// Adam and tests it on the 2,000 held out; prints the loss curves and timings.
//
//   npm run example:mnist [-- --epochs 20]
import { datasets, dense, optim, sequential } from '../lib/index.js';

const arg = process.argv.indexOf('--epochs');
const epochs = arg > 0 ? Number(process.argv[arg + 1]) : 20;
const train = datasets.mnist({ count: 8000 });
const test = datasets.mnist({ offset: 8000 });

const model = sequential(
  [
    dense(784, 256, { activation: 'relu', seed: 1 }),
    dense(256, 128, { activation: 'relu', seed: 2 }),
    dense(128, 10, { activation: 'softmax', seed: 3 }),
  ],
  { seed: 4, name: 'mnist-mlp' },
);
console.log(model.summary());

const started = performance.now();
const h = await model.fit(train.x, train.labels, {
  epochs,
  batchSize: 64,
  loss: 'sparseCategoricalCrossentropy',
  optimizer: optim.adam({ lr: 1e-3 }),
  validationData: [test.x, test.labels],
  verbose: 2,
});
const seconds = (performance.now() - started) / 1000;

// Loss curves as a text plot: one column per epoch, train (·) and validation (o).
function plot(series: { name: string; mark: string; values: number[] }[], height = 12): string {
  const all = series.flatMap((s) => s.values);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const rows: string[][] = Array.from({ length: height }, () => new Array(all.length / series.length).fill(' '));
  for (const s of series) {
    s.values.forEach((v, x) => {
      const y = Math.round(((hi - v) / (hi - lo || 1)) * (height - 1));
      rows[y][x] = s.mark;
    });
  }
  const label = (i: number) => (hi - ((hi - lo) * i) / (height - 1)).toFixed(3).padStart(7);
  return [
    ...rows.map((r, i) => `${label(i)} │ ${r.join('  ')}`),
    `        └${'─'.repeat(3 * rows[0].length)}`,
    `          epochs 1..${rows[0].length}    ${series.map((s) => `${s.mark} ${s.name}`).join('   ')}`,
  ].join('\n');
}
console.log(
  `\n${plot([
    { name: 'train loss', mark: '·', values: h.loss },
    { name: 'validation loss', mark: 'o', values: h.valLoss ?? [] },
  ])}`,
);
const { accuracy } = model.evaluate(test.x, test.labels);
console.log(
  `\ntest accuracy ${(100 * (accuracy ?? 0)).toFixed(2)}% on 2,000 held-out digits; ` +
    `${epochs} epochs in ${seconds.toFixed(2)} s (${Math.round((epochs * 8000) / seconds).toLocaleString('en-US')} samples/s)`,
);
