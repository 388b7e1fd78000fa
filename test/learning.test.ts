// Networks learn, and a seed fixes a run bit for bit.
import { describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';
import { XOR } from './helpers.js';

const xorNetwork = (backend: 'js' | 'wasm', seed: number) => Network.create({
  inputSize: 2,
  layers: [{ units: 4, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }],
  loss: 'quadratic',
  optimizer: { type: 'sgd', learningRate: 2 },
  seed,
  backend,
});

const bytes = (net: Network) => net.getWeights().flatMap((l) => [...new Uint8Array(l.weights.buffer), ...new Uint8Array(l.biases.buffer)]);

describe.each(['js', 'wasm'] as const)('on the %s backend', (backend) => {
  it('learns XOR with [2, 4, 1] sigmoid to quadratic loss < 0.01', async () => {
    const net = await xorNetwork(backend, 7);
    const before = net.evaluate(XOR).loss;
    net.trainSync(XOR, { epochs: 3000 });
    const { loss, accuracy } = net.evaluate(XOR);
    expect(before).toBeGreaterThan(0.1);
    expect(loss).toBeLessThan(0.01);
    expect(accuracy).toBe(1);
  });

  it('repeats a seeded run bit for bit, shuffling included', async () => {
    const runs = await Promise.all([xorNetwork(backend, 5), xorNetwork(backend, 5), xorNetwork(backend, 6)]);
    for (const net of runs) net.trainSync(XOR, { epochs: 50, batchSize: 1 });
    expect(bytes(runs[1])).toEqual(bytes(runs[0]));
    expect(bytes(runs[2])).not.toEqual(bytes(runs[0]));
  });

  it('starts from different weights for different seeds', async () => {
    const [a, b] = [await xorNetwork(backend, 1), await xorNetwork(backend, 2)];
    expect(bytes(a)).not.toEqual(bytes(b));
  });
});
