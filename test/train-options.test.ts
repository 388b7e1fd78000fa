// Training options and the training loop (src/core/train.ts through trainSync/train): option validation, every stop
// reason, callbacks (their verdicts and their exceptions), validation data, the history, train() against
// trainSync, the event loop during train(), BUSY, and DIVERGED with the weights of the last finite step.
import { describe, expect, it } from 'vitest';
import { type Dataset, type EpochLogs, Network, NumpyRandom, type TrainOptions } from '../src/index.js';
import { XOR, expectSimdnetError, failure } from './helpers.js';

type Backend = 'js' | 'wasm';

const xorNet = (backend: Backend, seed = 1) => Network.create({
  inputSize: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  optimizer: { type: 'sgd', learningRate: 2 }, seed, backend,
});

/** 256 samples of 8 inputs and 4 outputs: enough work per epoch for runs that must last a while. */
function largeData(): Dataset {
  const rng = new NumpyRandom(99);
  return { inputs: rng.randn(256 * 8), targets: rng.random(256 * 4) };
}

const largeNet = (backend: Backend, seed = 3) => Network.create({
  inputSize: 8, layers: [{ units: 32, activation: 'relu' }, { units: 4, activation: 'sigmoid' }],
  optimizer: { type: 'sgd', learningRate: 0.05 }, seed, backend,
});

const allFinite = (net: Network): boolean =>
  net.getWeights().every((layer) => [...layer.weights, ...layer.biases].every(Number.isFinite));

/** The network trains normally: a fresh one-epoch run completes and its loss is finite. */
function expectUsable(net: Network, data: Dataset = XOR): void {
  const history = net.trainSync(data, { epochs: 1 });
  expect(history.stopReason).toBe('epochs');
  expect(Number.isFinite(history.epochs[0].loss)).toBe(true);
  expect(net.predict(new Float64Array(net.inputSize).fill(0.5))).toHaveLength(net.outputSize);
}

describe.each(['js', 'wasm'] as const)('training options on the %s backend', (backend) => {
  describe('validation of options', () => {
    it.each([
      ['epochs', 0, '0'], ['epochs', -1, '-1'], ['epochs', 1.5, '1.5'], ['epochs', Number.NaN, 'NaN'],
      ['epochs', '3', '"3"'],
      ['batchSize', 0, '0'], ['batchSize', -1, '-1'], ['batchSize', 1.5, '1.5'], ['batchSize', Infinity, 'Infinity'],
      ['shuffle', 0, '0'], ['shuffle', -1, '-1'], ['shuffle', 1.5, '1.5'], ['shuffle', 'yes', '"yes"'],
      ['errorThreshold', -1, '-1'], ['errorThreshold', Number.NaN, 'NaN'],
      ['timeoutMs', -5, '-5'], ['timeoutMs', '100', '"100"'],
      ['yieldEveryMs', -1, '-1'],
      ['signal', 'stop', '"stop"'],
    ] as [string, unknown, string][])('rejects %s = %s with INVALID_OPTIONS', async (field, value, shown) => {
      const net = await xorNet(backend);
      const before = net.getWeights();
      const options = { epochs: 2, [field]: value } as TrainOptions;
      for (const error of [failure(() => net.trainSync(XOR, options)),
        await failure(() => net.train(XOR, options))]) {
        expectSimdnetError(error, 'INVALID_OPTIONS');
        expect(error.message).toContain(field);
        expect(error.message).toMatch(new RegExp(`(?<![\\w.])${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      }
      expect(net.getWeights()).toEqual(before);
      expectUsable(net);
      net.dispose();
    });

    it('rejects an unknown option, naming it', async () => {
      const net = await xorNet(backend);
      for (const key of ['epoch', 'learningRate', 'batchsize']) {
        const options = { [key]: 3 } as TrainOptions;
        const error = failure(() => net.trainSync(XOR, options));
        expectSimdnetError(error, 'INVALID_OPTIONS');
        expect(error.message).toContain(key);
        expectSimdnetError(await failure(() => net.train(XOR, options)), 'INVALID_OPTIONS');
      }
      net.dispose();
    });

    it('rejects callbacks that are not functions and options that are not an object', async () => {
      const net = await xorNet(backend);
      const bad = { callbacks: { onEpochEnd: 'log' } } as unknown as TrainOptions;
      const error = failure(() => net.trainSync(XOR, bad));
      expectSimdnetError(error, 'INVALID_OPTIONS');
      expect(error.message).toContain('onEpochEnd');
      expectSimdnetError(failure(() => net.trainSync(XOR, 5 as unknown as TrainOptions)), 'INVALID_OPTIONS');
      net.dispose();
    });

    it('accepts a batchSize larger than the data set (one full batch)', async () => {
      const net = await xorNet(backend);
      const sizes: number[] = [];
      net.trainSync(XOR, { epochs: 2, batchSize: 100, callbacks: { onBatchEnd: (_b, logs) => void sizes.push(logs.size) } });
      expect(sizes).toEqual([4, 4]);
      net.dispose();
    });
  });

  describe('stop reasons', () => {
    it("stops with 'errorThreshold' at the first epoch whose loss is below the threshold", async () => {
      const net = await xorNet(backend);
      const history = net.trainSync(XOR, { epochs: 20_000, errorThreshold: 0.01 });
      expect(history.stopReason).toBe('errorThreshold');
      expect(history.epochs.length).toBeLessThan(20_000);
      expect(history.epochs.at(-1)!.loss).toBeLessThan(0.01);
      expect(history.epochs.slice(0, -1).every((logs) => logs.loss >= 0.01)).toBe(true);
      net.dispose();
    });

    it("stops with 'errorThreshold' after one epoch when every loss is below the threshold", async () => {
      const net = await xorNet(backend);
      const history = net.trainSync(XOR, { epochs: 50, errorThreshold: 1e9 });
      expect(history.stopReason).toBe('errorThreshold');
      expect(history.epochs).toHaveLength(1);
      net.dispose();
    });

    it("stops with 'timeout' soon after timeoutMs (trainSync and train)", async () => {
      const data = largeData();
      for (const run of ['trainSync', 'train'] as const) {
        const net = await largeNet(backend);
        const started = performance.now();
        const options = { epochs: 1_000_000_000, batchSize: 8, timeoutMs: 80 };
        const history = run === 'train' ? await net.train(data, options) : net.trainSync(data, options);
        const elapsed = performance.now() - started;
        expect(history.stopReason).toBe('timeout');
        expect(elapsed).toBeGreaterThanOrEqual(80);
        // One batch of 8 rows takes microseconds: stopping within a second of the limit is not an accident.
        expect(elapsed).toBeLessThan(80 + 1000);
        expect(history.epochs.length).toBeGreaterThan(0);
        expect(allFinite(net)).toBe(true);
        expectUsable(net, data);
        net.dispose();
      }
    });

    it("stops with 'aborted' before any step when the signal is already aborted", async () => {
      const net = await xorNet(backend);
      const before = net.getWeights();
      const history = net.trainSync(XOR, { epochs: 10, signal: AbortSignal.abort() });
      expect(history.stopReason).toBe('aborted');
      expect(history.epochs).toHaveLength(0);
      expect(net.getWeights()).toEqual(before);
      const asyncHistory = await net.train(XOR, { epochs: 10, signal: AbortSignal.abort() });
      expect(asyncHistory.stopReason).toBe('aborted');
      expect(net.getWeights()).toEqual(before);
      expectUsable(net);
      net.dispose();
    });

    it("stops with 'aborted' when the signal is aborted from onBatchEnd, after that batch", async () => {
      const net = await xorNet(backend);
      const controller = new AbortController();
      const batches: number[] = [];
      const history = net.trainSync(XOR, {
        epochs: 10, batchSize: 1, signal: controller.signal,
        callbacks: { onBatchEnd: (batch) => { batches.push(batch); if (batch === 5) controller.abort(); } },
      });
      expect(history.stopReason).toBe('aborted');
      expect(batches).toEqual([0, 1, 2, 3, 4, 5]);
      // Four batches per epoch: epoch 0 complete, epoch 1 cut after two batches.
      expect(history.epochs.map((logs) => logs.epoch)).toEqual([0, 1]);
      expect(history.epochs[0].partial).toBeUndefined();
      expect(history.epochs[1].partial).toBe(true);

      // The same six steps taken another way (stopping from the callback) give the same weights.
      const reference = await xorNet(backend);
      reference.trainSync(XOR, { epochs: 10, batchSize: 1, callbacks: { onBatchEnd: (batch) => batch !== 5 } });
      expect(net.getWeights()).toEqual(reference.getWeights());
      expectUsable(net);
      net.dispose();
      reference.dispose();
    });

    it("stops train() with 'aborted' when a timer aborts the signal mid-run", async () => {
      const net = await largeNet(backend);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 40);
      const data = largeData();
      const history = await net.train(data, { epochs: 1_000_000_000, batchSize: 8, signal: controller.signal,
        timeoutMs: 10_000 });
      clearTimeout(timer);
      expect(history.stopReason).toBe('aborted');
      expect(allFinite(net)).toBe(true);
      expectUsable(net, data);
      net.dispose();
    });

    it("stops with 'callback' when onEpochEnd returns false", async () => {
      const net = await xorNet(backend);
      const history = net.trainSync(XOR, { epochs: 10, callbacks: { onEpochEnd: (epoch) => epoch !== 2 } });
      expect(history.stopReason).toBe('callback');
      expect(history.epochs).toHaveLength(3);
      expect(history.epochs.every((logs) => logs.partial === undefined)).toBe(true);
      net.dispose();
    });

    it("stops with 'callback' when onBatchEnd returns false", async () => {
      const net = await xorNet(backend);
      const history = net.trainSync(XOR, { epochs: 10, batchSize: 2, callbacks: { onBatchEnd: (batch) => batch < 2 } });
      expect(history.stopReason).toBe('callback');
      expect(history.epochs).toHaveLength(2);
      expect(history.epochs[1].partial).toBe(true);
      net.dispose();
    });

    it("stops train() with 'callback' when an async onEpochEnd resolves to false", async () => {
      const net = await xorNet(backend);
      const history = await net.train(XOR, {
        epochs: 10,
        callbacks: { onEpochEnd: async (epoch) => { await new Promise((r) => setTimeout(r, 1)); return epoch < 1; } },
      });
      expect(history.stopReason).toBe('callback');
      expect(history.epochs).toHaveLength(2);
      net.dispose();
    });

    it("ends with 'epochs' when nothing stops it", async () => {
      const net = await xorNet(backend);
      const history = net.trainSync(XOR, { epochs: 7 });
      expect(history.stopReason).toBe('epochs');
      expect(history.epochs).toHaveLength(7);
      net.dispose();
    });
  });

  describe('exceptions thrown by callbacks', () => {
    const throwing = (where: 'onBatchEnd' | 'onEpochEnd', error: unknown, async = false): TrainOptions => ({
      epochs: 5, batchSize: 2,
      callbacks: {
        [where]: async
          ? async (index: number) => { if (index === 1) throw error; }
          : (index: number) => { if (index === 1) throw error; },
      },
    });

    it.each(['onBatchEnd', 'onEpochEnd'] as const)(
      'propagate unchanged from %s and leave the network usable', async (where) => {
        const net = await xorNet(backend);
        const error = new RangeError('from the callback');
        expect(failure(() => net.trainSync(XOR, throwing(where, error)))).toBe(error);
        expect(allFinite(net)).toBe(true);
        expectUsable(net); // not left BUSY
        expect(await failure(() => net.train(XOR, throwing(where, error)))).toBe(error);
        expectUsable(net);
        const thrownValue = { not: 'an Error' };
        expect(failure(() => net.trainSync(XOR, throwing(where, thrownValue)))).toBe(thrownValue);
        expectUsable(net);
        net.dispose();
      });

    it.each(['onBatchEnd', 'onEpochEnd'] as const)(
      'propagate unchanged from an async %s under train()', async (where) => {
        const net = await xorNet(backend);
        const error = new TypeError('async failure');
        expect(await failure(() => net.train(XOR, throwing(where, error, true)))).toBe(error);
        expectUsable(net);
        const again = await net.train(XOR, { epochs: 2 });
        expect(again.stopReason).toBe('epochs');
        net.dispose();
      });
  });

  describe('validation data', () => {
    const validation: Dataset = { inputs: [[0.1, 0.9], [0.9, 0.1], [0.95, 0.9], [0.05, 0.1], [0.5, 0.5]],
      targets: [[1], [1], [0], [0], [1]] };

    it('gives valLoss and valAccuracy equal to evaluate() of that data after each epoch', async () => {
      const net = await xorNet(backend);
      const seen: { logs: EpochLogs; evaluated: { loss: number; accuracy: number } }[] = [];
      const history = net.trainSync(XOR, {
        epochs: 6, batchSize: 3, validationData: validation,
        callbacks: { onEpochEnd: (_epoch, logs) => void seen.push({ logs: { ...logs }, evaluated: net.evaluate(validation) }) },
      });
      expect(history.epochs).toHaveLength(6);
      for (const [i, logs] of history.epochs.entries()) {
        expect(Number.isFinite(logs.valLoss)).toBe(true);
        expect(logs.valAccuracy).toBeGreaterThanOrEqual(0);
        expect(logs.valAccuracy).toBeLessThanOrEqual(1);
        expect(logs.valLoss).toBe(seen[i].evaluated.loss);
        expect(logs.valAccuracy).toBe(seen[i].evaluated.accuracy);
      }
      // The losses change from epoch to epoch: the comparison above was not against a constant.
      expect(new Set(history.epochs.map((logs) => logs.valLoss)).size).toBe(6);
      const after = net.evaluate(validation);
      expect(history.epochs.at(-1)!.valLoss).toBe(after.loss);
      expect(history.epochs.at(-1)!.valAccuracy).toBe(after.accuracy);
      net.dispose();
    });

    it('leaves valLoss and valAccuracy out without validation data', async () => {
      const net = await xorNet(backend);
      const history = net.trainSync(XOR, { epochs: 2 });
      for (const logs of history.epochs) {
        expect('valLoss' in logs).toBe(false);
        expect('valAccuracy' in logs).toBe(false);
      }
      net.dispose();
    });
  });

  describe('history', () => {
    it('has one EpochLogs per epoch with the documented fields', async () => {
      const net = await xorNet(backend);
      const fromCallback: EpochLogs[] = [];
      const history = net.trainSync(XOR, { epochs: 5, batchSize: 3,
        callbacks: { onEpochEnd: (epoch, logs) => { expect(logs.epoch).toBe(epoch); fromCallback.push({ ...logs }); } } });
      expect(history.stopReason).toBe('epochs');
      expect(history.epochs.map((logs) => logs.epoch)).toEqual([0, 1, 2, 3, 4]);
      for (const logs of history.epochs) {
        expect(Object.keys(logs).sort()).toEqual(['accuracy', 'elapsedMs', 'epoch', 'learningRate', 'loss']);
        expect(logs.learningRate).toBe(net.spec.optimizer.learningRate);
        expect(Number.isFinite(logs.loss)).toBe(true);
        expect(logs.loss).toBeGreaterThan(0);
        expect([0, 0.25, 0.5, 0.75, 1]).toContain(logs.accuracy);
        expect(logs.elapsedMs).toBeGreaterThanOrEqual(0);
      }
      expect(fromCallback).toEqual(history.epochs);
      net.dispose();
    });

    it("reports an epoch's loss and accuracy as measured before its step (full batch, no shuffle)", async () => {
      const net = await xorNet(backend);
      const before = net.evaluate(XOR);
      const history = net.trainSync(XOR, { epochs: 1, shuffle: false });
      const { loss, accuracy } = history.epochs[0];
      expect(accuracy).toBe(before.accuracy);
      // float64 sums in the same order are identical; float32 kernels may fuse the loss with the delta.
      expect(Math.abs(loss - before.loss)).toBeLessThanOrEqual((backend === 'js' ? 0 : 1e-6) * before.loss);
      net.dispose();
    });

    it('numbers batches across epochs and reports each batch size', async () => {
      const net = await xorNet(backend);
      const batches: [number, number][] = [];
      net.trainSync({ inputs: [...XOR.inputs as number[][], [0.5, 0.5]], targets: [...XOR.targets as number[][], [1]] },
        { epochs: 2, batchSize: 2, callbacks: { onBatchEnd: (batch, logs) => {
          expect(logs.batch).toBe(batch);
          expect(Number.isFinite(logs.loss)).toBe(true);
          batches.push([batch, logs.size]);
        } } });
      expect(batches).toEqual([[0, 2], [1, 2], [2, 1], [3, 2], [4, 2], [5, 1]]);
      net.dispose();
    });
  });

  describe('train() against trainSync()', () => {
    it('gives bit-identical weights and history for the same seed', async () => {
      const data = largeData();
      const options = { epochs: 4, batchSize: 16, yieldEveryMs: 0 };
      const sync = await largeNet(backend, 21);
      const asynchronous = await largeNet(backend, 21);
      const syncHistory = sync.trainSync(data, options);
      const asyncHistory = await asynchronous.train(data, options);
      expect(asynchronous.getWeights()).toEqual(sync.getWeights());
      expect(asyncHistory.epochs.map((logs) => logs.loss)).toEqual(syncHistory.epochs.map((logs) => logs.loss));
      expect(asyncHistory.stopReason).toBe(syncHistory.stopReason);
      // and the run did change the weights: equal because both trained, not because neither did
      const untrained = await largeNet(backend, 21);
      expect(sync.getWeights()).not.toEqual(untrained.getWeights());
      for (const net of [sync, asynchronous, untrained]) net.dispose();
    });

    it.each([
      ['train() with the default yieldEveryMs', 'train', undefined, true],
      ['train() with yieldEveryMs 0', 'train', 0, true],
      ['train() with yieldEveryMs longer than the run', 'train', 60_000, false],
      ['trainSync()', 'trainSync', undefined, false],
    ] as const)('lets a timer fire during a long run, or not: %s', async (_name, run, yieldEveryMs, fires) => {
      const net = await largeNet(backend);
      let ticks = 0;
      let ticksSeenDuringTraining = 0;
      const timer = setInterval(() => { ticks++; }, 1);
      const options: TrainOptions = { epochs: 1_000_000_000, batchSize: 8, timeoutMs: 150, yieldEveryMs,
        callbacks: { onBatchEnd: () => { ticksSeenDuringTraining = ticks; } } };
      if (yieldEveryMs === undefined) delete options.yieldEveryMs;
      const history = run === 'train' ? await net.train(largeData(), options) : net.trainSync(largeData(), options);
      clearInterval(timer);
      expect(history.stopReason).toBe('timeout');
      if (fires) expect(ticksSeenDuringTraining).toBeGreaterThan(0);
      else expect(ticksSeenDuringTraining).toBe(0);
      net.dispose();
    });
  });

  describe('BUSY', () => {
    it('refuses a second run while train() is running, and the first run is unaffected', async () => {
      const net = await largeNet(backend);
      const data = largeData();
      const first = net.train(data, { epochs: 1_000_000_000, batchSize: 8, timeoutMs: 100, yieldEveryMs: 0 });
      expectSimdnetError(await failure(() => net.train(data, { epochs: 1 })), 'BUSY');
      expectSimdnetError(failure(() => net.trainSync(data, { epochs: 1 })), 'BUSY');
      const history = await first;
      expect(history.stopReason).toBe('timeout');
      expect(allFinite(net)).toBe(true);
      expect(net.trainSync(data, { epochs: 1 }).stopReason).toBe('epochs');
      net.dispose();
    });

    it('refuses to train from inside a training callback', async () => {
      const net = await xorNet(backend);
      let inner: unknown;
      const history = net.trainSync(XOR, { epochs: 2, callbacks: {
        onEpochEnd: () => { inner = failure(() => net.trainSync(XOR, { epochs: 1 })); },
      } });
      expect(history.stopReason).toBe('epochs');
      expectSimdnetError(inner, 'BUSY');
      expectUsable(net);
      net.dispose();
    });
  });

  describe('DIVERGED', () => {
    // A linear unit with learning rate 10⁶: every step multiplies the weights by about 10⁶ until the loss or the
    // weights overflow (float64 after ~25 steps, float32 after a handful).
    const DATA: Dataset = { inputs: [[1, 0.5], [0.5, 1], [1, 1]], targets: [[1], [2], [0]] };
    const OPTIONS = { epochs: 1000, batchSize: 2 }; // two batches per epoch: sizes 2 and 1
    const linearNet = () => Network.create({ inputSize: 2, layers: [{ units: 1, activation: 'linear' }],
      optimizer: { type: 'sgd', learningRate: 1e6 }, seed: 8, backend });

    it('throws DIVERGED naming epoch and batch, leaving the weights of the last finite step', async () => {
      const net = await linearNet();
      const error = failure(() => net.trainSync(DATA, OPTIONS));
      expectSimdnetError(error, 'DIVERGED');
      expect(allFinite(net)).toBe(true);

      // The same run again, recording the weights after every step that completed.
      const witness = await linearNet();
      const recorded: ReturnType<Network['getWeights']>[] = [];
      const again = failure(() => witness.trainSync(DATA, { ...OPTIONS,
        callbacks: { onBatchEnd: () => void recorded.push(witness.getWeights()) } }));
      expectSimdnetError(again, 'DIVERGED');
      expect(again.message).toBe(error.message);
      expect(recorded.length).toBeGreaterThan(1); // some finite steps happened before the divergence
      expect(net.getWeights()).toEqual(recorded.at(-1));
      expect(net.getWeights()).not.toEqual(recorded.at(-2));

      // The step that failed is step number recorded.length (counted from 0), two steps per epoch.
      const step = recorded.length;
      expect(error.message).toMatch(new RegExp(`epoch\\D{0,3}${Math.floor(step / 2)}\\b`));
      expect(error.message).toMatch(new RegExp(`batch\\D{0,3}${step % 2}\\b`));
      net.dispose();
      witness.dispose();
    });

    it('rejects train() with DIVERGED too, and the network is not left busy', async () => {
      const net = await linearNet();
      const initial = net.getWeights();
      expectSimdnetError(await failure(() => net.train(DATA, OPTIONS)), 'DIVERGED');
      expect(allFinite(net)).toBe(true);
      const outputs = net.predictBatch(DATA.inputs);
      expect(outputs).toHaveLength(3);
      // Back to the starting weights, an epoch trains normally.
      net.setWeights(initial);
      const history = net.trainSync(DATA, { epochs: 1, batchSize: 2 });
      expect(history.stopReason).toBe('epochs');
      net.dispose();
    });

    it('recovers with momentum: the optimiser state of a diverged run does not poison the next one', async () => {
      const make = () => Network.create({ inputSize: 2, layers: [{ units: 1, activation: 'linear' }],
        optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 }, seed: 8, backend });
      const net = await make();
      const initial = net.getWeights();
      // Inputs of size 10³ make the effective step η·x² ≈ 5·10⁴: the run blows up. Then start over from the initial
      // weights on sane data, next to a fresh network: a velocity left non-finite would show at once.
      const huge = { inputs: [[1e3, 1e3], [-1e3, 1e3]], targets: [[1], [0]] };
      expectSimdnetError(failure(() => net.trainSync(huge, { epochs: 1000 })), 'DIVERGED');
      const fresh = await make();
      // A fresh network's rng has not shuffled yet: train both without shuffling, from the same weights.
      fresh.setWeights(initial);
      net.setWeights(initial);
      const a = net.trainSync(DATA, { epochs: 3, shuffle: false });
      const b = fresh.trainSync(DATA, { epochs: 3, shuffle: false });
      expect(a.epochs.map((logs) => logs.loss)).toEqual(b.epochs.map((logs) => logs.loss));
      net.dispose();
      fresh.dispose();
    });
  });
});
