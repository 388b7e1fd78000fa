// What the Playground's state asks the network to learn: regression or k classes, and the network spec for it.

import type { NetworkSpec } from '../../../src/index.js';
import { datasetInfo } from '../datasets.js';
import type { State } from '../state.js';

export interface Problem {
  regression: boolean;
  /** 0 for regression. */
  classes: number;
  outputs: number;
}

export function problemOf(s: State): Problem {
  const regression = s.dataset === 'custom' ? s.customRegression : datasetInfo(s.dataset).regression;
  const classes = regression ? 0 : datasetInfo(s.dataset).anyClasses ? s.classes : 2;
  return { regression, classes, outputs: regression || classes === 2 ? 1 : classes };
}

/** The network for a state: its hidden layers, then a linear, sigmoid or softmax output as the problem needs. */
export function specOf(s: State): NetworkSpec {
  const p = problemOf(s);
  const output = p.regression ? 'linear' : p.outputs === 1 ? 'sigmoid' : 'softmax';
  const crossEntropy = !p.regression && s.loss === 'crossEntropy';
  return {
    inputSize: s.features.length,
    layers: [
      ...s.layers.map((units, i) => ({ units, activation: s.activations[i] })),
      { units: p.outputs, activation: output },
    ],
    loss: crossEntropy ? (p.outputs === 1 ? 'binaryCrossEntropy' : 'categoricalCrossEntropy') : 'mse',
    optimizer: s.optimizer === 'adam' ? { type: 'adam', learningRate: s.learningRate }
      : { type: 'sgd', learningRate: s.learningRate, momentum: s.optimizer === 'momentum' ? 0.9 : 0 },
    regularization: { l1: s.regularization === 'l1' ? s.regRate : 0, l2: s.regularization === 'l2' ? s.regRate : 0 },
    seed: s.seed,
  };
}
