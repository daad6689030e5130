/** Sampling and initialiser trials (issue: SIMD random sampling). */
import { init, rng, setThreads } from '../../lib/index.js';
import type { Trial } from '../harness.js';
import { loadTfLayers, type Tf, useBackend } from '../peers/tfjs.js';
import type { NumpyTrial } from '../run.js';

export function randomTrials(quick: boolean, tf: Tf | undefined): { trials: Trial[]; numpy: NumpyTrial[] } {
  const n = quick ? 1 << 20 : 1 << 24;
  const label = quick ? '2^20' : '2^24';
  const trials: Trial[] = [];
  const numpy: NumpyTrial[] = [];
  const out = new Float32Array(n);
  const g = rng(1);
  const threadsAfter = () => setThreads(1);

  const dists = [
    ['normal', 'normal', (o: Float32Array) => g.normal(o), 'randomNormal'],
    ['uniform', 'uniform', (o: Float32Array) => g.uniform(o), 'randomUniform'],
    ['truncnormal', 'truncated normal', (o: Float32Array) => g.truncatedNormal(o), 'truncatedNormal'],
  ] as const;
  for (const [id, name, fill, tfOp] of dists) {
    const group = `random.${id}`;
    const title = `${name} ${label} float32`;
    const work = { count: n, unit: 'sample' as const };
    for (const threads of [1, 2]) {
      trials.push({
        group,
        title,
        impl: `gradscope (${threads} thread${threads > 1 ? 's' : ''})`,
        reference: threads === 1,
        work,
        setup: () => setThreads(threads),
        run: () => fill(out),
        teardown: threadsAfter,
      });
    }
    if (id !== 'truncnormal')
      numpy.push({
        group,
        title,
        impl: 'numpy default_rng',
        kind: id,
        args: { n },
        unit: 'sample',
        count: n,
      });
    if (tf) {
      for (const backend of ['wasm', 'cpu'] as const) {
        trials.push({
          group,
          title,
          impl: `tfjs-${backend} tf.${tfOp}`,
          work,
          setup: () => useBackend(backend),
          run: () => {
            const t = (tf as any)[tfOp]([n], undefined, undefined, 'float32', 1);
            t.dataSync();
            t.dispose();
          },
        });
      }
    }
  }

  const side = quick ? 1024 : 4096;
  const shape = [side, side];
  const group = 'init.glorotNormal';
  const title = `glorotNormal ${side}×${side}`;
  const work = { count: side * side, unit: 'sample' as const };
  const gn = init.glorotNormal({ seed: 1 });
  const w = new Float32Array(side * side);
  for (const threads of [1, 2]) {
    trials.push({
      group,
      title,
      impl: `gradscope init.glorotNormal (${threads} thread${threads > 1 ? 's' : ''})`,
      reference: threads === 1,
      work,
      setup: () => setThreads(threads),
      run: () => gn.fill(w, shape),
      teardown: threadsAfter,
    });
  }
  numpy.push({
    group,
    title,
    impl: 'numpy (normal, redraw outside ±2σ)',
    kind: 'glorot_normal_np',
    args: { shape },
    unit: 'sample',
    count: side * side,
  });
  if (tf) {
    trials.push({
      group,
      title,
      impl: 'tfjs-layers glorotNormal (wasm)',
      work,
      setup: () => useBackend('wasm'),
      run: () => {
        const layers = loadTfLayers();
        const t = layers.initializers.glorotNormal({ seed: 1 }).apply(shape);
        t.dataSync();
        t.dispose();
      },
    });
  }
  return { trials, numpy };
}
