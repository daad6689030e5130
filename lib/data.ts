/**
 * Inputs and targets of models: a `Tensor` or a flat typed array, checked and
 * turned into the row-major buffers the native core reads.
 * @internal
 */
import type { Loss } from './losses.js';
import type { Tensor } from './tensor.js';
import * as v from './validate.js';

/** Model inputs or targets: a tensor `{ shape: [rows, cols], data }` or its flat data. */
export type MatrixLike = Tensor | Float32Array;
/** Targets: a matrix, or integer class labels (sparse losses). */
export type TargetsLike = MatrixLike | Int32Array | Uint8Array | Uint16Array | Uint32Array | number[];

/** A [rows, cols] float matrix from a tensor or flat array (rows inferred from the length). */
export function matrix(name: string, x: unknown, cols: number): { data: Float32Array; rows: number } {
  if (x instanceof Float32Array) {
    if (x.length === 0 || x.length % cols !== 0)
      throw v.rangeError(`a non-empty Float32Array whose length is a multiple of ${cols}`, name, x);
    return { data: x, rows: x.length / cols };
  }
  if (typeof x === 'object' && x !== null && 'shape' in x && 'data' in x) {
    const t = x as Tensor;
    const shape = v.shape(`${name}.shape`, t.shape, { minRank: 2, maxRank: 2 });
    if (shape[1] !== cols) throw v.rangeError(`a tensor of shape [rows, ${cols}]`, `${name}.shape`, t.shape);
    if (shape[0] < 1) throw v.rangeError('at least one row', `${name}.shape`, t.shape);
    v.rejectStrided(name, t, cols);
    return { data: v.float32Array(`${name}.data`, t.data, shape[0] * cols), rows: shape[0] };
  }
  throw v.typeError(`a Tensor { shape: [rows, ${cols}], data } or a Float32Array`, name, x);
}

const isLabelArray = (y: unknown): boolean =>
  y instanceof Int32Array ||
  y instanceof Uint8Array ||
  y instanceof Uint16Array ||
  y instanceof Uint32Array ||
  Array.isArray(y) ||
  (typeof y === 'object' && y !== null && 'shape' in y && (y as Tensor).shape?.length === 1);

/** Whether `y` looks like integer labels rather than a [rows, cols] matrix. */
export function looksSparse(y: unknown, cols: number): boolean {
  if (isLabelArray(y)) return true;
  return cols > 1 && y instanceof Float32Array && y.length > 0 && y.length % cols !== 0;
}

/** Targets for `rows` samples: Int32Array labels in [0, cols) for sparse losses, else a float matrix. */
export function targets(
  name: string,
  y: unknown,
  loss: Loss,
  rows: number,
  cols: number,
): Float32Array | Int32Array {
  if (loss.name === 'sparseCategoricalCrossentropy') {
    let src: ArrayLike<number>;
    if (typeof y === 'object' && y !== null && 'shape' in y && 'data' in y) src = (y as Tensor).data;
    else if (isLabelArray(y) || y instanceof Float32Array) src = y as ArrayLike<number>;
    else throw v.typeError('integer class labels (Int32Array, Uint8Array, number[])', name, y);
    if (src.length !== rows)
      throw v.rangeError(`${rows} labels (one per sample)`, `${name}.length`, src.length);
    const out = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      const l = src[i];
      if (!Number.isInteger(l) || l < 0 || l >= cols)
        throw v.rangeError(`integer labels in [0, ${cols})`, `${name}[${i}]`, l);
      out[i] = l;
    }
    return out;
  }
  if (isLabelArray(y) && !(y instanceof Float32Array))
    throw v.typeError(`a [${rows}, ${cols}] float matrix (for integer labels use a sparse loss)`, name, y);
  const m = matrix(name, y, cols);
  if (m.rows !== rows) throw v.rangeError(`${rows} rows (as many as x)`, `${name} rows`, m.rows);
  return m.data;
}

/** Rows [start, end) of a matrix or label array. */
export function sliceRows<T extends Float32Array | Int32Array>(
  a: T,
  cols: number,
  start: number,
  end: number,
): T {
  return a.subarray(start * cols, end * cols) as T;
}
