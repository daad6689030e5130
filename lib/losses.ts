/**
 * Losses, by name, with Keras semantics (mean over the batch). The loss value
 * and its gradient are computed natively in the training step; the forms:
 *
 * | name (aliases) | L | output layer |
 * |---|---|---|
 * | meanSquaredError (mse, mean_squared_error) | mean (a − y)² | any |
 * | meanAbsoluteError (mae, mean_absolute_error) | mean \|a − y\| | any |
 * | binaryCrossentropy (binary_crossentropy) | −mean [y log p + (1−y) log(1−p)] | sigmoid, or linear with `fromLogits` |
 * | categoricalCrossentropy (categorical_crossentropy) | −mean Σ y log p, y one-hot (or soft) | softmax, or linear with `fromLogits` |
 * | sparseCategoricalCrossentropy (sparse_categorical_crossentropy) | as above, y integer labels | softmax, or linear with `fromLogits` |
 * | crossEntropy | categorical or sparse, chosen by the targets (labels → sparse) | |
 *
 * Cross-entropies are computed from the logits z (log-softmax / log-sigmoid in
 * float64), never from clipped probabilities, so they stay finite and exact
 * for confident predictions; their gradient is the fused (p − y)/N.
 */
import * as v from './validate.js';

export type LossName =
  | 'meanSquaredError'
  | 'meanAbsoluteError'
  | 'binaryCrossentropy'
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy';

/** A loss: its name, or `{ name, fromLogits }`. */
export type LossSpec = LossName | 'crossEntropy' | string | { name: string; fromLogits?: boolean };

/** A validated loss. @internal */
export interface Loss {
  name: LossName | 'crossEntropy';
  code: number;
  fromLogits: boolean;
}

const CODES: Record<LossName, number> = {
  meanSquaredError: 0,
  meanAbsoluteError: 1,
  binaryCrossentropy: 2,
  categoricalCrossentropy: 3,
  sparseCategoricalCrossentropy: 4,
};

const ALIASES: Record<string, LossName | 'crossEntropy'> = {
  mse: 'meanSquaredError',
  mean_squared_error: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mean_absolute_error: 'meanAbsoluteError',
  binary_crossentropy: 'binaryCrossentropy',
  bce: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  crossEntropy: 'crossEntropy',
  ...Object.fromEntries(Object.keys(CODES).map((k) => [k, k as LossName])),
};

/** Every accepted loss name. */
export const LOSSES = Object.keys(ALIASES);

/** Resolves a loss spec (throws TypeError / RangeError naming `name`). @internal */
export function resolveLoss(name: string, spec: unknown): Loss {
  let id: unknown = spec;
  let fromLogits = false;
  if (typeof spec === 'object' && spec !== null) {
    const o = v.options(name, spec, ['name', 'fromLogits']);
    id = o.name;
    fromLogits = v.boolean(`${name}.fromLogits`, o.fromLogits);
  }
  if (typeof id !== 'string') throw v.typeError('a loss name or { name, fromLogits }', name, spec);
  const resolved = ALIASES[id];
  if (!resolved)
    throw v.rangeError(`one of ${Object.keys(CODES).join(', ')}, crossEntropy (or Keras names)`, name, id);
  return { name: resolved, code: resolved === 'crossEntropy' ? -1 : CODES[resolved], fromLogits };
}

/** The concrete loss once the kind of targets is known (crossEntropy → categorical or sparse). @internal */
export function concreteLoss(loss: Loss, sparseTargets: boolean): Loss {
  if (loss.name !== 'crossEntropy') return loss;
  const name = sparseTargets ? 'sparseCategoricalCrossentropy' : 'categoricalCrossentropy';
  return { name, code: CODES[name], fromLogits: loss.fromLogits };
}

/** Whether the loss takes integer labels. @internal */
export const isSparse = (loss: Loss): boolean => loss.name === 'sparseCategoricalCrossentropy';

/** Whether accuracy means something for this loss. @internal */
export const hasAccuracy = (loss: Loss): boolean => loss.code >= 2;
