/**
 * Tensor operations on the native core.
 */
import { native } from './native.js';
import type { Tensor } from './tensor.js';
import * as v from './validate.js';

/** A 2-D tensor, validated: shape [rows, cols] and data of that length. @internal */
export function matrix(name: string, t: unknown): { rows: number; cols: number; data: Float32Array } {
  if (t === null || typeof t !== 'object') throw v.typeError('a tensor { shape, data }', name, t);
  const { shape, data } = t as Partial<Tensor>;
  const s = v.shape(`${name}.shape`, shape, { minRank: 2, maxRank: 2 });
  v.float32Array(`${name}.data`, data, s[0] * s[1]);
  return { rows: s[0], cols: s[1], data: data as Float32Array };
}

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use the transpose of `a` (default false). */
  transposeA?: boolean;
  /** Use the transpose of `b` (default false). */
  transposeB?: boolean;
  /** Bias added to every row of the result (length = columns of the result). */
  bias?: Float32Array;
  /** Write the result here (a Float32Array of rows × cols of the result) instead of allocating. */
  out?: Float32Array;
}

/**
 * Matrix product `op(a) · op(b) [+ bias]` of 2-D float32 tensors, op = optional transpose,
 * on the native SIMD GEMM. Each element is one FMA chain over k in order (then + bias),
 * so results are bit-identical on every ISA and thread count.
 * @example
 * ```ts
 * const y = ops.matmul(x, w);                          // [batch, in] · [in, out]
 * const dx = ops.matmul(dy, w, { transposeB: true });  // dY · Wᵀ
 * const dw = ops.matmul(x, dy, { transposeA: true });  // Xᵀ · dY
 * ```
 */
export function matmul(a: Tensor, b: Tensor, options?: MatmulOptions): Tensor {
  const o = v.options('matmul options', options, ['transposeA', 'transposeB', 'bias', 'out']);
  const A = matrix('a', a);
  const B = matrix('b', b);
  const ta = bool('options.transposeA', o.transposeA);
  const tb = bool('options.transposeB', o.transposeB);
  const [m, k] = ta ? [A.cols, A.rows] : [A.rows, A.cols];
  const [kb, n] = tb ? [B.cols, B.rows] : [B.rows, B.cols];
  if (k !== kb) {
    throw new RangeError(
      `Expected matching inner dimensions for a and b but received ${k} (a${ta ? 'ᵀ' : ''}: [${m}, ${k}]) and ${kb} (b${tb ? 'ᵀ' : ''}: [${kb}, ${n}])`,
    );
  }
  const bias = o.bias === undefined ? null : v.float32Array('options.bias', o.bias, n);
  if (m * n > v.MAX_ELEMENTS)
    throw v.rangeError(`a result of at most ${v.MAX_ELEMENTS} elements`, 'a, b', [m, n]);
  const out = o.out === undefined ? new Float32Array(m * n) : v.float32Array('options.out', o.out, m * n);
  if (sharesMemory(out, A.data) || sharesMemory(out, B.data)) {
    throw new RangeError('Expected options.out not to overlap a or b');
  }
  native().matmul(A.data, A.rows, A.cols, ta, B.data, B.rows, B.cols, tb, out, bias);
  return { shape: [m, n], data: out };
}

function bool(name: string, x: unknown): boolean {
  if (x === undefined) return false;
  if (typeof x !== 'boolean') throw v.typeError('a boolean', name, x);
  return x;
}

function sharesMemory(x: Float32Array, y: Float32Array): boolean {
  if (x.buffer !== y.buffer) return false;
  return x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
}
