// The MNIST presets of `simdnet train mnist --preset <name>`. Each is a complete recipe: architecture, cost,
// optimiser and schedule. The first three are the networks of Michael Nielsen's "Neural Networks and Deep Learning",
// chapter 1 (network.py); `fast` is simdnet's own, tuned for the best test accuracy within about a minute.

import { ACTIVATIONS, type ActivationName, LOSSES, type LossName } from '../core/constants.js';
import { BACKENDS, type BackendName, INITIALIZERS, type InitializerName } from '../core/spec.js';
import { MNIST_CLASSES, MNIST_PIXELS } from '../io/mnist.js';

export { ACTIVATIONS, BACKENDS, INITIALIZERS, LOSSES, type BackendName };
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;

export type Activation = ActivationName;
export type Loss = LossName;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export type Initializer = InitializerName;

export interface Preset {
  description: string;
  hidden: number[];
  activation: Activation;
  outputActivation: Activation;
  loss: Loss;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  epochs: number;
  initializer: Initializer;
  /** Biases drawn like the weights when 'normal' (Nielsen: N(0, 1)); left to the core's default otherwise. */
  biasInitializer?: Initializer;
}

const nielsen: Preset = {
  description: "Nielsen's network.py: [784, 30, 10] sigmoid, quadratic cost, SGD batch 10, η 3.0, 30 epochs, N(0,1)",
  hidden: [30],
  activation: 'sigmoid',
  outputActivation: 'sigmoid',
  loss: 'quadratic',
  optimizer: 'sgd',
  learningRate: 3.0,
  batchSize: 10,
  epochs: 30,
  initializer: 'normal',
  biasInitializer: 'normal',
};

export const PRESETS = {
  nielsen,
  'nielsen-deep': { ...nielsen, hidden: [16, 16], description: "Nielsen's [784, 16, 16, 10], trained as nielsen" },
  linear: { ...nielsen, hidden: [], description: 'no hidden layer: [784, 10] sigmoid, trained as nielsen' },
  fast: {
    description: '[784, 256, 10] relu + softmax, categorical cross-entropy, SGD momentum 0.9, η 0.1, batch 100, 15 epochs',
    hidden: [256],
    activation: 'relu',
    outputActivation: 'softmax',
    loss: 'categoricalCrossEntropy',
    optimizer: 'momentum',
    learningRate: 0.1,
    batchSize: 100,
    epochs: 15,
    initializer: 'heNormal',
  },
} satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
export const DEFAULT_PRESET: PresetName = 'fast';

/** The learning rate used when --optimizer names another optimiser than the preset's and --lr is not given. */
export const DEFAULT_LEARNING_RATES: Record<OptimizerName, number> = { sgd: 0.1, momentum: 0.1, adam: 0.001 };
/** The momentum coefficient of `--optimizer momentum`. */
export const MOMENTUM = 0.9;

/** The recipe as the network spec of the public API (784 inputs, 10 outputs). */
export function mnistSpec(recipe: {
  hidden: readonly number[]; activation: Activation; outputActivation: Activation; loss: Loss;
  optimizer: OptimizerName; learningRate: number; initializer: Initializer; biasInitializer?: Initializer | undefined;
  seed: number; backend: BackendName;
}) {
  const optimizer = recipe.optimizer === 'adam'
    ? { type: 'adam' as const, learningRate: recipe.learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }
    : { type: 'sgd' as const, learningRate: recipe.learningRate, momentum: recipe.optimizer === 'momentum' ? MOMENTUM : 0 };
  return {
    inputSize: MNIST_PIXELS,
    layers: [
      ...recipe.hidden.map((units) => ({ units, activation: recipe.activation })),
      { units: MNIST_CLASSES, activation: recipe.outputActivation },
    ],
    loss: recipe.loss,
    optimizer,
    initializer: recipe.initializer,
    ...(recipe.biasInitializer === undefined ? {} : { biasInitializer: recipe.biasInitializer }),
    seed: recipe.seed,
    backend: recipe.backend,
  };
}
