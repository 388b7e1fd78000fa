// Robust training, the parts test/train-options.test.ts and test/dispose.test.ts leave out:
// - a callback's exception, or an AbortSignal, stops the run with the weights of the last completed batch exactly
//   (compared with the weights recorded after every batch), and the network trains on as if nothing had happened;
// - networks trained at the same time with train() never interfere: each ends bit for bit where it ends alone,
//   also when their batches interleave one by one, across backends, with asynchronous callbacks;
// - a run that diverges under train() or trainFor() names the epoch and batch where the loss stopped being finite.
import { describe, expect, it } from 'vitest';
import { type Dataset, type LayerWeights, Network, NumpyRandom, SimdnetError, type TrainOptions } from '../src/index.js';
import { failure } from './helpers.js';

type Backend = 'js' | 'wasm';

function dataFor(seed: number, rows = 48): Dataset {
  const rng = new NumpyRandom(seed);
  return { inputs: rng.randn(rows * 6), targets: rng.random(rows * 3) };
}

const netFor = (backend: Backend, seed: number) => Network.create({
  inputSize: 6, layers: [{ units: 12, activation: 'tanh' }, { units: 3, activation: 'sigmoid' }],
  optimizer: { type: 'sgd', learningRate: 0.3, momentum: 0.5 }, seed, backend,
});

const same = (a: LayerWeights[], b: LayerWeights[]) => expect(a).toEqual(b);

describe.each(['wasm', 'js'] as const)('stopping part-way on the %s backend', (backend) => {
  const data = dataFor(1);
  const options = { epochs: 4, batchSize: 8 }; // six batches per epoch

  /** The weights after every completed batch of an uninterrupted run. */
  async function everyBatch(): Promise<LayerWeights[][]> {
    const net = await netFor(backend, 7);
    const recorded: LayerWeights[][] = [];
    net.trainSync(data, { ...options, callbacks: { onBatchEnd: () => void recorded.push(net.getWeights()) } });
    net.dispose();
    return recorded;
  }

  it.each([
    ['onBatchEnd throws at batch 9', 'trainSync', { onBatchEnd: (b: number) => { if (b === 9) throw new RangeError('stop'); } }, 9],
    ['onEpochEnd throws after epoch 1', 'trainSync', { onEpochEnd: (e: number) => { if (e === 1) throw new RangeError('stop'); } }, 11],
    ['an async onBatchEnd rejects at batch 14', 'train', { onBatchEnd: async (b: number) => { if (b === 14) throw new RangeError('stop'); } }, 14],
    ['an async onEpochEnd rejects after epoch 2', 'train', { onEpochEnd: async (e: number) => {
      await new Promise((r) => setTimeout(r, 1));
      if (e === 2) throw new RangeError('stop');
    } }, 17],
  ] as const)('%s (%s): the error comes out unchanged, the weights are those of that batch', async (_name, run, callbacks, batch) => {
    const recorded = await everyBatch();
    const net = await netFor(backend, 7);
    const all: TrainOptions = { ...options, callbacks: callbacks as TrainOptions['callbacks'] };
    const error = await failure(() => (run === 'train' ? net.train(data, all) : net.trainSync(data, all)));
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe('stop');
    same(net.getWeights(), recorded[batch]);
    // Usable: it trains on, and predicts what a fresh network with those weights predicts.
    const fresh = await netFor(backend, 7);
    fresh.setWeights(net.getWeights());
    expect(net.predictBatch(data.inputs)).toEqual(fresh.predictBatch(data.inputs));
    expect(net.trainSync(data, { epochs: 1 }).stopReason).toBe('epochs');
    net.dispose();
    fresh.dispose();
  });

  it('an AbortSignal aborted by a timer stops train() with the weights of the last completed batch', async () => {
    const net = await netFor(backend, 7);
    const controller = new AbortController();
    let last: LayerWeights[] | undefined;
    let batches = 0;
    setTimeout(() => controller.abort(), 30);
    const history = await net.train(dataFor(2, 256), { epochs: 1_000_000, batchSize: 4, signal: controller.signal,
      yieldEveryMs: 1, timeoutMs: 20_000, callbacks: { onBatchEnd: () => { last = net.getWeights(); batches++; } } });
    expect(history.stopReason).toBe('aborted');
    expect(batches).toBeGreaterThan(0);
    same(net.getWeights(), last!);
    expect(history.epochs.at(-1)!.partial ?? false).toBe(batches % 64 !== 0);
    expect(net.trainSync(data, { epochs: 1 }).stopReason).toBe('epochs');
    net.dispose();
  });

  it('an AbortSignal aborted inside onEpochEnd stops after that epoch, weights as at its last batch', async () => {
    const recorded = await everyBatch();
    const net = await netFor(backend, 7);
    const controller = new AbortController();
    const history = net.trainSync(data, { ...options, signal: controller.signal,
      callbacks: { onEpochEnd: (e) => { if (e === 1) controller.abort(); } } });
    // The signal is looked at after each batch: the run stops after the first batch of epoch 2.
    expect(history.stopReason).toBe('aborted');
    expect(history.epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    same(net.getWeights(), recorded[12]);
    net.dispose();
  });
});

describe('networks trained at the same time', () => {
  const options = { epochs: 6, batchSize: 4, yieldEveryMs: 0 }; // yield after every batch: maximal interleaving

  async function alone(backend: Backend, seed: number, data: Dataset) {
    const net = await netFor(backend, seed);
    const history = net.trainSync(data, options);
    const result = { weights: net.getWeights(), losses: history.epochs.map((e) => e.loss) };
    net.dispose();
    return result;
  }

  it.each([
    ['two wasm networks', ['wasm', 'wasm']],
    ['two js networks', ['js', 'js']],
    ['a wasm and a js network', ['wasm', 'js']],
    ['four networks, two of them identical', ['wasm', 'js', 'wasm', 'wasm']],
  ] as [string, Backend[]][])('%s end exactly where each ends alone, batches interleaved', async (_name, backends) => {
    const seeds = backends.map((_, i) => (i === 3 ? 10 : 10 + i)); // the fourth repeats the first's seed and data
    const datasets = seeds.map((seed) => dataFor(seed));
    const expected = await Promise.all(backends.map((b, i) => alone(b, seeds[i], datasets[i])));
    const nets = await Promise.all(backends.map((b, i) => netFor(b, seeds[i])));
    const order: number[] = [];
    const histories = await Promise.all(nets.map((net, i) => net.train(datasets[i], { ...options,
      callbacks: {
        onBatchEnd: () => void order.push(i),
        onEpochEnd: async () => { await new Promise((r) => setTimeout(r, 0)); },
      } })));
    nets.forEach((net, i) => {
      expect(net.getWeights()).toEqual(expected[i].weights);
      expect(histories[i].epochs.map((e) => e.loss)).toEqual(expected[i].losses);
      net.dispose();
    });
    // The runs really overlapped: some batch of each ran between two batches of another.
    const switches = order.slice(1).filter((n, i) => n !== order[i]).length;
    expect(switches).toBeGreaterThan(nets.length * options.epochs);
  });

  it('a network predicting and evaluating while another trains is unaffected by it', async () => {
    const trainer = await netFor('wasm', 1);
    const reader = await netFor('wasm', 2);
    const probe = dataFor(3, 8);
    const before = reader.predictBatch(probe.inputs);
    let checks = 0;
    const run = trainer.train(dataFor(4), { epochs: 20, batchSize: 4, yieldEveryMs: 0 });
    const poll = (async () => {
      while (checks < 50) {
        expect(reader.predictBatch(probe.inputs)).toEqual(before);
        checks++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    await Promise.all([run, poll]);
    expect(checks).toBe(50);
    trainer.dispose();
    reader.dispose();
  });
});

describe.each(['wasm', 'js'] as const)('a diverging run on the %s backend', (backend) => {
  // A linear unit with learning rate 10⁶ overflows after a few steps (float32 sooner than float64).
  const data: Dataset = { inputs: [[1, 0.5], [0.5, 1], [1, 1]], targets: [[1], [2], [0]] };
  const linear = () => Network.create({ inputSize: 2, layers: [{ units: 1, activation: 'linear' }],
    optimizer: { type: 'sgd', learningRate: 1e6 }, seed: 8, backend });

  it('under train() names the epoch and batch of the first non-finite step', async () => {
    const net = await linear();
    let completed = 0;
    const error = await failure(() => net.train(data, { epochs: 1000, batchSize: 2,
      callbacks: { onBatchEnd: () => void completed++ } }));
    expect(error).toBeInstanceOf(SimdnetError);
    expect((error as SimdnetError).code).toBe('DIVERGED');
    // Two batches per epoch: the failing step is number `completed`.
    expect((error as SimdnetError).message).toContain(`epoch ${Math.floor(completed / 2)}, batch ${completed % 2}`);
    net.dispose();
  });

  it('under trainFor() names them too, and the weights stay those of the last finite step', async () => {
    const net = await linear();
    let error: unknown;
    let batches = 0;
    for (let call = 0; call < 1000 && !error; call++) {
      const before = net.getWeights();
      try {
        batches += net.trainFor(data, { ms: 0, batchSize: 1, shuffle: false });
      } catch (caught) {
        error = caught;
        expect(net.getWeights()).toEqual(before);
      }
    }
    expect((error as SimdnetError).code).toBe('DIVERGED');
    // Three batches of one row per epoch; trainFor with ms 0 runs one batch per call.
    expect((error as SimdnetError).message).toContain(`epoch ${Math.floor(batches / 3)}, batch ${batches % 3}`);
    net.dispose();
  });
});
