/**
 * Tensor operations on the native core.
 */
import { type ActivationSpec, resolveActivation } from './activations.js';
import { native } from './native.js';
import type { Tensor } from './tensor.js';
import * as v from './validate.js';

/** A 2-D tensor, validated: shape [rows, cols] and data of that length. @internal */
export function matrix(name: string, t: unknown): { rows: number; cols: number; data: Float32Array } {
  if (t === null || typeof t !== 'object') throw v.typeError('a tensor { shape, data }', name, t);
  const { shape, data } = t as Partial<Tensor>;
  const s = v.shape(`${name}.shape`, shape, { minRank: 2, maxRank: 2 });
  v.rejectStrided(name, t, s[1]);
  v.float32Array(`${name}.data`, data, s[0] * s[1]);
  return { rows: s[0], cols: s[1], data: data as Float32Array };
}

interface Strided {
  rows: number;
  cols: number;
  stride: number;
  data: Float32Array;
}

/** A 2-D tensor that may be a strided view (see Tensor.stride). */
function strided(name: string, t: unknown): Strided {
  if (t === null || typeof t !== 'object') throw v.typeError('a tensor { shape, data, stride? }', name, t);
  const { shape, data, stride } = t as Partial<Tensor>;
  const [rows, cols] = v.shape(`${name}.shape`, shape, { minRank: 2, maxRank: 2 });
  if (stride === undefined) {
    return { rows, cols, stride: cols, data: v.float32Array(`${name}.data`, data, rows * cols) };
  }
  const ld = v.integer(`${name}.stride`, stride, cols, v.MAX_ELEMENTS);
  const d = v.float32Array(`${name}.data`, data);
  const span = (rows - 1) * ld + cols;
  if (d.length < span) {
    throw v.rangeError(
      `a Float32Array of at least (rows − 1)·stride + cols = ${span} elements`,
      `${name}.data`,
      d,
    );
  }
  return { rows, cols, stride: ld, data: d };
}

/** [start, end) within [0, size), non-empty; the whole range when omitted. */
function span(name: string, value: unknown, size: number): [number, number] {
  if (value === undefined) return [0, size];
  if (!Array.isArray(value) || value.length !== 2)
    throw v.typeError('a [start, end) pair of integers', name, value);
  const start = v.integer(`${name}[0]`, value[0], 0, size - 1);
  return [start, v.integer(`${name}[1]`, value[1], start + 1, size)];
}

/** Region of {@link view}: half-open [start, end) ranges of rows and columns. */
export interface ViewRegion {
  rows?: [number, number];
  cols?: [number, number];
}

/**
 * A strided view of a block of a 2-D tensor, sharing its memory (no copy):
 * `{ shape: [rows, cols], data, stride }`. `ops.matmul` reads and writes views
 * (a column block of a weight matrix, the top rows of a batch, a block of a
 * larger result); other ops take contiguous tensors (`ops.contiguous` copies a view).
 * @example
 * ```ts
 * const w = { shape: [784, 512], data };
 * const first = ops.view(w, { cols: [0, 128] });     // [784, 128], stride 512
 * const y = ops.matmul(x, first);                    // x · w[:, 0:128]
 * ops.matmul(x, first, { out: ops.view(big, { cols: [128, 256] }) });  // into a block of big
 * ```
 */
export function view(t: Tensor, region?: ViewRegion): Tensor {
  const T = strided('t', t);
  const o = v.options('view region', region, ['rows', 'cols']);
  const [r0, r1] = span('region.rows', o.rows, T.rows);
  const [c0, c1] = span('region.cols', o.cols, T.cols);
  const start = r0 * T.stride + c0;
  const end = start + (r1 - r0 - 1) * T.stride + (c1 - c0);
  return { shape: [r1 - r0, c1 - c0], data: T.data.subarray(start, end), stride: T.stride };
}

/**
 * The tensor itself when its rows are contiguous, else a contiguous copy of a
 * strided view (`{ shape, data }`, data of rows × cols elements).
 */
export function contiguous(t: Tensor): Tensor {
  const T = strided('t', t);
  if (T.stride === T.cols && T.data.length === T.rows * T.cols) return t;
  const data = new Float32Array(T.rows * T.cols);
  for (let i = 0; i < T.rows; i++) {
    data.set(T.data.subarray(i * T.stride, i * T.stride + T.cols), i * T.cols);
  }
  return { shape: [T.rows, T.cols], data };
}

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use the transpose of `a` (default false). */
  transposeA?: boolean;
  /** Use the transpose of `b` (default false). */
  transposeB?: boolean;
  /** Bias added to every row of the result (length = columns of the result). */
  bias?: Float32Array;
  /**
   * Write the result here instead of allocating: a Float32Array of rows × cols
   * of the result, or a tensor view of that shape (`ops.view` of a larger matrix).
   */
  out?: Float32Array | Tensor;
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
  const A = strided('a', a);
  const B = strided('b', b);
  const ta = v.boolean('options.transposeA', o.transposeA);
  const tb = v.boolean('options.transposeB', o.transposeB);
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
  const C = outMatrix(o.out, m, n);
  // Whole spans: views that interleave without sharing an element are refused too.
  if (sharesMemory(C.data, A.data) || sharesMemory(C.data, B.data)) {
    throw new RangeError('Expected options.out not to overlap a or b');
  }
  native().matmul(
    A.data,
    A.rows,
    A.cols,
    ta,
    B.data,
    B.rows,
    B.cols,
    tb,
    C.data,
    bias,
    A.stride,
    B.stride,
    C.stride,
  );
  return C.stride === n && C.data.length === m * n
    ? { shape: [m, n], data: C.data }
    : { shape: [m, n], data: C.data, stride: C.stride };
}

/** matmul's destination: new, a Float32Array of m × n, or an m × n (strided) tensor. */
function outMatrix(out: unknown, m: number, n: number): Strided {
  if (out === undefined) return { rows: m, cols: n, stride: n, data: new Float32Array(m * n) };
  if (out instanceof Float32Array)
    return { rows: m, cols: n, stride: n, data: v.float32Array('options.out', out, m * n) };
  if (out === null || typeof out !== 'object' || !('shape' in out)) {
    throw v.typeError(
      `a Float32Array of length ${m * n} or a tensor of shape [${m}, ${n}]`,
      'options.out',
      out,
    );
  }
  const C = strided('options.out', out);
  if (C.rows !== m || C.cols !== n) {
    throw v.rangeError(`shape [${m}, ${n}] (the result's)`, 'options.out.shape', (out as Tensor).shape);
  }
  return C;
}

function sharesMemory(x: Float32Array, y: Float32Array): boolean {
  if (x.buffer !== y.buffer) return false;
  return x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
}

/** A tensor of any rank ≥ 1 viewed as rows × cols (cols = last dimension). */
function rowsCols(
  name: string,
  t: unknown,
): { shape: number[]; rows: number; cols: number; data: Float32Array } {
  if (t === null || typeof t !== 'object') throw v.typeError('a tensor { shape, data }', name, t);
  const { shape, data } = t as Partial<Tensor>;
  const s = v.shape(`${name}.shape`, shape);
  const n = v.sizeOf(s);
  const cols = s[s.length - 1];
  v.rejectStrided(name, t, cols);
  v.float32Array(`${name}.data`, data, n);
  return { shape: s, rows: n / cols, cols, data: data as Float32Array };
}

function sameShape(name: string, t: { shape: number[] }, ref: { shape: number[] }, refName: string) {
  if (t.shape.length !== ref.shape.length || t.shape.some((d, i) => d !== ref.shape[i])) {
    throw new RangeError(
      `Expected ${name}.shape to equal ${refName}.shape [${ref.shape}] but received [${t.shape}]`,
    );
  }
}

/**
 * Applies an activation elementwise (softmax: row-wise over the last dimension).
 * @example `ops.activation(z, 'gelu')`, `ops.activation(z, { name: 'leakyRelu', alpha: 0.1 })`
 */
export function activation(z: Tensor, act: ActivationSpec, options?: { out?: Float32Array }): Tensor {
  const Z = rowsCols('z', z);
  const A = resolveActivation('activation', act);
  const o = v.options('activation options', options, ['out']);
  const out =
    o.out === undefined
      ? new Float32Array(Z.data.length)
      : v.float32Array('options.out', o.out, Z.data.length);
  if (out !== Z.data && sharesMemory(out, Z.data))
    throw new RangeError('Expected options.out not to partly overlap z');
  native().activationForward(A.code, A.alpha, A.beta, Z.data, out, Z.rows, Z.cols);
  return { shape: Z.shape.slice(), data: out };
}

/**
 * Gradient through an activation: dz = dy ⊙ f'(z) (softmax: the row-wise Jacobian product
 * a ⊙ (dy − Σ dy·a)). `a` is the forward output f(z).
 */
export function activationBackward(z: Tensor, a: Tensor, dy: Tensor, act: ActivationSpec): Tensor {
  const Z = rowsCols('z', z);
  const Aout = rowsCols('a', a);
  const DY = rowsCols('dy', dy);
  sameShape('a', Aout, Z, 'z');
  sameShape('dy', DY, Z, 'z');
  const A = resolveActivation('activation', act);
  const dz = new Float32Array(Z.data.length);
  native().activationBackward(A.code, A.alpha, A.beta, Z.data, Aout.data, DY.data, dz, Z.rows, Z.cols);
  return { shape: Z.shape.slice(), data: dz };
}

/** Result of {@link dense}: the pre-activation z = x·w + b and the output a = f(z). */
export interface DenseOutput {
  z: Tensor;
  a: Tensor;
}

function denseShapes(x: Tensor, w: Tensor) {
  const X = matrix('x', x);
  const Wm = matrix('w', w);
  if (X.cols !== Wm.rows) {
    throw new RangeError(`Expected x.shape[1] (${X.cols}) to equal w.shape[0] (${Wm.rows})`);
  }
  return { X, Wm, batch: X.rows, inUnits: X.cols, outUnits: Wm.cols };
}

/**
 * Dense layer forward: z = x·w + b, a = f(z), with the bias and activation fused into
 * the GEMM (applied per tile while it is in cache).
 * @param x [batch, in]
 * @param w [in, out]
 * @param b [out] or null
 */
export function dense(
  x: Tensor,
  w: Tensor,
  b: Float32Array | null,
  act: ActivationSpec = 'linear',
): DenseOutput {
  const { X, Wm, batch, inUnits, outUnits } = denseShapes(x, w);
  const bias = b === null || b === undefined ? null : v.float32Array('b', b, outUnits);
  const A = resolveActivation('activation', act);
  const z = new Float32Array(batch * outUnits);
  const a = new Float32Array(batch * outUnits);
  native().denseForward(X.data, Wm.data, bias, A.code, A.alpha, A.beta, batch, inUnits, outUnits, z, a);
  return { z: { shape: [batch, outUnits], data: z }, a: { shape: [batch, outUnits], data: a } };
}

/** Gradients of {@link denseBackward}. */
export interface DenseGradients {
  /** ∂L/∂x [batch, in] (null when not asked for) */
  dx: Tensor | null;
  /** ∂L/∂w [in, out] */
  dw: Tensor;
  /** ∂L/∂b [out] */
  db: Float32Array;
  /** ∂L/∂z [batch, out] */
  dz: Tensor;
}

/**
 * Dense layer backward from da = ∂L/∂a: dz = da ⊙ f'(z), dw = xᵀ·dz, db = column sums of dz
 * (fixed order), dx = dz·wᵀ (skip it with `{ inputGradient: false }`, as for a first layer).
 */
export function denseBackward(
  x: Tensor,
  w: Tensor,
  forward: DenseOutput,
  da: Tensor,
  act: ActivationSpec = 'linear',
  options?: { inputGradient?: boolean },
): DenseGradients {
  const { X, Wm, batch, inUnits, outUnits } = denseShapes(x, w);
  const o = v.options('denseBackward options', options, ['inputGradient']);
  const wantDx = v.boolean('options.inputGradient', o.inputGradient, true);
  if (forward === null || typeof forward !== 'object')
    throw v.typeError('the { z, a } returned by dense()', 'forward', forward);
  const Z = matrix('forward.z', forward.z);
  const Aout = matrix('forward.a', forward.a);
  const DA = matrix('da', da);
  for (const [n, t] of [
    ['forward.z', Z],
    ['forward.a', Aout],
    ['da', DA],
  ] as const) {
    if (t.rows !== batch || t.cols !== outUnits) {
      throw new RangeError(
        `Expected ${n}.shape to be [${batch}, ${outUnits}] but received [${t.rows}, ${t.cols}]`,
      );
    }
  }
  const A = resolveActivation('activation', act);
  const dz = new Float32Array(batch * outUnits);
  const dw = new Float32Array(inUnits * outUnits);
  const db = new Float32Array(outUnits);
  const dx = wantDx ? new Float32Array(batch * inUnits) : null;
  native().denseBackward(
    X.data,
    Wm.data,
    Z.data,
    Aout.data,
    DA.data,
    A.code,
    A.alpha,
    A.beta,
    batch,
    inUnits,
    outUnits,
    dz,
    dw,
    db,
    dx,
  );
  return {
    dx: dx ? { shape: [batch, inUnits], data: dx } : null,
    dw: { shape: [inUnits, outUnits], data: dw },
    db,
    dz: { shape: [batch, outUnits], data: dz },
  };
}

/**
 * The fused gradient of softmax + categorical cross-entropy (mean over the batch)
 * with respect to the logits: (p − y) / batch, p the softmax output, y the targets.
 */
export function softmaxCrossEntropyBackward(p: Tensor, y: Tensor): Tensor {
  const P = matrix('p', p);
  const Y = matrix('y', y);
  sameShape('y', { shape: [Y.rows, Y.cols] }, { shape: [P.rows, P.cols] }, 'p');
  const dz = new Float32Array(P.data.length);
  native().softmaxXentBackward(P.data, Y.data, dz, P.rows, P.cols);
  return { shape: [P.rows, P.cols], data: dz };
}
