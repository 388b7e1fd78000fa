// The data and spec conventions of the libraries users come from: brain.js' [{ input, output }] samples (arrays or
// objects with named keys), scikit-learn's fit(inputs, targets), class-index targets, Keras' optimizer names, and
// TensorFlow.js' loss and activation spellings. Each is checked to mean exactly what the canonical form means, bit for
// bit, and near misses are refused with a message saying what to write.
import { describe, expect, it } from 'vitest';
import { Network, type NetworkSpec } from '../src/index.js';
import { XOR, expectSimdnetError, failure } from './helpers.js';

const SPEC: NetworkSpec = {
  inputSize: 2,
  layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  optimizer: { type: 'sgd', learningRate: 0.5 },
  seed: 7,
  backend: 'js',
};

/** The weights after training a fresh SPEC network (or `spec`) with `train`. */
async function trained(train: (net: Network) => unknown, spec: NetworkSpec = SPEC) {
  const net = await Network.create(spec);
  train(net);
  return net.getWeights();
}

describe("brain.js' samples [{ input, output }]", () => {
  const samples = XOR.inputs.map((input, i) => ({ input, output: XOR.targets[i] }));

  it('train the same as { inputs, targets }', async () => {
    const options = { epochs: 20, batchSize: 2 };
    expect(await trained((net) => net.trainSync(samples, options)))
      .toEqual(await trained((net) => net.trainSync(XOR, options)));
    const net = await Network.create(SPEC);
    expect(net.evaluate(samples)).toEqual(net.evaluate(XOR));
    expect(net.trace(samples)).toEqual(net.trace(XOR));
  });

  it('read named keys in order of first appearance, absent keys as 0, and keep that order', async () => {
    // Keys b then a: b is input 0 and a input 1; the third sample leaves a out, which brain.js reads as 0.
    const named = [
      { input: { b: 0, a: 0 }, output: { no: 1, yes: 0 } },
      { input: { a: 1, b: 0 }, output: { yes: 1 } },
      { input: { b: 1 }, output: { yes: 1, no: 0 } },
      { input: { a: 1, b: 1 }, output: { no: 1 } },
    ];
    const rows = {
      inputs: [[0, 0], [0, 1], [1, 0], [1, 1]],
      targets: [[1, 0], [0, 1], [0, 1], [1, 0]],
    };
    const spec: NetworkSpec = { ...SPEC, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }],
      loss: 'categoricalCrossEntropy' };
    const net = await Network.create(spec);
    expect(net.inputKeys).toBeUndefined();
    net.trainSync(named, { epochs: 15 });
    expect(net.inputKeys).toEqual(['b', 'a']);
    expect(net.outputKeys).toEqual(['no', 'yes']);
    expect(net.getWeights()).toEqual(await trained((n) => n.trainSync(rows, { epochs: 15 }), spec));
    // A later data set, in another key order, is read in the order the network learned.
    const reordered = named.map(({ input, output }) => ({
      input: Object.fromEntries(Object.entries(input).reverse()), output,
    }));
    expect(net.evaluate(reordered)).toEqual(net.evaluate(rows));
    expect(net.predict({ a: 1, b: 0 })).toEqual(net.predict([0, 1]));
    expectSimdnetError(failure(() => net.predict({ a: 1, c: 0 })), 'SHAPE_MISMATCH', 'input.c',
      'it reads b, a, in that order');
    expectSimdnetError(failure(() => net.evaluate([{ input: { a: 'x' }, output: { yes: 1 } }] as never)),
      'NON_FINITE_INPUT', 'data[0].input.a is "x"');
  });

  it('refuse samples that do not fit, saying what to pass', async () => {
    const net = await Network.create(SPEC);
    expectSimdnetError(failure(() => net.trainSync([{ input: { a: 1, b: 2, c: 3 }, output: [1] }])), 'SHAPE_MISMATCH',
      'name 3 keys (a, b, c), but the network has 2');
    expectSimdnetError(failure(() => net.trainSync(XOR.inputs as never)), 'SHAPE_MISMATCH',
      'data[0]: a row of numbers with no targets', '(inputs, targets)', '[{ input, output }');
    expectSimdnetError(failure(() => net.trainSync([{ input: [1, 0], target: [1] }] as never)), 'SHAPE_MISMATCH',
      "data[0]: expected a sample { input, output } (brain.js' shape)");
    expectSimdnetError(failure(() => net.trainSync({ input: [1, 0], output: [1] } as never)), 'SHAPE_MISMATCH',
      'one sample: put it in an array');
    expectSimdnetError(failure(() => net.predict({ a: 1 })), 'SHAPE_MISMATCH', 'not been trained on named keys');
    expectSimdnetError(failure(() => net.trainSync([])), 'SHAPE_MISMATCH', 'data: has no samples');
  });

  it('are accepted as validationData', async () => {
    const net = await Network.create(SPEC);
    const history = net.trainSync(XOR, { epochs: 2, validationData: samples });
    expect(history.epochs[1].valLoss).toBe(net.evaluate(XOR).loss);
  });
});

describe('(inputs, targets) as two arguments', () => {
  it('train, trainSync and evaluate take them as { inputs, targets }', async () => {
    const options = { epochs: 10 };
    const expected = await trained((net) => net.trainSync(XOR, options));
    expect(await trained((net) => net.trainSync(XOR.inputs, XOR.targets, options))).toEqual(expected);
    const net = await Network.create(SPEC);
    await net.train(XOR.inputs, XOR.targets, options);
    expect(net.getWeights()).toEqual(expected);
    expect(net.evaluate(XOR.inputs, XOR.targets)).toEqual(net.evaluate(XOR));
    const flat = Float32Array.from(XOR.inputs.flat());
    expect(net.evaluate(flat, Float32Array.from(XOR.targets.flat()))).toEqual(net.evaluate(XOR));
  });
});

describe('class-index targets', () => {
  const spec: NetworkSpec = { ...SPEC, layers: [{ units: 4, activation: 'relu' }, { units: 3, activation: 'softmax' }],
    loss: 'categoricalCrossEntropy' };
  const inputs = [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5]];
  const labels = [0, 2, 1, 2, 0];
  const oneHot = labels.map((label) => [0, 1, 2].map((k) => (k === label ? 1 : 0)));

  it('become one-hot rows of the output layer’s size, from arrays and integer typed arrays', async () => {
    const expected = await trained((net) => net.trainSync({ inputs, targets: oneHot }, { epochs: 10 }), spec);
    expect(await trained((net) => net.trainSync({ inputs, targets: labels }, { epochs: 10 }), spec)).toEqual(expected);
    expect(await trained((net) => net.trainSync(inputs, Uint8Array.from(labels), { epochs: 10 }), spec))
      .toEqual(expected);
    expect(await trained((net) => net.trainSync(inputs.map((input, i) => ({ input, output: labels[i] })),
      { epochs: 10 }), spec)).toEqual(expected);
    const net = await Network.create(spec);
    expect(net.evaluate(inputs, Int32Array.from(labels))).toEqual(net.evaluate({ inputs, targets: oneHot }));
  });

  it('must be integers in [0, classes)', async () => {
    const net = await Network.create(spec);
    expectSimdnetError(failure(() => net.trainSync(inputs, [0, 3, 1, 2, 0])), 'TARGET_OUT_OF_RANGE',
      'data.targets[1] is 3', 'integer in [0, 3)', 'rows of 3 numbers');
    expectSimdnetError(failure(() => net.trainSync(inputs, [0, 0.5, 1, 2, 0])), 'TARGET_OUT_OF_RANGE',
      'data.targets[1] is 0.5');
    expectSimdnetError(failure(() => net.trainSync(inputs, Uint8Array.from([0, 1]))), 'SHAPE_MISMATCH',
      '2 class labels for 5 samples');
  });

  it('leave a single output as it was: one target per sample', async () => {
    const net = await Network.create(SPEC);
    expect(net.evaluate(XOR.inputs, [0, 1, 1, 0])).toEqual(net.evaluate(XOR));
  });
});

describe('names from Keras, TensorFlow.js and brain.js', () => {
  it("take an optimizer's name for that optimizer with its defaults", async () => {
    const adam = await Network.create({ ...SPEC, optimizer: 'adam' });
    expect(adam.spec.optimizer).toEqual((await Network.create({ ...SPEC, optimizer: { type: 'adam' } })).spec.optimizer);
    expect(adam.spec.optimizer).toMatchObject({ type: 'adam', learningRate: 0.001 });
    const sgd = await Network.create({ ...SPEC, optimizer: 'sgd' });
    expect(sgd.spec.optimizer).toEqual({ type: 'sgd', learningRate: 0.1, momentum: 0, nesterov: false });
    expectSimdnetError(await failure(() => Network.create({ ...SPEC, optimizer: 'Adam' as never })), 'INVALID_SPEC',
      'optimizer: unknown value "Adam"', 'write "adam"');
  });

  it.each([
    ['meanSquaredError', 'mse'], ['mean_squared_error', 'mse'], ['binaryCrossentropy', 'binaryCrossEntropy'],
    ['binary_crossentropy', 'binaryCrossEntropy'], ['categoricalCrossentropy', 'categoricalCrossEntropy'],
    ['categorical_crossentropy', 'categoricalCrossEntropy'],
  ] as const)('take the loss %s as %s', async (alias, name) => {
    const output = name === 'categoricalCrossEntropy' ? 'softmax' : 'sigmoid';
    const spec: NetworkSpec = { ...SPEC, layers: [{ units: 3 }, { units: 2, activation: output }] };
    const net = await Network.create({ ...spec, loss: alias });
    expect(net.spec.loss).toBe(name);
    expect(net.toJSON()).toEqual((await Network.create({ ...spec, loss: name })).toJSON());
  });

  it.each(['leakyReLU', 'leaky_relu', 'leaky-relu'] as const)('take the activation %s as leakyRelu', async (alias) => {
    const net = await Network.create({ ...SPEC, layers: [{ units: 3, activation: alias, alpha: 0.2 }, { units: 1 }] });
    expect(net.spec.layers[0]).toEqual({ units: 3, activation: 'leakyRelu', alpha: 0.2, useBias: true });
  });

  it('refuse anything else, saying what to write for a near miss', async () => {
    expectSimdnetError(await failure(() => Network.create({ ...SPEC, loss: 'MSE' as never })), 'INVALID_SPEC',
      'loss: unknown value "MSE"', 'write "mse"');
    expectSimdnetError(await failure(() => Network.create({ ...SPEC, loss: 'categorical_cross_entropy' as never })),
      'INVALID_SPEC', 'write "categoricalCrossEntropy"');
    expectSimdnetError(await failure(() => Network.create({ ...SPEC, loss: 'hinge' as never })), 'INVALID_SPEC',
      'loss: unknown value "hinge" (expected one of quadratic, mse, binaryCrossEntropy, categoricalCrossEntropy)');
    expectSimdnetError(await failure(() => Network.create({ ...SPEC,
      layers: [{ units: 3, activation: 'ReLU' as never }, { units: 1 }] })), 'INVALID_SPEC',
    'layers[0].activation: unknown value "ReLU"', 'write "relu"');
    expectSimdnetError(await failure(() => Network.create({ ...SPEC,
      layers: [{ units: 3, activation: 'LeakyReLU' as never }, { units: 1 }] })), 'INVALID_SPEC', 'write "leakyRelu"');
    expectSimdnetError(await failure(() => Network.create({ ...SPEC,
      layers: [{ units: 3, activation: 'elu' as never }, { units: 1 }] })), 'INVALID_SPEC', 'unknown value "elu"');
  });
});
