// GEMM: the contract of native/core/gemm/gemm.h. Every element is one FMA chain over k
// in order, so the SIMD kernels must equal the scalar triple loop *bit for bit*; and that
// chain must be within the classic bound of the exact product:
//   |fl(AB)_ij − (AB)_ij| ≤ γ_K · Σ_k |a_ik||b_kj|,  γ_K = K·u / (1 − K·u),  u = 2^-24
// (Higham, Accuracy and Stability of Numerical Algorithms, §3.5), checked against float64.
import { describe, expect, it } from 'vitest';
import { ops, rng, type Tensor } from '../lib/index.js';
import { native } from '../lib/native.js';
import { hash, ISAS, withIsa, withThreads } from './helpers.js';

const u = 2 ** -24;

function tensor(rows: number, cols: number, seed: number) {
  return { shape: [rows, cols], data: rng(seed).normal(rows * cols) };
}

function reference64(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
) {
  const c = new Float64Array(m * n);
  const absC = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        const x = ta ? a[p * m + i] : a[i * k + p];
        const y = tb ? b[j * k + p] : b[p * n + j];
        s += x * y;
        t += Math.abs(x * y);
      }
      c[i * n + j] = s;
      absC[i * n + j] = t;
    }
  }
  return { c, absC };
}

/** The scalar triple loop with fma: the contract's own definition of the result. */
function scalarOracle(
  a: Tensor,
  b: Tensor,
  ta: boolean,
  tb: boolean,
  bias: Float32Array | null,
): Float32Array {
  const m = ta ? a.shape[1] : a.shape[0];
  const n = tb ? b.shape[0] : b.shape[1];
  const out = new Float32Array(m * n);
  native().matmulReference(a.data, a.shape[0], a.shape[1], ta, b.data, b.shape[0], b.shape[1], tb, out, bias);
  return out;
}

const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [1, 7, 1],
  [7, 1, 5],
  [2, 3, 4],
  [13, 17, 19],
  [6, 256, 16],
  [31, 257, 33],
  [97, 61, 101],
  [14, 600, 32],
  [3, 1500, 5],
  [64, 100, 100], // deep-narrow layer: 7 panels, split by rows too on 2 and 4 threads
  [128, 50, 290], // one A block over 19 panels: A packed (not read in place)
  [151, 45, 40], // several A blocks: A packed per block, B packed once
];

describe.each([
  [false, false],
  [true, false],
  [false, true],
  [true, true],
])('matmul transposeA=%s transposeB=%s', (ta, tb) => {
  for (const [m, k, n] of SHAPES) {
    it(`${m}×${k}×${n}: within γ_K·Σ|a||b| of float64, bit-identical to the scalar oracle on every ISA and 1/2/4 threads`, () => {
      const a = tensor(ta ? k : m, ta ? m : k, m * 1000 + k);
      const b = tensor(tb ? n : k, tb ? k : n, n * 1000 + k + 1);
      const bias = rng(5).normal(n);
      const oracle = scalarOracle(a, b, ta, tb, bias);
      const { c, absC } = reference64(a.data, b.data, m, k, n, ta, tb);
      const gamma = (k * u) / (1 - k * u);
      for (let i = 0; i < m * n; i++) {
        // the final + bias adds one more rounding of the sum: u·|result|
        const bound = gamma * absC[i] + u * Math.abs(c[i] + bias[i % n]) + 1e-30;
        expect(Math.abs(oracle[i] - (c[i] + bias[i % n]))).toBeLessThanOrEqual(bound);
      }
      const want = hash(oracle);
      for (const isa of ISAS) {
        for (const threads of [1, 2, 4]) {
          const got = withIsa(isa, () =>
            withThreads(threads, () => ops.matmul(a, b, { transposeA: ta, transposeB: tb, bias }).data),
          );
          expect(hash(got)).toBe(want);
        }
      }
    });
  }
});

describe('matmul on random shapes', () => {
  // Seeded, so a failure reproduces: dims drawn log-uniformly from 1..300 (small and
  // degenerate shapes) for half the cases and uniformly from 1..400 (past the cache
  // blocks: several A blocks, K beyond one KC) for the other half; flags at random.
  const r = rng(20261128).uniform(4 * 24);
  for (let t = 0; t < 24; t++) {
    const dim = (x: number) =>
      t % 2 === 0 ? Math.max(1, Math.round(Math.exp(x * Math.log(300)))) : 1 + Math.floor(x * 400);
    const [m, k, n] = [dim(r[4 * t]), dim(r[4 * t + 1]), dim(r[4 * t + 2])];
    const flags = Math.floor(r[4 * t + 3] * 4);
    const ta = (flags & 1) === 1;
    const tb = (flags & 2) === 2;
    it(`${m}×${k}×${n} (transposeA=${ta}, transposeB=${tb}): the γ_K bound, and the oracle's bits on every ISA and 1/2 threads`, () => {
      const a = tensor(ta ? k : m, ta ? m : k, 1000 + t);
      const b = tensor(tb ? n : k, tb ? k : n, 2000 + t);
      const oracle = scalarOracle(a, b, ta, tb, null);
      const { c, absC } = reference64(a.data, b.data, m, k, n, ta, tb);
      const gamma = (k * u) / (1 - k * u);
      let worst = 0;
      for (let i = 0; i < m * n; i++)
        worst = Math.max(worst, Math.abs(oracle[i] - c[i]) / (gamma * absC[i] + 1e-30));
      expect(worst).toBeLessThanOrEqual(1);
      for (const isa of ISAS)
        for (const threads of [1, 2]) {
          const got = withIsa(isa, () =>
            withThreads(threads, () => ops.matmul(a, b, { transposeA: ta, transposeB: tb })),
          );
          expect(hash(got.data)).toBe(hash(oracle));
        }
    });
  }
});

describe('matmul edge tiles', () => {
  // An edge tile of m < MR rows and n < NR columns runs a kernel of exactly m rows
  // and of the fewest vectors that cover n (MR is 4, 6, 8 or 14; NR is 4, 12, 16
  // or 32). Every height 1..29 covers every row remainder of every table; the
  // widths give column remainders of 1, 2 and 3 vectors (5, 9, 21, 40 on the
  // lane widths 4, 8 and 16); N = 530 and 540 have more than 16 panels, so A is
  // packed rather than read in place.
  for (const n of [5, 9, 21, 40, 530, 540]) {
    it(`M = 1..29, K = 9, N = ${n}: the oracle's bits on every ISA and 1/2 threads`, () => {
      for (let m = 1; m <= 29; m++) {
        const a = tensor(m, 9, 300 + m);
        const b = tensor(9, n, 400 + m);
        const bias = rng(m).normal(n);
        const want = hash(scalarOracle(a, b, false, false, bias));
        for (const isa of ISAS)
          for (const threads of [1, 2]) {
            const got = withIsa(isa, () => withThreads(threads, () => ops.matmul(a, b, { bias }).data));
            expect(hash(got), `M = ${m} on ${isa}, ${threads} threads`).toBe(want);
          }
      }
    });
  }
});

describe('matmul on training shapes', () => {
  it('784→256 forward, dY·Wᵀ and Xᵀ·dY at batch 128 equal the oracle on every ISA and thread count', () => {
    const x = tensor(128, 784, 1);
    const w = tensor(784, 256, 2);
    const dy = tensor(128, 256, 3);
    const cases = [
      [x, w, false, false],
      [dy, w, false, true],
      [x, dy, true, false],
    ] as const;
    for (const [a, b, ta, tb] of cases) {
      const m = ta ? a.shape[1] : a.shape[0];
      const n = tb ? b.shape[0] : b.shape[1];
      const oracle = scalarOracle(a, b, ta, tb, null);
      for (const isa of ISAS) {
        for (const threads of [1, 2, 3]) {
          const got = withIsa(isa, () =>
            withThreads(threads, () => ops.matmul(a, b, { transposeA: ta, transposeB: tb })),
          );
          expect(got.shape).toEqual([m, n]);
          expect(hash(got.data)).toBe(hash(oracle));
        }
      }
    }
  });

  it('K beyond one cache block (K = 1100) keeps one FMA chain', () => {
    const a = tensor(20, 1100, 8);
    const b = tensor(1100, 40, 9);
    const oracle = scalarOracle(a, b, false, false, null);
    for (const isa of ISAS) expect(hash(withIsa(isa, () => ops.matmul(a, b).data))).toBe(hash(oracle));
  });
});

describe('matmul edge cases and errors', () => {
  it('rejects K = 0: public tensors have every dimension >= 1 (the native core alone defines K = 0 as C = bias)', () => {
    const a = { shape: [2, 0], data: new Float32Array(0) };
    expect(() => ops.matmul(a, { shape: [0, 3], data: new Float32Array(0) })).toThrow(/for a.shape/);
  });

  it('writes into out and returns it', () => {
    const out = new Float32Array(4);
    const r = ops.matmul(
      { shape: [2, 1], data: Float32Array.of(1, 2) },
      { shape: [1, 2], data: Float32Array.of(3, 4) },
      { out },
    );
    expect(r.data).toBe(out);
    expect(Array.from(out)).toEqual([3, 4, 6, 8]);
  });

  it('propagates NaN and Inf like IEEE arithmetic', () => {
    const r = ops.matmul(
      { shape: [1, 2], data: Float32Array.of(Number.NaN, 1) },
      { shape: [2, 2], data: Float32Array.of(1, 0, 1, 1) },
    );
    expect(Number.isNaN(r.data[0])).toBe(true);
    expect(Number.isNaN(r.data[1])).toBe(true);
    const s = ops.matmul(
      { shape: [1, 1], data: Float32Array.of(Number.POSITIVE_INFINITY) },
      { shape: [1, 1], data: Float32Array.of(2) },
    );
    expect(s.data[0]).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects bad input with clear errors and writes nothing', () => {
    const a = tensor(3, 4, 1);
    const b = tensor(4, 5, 2);
    const out = new Float32Array(15).fill(7);
    expect(() => ops.matmul(a, tensor(5, 4, 3))).toThrow(/matching inner dimensions/);
    expect(() => ops.matmul(a, b, { out: new Float32Array(14) })).toThrow(/length 15 for options.out/);
    expect(() => ops.matmul(a, b, { bias: new Float32Array(4), out })).toThrow(/length 5 for options.bias/);
    expect(() => ops.matmul(a, b, { transposeA: 1 as never })).toThrow(/a boolean for options.transposeA/);
    expect(() => ops.matmul({ shape: [3, 4], data: new Float32Array(11) }, b)).toThrow(
      /length 12 for a.data/,
    );
    expect(() => ops.matmul({ shape: [12], data: new Float32Array(12) }, b)).toThrow(/for a.shape/);
    expect(() => ops.matmul(null as never, b)).toThrow(TypeError);
    expect(() => ops.matmul(a, b, { out: a.data })).toThrow(RangeError);
    expect(() => ops.matmul(a, b, { transpose: true } as never)).toThrow(/Unknown option 'transpose'/);
    expect(Array.from(out).every((x) => x === 7)).toBe(true);
  });

  it('the native binding re-checks shapes, lengths and aliasing', () => {
    const b = native();
    const x = new Float32Array(12);
    expect(() => b.matmul(x, 3, 4, false, new Float32Array(12), 4, 3, false, x.subarray(3), null)).toThrow(
      /overlap/,
    );
    expect(() =>
      b.matmul(x, 3, 5, false, new Float32Array(20), 5, 4, false, new Float32Array(12), null),
    ).toThrow(/wrong length/);
    expect(() =>
      b.matmul(x, 3, 4, false, new Float32Array(20), 5, 4, false, new Float32Array(12), null),
    ).toThrow(/inner dimensions/);
    expect(() =>
      b.matmul(x, 3, 4, false, new Float32Array(20), 4, 5, false, new Float32Array(14), null),
    ).toThrow(/out/);
    expect(() =>
      b.matmul(x, -3, 4, false, new Float32Array(20), 4, 5, false, new Float32Array(15), null),
    ).toThrow(/aRows/);
  });
});

describe('matmul on strided views (ops.view)', () => {
  // A block of a larger matrix, [r0, r0+rows) × [c0, c0+cols) of a bigRows × bigCols one.
  function block(rows: number, cols: number, extraR: number, extraC: number, seed: number) {
    const big = tensor(rows + extraR, cols + extraC, seed);
    const r0 = Math.min(extraR, 1 + (seed % 3));
    const c0 = Math.min(extraC, 2 + (seed % 5));
    return ops.view(big, { rows: [r0, r0 + rows], cols: [c0, c0 + cols] });
  }
  // ld = 100 and 512 send B through the in-place and the packed paths; 7 and 1 are odd tiles.
  const cases: Array<[number, number, number, number]> = [
    [64, 100, 100, 12], // [m, k, n, extra columns of every stored matrix]
    [37, 61, 45, 512 - 61],
    [7, 300, 33, 5],
    [1, 9, 1, 3],
  ];
  for (const [m, k, n, extra] of cases) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`${m}×${k}×${n}, transposeA=${ta} transposeB=${tb}: equals the oracle on contiguous copies, on every ISA and thread count, and writes only its block of out`, () => {
        const a = ta ? block(k, m, 3, extra, 1) : block(m, k, 3, extra, 1);
        const b = tb ? block(n, k, 2, extra, 2) : block(k, n, 2, extra, 2);
        const want = scalarOracle(ops.contiguous(a), ops.contiguous(b), ta, tb, null);
        const outBig = { shape: [m + 4, n + extra], data: new Float32Array((m + 4) * (n + extra)).fill(7) };
        for (const isa of ISAS) {
          for (const threads of [1, 2, 4]) {
            outBig.data.fill(7);
            const out = ops.view(outBig, { rows: [2, 2 + m], cols: [1, 1 + n] });
            const r = withIsa(isa, () =>
              withThreads(threads, () => ops.matmul(a, b, { transposeA: ta, transposeB: tb, out })),
            );
            expect(r.data).toBe(out.data);
            expect(r.stride).toBe(n + extra);
            expect(hash(ops.contiguous(r).data), `${isa}, ${threads} threads`).toBe(hash(want));
            // everything outside the block keeps its 7s
            let untouched = 0;
            for (let i = 0; i < m + 4; i++)
              for (let j = 0; j < n + extra; j++)
                if ((i < 2 || i >= 2 + m || j < 1 || j >= 1 + n) && outBig.data[i * (n + extra) + j] === 7)
                  untouched++;
            expect(untouched).toBe((m + 4) * (n + extra) - m * n);
          }
        }
      });
    }
  }

  it('view shares memory and indexes like the source; contiguous copies a view and returns a contiguous tensor as is', () => {
    const t = tensor(5, 7, 3);
    const w = ops.view(t, { rows: [1, 4], cols: [2, 6] });
    expect(w.shape).toEqual([3, 4]);
    expect(w.stride).toBe(7);
    expect(w.data.buffer).toBe(t.data.buffer);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 4; j++) expect(w.data[i * 7 + j]).toBe(t.data[(i + 1) * 7 + j + 2]);
    const c = ops.contiguous(w);
    expect(c.stride).toBeUndefined();
    expect(Array.from(c.data)).toEqual(
      [1, 2, 3].flatMap((i) => Array.from(t.data.subarray(i * 7 + 2, i * 7 + 6))),
    );
    expect(ops.contiguous(t)).toBe(t);
    // a view of a view keeps the source's stride
    const ww = ops.view(w, { rows: [1, 3], cols: [1, 2] });
    expect(ww.stride).toBe(7);
    expect(ww.data[0]).toBe(t.data[2 * 7 + 3]);
    expect(ww.data[7]).toBe(t.data[3 * 7 + 3]);
  });

  it('rejects bad views with clear errors, and ops that need contiguous rows refuse views', () => {
    const t = tensor(4, 6, 4);
    const b = tensor(3, 2, 5);
    expect(() => ops.view(t, { rows: [2, 2] })).toThrow(/region.rows\[1\]/);
    expect(() => ops.view(t, { cols: [0, 7] })).toThrow(/region.cols\[1\]/);
    expect(() => ops.view(t, { rows: [-1, 2] })).toThrow(RangeError);
    expect(() => ops.view(t, { rows: 2 as never })).toThrow(TypeError);
    expect(() => ops.view(t, { depth: [0, 1] } as never)).toThrow(/Unknown option 'depth'/);
    expect(() => ops.contiguous(null as never)).toThrow(TypeError);
    expect(() => ops.contiguous({ shape: [2, 3], data: new Float32Array(5) })).toThrow(/length 6 for t.data/);
    expect(() => ops.contiguous({ shape: [2, 3], data: new Float32Array(8), stride: 6 })).toThrow(
      /at least \(rows − 1\)·stride \+ cols = 9 elements for t.data/,
    );
    const bad = { shape: [2, 3], data: new Float32Array(8), stride: 2 };
    expect(() => ops.matmul(bad, b)).toThrow(/a.stride/);
    expect(() => ops.matmul({ shape: [2, 3], data: new Float32Array(8), stride: 1.5 }, b)).toThrow(
      /a.stride/,
    );
    expect(() => ops.matmul({ shape: [2, 3], data: new Float32Array(8), stride: '6' as never }, b)).toThrow(
      TypeError,
    );
    // (2 − 1)·6 + 3 = 9 elements needed
    expect(() => ops.matmul({ shape: [2, 3], data: new Float32Array(8), stride: 6 }, b)).toThrow(
      /at least \(rows − 1\)·stride \+ cols = 9 elements for a.data/,
    );
    const v = ops.view(t, { cols: [0, 3] });
    expect(() => ops.matmul(v, b, { out: { shape: [4, 3], data: new Float32Array(12) } })).toThrow(
      /shape \[4, 2\].*options.out.shape/,
    );
    const out = new Float32Array(8).fill(7);
    expect(() => ops.matmul(v, b, { out: ops.view(t, { cols: [4, 6] }) })).toThrow(/overlap/);
    expect(() => ops.matmul(v, b, { out: 3 as never })).toThrow(TypeError);
    expect(ops.matmul(v, b, { out }).data).toBe(out);
    // contiguous-only ops name the argument and the way out
    expect(() => ops.activation(v, 'relu')).toThrow(/ops.contiguous copies one.*for z.stride/);
    expect(() => ops.dense(v, b, null, 'relu')).toThrow(/x.stride/);
  });

  it('the native binding re-checks strides and spans', () => {
    const n = native();
    const a = new Float32Array(9);
    const b = new Float32Array(6);
    const out = new Float32Array(4);
    // a: 2 × 3 with lda 2 < 3 columns
    expect(() => n.matmul(a, 2, 3, false, b, 3, 2, false, out, null, 2, 2, 2)).toThrow(/lda/);
    // a: 2 × 3 with lda 7 needs 10 elements
    expect(() => n.matmul(a, 2, 3, false, b, 3, 2, false, out, null, 7, 2, 2)).toThrow(/shorter/);
    // out: 2 × 2 with ldc 3 needs 5 elements
    expect(() => n.matmul(a, 2, 3, false, b, 3, 2, false, out, null, 3, 2, 3)).toThrow(/shorter/);
    expect(() => n.matmul(a, 2, 3, false, b, 3, 2, false, out, null, 3, 0, 2)).toThrow(/ldb/);
    n.matmul(a, 2, 3, false, b, 3, 2, false, out, null, 4, 2, 2);
  });
});
