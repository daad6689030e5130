/**
 * gradscope: fast deep-learning training for Node.js on a SIMD C++ core,
 * with gradient diagnostics. This file is the public surface and nothing else.
 * @packageDocumentation
 */
export { ACTIVATION_DEFAULTS, ACTIVATIONS, type ActivationName, type ActivationSpec } from './activations.js';
export { earlyStopping, reduceLROnPlateau } from './callbacks.js';
export * as datasets from './datasets/index.js';
export * from './diagnostics/index.js';
export * as theory from './diagnostics/theory.js';
export { GradscopeError, type GradscopeErrorCode } from './errors.js';
export type { Callbacks, FitOptions, History, Logs, NonFiniteEvent } from './fit.js';
export * as init from './init/index.js';
export { Dense, type DenseOptions, dense } from './layers/dense.js';
export { LOSSES, type LossName, type LossSpec } from './losses.js';
export { Sequential, type SequentialOptions, type StepOptions, sequential } from './model.js';
export * as ops from './ops.js';
export * as optim from './optim/index.js';
export {
  type NormalOptions,
  philox4x32,
  Rng,
  type RngOptions,
  rng,
  type UniformOptions,
} from './random.js';
export { loadModel, type ModelJSON } from './serialize.js';
export {
  type CpuInfo,
  cpu,
  getThreads,
  type Isa,
  MAX_THREADS,
  measureFmaPeak,
  setThreads,
} from './system.js';
export type { Tensor } from './tensor.js';
export { version } from './version.js';
