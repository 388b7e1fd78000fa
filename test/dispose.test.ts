// dispose() (src/network.ts): afterwards every method throws SimdnetError('DISPOSED'), also when dispose() is called
// in the middle of a training run; calling it twice is harmless; other networks are unaffected. That memory does
// not grow across create/train/dispose cycles is checked in test/memory-soak.test.ts.
import { describe, expect, it } from 'vitest';
import { Network, SimdnetError } from '../src/index.js';
import { XOR, failure } from './helpers.js';

type Backend = 'js' | 'wasm';

const xorNet = (backend: Backend) => Network.create({
  inputSize: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 1, backend,
});

function expectDisposed(error: unknown): void {
  expect(error).toBeInstanceOf(SimdnetError);
  expect((error as SimdnetError).code).toBe('DISPOSED');
  expect((error as SimdnetError).message).toMatch(/dispos/i);
}

/** Every public method, called with valid arguments. */
const METHODS: [string, (net: Network) => unknown][] = [
  ['predict', (net) => net.predict([0, 1])],
  ['predictBatch', (net) => net.predictBatch([[0, 1], [1, 0]])],
  ['trainSync', (net) => net.trainSync(XOR, { epochs: 1 })],
  ['train', (net) => net.train(XOR, { epochs: 1 })],
  ['evaluate', (net) => net.evaluate(XOR)],
  ['getWeights', (net) => net.getWeights()],
  ['setWeights', (net) => net.setWeights([{ weights: new Float64Array(8), biases: new Float64Array(4) },
    { weights: new Float64Array(4), biases: new Float64Array(1) }])],
  ['toJSON', (net) => net.toJSON()],
  ['JSON.stringify', (net) => JSON.stringify(net)],
  ['trace', (net) => net.trace(XOR)],
];

describe.each(['js', 'wasm'] as const)('dispose on the %s backend', (backend) => {
  it.each(METHODS)('makes %s throw DISPOSED', async (_name, call) => {
    const net = await xorNet(backend);
    await call(net); // works before
    net.dispose();
    expectDisposed(await failure(() => call(net)));
  });

  it('reports DISPOSED before looking at the arguments', async () => {
    const net = await xorNet(backend);
    net.dispose();
    expectDisposed(await failure(() => net.predict('not a sample' as unknown as number[])));
    expectDisposed(await failure(() => net.trainSync({ inputs: [[1]], targets: [] }, { epochs: -1 })));
    expectDisposed(await failure(() => net.setWeights([])));
  });

  it('is harmless when called twice', async () => {
    const net = await xorNet(backend);
    net.dispose();
    expect(() => net.dispose()).not.toThrow();
    expectDisposed(await failure(() => net.predict([0, 1])));
  });

  it('leaves other networks alone', async () => {
    const a = await xorNet(backend);
    const b = await xorNet(backend);
    const before = b.predictBatch(XOR.inputs);
    a.dispose();
    expect(b.predictBatch(XOR.inputs)).toEqual(before);
    expect(b.trainSync(XOR, { epochs: 3 }).stopReason).toBe('epochs');
    b.dispose();
  });

  describe('during a training run', () => {
    it('ends trainSync with DISPOSED when onBatchEnd disposes the network', async () => {
      const net = await xorNet(backend);
      const error = await failure(() => net.trainSync(XOR, { epochs: 5, batchSize: 1,
        callbacks: { onBatchEnd: (batch) => { if (batch === 1) net.dispose(); } } }));
      expectDisposed(error);
      expectDisposed(await failure(() => net.predict([0, 1])));
    });

    it('ends trainSync with DISPOSED when onEpochEnd disposes the network', async () => {
      const net = await xorNet(backend);
      const error = await failure(() => net.trainSync(XOR, { epochs: 5,
        callbacks: { onEpochEnd: (epoch) => { if (epoch === 1) net.dispose(); } } }));
      expectDisposed(error);
    });

    it('ends train() with DISPOSED when onEpochEnd disposes the network', async () => {
      const net = await xorNet(backend);
      const error = await failure(() => net.train(XOR, { epochs: 5,
        callbacks: { onEpochEnd: (epoch) => { if (epoch === 1) net.dispose(); } } }));
      expectDisposed(error);
    });

    it('ends train() with DISPOSED when a timer disposes the network mid-run', async () => {
      const net = await xorNet(backend);
      const timer = setTimeout(() => net.dispose(), 20);
      const error = await failure(() => net.train(XOR, { epochs: 1_000_000_000, batchSize: 1, timeoutMs: 10_000 }));
      clearTimeout(timer);
      expectDisposed(error);
    });
  });
});
