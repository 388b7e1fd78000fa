// The float32 Wasm backend computes what the float64 JS reference computes: the same outputs from the same weights,
// and nearly the same weights after 100 training steps on the same shuffled batches.
import { describe, expect, it } from 'vitest';
import { type NetworkSpec, Network, NumpyRandom } from '../src/index.js';

const maxAbs = (values: ArrayLike<number>) => Math.max(...Array.from(values, Math.abs));
const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

const CASES: [string, Omit<NetworkSpec, 'seed' | 'backend'>][] = [
  ['sigmoid, quadratic, sgd', {
    inputSize: 7, loss: 'quadratic', optimizer: { type: 'sgd', learningRate: 0.5 },
    layers: [{ units: 5, activation: 'sigmoid' }, { units: 3, activation: 'sigmoid' }],
  }],
  ['relu + softmax, cross-entropy, nesterov momentum, l1', {
    inputSize: 17, loss: 'categoricalCrossEntropy',
    optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true }, regularization: { l1: 1e-4 },
    layers: [{ units: 13, activation: 'relu' }, { units: 6, activation: 'leakyRelu' }, { units: 4, activation: 'softmax' }],
  }],
  ['tanh, mse, adam, l2, no bias', {
    inputSize: 5, loss: 'mse', optimizer: { type: 'adam', learningRate: 0.01 }, regularization: { l2: 1e-3 },
    layers: [{ units: 9, activation: 'tanh', useBias: false }, { units: 2, activation: 'linear' }],
  }],
];

describe.each(CASES)('wasm against js: %s', (_, spec) => {
  const make = (backend: 'js' | 'wasm') => Network.create({ ...spec, seed: 3, backend });
  const outputSize = spec.layers[spec.layers.length - 1].units;

  function data(rows: number, seed: number) {
    const rng = new NumpyRandom(seed);
    const inputs = Float64Array.from(rng.randn(rows * spec.inputSize), Math.fround);
    const targets = new Float64Array(rows * outputSize);
    for (let r = 0; r < rows; r++) targets[r * outputSize + rng.nextInt(outputSize - 1)] = 1; // one-hot
    return { inputs, targets };
  }

  it('gives the same outputs from the same weights (1e-5 relative)', async () => {
    const [js, wasm] = [await make('js'), await make('wasm')];
    // The wasm network drew the same numbers, rounded to float32: give js exactly those.
    js.setWeights(wasm.getWeights());
    const { inputs } = data(37, 11);
    const expected = js.predictBatch(inputs);
    expect(maxDifference(wasm.predictBatch(inputs), expected)).toBeLessThanOrEqual(1e-5 * maxAbs(expected));
  });

  it('stays within 1e-3 relative after 100 training steps', async () => {
    const [js, wasm] = [await make('js'), await make('wasm')];
    js.setWeights(wasm.getWeights());
    // 25 batches of 8 per epoch, shuffled by the same seed on both sides: 4 epochs are 100 steps.
    const train = data(200, 12);
    for (const net of [js, wasm]) net.trainSync(train, { epochs: 4, batchSize: 8 });
    const [a, b] = [js.getWeights(), wasm.getWeights()];
    a.forEach((layer, i) => {
      expect(maxDifference(b[i].weights, layer.weights)).toBeLessThanOrEqual(1e-3 * maxAbs(layer.weights));
      expect(maxDifference(b[i].biases, layer.biases)).toBeLessThanOrEqual(1e-3 * Math.max(maxAbs(layer.biases), 1e-3));
    });
    // Training moved the weights: the comparison is not between two untouched copies.
    const initial = (await make('wasm')).getWeights();
    expect(maxDifference(initial[0].weights, b[0].weights)).toBeGreaterThan(1e-2);
  });
});
