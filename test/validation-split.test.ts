// validationSplit: which rows it holds out (per class, round(fraction × count), shuffled by the generator, in their
// original order; all rows alike for targets that are not classes), that a run with it is exactly the run on the
// remaining rows with the held-out ones as validationData, determinism, and bad options.
import { describe, expect, it } from 'vitest';
import { JsBackend } from '../src/backends/js.js';
import { Engine } from '../src/core/engine.js';
import { resolveSpec } from '../src/core/spec.js';
import { classesOf, splitValidation } from '../src/core/validation-split.js';
import { Network, type NetworkSpec, NumpyRandom } from '../src/index.js';
import { SEED, expectSimdnetError, failure } from './helpers.js';

const matrix = (rows: number[][]) => ({ rows: rows.length, cols: rows[0].length, values: Float64Array.from(rows.flat()) });

/** Rows whose first input is their index, and one-hot targets of three unequal classes (50, 30, 17 rows). */
function threeClasses() {
  const classes = [...Array(50).fill(0), ...Array(30).fill(1), ...Array(17).fill(2)] as number[];
  new NumpyRandom(SEED).shuffle(classes);
  return {
    classes,
    inputs: matrix(classes.map((c, i) => [i, c * 0.5])),
    targets: matrix(classes.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)))),
  };
}

describe('splitValidation', () => {
  it('holds out round(fraction × count) rows of each class, each row on exactly one side, in order', () => {
    const { classes, inputs, targets } = threeClasses();
    const { train, validation } = splitValidation(inputs, targets, 0.2, new NumpyRandom(SEED));
    const indices = (m: { rows: number; values: ArrayLike<number> }) => Array.from({ length: m.rows }, (_, r) => m.values[r * 2]);
    const held = indices(validation.inputs);
    const kept = indices(train.inputs);
    expect([...held, ...kept].sort((a, b) => a - b)).toEqual(classes.map((_, i) => i));
    expect(held).toEqual([...held].sort((a, b) => a - b));
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    const count = (rows: number[], c: number) => rows.filter((i) => classes[i] === c).length;
    expect([0, 1, 2].map((c) => count(held, c))).toEqual([10, 6, 3]); // round(3.4) = 3
    // Targets travel with their rows.
    held.forEach((i, r) => expect(Array.from(validation.targets.values.subarray(r * 3, r * 3 + 3)))
      .toEqual(Array.from(targets.values.subarray(i * 3, i * 3 + 3))));
  });

  it('is the same for the same generator state and differs for another', () => {
    const { inputs, targets } = threeClasses();
    const rows = (seed: number) => Array.from(splitValidation(inputs, targets, 0.3, new NumpyRandom(seed)).validation.inputs.values);
    expect(rows(SEED)).toEqual(rows(SEED));
    expect(rows(SEED)).not.toEqual(rows((SEED + 1) >>> 0));
  });

  it('stratifies one 0/1 output, and splits other targets over all rows', () => {
    const binary = matrix(Array.from({ length: 40 }, (_, i) => [i < 10 ? 1 : 0]));
    expect(Array.from(classesOf(binary)!)).toEqual(Array.from({ length: 40 }, (_, i) => (i < 10 ? 1 : 0)));
    const split = splitValidation(matrix(Array.from({ length: 40 }, (_, i) => [i])), binary, 0.25, new NumpyRandom(SEED));
    expect(Array.from(split.validation.targets.values).filter((v) => v === 1)).toHaveLength(3); // round(2.5)
    expect(split.validation.inputs.rows).toBe(3 + 8); // and round(7.5) of the 30 zeros
    const values = matrix(Array.from({ length: 40 }, (_, i) => [i / 40]));
    expect(classesOf(values)).toBeUndefined();
    expect(classesOf(matrix([[1, 1, 0], [0, 1, 0]]))).toBeUndefined(); // two 1s in a row: not one-hot
    expect(classesOf(matrix([[0, 0, 0], [0, 1, 0]]))).toBeUndefined();
    expect(splitValidation(values, values, 0.25, new NumpyRandom(SEED)).validation.inputs.rows).toBe(10);
  });
});

describe.each(['js', 'wasm'] as const)('validationSplit on the %s backend', (backend) => {
  const spec: NetworkSpec = {
    inputSize: 2, backend, seed: SEED, loss: 'categoricalCrossEntropy', optimizer: { type: 'adam', learningRate: 0.02 },
    layers: [{ units: 6, activation: 'tanh' }, { units: 3, activation: 'softmax' }],
  };
  const { inputs, targets } = threeClasses();
  const data = { inputs: inputs.values, targets: targets.values };

  it('trains on the rows it keeps and validates on the ones it holds out, exactly', async () => {
    const net = await Network.create(spec);
    const history = net.trainSync(data, { epochs: 4, batchSize: 16, shuffle: false, validationSplit: 0.2 });
    // The network's generator drew the initial weights, then the split: the same draws give the same rows.
    const rng = new NumpyRandom(SEED);
    new Engine(resolveSpec({ ...spec, backend: 'js' }), new JsBackend()).initialize(rng);
    const split = splitValidation(inputs, targets, 0.2, rng);
    const reference = await Network.create(spec);
    const expected = reference.trainSync({ inputs: split.train.inputs.values, targets: split.train.targets.values }, {
      epochs: 4, batchSize: 16, shuffle: false,
      validationData: { inputs: split.validation.inputs.values, targets: split.validation.targets.values },
    });
    expect(history.epochs.map(({ elapsedMs: _, ...logs }) => logs))
      .toEqual(expected.epochs.map(({ elapsedMs: _, ...logs }) => logs));
    expect(history.epochs[3].valLoss).toBeGreaterThan(0);
    expect(net.getWeights()).toEqual(reference.getWeights());
  });

  it('is bit-reproducible from the seed, shuffling included', async () => {
    const run = async () => {
      const net = await Network.create(spec);
      const history = net.trainSync(data, { epochs: 3, batchSize: 10, validationSplit: 0.3 });
      return [JSON.stringify(net.toJSON()), history.epochs.map((e) => e.valLoss)] as const;
    };
    expect(await run()).toEqual(await run());
  });

  it('refuses bad fractions, validationData beside it, and a split that leaves a side empty', async () => {
    const net = await Network.create(spec);
    for (const validationSplit of [0, 1, -0.2, 1.5, Number.NaN, '0.2', null]) {
      expectSimdnetError(failure(() => net.trainSync(data, { validationSplit } as never)), 'INVALID_OPTIONS',
        'options.validationSplit');
    }
    expectSimdnetError(failure(() => net.trainSync(data, { validationSplit: 0.2, validationData: data })),
      'INVALID_OPTIONS', 'options.validationSplit', 'not both');
    expectSimdnetError(failure(() => net.trainSync({ inputs: [[0, 1], [1, 0]], targets: [[1, 0, 0], [0, 1, 0]] },
      { validationSplit: 0.2 })), 'INVALID_OPTIONS', 'options.validationSplit', '0 for validation');
    expectSimdnetError(failure(() => net.trainSync({ inputs: [[0, 1], [1, 0]], targets: [[1, 0, 0], [0, 1, 0]] },
      { validationSplit: 0.9 })), 'INVALID_OPTIONS', 'options.validationSplit', '0 for training');
  });
});
