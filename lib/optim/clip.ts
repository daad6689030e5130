/**
 * Gradient clipping, in place. Three different things, often confused:
 * - clipByValue(grads, c): every element into [−c, c] (changes the direction);
 * - clipByNorm(grads, c): each tensor g separately rescaled to norm ≤ c (Keras `clipnorm`);
 * - clipByGlobalNorm(grads, c): all tensors rescaled by one factor so that the norm of
 *   their concatenation is ≤ c (Keras `global_clipnorm`, PyTorch `clip_grad_norm_`);
 *   keeps the direction of the whole update.
 * Norms are accumulated in float64 in a fixed order.
 */
import { native } from '../native.js';
import * as v from '../validate.js';

function arrays(name: string, grads: unknown): Float32Array[] {
  if (!Array.isArray(grads)) throw v.typeError('an array of Float32Arrays', name, grads);
  return grads.map((g, i) => v.float32Array(`${name}[${i}]`, g));
}

/** Clamps every element into [−c, c]. */
export function clipByValue(grads: Float32Array[], c: number): void {
  const gs = arrays('grads', grads);
  const clip = v.numberIn('clipValue', c, 0, Number.MAX_VALUE);
  for (const g of gs) native().clipInPlace(g, clip);
}

/** Rescales each tensor whose L2 norm exceeds c to norm c. Returns the norms before clipping. */
export function clipByNorm(grads: Float32Array[], c: number): number[] {
  const gs = arrays('grads', grads);
  const clip = v.numberIn('clipNorm', c, 0, Number.MAX_VALUE, { minOpen: true });
  return gs.map((g) => {
    const norm = Math.sqrt(native().sumSquares(g));
    if (norm > clip) native().scaleInPlace(g, clip / norm);
    return norm;
  });
}

/** Rescales all tensors by c / ‖all‖ when the global L2 norm exceeds c. Returns the global norm before clipping. */
export function clipByGlobalNorm(grads: Float32Array[], c: number): number {
  const gs = arrays('grads', grads);
  const clip = v.numberIn('globalClipNorm', c, 0, Number.MAX_VALUE, { minOpen: true });
  let total = 0;
  for (const g of gs) total += native().sumSquares(g);
  const norm = Math.sqrt(total);
  if (norm > clip) for (const g of gs) native().scaleInPlace(g, clip / norm);
  return norm;
}
