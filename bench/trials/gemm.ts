/** GEMM and dense-layer trials (issue: dense forward/backward on a native SIMD GEMM). */
import { cpu, init, ops, rng, setThreads, type Tensor } from '../../lib/index.js';
import { setIsa } from '../../lib/internal.js';
import type { Trial } from '../harness.js';
import { type Tf, useBackend } from '../peers/tfjs.js';
import type { NumpyTrial } from '../run.js';

interface Shape {
  id: string;
  title: string;
  m: number;
  k: number;
  n: number;
  ta: boolean;
  tb: boolean;
}

const t = (rows: number, cols: number, seed: number): Tensor => ({
  shape: [rows, cols],
  data: rng(seed).normal(rows * cols),
});

export function gemmTrials(quick: boolean, tf: Tf | undefined): { trials: Trial[]; numpy: NumpyTrial[] } {
  const trials: Trial[] = [];
  const numpy: NumpyTrial[] = [];
  const big = quick ? 512 : 1024;
  const best = cpu().isa;
  const shapes: Shape[] = [
    { id: 'gemm.square', title: `matmul ${big}³`, m: big, k: big, n: big, ta: false, tb: false },
    {
      id: 'gemm.fwd128',
      title: 'matmul 128×784·784×512 (forward)',
      m: 128,
      k: 784,
      n: 512,
      ta: false,
      tb: false,
    },
    {
      id: 'gemm.fwd32',
      title: 'matmul 32×784·784×256 (small batch)',
      m: 32,
      k: 784,
      n: 256,
      ta: false,
      tb: false,
    },
    { id: 'gemm.dx', title: 'dX = dY·Wᵀ 128×512·(784×512)ᵀ', m: 128, k: 512, n: 784, ta: false, tb: true },
    { id: 'gemm.dw', title: 'dW = Xᵀ·dY (128×784)ᵀ·128×512', m: 784, k: 128, n: 512, ta: true, tb: false },
  ];
  for (const s of shapes) {
    const a = s.ta ? t(s.k, s.m, 1) : t(s.m, s.k, 1);
    const b = s.tb ? t(s.n, s.k, 2) : t(s.k, s.n, 2);
    const out = new Float32Array(s.m * s.n);
    const work = { count: 2 * s.m * s.n * s.k, unit: 'flop' as const };
    for (const threads of [1, 2]) {
      trials.push({
        group: s.id,
        title: s.title,
        impl: `gradscope (${threads} thread${threads > 1 ? 's' : ''})`,
        reference: threads === 1,
        isa: best,
        threads,
        work,
        setup: () => setThreads(threads),
        run: () => ops.matmul(a, b, { transposeA: s.ta, transposeB: s.tb, out }),
        teardown: () => setThreads(1),
      });
      numpy.push({
        group: s.id,
        title: s.title,
        impl: `numpy/OpenBLAS (${threads} thread${threads > 1 ? 's' : ''})`,
        kind: 'matmul',
        args: { m: s.m, k: s.k, n: s.n, ta: s.ta, tb: s.tb },
        unit: 'flop',
        count: work.count,
        threads,
      });
    }
    // The other kernels this CPU runs, one thread each: GFLOP/s and % of peak per ISA.
    for (const isa of cpu().available.filter((i) => i !== best)) {
      trials.push({
        group: s.id,
        title: s.title,
        impl: `gradscope ${isa} kernels (1 thread)`,
        isa,
        threads: 1,
        work,
        setup: () => {
          setIsa(isa);
          setThreads(1);
        },
        run: () => ops.matmul(a, b, { transposeA: s.ta, transposeB: s.tb, out }),
        teardown: () => {
          setIsa(best);
        },
      });
    }
    if (tf && (!quick || s.id !== 'gemm.square')) {
      let ta: any;
      let tb: any;
      trials.push({
        group: s.id,
        title: s.title,
        impl: 'tfjs-wasm tf.matMul',
        work,
        setup: async () => {
          await useBackend('wasm');
          ta = tf.tensor2d(a.data, a.shape as [number, number]);
          tb = tf.tensor2d(b.data, b.shape as [number, number]);
        },
        run: () => {
          const c = tf.matMul(ta, tb, s.ta, s.tb);
          c.dataSync();
          c.dispose();
        },
        teardown: () => {
          ta.dispose();
          tb.dispose();
        },
      });
    }
  }

  // one dense layer step: forward + backward of relu(x·W + b), 784 → 512, batch 128
  const [batch, inU, outU] = [128, 784, 512];
  const x = { shape: [batch, inU], data: rng(3).uniform(batch * inU) };
  const w = init.heNormal({ seed: 4 }).sample([inU, outU]);
  const bias = new Float32Array(outU);
  const da = { shape: [batch, outU], data: rng(5).normal(batch * outU) };
  const flops = 3 * 2 * batch * inU * outU;
  const group = 'dense.step';
  const title = 'dense 784→512 relu, batch 128, forward + backward';
  for (const threads of [1, 2]) {
    trials.push({
      group,
      title,
      impl: `gradscope ops.dense + denseBackward (${threads} thread${threads > 1 ? 's' : ''})`,
      reference: threads === 1,
      isa: best,
      threads,
      work: { count: flops, unit: 'flop' },
      setup: () => setThreads(threads),
      run: () => {
        const f = ops.dense(x, w, bias, 'relu');
        ops.denseBackward(x, w, f, da, 'relu');
      },
      teardown: () => setThreads(1),
    });
    numpy.push({
      group,
      title,
      impl: `numpy (${threads} thread${threads > 1 ? 's' : ''})`,
      kind: 'dense_step',
      args: { batch, in: inU, out: outU },
      unit: 'flop',
      count: flops,
      threads,
    });
  }
  return { trials, numpy };
}
