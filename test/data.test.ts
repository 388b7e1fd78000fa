// Data checks (src/core/data.ts) through every public Network method that takes data: a row of the wrong length, a flat
// array that is not a whole number of rows, mismatched or empty sets are SHAPE_MISMATCH; NaN, ±Infinity or a
// non-number is NON_FINITE_INPUT; a cross-entropy target outside [0, 1] is TARGET_OUT_OF_RANGE. Each message names
// where the bad value is, and a rejected call leaves the network as it was.
import { describe, expect, it } from 'vitest';
import { type Dataset, Network } from '../src/index.js';
import { expectSimdnetError, failure } from './helpers.js';

type Backend = 'js' | 'wasm';

async function expectError(action: () => unknown, code: string, ...named: (string | RegExp)[]): Promise<void> {
  expectSimdnetError(await failure(action), code, ...named);
}

// 2 inputs, 1 output; a sigmoid output so that the same network serves the cross-entropy cases.
const create = (backend: Backend, loss: 'quadratic' | 'binaryCrossEntropy' = 'quadratic', outputs = 1) =>
  Network.create({
    inputSize: 2, layers: [{ units: 3, activation: 'tanh' }, { units: outputs, activation: 'sigmoid' }], loss,
    seed: 5, backend,
  });

const GOOD: Dataset = { inputs: [[0, 0], [0, 1], [1, 0]], targets: [[0], [1], [1]] };

/** Every public way to hand a data set to a network. */
const ENTRIES: [string, (net: Network, data: Dataset, good: Dataset) => unknown][] = [
  ['trainSync', (net, data) => net.trainSync(data, { epochs: 1 })],
  ['train', (net, data) => net.train(data, { epochs: 1 })],
  ['evaluate', (net, data) => net.evaluate(data)],
  ['trainSync validationData', (net, data, good) => net.trainSync(good, { epochs: 1, validationData: data })],
];

const BAD_DATA: [string, Dataset, string, ...(string | RegExp)[]][] = [
  ['an input row of the wrong length',
    { inputs: [[0, 0], [0, 1, 1], [1, 0]], targets: [[0], [1], [1]] }, 'SHAPE_MISMATCH', 'inputs[1]', /\b3\b/],
  ['a target row of the wrong length',
    { inputs: [[0, 0], [0, 1], [1, 0]], targets: [[0], [1], []] }, 'SHAPE_MISMATCH', 'targets[2]', /\b0\b/],
  ['a number where an input row should be',
    { inputs: [[0, 0], 5 as unknown as number[], [1, 0]], targets: [[0], [1], [1]] }, 'SHAPE_MISMATCH',
    'inputs[1]', /\b5\b/],
  ['a flat Float32Array of inputs that is not a whole number of rows',
    { inputs: new Float32Array(5), targets: [[0], [1], [1]] }, 'SHAPE_MISMATCH', 'inputs', /\b5\b/],
  ['a flat number[] of inputs that is not a whole number of rows',
    { inputs: [0, 0, 1, 1, 0], targets: [0, 1, 1] }, 'SHAPE_MISMATCH', 'inputs', /\b5\b/],
  ['a flat Float64Array of targets that is not a whole number of rows (2 outputs)',
    // Only meaningful with 2 outputs; with 1 output every length is whole, so this case uses outputs: 2 below.
    { inputs: [[0, 0], [0, 1], [1, 0]], targets: new Float64Array(5) }, 'SHAPE_MISMATCH', 'targets', /\b5\b/],
  ['more input rows than target rows',
    { inputs: [[0, 0], [0, 1], [1, 0]], targets: [[0], [1]] }, 'SHAPE_MISMATCH', /\b3\b/, /\b2\b/],
  ['more target rows than input rows (flat)',
    { inputs: new Float64Array([0, 0, 1, 1]), targets: new Float64Array([0, 1, 1]) }, 'SHAPE_MISMATCH', /\b2\b/,
    /\b3\b/],
  ['no samples', { inputs: [], targets: [] }, 'SHAPE_MISMATCH', /sample|empty|no rows/],
  ['no samples (empty typed arrays)', { inputs: new Float32Array(0), targets: new Float32Array(0) }, 'SHAPE_MISMATCH',
    /sample|empty|no rows/],
  ['inputs that are not an array', { inputs: 'abc' as unknown as number[], targets: [[0]] }, 'SHAPE_MISMATCH',
    'inputs', '"abc"'],
  ['a NaN input', { inputs: [[0, 0], [Number.NaN, 1], [1, 0]], targets: [[0], [1], [1]] }, 'NON_FINITE_INPUT',
    'inputs[1][0]', 'NaN'],
  ['an Infinity input in a flat Float32Array', { inputs: new Float32Array([0, 0, 0, 1, 1, Infinity]),
    targets: [[0], [1], [1]] }, 'NON_FINITE_INPUT', 'inputs[2][1]', 'Infinity'],
  ['a -Infinity input in a flat number[]', { inputs: [0, 0, -Infinity, 1, 1, 0], targets: [0, 1, 1] },
    'NON_FINITE_INPUT', 'inputs[1][0]', '-Infinity'],
  ['a string input', { inputs: [[0, 0], [0, '1' as unknown as number], [1, 0]], targets: [[0], [1], [1]] },
    'NON_FINITE_INPUT', 'inputs[1][1]', '"1"'],
  ['a null input', { inputs: [[0, null as unknown as number], [0, 1], [1, 0]], targets: [[0], [1], [1]] },
    'NON_FINITE_INPUT', 'inputs[0][1]', 'null'],
  ['a NaN target', { inputs: [[0, 0], [0, 1], [1, 0]], targets: [[0], [1], [Number.NaN]] }, 'NON_FINITE_INPUT',
    'targets[2][0]', 'NaN'],
  ['an Infinity target in a Float64Array', { inputs: [[0, 0], [0, 1], [1, 0]],
    targets: new Float64Array([0, Infinity, 1]) }, 'NON_FINITE_INPUT', 'targets[1][0]', 'Infinity'],
  ['a string target', { inputs: [[0, 0], [0, 1], [1, 0]], targets: [[0], ['yes' as unknown as number], [1]] },
    'NON_FINITE_INPUT', 'targets[1][0]', '"yes"'],
];

describe.each(['js', 'wasm'] as const)('data checks on the %s backend', (backend) => {
  describe.each(ENTRIES)('through %s', (_entry, run) => {
    it.each(BAD_DATA)('rejects %s', async (name, data, code, ...named) => {
      const net = await create(backend, 'quadratic', name.includes('2 outputs') ? 2 : 1);
      const usable = name.includes('2 outputs') ? { inputs: GOOD.inputs, targets: [[0, 1], [1, 0], [1, 0]] } : GOOD;
      const before = net.getWeights();
      await expectError(() => run(net, data, usable), code, ...named);
      // Nothing was changed, and the network is not left busy: it trains and evaluates afterwards.
      expect(net.getWeights()).toEqual(before);
      const history = net.trainSync(usable, { epochs: 1 });
      expect(history.epochs).toHaveLength(1);
      expect(Number.isFinite(net.evaluate(usable).loss)).toBe(true);
      net.dispose();
    });

    it.each([
      ['binaryCrossEntropy above 1', [[0], [1.5], [1]], 'targets[1][0]', '1.5'],
      ['binaryCrossEntropy below 0', [[0], [1], [-0.25]], 'targets[2][0]', '-0.25'],
    ] as const)('rejects %s targets with TARGET_OUT_OF_RANGE', async (_name, targets, where, value) => {
      const net = await create(backend, 'binaryCrossEntropy');
      const before = net.getWeights();
      await expectError(() => run(net, { inputs: GOOD.inputs, targets: targets as unknown as number[][] }, GOOD),
        'TARGET_OUT_OF_RANGE', where, value);
      expect(net.getWeights()).toEqual(before);
      net.dispose();
    });
  });

  it('rejects categoricalCrossEntropy targets outside [0, 1] in a flat array', async () => {
    const net = await Network.create({ inputSize: 2, layers: [{ units: 3, activation: 'softmax' }],
      loss: 'categoricalCrossEntropy', seed: 5, backend });
    await expectError(() => net.trainSync({ inputs: [[0, 0], [1, 1]], targets: new Float32Array([0, 1, 0, 2, 0, -1]) }),
      'TARGET_OUT_OF_RANGE', 'targets[1][0]', /\b2\b/);
    await expectError(() => net.evaluate({ inputs: [[0, 0]], targets: [[1.01, 0, 0]] }), 'TARGET_OUT_OF_RANGE',
      'targets[0][0]', '1.01');
    net.dispose();
  });

  it('accepts targets outside [0, 1] for the quadratic loss', async () => {
    const net = await create(backend, 'quadratic');
    const history = net.trainSync({ inputs: GOOD.inputs, targets: [[-2], [3], [0.5]] }, { epochs: 1 });
    expect(history.epochs).toHaveLength(1);
    net.dispose();
  });

  it('accepts every documented data form: number[][], flat number[], Float32Array, Float64Array', async () => {
    const net = await create(backend);
    const reference = net.evaluate(GOOD);
    const forms: Dataset[] = [
      { inputs: [0, 0, 0, 1, 1, 0], targets: [0, 1, 1] },
      { inputs: new Float32Array([0, 0, 0, 1, 1, 0]), targets: new Float32Array([0, 1, 1]) },
      { inputs: new Float64Array([0, 0, 0, 1, 1, 0]), targets: [[0], [1], [1]] },
      { inputs: [new Float32Array([0, 0]), new Float64Array([0, 1]), [1, 0]], targets: new Float64Array([0, 1, 1]) },
    ];
    for (const form of forms) expect(net.evaluate(form)).toEqual(reference);
    net.dispose();
  });

  describe('predict', () => {
    it.each([
      ['too few numbers', [1], 'SHAPE_MISMATCH', /\b1\b/],
      ['too many numbers (not a multiple)', [1, 2, 3], 'SHAPE_MISMATCH', /\b3\b/],
      ['two samples', [1, 2, 3, 4], 'SHAPE_MISMATCH', /\b4\b/],
      ['nothing', [], 'SHAPE_MISMATCH', /\b0\b/],
      ['a Float32Array of the wrong length', new Float32Array(3), 'SHAPE_MISMATCH', /\b3\b/],
      ['a string', 'ab', 'SHAPE_MISMATCH', '"ab"'],
      ['a NaN', [1, Number.NaN], 'NON_FINITE_INPUT', 'input', 'NaN'],
      ['an Infinity in a Float64Array', new Float64Array([Infinity, 0]), 'NON_FINITE_INPUT', 'input', 'Infinity'],
      ['a string number', ['1', 2], 'NON_FINITE_INPUT', 'input', '"1"'],
    ] as [string, unknown, string, ...(string | RegExp)[]][])('rejects %s', async (_name, input, code, ...named) => {
      const net = await create(backend);
      await expectError(() => net.predict(input as number[]), code, ...named);
      expect(net.predict([0.5, 0.5])).toHaveLength(1);
      net.dispose();
    });

    it('accepts one sample as number[], Float32Array or Float64Array, with the same answer', async () => {
      const net = await create(backend);
      const output = net.predict([0.25, -0.5]);
      expect(net.predict(new Float32Array([0.25, -0.5]))).toEqual(output);
      expect(net.predict(new Float64Array([0.25, -0.5]))).toEqual(output);
      net.dispose();
    });
  });

  describe('predictBatch', () => {
    it.each([
      ['a row of the wrong length', [[1, 2], [3]], 'SHAPE_MISMATCH', 'inputs[1]', /\b1\b/],
      ['a flat array that is not a whole number of rows', [1, 2, 3], 'SHAPE_MISMATCH', 'inputs', /\b3\b/],
      ['a flat Float32Array that is not a whole number of rows', new Float32Array(7), 'SHAPE_MISMATCH', 'inputs',
        /\b7\b/],
      ['a NaN in a row', [[1, 2], [3, Number.NaN]], 'NON_FINITE_INPUT', 'inputs[1][1]', 'NaN'],
      ['an Infinity in a flat array', [1, 2, -Infinity, 4], 'NON_FINITE_INPUT', 'inputs[1][0]', '-Infinity'],
      ['a string', [[1, 'x']], 'NON_FINITE_INPUT', 'inputs[0][1]', '"x"'],
      ['not an array', 42, 'SHAPE_MISMATCH', 'inputs', /\b42\b/],
    ] as [string, unknown, string, ...(string | RegExp)[]][])('rejects %s', async (_name, inputs, code, ...named) => {
      const net = await create(backend);
      await expectError(() => net.predictBatch(inputs as number[][]), code, ...named);
      expect(net.predictBatch([[0, 1], [1, 0]])).toHaveLength(2);
      net.dispose();
    });
  });

  describe('setWeights', () => {
    // Layer 0: 2 inputs × 3 units, 3 biases. Layer 1: 3 × 1, and no bias.
    const createNet = () => Network.create({
      inputSize: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, useBias: false }], seed: 5, backend,
    });
    const good = () => [
      { weights: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], biases: [0.1, -0.1, 0] },
      { weights: [1, -1, 0.5], biases: [] },
    ];

    it('accepts plain arrays and typed arrays of the right lengths, and getWeights returns them', async () => {
      const net = await createNet();
      net.setWeights(good());
      const read = net.getWeights();
      const Float = backend === 'js' ? Float64Array : Float32Array;
      good().forEach((layer, i) => {
        expect(read[i].weights).toEqual(Float.from(layer.weights));
        expect(read[i].biases).toEqual(Float.from(layer.biases));
      });
      net.setWeights(read); // typed arrays, as getWeights returns them
      expect(net.getWeights()).toEqual(read);
      net.dispose();
    });

    it.each([
      ['too few layers', () => [good()[0]], 'SHAPE_MISMATCH', 'weights', /\b1\b/],
      ['too many layers', () => [...good(), good()[1]], 'SHAPE_MISMATCH', 'weights', /\b3\b/],
      ['not an array', () => 'weights', 'SHAPE_MISMATCH', 'weights', '"weights"'],
      ['short weights', () => [{ ...good()[0], weights: [1, 2, 3] }, good()[1]], 'SHAPE_MISMATCH',
        'weights[0].weights', /\b3\b/],
      ['weights one row short', () => [good()[0], { weights: [1, 2], biases: [] }], 'SHAPE_MISMATCH',
        'weights[1].weights', /\b2\b/],
      ['long weights', () => [{ ...good()[0], weights: new Float32Array(9) }, good()[1]], 'SHAPE_MISMATCH',
        'weights[0].weights', /\b9\b/],
      ['missing weights', () => [{ biases: [0, 0, 0] }, good()[1]], 'SHAPE_MISMATCH', 'weights[0].weights'],
      ['short biases', () => [{ ...good()[0], biases: [1, 2] }, good()[1]], 'SHAPE_MISMATCH', 'weights[0].biases',
        /\b2\b/],
      ['missing biases on a layer with bias', () => [{ weights: good()[0].weights }, good()[1]], 'SHAPE_MISMATCH',
        'weights[0].biases', /\b0\b/],
      ['biases on a layer without bias', () => [good()[0], { weights: [1, 2, 3], biases: [1] }], 'SHAPE_MISMATCH',
        'weights[1].biases', /\b1\b/],
      ['a NaN weight', () => [{ ...good()[0], weights: [0, 0, 0, 0, Number.NaN, 0] }, good()[1]],
        'NON_FINITE_INPUT', 'weights[0].weights', 'NaN'],
      ['an Infinity weight', () => [good()[0], { weights: new Float64Array([0, Infinity, 0]), biases: [] }],
        'NON_FINITE_INPUT', 'weights[1].weights', 'Infinity'],
      ['a NaN bias', () => [{ ...good()[0], biases: [0, Number.NaN, 0] }, good()[1]], 'NON_FINITE_INPUT',
        'weights[0].biases', 'NaN'],
      ['a string weight', () => [{ ...good()[0], weights: [0, 0, '1', 0, 0, 0] }, good()[1]], 'NON_FINITE_INPUT',
        'weights[0].weights', '"1"'],
    ] as [string, () => unknown, string, ...(string | RegExp)[]][])(
      'rejects %s and changes nothing', async (_name, layers, code, ...named) => {
        const net = await createNet();
        const before = net.getWeights();
        await expectError(() => net.setWeights(layers() as never), code, ...named);
        expect(net.getWeights()).toEqual(before);
        net.dispose();
      });
  });
});
