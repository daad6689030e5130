/**
 * Training trials (issue: training off the JS thread, faster than numpy and TF.js):
 * one epoch of mini-batch SGD with softmax + cross-entropy on random data, in
 * samples per second, for the two nets — wide (784-512-512-10 ReLU, batch
 * 128) and deep-narrow (784-(100×20)-10 tanh, batch 64) — plus the cost of
 * monitoring every step with the diagnostics on.
 */
import { dense, monitor, optim, rng, type Sequential, sequential, setThreads } from '../../lib/index.js';
import type { Trial } from '../harness.js';
import { loadTfLayers, type Tf, useBackend } from '../peers/tfjs.js';
import type { NumpyTrial } from '../run.js';

interface Net {
  id: string;
  title: string;
  sizes: number[];
  act: 'relu' | 'tanh';
  batch: number;
}

function build(net: Net): Sequential {
  const layers = net.sizes.slice(1).map((out, i) =>
    dense(net.sizes[i], out, {
      activation: i === net.sizes.length - 2 ? 'softmax' : net.act,
      seed: i + 1,
    }),
  );
  return sequential(layers, { seed: 1 });
}

export function trainTrials(quick: boolean, tf: Tf | undefined): { trials: Trial[]; numpy: NumpyTrial[] } {
  const trials: Trial[] = [];
  const numpy: NumpyTrial[] = [];
  const deep = [784, ...new Array(20).fill(100), 10];
  const nets: Net[] = [
    {
      id: 'train.wide',
      title: 'train 784-512-512-10 relu, batch 128, SGD (samples/s)',
      sizes: [784, 512, 512, 10],
      act: 'relu',
      batch: 128,
    },
    {
      id: 'train.deep',
      title: 'train 784-(100×20)-10 tanh, batch 64, SGD (samples/s)',
      sizes: deep,
      act: 'tanh',
      batch: 64,
    },
  ];
  for (const net of nets) {
    const n = net.batch * (quick ? 10 : 40);
    const x = rng(1).uniform(n * 784);
    const labels = Int32Array.from(rng(2).uniform(n), (u) => Math.floor(u * 10));
    const work = { count: n, unit: 'sample' as const };
    for (const threads of [1, 2]) {
      let model: Sequential;
      const opt = optim.sgd({ lr: 0.01 });
      const fit = () =>
        model.fit(x, labels, {
          epochs: 1,
          batchSize: net.batch,
          loss: 'sparseCategoricalCrossentropy',
          optimizer: opt,
          verbose: 0,
        });
      trials.push({
        group: net.id,
        title: net.title,
        impl: `gradscope fit (${threads} thread${threads > 1 ? 's' : ''})`,
        reference: threads === 1,
        work,
        setup: () => {
          setThreads(threads);
          model = build(net);
        },
        run: fit,
        teardown: () => setThreads(1),
      });
      if (net.id === 'train.wide') {
        trials.push({
          group: net.id,
          title: net.title,
          impl: `gradscope fit + monitor every step (${threads} thread${threads > 1 ? 's' : ''})`,
          work,
          setup: () => {
            setThreads(threads);
            model = build(net);
            monitor(model, { every: 1 });
          },
          run: fit,
          teardown: () => setThreads(1),
        });
      }
      numpy.push({
        group: net.id,
        title: net.title,
        impl: `numpy hand-written (${threads} thread${threads > 1 ? 's' : ''})`,
        kind: 'mlp_epoch',
        args: { sizes: net.sizes, act: net.act, batch: net.batch, n },
        unit: 'sample',
        count: n,
        threads,
      });
    }
    if (!tf) continue;
    // TF.js is ~100× slower: a few batches give a stable rate.
    const nt = net.batch * (quick ? 2 : 4);
    for (const backend of ['wasm', 'cpu'] as const) {
      let model: any;
      let xs: any;
      let ys: any;
      trials.push({
        group: net.id,
        title: net.title,
        impl: `tfjs-${backend} model.fit`,
        work: { count: nt, unit: 'sample' },
        setup: async () => {
          await useBackend(backend);
          const tfl = loadTfLayers();
          model = tfl.sequential();
          net.sizes.slice(1).forEach((out, i) => {
            model.add(
              tfl.layers.dense({
                units: out,
                inputShape: i === 0 ? [784] : undefined,
                activation: i === net.sizes.length - 2 ? 'softmax' : net.act,
              }),
            );
          });
          model.compile({
            optimizer: tfl.train?.sgd?.(0.01) ?? tf.train.sgd(0.01),
            loss: 'sparseCategoricalCrossentropy',
          });
          xs = tf.tensor2d(x.subarray(0, nt * 784), [nt, 784]);
          ys = tf.tensor2d(Float32Array.from(labels.subarray(0, nt)), [nt, 1]);
        },
        run: () => model.fit(xs, ys, { epochs: 1, batchSize: net.batch, shuffle: true, verbose: 0 }),
        teardown: () => {
          xs.dispose();
          ys.dispose();
          model.dispose();
        },
      });
    }
  }
  return { trials, numpy };
}
