// simdnet's public surface. Everything else is internal.
export { Network, type TrainForOptions } from './network.js';
export { NumpyRandom, type NumpyRandomState } from './core/random.js';
export { SimdnetError, type ErrorCode } from './core/errors.js';
export type { ActivationName, LossName } from './core/constants.js';
export type { Dataset, Features, FloatArray, LabelArray, MatrixInput, Sample, TrainingData } from './core/data.js';
export type { LayerTrace, LayerWeights } from './core/engine.js';
export type { NetworkJSON } from './io/model-file.js';
export type {
  ActivationAlias, AdamSpec, BackendName, InitializerName, LayerSpec, LossAlias, NetworkSpec, OptimizerSpec,
  ResolvedSpec, SgdSpec,
} from './core/spec.js';
export type { BatchLogs, EpochLogs, StopReason, TrainHistory, TrainOptions } from './core/train.js';
export type { EarlyStoppingOptions, LearningRateSchedule, Monitor } from './core/train.js';
export type { Evaluation } from './core/train.js';
export type { ImportOptions } from './io/import.js';
export type { TfjsArtifacts, TfjsModelInput, TfjsWeightSpec } from './io/tfjs.js';
export type { OnnxOptions } from './io/onnx.js';
export type { ModelLimits } from './io/model-file.js';
