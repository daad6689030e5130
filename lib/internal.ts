/**
 * Hooks for gradscope's own tests and benchmarks; not part of the public API.
 * @internal
 */
import { native } from './native.js';
import { Dist, distParams } from './random.js';

export { loadNative, packageRoot } from './native.js';

/** Switches the kernels in use (returns false when this CPU or build lacks the ISA). */
export function setIsa(isa: string): boolean {
  return native().setIsa(isa);
}

/** Applies a distribution's word → value transform to given 32-bit words. */
export function transform(
  dist: 'uniform' | 'normal' | 'truncatedNormal',
  words: Uint32Array,
  opts?: object,
): Float32Array {
  const d = dist === 'uniform' ? Dist.Uniform : dist === 'normal' ? Dist.Normal : Dist.TruncatedNormal;
  const [a, b] = distParams(d, opts, 'transform');
  const out = new Float32Array(words.length);
  native().randomTransform(d, a, b, words, out);
  return out;
}
