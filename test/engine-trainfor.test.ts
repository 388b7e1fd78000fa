// trainFor checks and copies in its data set once per data set object, not once per call, and copies it in again
// whenever something else has moved or replaced the staged copy in between.
import { describe, expect, it } from 'vitest';
import { Network, NumpyRandom } from '../src/index.js';

const spec = (backend: 'js' | 'wasm') => ({
  inputSize: 3, seed: 5, backend, optimizer: { type: 'sgd' as const, learningRate: 0.2 },
  layers: [{ units: 7, activation: 'tanh' as const }, { units: 2, activation: 'softmax' as const }],
  loss: 'categoricalCrossEntropy' as const,
});
const rng = new NumpyRandom(11);
const ROWS = 13;
const inputs = Array.from(rng.randn(ROWS * 3));
const targets = Array.from({ length: ROWS }, (_, r) => (r % 3 === 0 ? [1, 0] : [0, 1])).flat();
const other = { inputs: Array.from(rng.randn(5 * 3)), targets: [1, 0, 0, 1, 1, 0, 0, 1, 1, 0] };

/** A copy of the data set whose inputs count how many of their elements are read. */
function counted(): { data: { inputs: number[]; targets: number[] }; reads: () => number } {
  let reads = 0;
  const watched = new Proxy(inputs.slice(), {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { data: { inputs: watched, targets: targets.slice() }, reads: () => reads };
}

describe.each(['js', 'wasm'] as const)('trainFor on the %s backend', (backend) => {
  it('reads a data set on the first call for that object only', async () => {
    const net = await Network.create(spec(backend));
    const first = counted();
    net.trainFor(first.data, { ms: 0, batchSize: 4 });
    const once = first.reads();
    expect(once).toBeGreaterThanOrEqual(inputs.length);
    for (let call = 0; call < 5; call++) net.trainFor(first.data, { ms: 0, batchSize: 4 });
    expect(first.reads()).toBe(once);
    const second = counted(); // equal values, another object: read again
    net.trainFor(second.data, { ms: 0, batchSize: 4 });
    expect(second.reads()).toBeGreaterThanOrEqual(inputs.length);
    net.dispose();
  });

  it('copies the data in again after a prediction moved it or a training run replaced it', async () => {
    const [a, b] = [await Network.create(spec(backend)), await Network.create(spec(backend))];
    const data = { inputs, targets };
    const large = Float64Array.from(new NumpyRandom(3).randn(3 * 1500)); // more rows than the scratch planned so far
    for (let call = 0; call < 4; call++) {
      a.trainFor(data, { ms: 0, batchSize: 4 });
      b.trainFor(data, { ms: 0, batchSize: 4 });
      b.predictBatch(large); // plans more scratch rows, which moves the staged data
    }
    expect(b.getWeights()).toEqual(a.getWeights());

    // A run of trainSync on other data in between: the same data object must not train on the other set's rows.
    a.trainSync(other, { epochs: 1, batchSize: 2 });
    b.trainSync(other, { epochs: 1, batchSize: 2 });
    for (let call = 0; call < 4; call++) {
      a.trainFor(data, { ms: 0, batchSize: 4 });
      b.trainFor({ inputs: inputs.slice(), targets: targets.slice() }, { ms: 0, batchSize: 4 }); // new objects: read again
    }
    expect(b.getWeights()).toEqual(a.getWeights());
    expect(a.completedEpochs).toBe(b.completedEpochs);
    expect(a.completedEpochs).toBe(2); // 8 batches of 4, 4, 4, 1
    a.dispose();
    b.dispose();
  });
});
