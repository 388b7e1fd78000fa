// Finite-difference gradient checks through whole networks: the gradients that backpropagation computes (read with
// net.trace) against central differences of the loss (net.evaluate), for every activation × loss pair that makes
// sense, on random shapes whose sizes are not multiples of 4, with one to three hidden layers, on both backends.
import { describe, expect, it } from 'vitest';
import { type ActivationName, type LossName, Network, NumpyRandom } from '../src/index.js';

const HIDDEN: ActivationName[] = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'];

const PAIRS: [LossName, ActivationName][] = [
  ...(['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear', 'softmax'] as const).flatMap(
    (output) => [['quadratic', output], ['mse', output]] as [LossName, ActivationName][]),
  ['binaryCrossEntropy', 'sigmoid'],
  ['binaryCrossEntropy', 'softmax'],
  ['categoricalCrossEntropy', 'softmax'],
  ['categoricalCrossEntropy', 'sigmoid'],
];

// float64 differences are exact to ~1e-9 with h = 1e-5; float32 losses carry ~1e-7 relative noise, so the wasm
// backend needs a larger step and looser (still discriminating: a wrong derivative is off by O(1)) bound.
const SETTINGS = {
  js: { h: 1e-5, tolerance: 1e-6 },
  wasm: { h: 1e-2, tolerance: 2e-2 },
} as const;

function targetsFor(loss: LossName, output: ActivationName, rows: number, units: number, rng: NumpyRandom) {
  const raw = rng.random(rows * units);
  if (loss === 'categoricalCrossEntropy' || output === 'softmax') {
    // Rows that sum to 1 (distributions), as softmax outputs do.
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let c = 0; c < units; c++) sum += raw[r * units + c];
      for (let c = 0; c < units; c++) raw[r * units + c] /= sum;
    }
  }
  return raw;
}

describe.each(['js', 'wasm'] as const)('gradients on the %s backend', (backend) => {
  const { h, tolerance } = SETTINGS[backend];

  it.each(PAIRS)('%s loss with a %s output layer', async (loss, output) => {
    const rng = new NumpyRandom(PAIRS.findIndex(([l, o]) => l === loss && o === output) + 100);
    const hiddenCount = 1 + rng.nextInt(2);
    const sizes = [3, 5, 7, 6, 9, 2];
    const inputSize = sizes[rng.nextInt(sizes.length - 1)];
    const outputSize = output === 'softmax' ? 3 : 1 + rng.nextInt(2) * 2;
    const layers = [
      ...Array.from({ length: hiddenCount }, (_, i) => ({
        units: sizes[rng.nextInt(sizes.length - 1)],
        activation: HIDDEN[(i + rng.nextInt(4)) % HIDDEN.length],
      })),
      { units: outputSize, activation: output },
    ];
    const net = await Network.create({
      inputSize, layers, loss, backend, initializer: 'glorotUniform', biasInitializer: 'uniform', seed: rng.nextInt(1000),
    });
    const rows = 3;
    const data = {
      inputs: Float64Array.from(rng.randn(rows * inputSize)),
      targets: targetsFor(loss, output, rows, outputSize, rng),
    };

    const analytic = net.trace(data).layers;
    // Cross-entropy clamps outputs into [1e-7, 1 − 1e-7], where the loss is flat by design: stay clear of it.
    if (loss === 'binaryCrossEntropy' || loss === 'categoricalCrossEntropy') {
      const outputs = net.predictBatch(data.inputs);
      expect(Math.min(...outputs)).toBeGreaterThan(1e-4);
      expect(Math.max(...outputs)).toBeLessThan(1 - 1e-4);
    }
    const weights = net.getWeights().map((l) => ({ weights: Float64Array.from(l.weights), biases: Float64Array.from(l.biases) }));
    const lossAt = (layer: number, kind: 'weights' | 'biases', index: number, delta: number) => {
      const perturbed = weights.map((l) => ({ weights: l.weights.slice(), biases: l.biases.slice() }));
      perturbed[layer][kind][index] += delta;
      net.setWeights(perturbed);
      return net.evaluate(data).loss;
    };

    let worst = 0;
    let largest = 0;
    weights.forEach((layer, l) => {
      for (const kind of ['weights', 'biases'] as const) {
        const grads = kind === 'weights' ? analytic[l].dCdw : analytic[l].dCdb;
        expect(grads.length).toBe(layer[kind].length);
        for (let i = 0; i < layer[kind].length; i++) {
          const numeric = (lossAt(l, kind, i, h) - lossAt(l, kind, i, -h)) / (2 * h);
          worst = Math.max(worst, Math.abs(numeric - grads[i]));
          largest = Math.max(largest, Math.abs(grads[i]));
        }
      }
    });
    expect(largest).toBeGreaterThan(1e-3); // a vanishing gradient would make the comparison empty
    expect(worst).toBeLessThanOrEqual(tolerance * largest);
    net.dispose();
  });
});
