// simdnet's public surface. Everything else is internal.
export { Network, type TrainForOptions } from './network.js';
export { NumpyRandom, type NumpyRandomState } from './random.js';
export { SimdnetError, type ErrorCode } from './errors.js';
export type { ActivationName, LossName } from './constants.js';
export type { Dataset, MatrixInput, FloatArray } from './data.js';
export type { LayerTrace, LayerWeights } from './engine.js';
export type { NetworkJSON } from './serialize.js';
export type {
  AdamSpec, BackendName, InitializerName, LayerSpec, NetworkSpec, OptimizerSpec, ResolvedSpec, SgdSpec,
} from './spec.js';
export type { BatchLogs, EpochLogs, StopReason, TrainHistory, TrainOptions } from './train.js';
export type { Evaluation } from './train.js';
export type { ImportOptions } from './interop/common.js';
export type { TfjsArtifacts, TfjsModelInput, TfjsWeightSpec } from './interop/tfjs.js';
export type { ModelLimits } from './serialize.js';
