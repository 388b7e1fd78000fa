// A huge but finite gradient can overflow Adam's second moment v = β2·v + (1 − β2)·g² to ∞ in float32. The step
// is then η·m/∞ = 0 and every new weight is finite, yet the parameter is frozen for good. The optimiser kernels'
// fused finite check covers their state (m, v, velocity), so such a step is reported: training throws DIVERGED
// and keeps the weights of the last good step.

import { describe, expect, it } from 'vitest';
import { Network, SimdnetError } from '../src/index.js';
import { failure } from './helpers.js';

describe('optimiser state overflow (float32 Adam)', () => {
  it('a gradient whose square overflows float32 makes the step report non-finite, not freeze a weight', async () => {
    // One linear unit: with x = 1e10 and a target of 0, ∂C/∂w = x·(w·x) ≈ 1e20, so g² ≈ 1e40 > 3.4e38.
    const network = await Network.create({
      inputSize: 1,
      layers: [{ units: 1, activation: 'linear', useBias: false }],
      loss: 'quadratic',
      optimizer: { type: 'adam', learningRate: 0.01 },
      initializer: 'uniform',
      seed: 3,
    });
    const before = network.getWeights();
    expect(Math.abs(before[0].weights[0])).toBeGreaterThan(0.01);
    const error = await failure(() => network.trainSync({ inputs: [[1e12]], targets: [[0]] }, { epochs: 1 }));
    expect(error).toBeInstanceOf(SimdnetError);
    expect((error as SimdnetError).code).toBe('DIVERGED');
    expect(network.getWeights()).toEqual(before);

    // The optimiser state was reset: ordinary data trains normally afterwards.
    const history = network.trainSync({ inputs: [[1], [2]], targets: [[0.5], [1]] }, { epochs: 20 });
    expect(history.epochs).toHaveLength(20);
    expect(network.getWeights()[0].weights[0]).not.toBe(before[0].weights[0]);
  });

  it('the float64 backend, where g² ≈ 1e46 is finite, takes the same step', async () => {
    const network = await Network.create({
      inputSize: 1,
      layers: [{ units: 1, activation: 'linear', useBias: false }],
      loss: 'quadratic',
      optimizer: { type: 'adam', learningRate: 0.01 },
      initializer: 'uniform',
      seed: 3,
      backend: 'js',
    });
    const before = network.getWeights()[0].weights[0];
    network.trainSync({ inputs: [[1e12]], targets: [[0]] }, { epochs: 1 });
    // Adam's first step moves a weight by about η·sign(g).
    expect(network.getWeights()[0].weights[0]).toBeCloseTo(before - 0.01 * Math.sign(before), 6);
  });
});
