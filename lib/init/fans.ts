import * as v from '../validate.js';

/** Fan-in and fan-out of a weight tensor (Keras layout). */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

/**
 * Fans of a weight tensor, as Keras computes them:
 * - rank 1 `[n]`: fanIn = fanOut = n;
 * - rank 2 dense kernel `[inUnits, outUnits]`: fanIn = inUnits, fanOut = outUnits;
 * - rank >= 3 conv kernel `[...spatial, inChannels, outChannels]`: with the receptive
 *   field r = product of the spatial dims, fanIn = r·inChannels, fanOut = r·outChannels.
 * @example
 * ```ts
 * fans([784, 256]);    // { fanIn: 784, fanOut: 256 }
 * fans([3, 3, 16, 32]); // { fanIn: 144, fanOut: 288 }
 * ```
 */
export function fans(shape: readonly number[]): Fans {
  const s = v.shape('shape', shape);
  if (s.length === 1) return { fanIn: s[0], fanOut: s[0] };
  if (s.length === 2) return { fanIn: s[0], fanOut: s[1] };
  const receptive = v.sizeOf(s.slice(0, -2));
  return { fanIn: receptive * s[s.length - 2], fanOut: receptive * s[s.length - 1] };
}
