// The interactive-training API that animation loops use: trainFor (a time budget per call) and activations
// (every layer's outputs in one pass).
import { describe, expect, it } from 'vitest';
import { Network, NumpyRandom } from '../src/index.js';

const spec = (backend: 'js' | 'wasm') => ({
  inputSize: 2, seed: 9, backend, optimizer: { type: 'sgd' as const, learningRate: 0.3 },
  layers: [{ units: 5, activation: 'tanh' as const }, { units: 3, activation: 'relu' as const }, { units: 1 }],
});
const rng = new NumpyRandom(4);
const data = { inputs: Float64Array.from(rng.randn(2 * 10)), targets: Float64Array.from(rng.random(10)) };

describe.each(['js', 'wasm'] as const)('on the %s backend', (backend) => {
  it('trainFor walks the same shuffled epochs as trainSync, batch by batch', async () => {
    const [a, b] = [await Network.create(spec(backend)), await Network.create(spec(backend))];
    a.trainSync(data, { epochs: 3, batchSize: 4 }); // 3 batches per epoch: 4, 4, 2
    let batches = 0;
    for (let call = 0; call < 9; call++) batches += b.trainFor(data, { ms: 0, batchSize: 4 });
    expect(batches).toBe(9);
    expect(b.completedEpochs).toBe(3);
    expect(b.getWeights()).toEqual(a.getWeights());
  });

  it('trainFor keeps training until its time budget is spent', async () => {
    const net = await Network.create(spec(backend));
    const start = performance.now();
    const batches = net.trainFor(data, { ms: 20, batchSize: 1 });
    expect(performance.now() - start).toBeGreaterThanOrEqual(20);
    expect(batches).toBeGreaterThan(10);
  });

  it('activations returns every layer for a batch, the last equal to predictBatch', async () => {
    const net = await Network.create(spec(backend));
    const grid = Float64Array.from(new NumpyRandom(5).randn(2 * 2500)); // more rows than one scratch chunk
    const layers = net.activations(grid);
    expect(layers.map((l) => l.length)).toEqual([5 * 2500, 3 * 2500, 2500]);
    expect(layers[2]).toEqual(net.predictBatch(grid));
    const firstRows = grid.slice(0, 2 * 3);
    const traced = net.trace({ inputs: firstRows, targets: [0, 0, 0] }).layers;
    expect(layers[0].slice(0, 15)).toEqual(traced[0].a);
    expect(layers[1].slice(0, 9)).toEqual(traced[1].a);
  });
});
