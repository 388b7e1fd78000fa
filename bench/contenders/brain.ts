// brain.js 1.6 (the npm `latest`; 2.x betas need gpu.js' native headless-gl) as a contender. Its NeuralNetwork
// learns online, one sample per update, and applies one activation to every layer with the quadratic cost; it has
// no minibatches and no softmax. Each workload uses the closest configuration (noted in bench/RESULTS.md) through
// the public API: `train(data, { iterations })` for training, `run(input)` for predictions.

import { createRequire } from 'node:module';
import { type MnistData, loadMnist } from '../../src/node/mnist.js';
import type { Params } from '../harness/protocol.js';
import { W1, W2, W3, W4, gridPoints, spiral } from '../workloads.js';
import { type Contender, type Session, accuracy, num, timeCalls } from './session.js';

interface BrainNetwork {
  train(data: { input: number[]; output: number[] }[], options: Record<string, unknown>): { error: number };
  run(input: number[]): ArrayLike<number>;
  outputs: ArrayLike<number>[];
}

const require = createRequire(import.meta.url);
const brain = require('brain.js') as { NeuralNetwork: new (options: Record<string, unknown>) => BrainNetwork };

/** brain.js refuses errorThresh and momentum outside (0, 1): this stands for 0 (its update always adds the
 *  momentum term, so the work is the same). */
const TINY = 1e-12;

let mnist: Promise<MnistData> | undefined;
const loadData = (): Promise<MnistData> => (mnist ??= loadMnist());

/** brain.js' data format: arrays of numbers. */
function samplesOf(split: MnistData['train'], count: number): { input: number[]; output: number[] }[] {
  return Array.from({ length: count }, (_, r) => ({
    input: Array.from(split.inputs.subarray(r * 784, (r + 1) * 784)),
    output: Array.from(split.targets.subarray(r * 10, (r + 1) * 10)),
  }));
}

/** Each run is `iterations` passes over `data` (brain.js shuffles nothing). */
function trainingSession(network: BrainNetwork, data: { input: number[]; output: number[] }[], iterations: number,
  trainOptions: Record<string, unknown>, evaluation?: () => Record<string, number>): Session {
  return {
    run: () => {
      const start = performance.now();
      network.train(data, { ...trainOptions, iterations, errorThresh: TINY, log: false });
      return { ms: performance.now() - start, count: iterations * data.length };
    },
    evaluate: evaluation,
    dispose: () => undefined,
  };
}

export const brainContender: Contender = async (workload: string, params: Params): Promise<Session | string> => {
  switch (workload) {
    case 'W1': {
      const { train, test } = await loadData();
      const network = new brain.NeuralNetwork({ hiddenLayers: [W1.sizes[1]], activation: 'sigmoid' });
      const testInputs = samplesOf(test, test.count).map((s) => s.input);
      // Online updates: η/batch per sample is the step of Nielsen's η = 3 at batch 10.
      return trainingSession(network, samplesOf(train, num(params, 'samples')), 1,
        { learningRate: W1.learningRate / W1.batchSize, momentum: TINY },
        () => {
          const outputs = new Float32Array(test.count * 10);
          testInputs.forEach((input, r) => outputs.set(network.run(input), r * 10));
          return { accuracy: accuracy(outputs, test.labels, 10) };
        });
    }
    case 'W2': {
      const { train } = await loadData();
      // relu on every layer (brain.js has no softmax), per-sample updates: a small step keeps it finite.
      const network = new brain.NeuralNetwork({ hiddenLayers: [W2.sizes[1]], activation: 'relu' });
      return trainingSession(network, samplesOf(train, num(params, 'samples')), 1,
        { learningRate: 0.01, momentum: TINY });
    }
    case 'W3-train':
    case 'W3-grid': {
      const network = new brain.NeuralNetwork({ hiddenLayers: W3.sizes.slice(1, -1), activation: 'tanh' });
      const { inputs, targets } = spiral(W3.points);
      const data = Array.from({ length: W3.points }, (_, i) => ({
        input: [inputs[2 * i], inputs[2 * i + 1]], output: [targets[i]],
      }));
      const trainOptions = { learningRate: W3.learningRate, momentum: TINY };
      if (workload === 'W3-train') return trainingSession(network, data, num(params, 'units'), trainOptions);
      network.train(data, { ...trainOptions, iterations: 5, errorThresh: TINY, log: false });
      const grid = gridPoints();
      const points = Array.from({ length: grid.length / 2 }, (_, i) => [grid[2 * i], grid[2 * i + 1]]);
      // Every neuron's output at every point, as the Playground draws them: one run per point, then its layers.
      const layers = W3.sizes.slice(1).map((units) => new Float32Array(points.length * units));
      const calls = num(params, 'units');
      return {
        run: () => timeCalls(calls, () => {
          for (let p = 0; p < points.length; p++) {
            network.run(points[p]);
            for (let l = 0; l < layers.length; l++) layers[l].set(network.outputs[l + 1], p * W3.sizes[l + 1]);
          }
        }),
        dispose: () => undefined,
      };
    }
    case 'W4': {
      const { train } = await loadData();
      const network = new brain.NeuralNetwork({ hiddenLayers: [W4.sizes[1]], activation: 'sigmoid' });
      return trainingSession(network, samplesOf(train, num(params, 'samples')), 1,
        { learningRate: W4.learningRate, momentum: TINY });
    }
  }
  return 'brain.js has no kernel-level API';
};
