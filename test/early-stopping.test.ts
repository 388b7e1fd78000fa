// Early stopping: when it stops (patience, minDelta, each monitor), that it ends with exactly the best epoch's
// weights (against a run of best + 1 epochs, bit for bit), that restoreBestWeights: false keeps the last ones, and
// that bad options are SimdnetErrors naming the field. Both backends.
import { describe, expect, it } from 'vitest';
import { Network, type NetworkSpec, NumpyRandom, type TrainOptions } from '../src/index.js';
import { SEED, expectSimdnetError, failure } from './helpers.js';

/** A small noisy regression that a wide network with a large step overfits: validation loss turns up early. */
function noisyData(seed: number) {
  const rng = new NumpyRandom(seed);
  const rows = 30;
  const inputs = Array.from({ length: rows }, () => Array.from(rng.randn(3)));
  const noise = rng.randn(rows);
  const targets = inputs.map((x, i) => [Math.tanh(x[0] - x[1]) + 0.8 * noise[i]]);
  return { inputs, targets };
}

describe.each(['js', 'wasm'] as const)('early stopping on the %s backend', (backend) => {
  const spec: NetworkSpec = {
    inputSize: 3, backend, seed: SEED, loss: 'mse', optimizer: { type: 'adam', learningRate: 0.05 },
    layers: [{ units: 24, activation: 'tanh', dropout: 0.1 }, { units: 24, activation: 'tanh' }, { units: 1, activation: 'linear' }],
  };
  const data = noisyData(SEED);
  const base: TrainOptions = { epochs: 200, batchSize: 6, validationSplit: 0.3 };

  it('stops at the patience-th epoch without improvement and restores the best epoch\'s weights exactly', async () => {
    const net = await Network.create(spec);
    const history = net.trainSync(data, { ...base, earlyStopping: { patience: 3 } });
    expect(history.stopReason, `seed ${SEED}`).toBe('earlyStopping');
    const best = history.bestEpoch!;
    const valLosses = history.epochs.map((e) => e.valLoss!);
    expect(valLosses[best]).toBe(Math.min(...valLosses));
    expect(history.epochs.length).toBe(best + 1 + 3);

    // The same run stopped by `epochs` at the best epoch: the same weights, bit for bit.
    const reference = await Network.create(spec);
    reference.trainSync(data, { ...base, epochs: best + 1 });
    expect(net.getWeights()).toEqual(reference.getWeights());
    expect(JSON.stringify(net.toJSON())).toBe(JSON.stringify(reference.toJSON()));

    // ... and not the last epoch's (which a run of every epoch ends with).
    const last = await Network.create(spec);
    last.trainSync(data, { ...base, epochs: history.epochs.length });
    expect(net.getWeights()[0].weights).not.toEqual(last.getWeights()[0].weights);
  });

  it('keeps the last epoch\'s weights with restoreBestWeights: false', async () => {
    const net = await Network.create(spec);
    const history = net.trainSync(data, { ...base, earlyStopping: { patience: 2, restoreBestWeights: false } });
    expect(history.stopReason).toBe('earlyStopping');
    const reference = await Network.create(spec);
    reference.trainSync(data, { ...base, epochs: history.epochs.length });
    expect(net.getWeights()).toEqual(reference.getWeights());
  });

  it('counts an improvement only beyond minDelta, on each monitor', async () => {
    for (const monitor of ['loss', 'valLoss', 'accuracy', 'valAccuracy'] as const) {
      const net = await Network.create(spec);
      // No figure gets 10 better: every epoch after the first fails to improve.
      const history = net.trainSync(data, { ...base, earlyStopping: { monitor, patience: 4, minDelta: 10 } });
      expect(history.stopReason, monitor).toBe('earlyStopping');
      expect(history.bestEpoch, monitor).toBe(0);
      expect(history.epochs.length, monitor).toBe(5);
      const reference = await Network.create(spec);
      reference.trainSync(data, { ...base, epochs: 1 });
      expect(net.getWeights(), monitor).toEqual(reference.getWeights());
    }
    // Training loss falls steadily under full-batch gradient descent: with patience it runs every epoch.
    const net = await Network.create({ ...spec, layers: spec.layers.map(({ dropout: _, ...l }) => l), optimizer: { type: 'sgd', learningRate: 0.01 } });
    const history = net.trainSync(data, { epochs: 15, earlyStopping: { monitor: 'loss', patience: 2 } });
    expect(history.stopReason).toBe('epochs');
    expect(history.bestEpoch).toBe(14);
  });

  it('refuses bad options, naming the field', async () => {
    const net = await Network.create(spec);
    const bad: [unknown, string][] = [
      [{ monitor: 'valLoss' }, 'options.earlyStopping.monitor'],
      [{ monitor: 'val_loss' }, 'options.earlyStopping.monitor'],
      [{ patience: -1 }, 'options.earlyStopping.patience'],
      [{ patience: 1.5 }, 'options.earlyStopping.patience'],
      [{ minDelta: -0.1 }, 'options.earlyStopping.minDelta'],
      [{ minDelta: Infinity }, 'options.earlyStopping.minDelta'],
      [{ restoreBestWeights: 'yes' }, 'options.earlyStopping.restoreBestWeights'],
      [{ wait: 3 }, 'options.earlyStopping.wait'],
      [5, 'options.earlyStopping'],
    ];
    for (const [earlyStopping, field] of bad) {
      expectSimdnetError(failure(() => net.trainSync(data, { epochs: 2, earlyStopping } as never)), 'INVALID_OPTIONS', field);
    }
    // Without validation, valLoss is not there to watch; the default monitor is then the training loss.
    expect(net.trainSync(data, { epochs: 2, earlyStopping: {} }).bestEpoch).toBeDefined();
  });
});
