/**
 * Weight initializers with Keras semantics and PyTorch aliases.
 * @module
 */

export { fromConfig, INITIALIZER_CLASSES, toInitializer } from './config.js';
export { Constant, constant, Ones, ones, Zeros, zeros } from './constant.js';
export { type Fans, fans } from './fans.js';
export { gain, type Nonlinearity } from './gain.js';
export { Initializer, type InitializerConfig, type Seed } from './initializer.js';
export {
  Identity,
  type IdentityOptions,
  identity,
  Orthogonal,
  type OrthogonalOptions,
  orthogonal,
} from './orthogonal.js';
export {
  RandomInitializer,
  RandomNormal,
  type RandomNormalOptions,
  RandomUniform,
  type RandomUniformOptions,
  randomNormal,
  randomUniform,
  TruncatedNormal,
  truncatedNormal,
} from './random-init.js';
export { ACTIVATIONS, type ActivationName, type Recommendation, recommend } from './recommend.js';
export {
  type FanMode,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  type KaimingOptions,
  kaimingNormal,
  kaimingUniform,
  lecunNormal,
  lecunUniform,
  type ScalingDistribution,
  type SeedOptions,
  TRUNCATED_STD,
  VarianceScaling,
  type VarianceScalingOptions,
  varianceScaling,
  type XavierOptions,
  xavierNormal,
  xavierUniform,
} from './variance-scaling.js';
