/**
 * Optimisers, gradient clipping and learning-rate schedules.
 * @module
 */
export { clipByGlobalNorm, clipByNorm, clipByValue } from './clip.js';
export { adagrad, adam, adamw, type CommonOptions, nadam, Optimizer, rmsprop, sgd } from './optimizers.js';
export {
  cosineDecay,
  exponentialDecay,
  inverseTimeDecay,
  piecewiseConstant,
  polynomialDecay,
  type Schedule,
} from './schedules.js';
