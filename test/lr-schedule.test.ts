// Learning-rate schedules: the rate each epoch logs, that plain and penalised SGD take exactly those rates (a
// scheduled run against runs of one epoch each at the scheduled rate, bit for bit), that momentum and Adam use them,
// that the next run starts from the spec's rate again, and bad options. Both backends.
import { describe, expect, it } from 'vitest';
import { Network, type NetworkSpec, NumpyRandom } from '../src/index.js';
import { SEED, expectSimdnetError, failure } from './helpers.js';

const data = (() => {
  const rng = new NumpyRandom(SEED);
  const inputs = Array.from({ length: 23 }, () => Array.from(rng.randn(3)));
  return { inputs, targets: inputs.map((x) => [x[0] * x[1] > 0 ? 1 : 0]) };
})();

describe.each(['js', 'wasm'] as const)('learning-rate schedules on the %s backend', (backend) => {
  const spec = (optimizer: NetworkSpec['optimizer'], regularization?: NetworkSpec['regularization']): NetworkSpec => ({
    inputSize: 3, backend, seed: SEED, loss: 'binaryCrossEntropy', optimizer, ...(regularization ? { regularization } : {}),
    layers: [{ units: 5, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  });

  it('logs each epoch\'s rate: step and exponential decay', async () => {
    const net = await Network.create(spec({ type: 'sgd', learningRate: 0.8 }));
    const step = net.trainSync(data, { epochs: 7, learningRateSchedule: { type: 'step', every: 3, factor: 0.5 } });
    expect(step.epochs.map((e) => e.learningRate)).toEqual([0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2]);
    const exponential = net.trainSync(data, { epochs: 4, learningRateSchedule: { type: 'exponential', rate: 0.9 } });
    expect(exponential.epochs.map((e) => e.learningRate)).toEqual([0.8, 0.8 * 0.9, 0.8 * 0.9 ** 2, 0.8 * 0.9 ** 3]);
    // The schedule belongs to its run: the next one starts from the spec's rate.
    expect(net.trainSync(data, { epochs: 2 }).epochs.map((e) => e.learningRate)).toEqual([0.8, 0.8]);
  });

  it.each([[undefined], [{ l2: 0.01 }]] as const)(
    'SGD (regularization %o) takes exactly the scheduled rate each epoch', async (regularization) => {
      const rates = [0.5, 0.5 * 0.3, 0.5 * 0.3 ** 2];
      const scheduled = await Network.create(spec({ type: 'sgd', learningRate: 0.5 }, regularization));
      const history = scheduled.trainSync(data, { epochs: 3, batchSize: 5, shuffle: false,
        learningRateSchedule: { type: 'exponential', rate: 0.3 } });
      expect(history.epochs.map((e) => e.learningRate)).toEqual(rates);
      // One epoch at a time, each on a network whose spec has that epoch's rate, from the weights the last one left.
      let weights = (await Network.create(spec({ type: 'sgd', learningRate: 0.5 }, regularization))).getWeights();
      for (const learningRate of rates) {
        const net = await Network.create(spec({ type: 'sgd', learningRate }, regularization));
        net.setWeights(weights);
        net.trainSync(data, { epochs: 1, batchSize: 5, shuffle: false });
        weights = net.getWeights();
      }
      expect(scheduled.getWeights()).toEqual(weights);
    });

  it.each([
    [{ type: 'sgd', learningRate: 0.2, momentum: 0.9 }],
    [{ type: 'adam', learningRate: 0.05 }],
  ] as const)('changes what %o learns, from the second step of the schedule on', async (optimizer) => {
    const plain = await Network.create(spec(optimizer));
    const decayed = await Network.create(spec(optimizer));
    const a = plain.trainSync(data, { epochs: 3, batchSize: 8 });
    const b = decayed.trainSync(data, { epochs: 3, batchSize: 8, learningRateSchedule: { type: 'step', every: 1, factor: 0.1 } });
    expect(b.epochs[0].loss).toBe(a.epochs[0].loss); // epoch 0 runs at the full rate in both
    expect(b.epochs[2].loss).not.toBe(a.epochs[2].loss);
    expect(b.epochs.map((e) => e.learningRate)).toEqual([0, 1, 2].map((e) => optimizer.learningRate * 0.1 ** e));
  });

  it('refuses bad schedules, naming the field', async () => {
    const net = await Network.create(spec({ type: 'sgd' }));
    const bad: [unknown, string][] = [
      [{ type: 'cosine' }, 'options.learningRateSchedule.type'],
      [{ every: 2, factor: 0.5 }, 'options.learningRateSchedule.type'],
      [{ type: 'step', factor: 0.5 }, 'options.learningRateSchedule.every'],
      [{ type: 'step', every: 0, factor: 0.5 }, 'options.learningRateSchedule.every'],
      [{ type: 'step', every: 1.5, factor: 0.5 }, 'options.learningRateSchedule.every'],
      [{ type: 'step', every: 2, factor: 0 }, 'options.learningRateSchedule.factor'],
      [{ type: 'step', every: 2, factor: 1.5 }, 'options.learningRateSchedule.factor'],
      [{ type: 'step', every: 2 }, 'options.learningRateSchedule.factor'],
      [{ type: 'exponential', rate: Number.NaN }, 'options.learningRateSchedule.rate'],
      [{ type: 'exponential', rate: -0.5 }, 'options.learningRateSchedule.rate'],
      [{ type: 'exponential', rate: 0.5, every: 2 }, 'options.learningRateSchedule.every'],
      ['step', 'options.learningRateSchedule'],
    ];
    for (const [learningRateSchedule, field] of bad) {
      expectSimdnetError(failure(() => net.trainSync(data, { epochs: 1, learningRateSchedule } as never)),
        'INVALID_OPTIONS', field);
    }
  });
});
