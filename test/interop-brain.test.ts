// brain.js interoperability (src/io/brain.ts): Network.fromBrainJSON(net.toJSON()) predicts what brain.js'
// own run() predicts, for every brain.js activation, on both backends:
// - brain.js 1.6.1 (the devDependency, npm's `latest`) is trained and run right here;
// - brain.js 2.0.0-beta.24 (whose gpu.js dependency pulls in the native headless-gl, so it is not a dependency)
//   is checked against test/fixtures/brain2-neural-networks.json: four networks its NeuralNetwork trained and
//   saved with toJSON(), with the outputs of its run() on five probes;
// - a hand-built network with hand-computed outputs pins down the weight layout on its own.
// Anything brain.js-shaped that cannot be imported is INVALID_MODEL naming why.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Network, SimdnetError } from '../src/index.js';
import { expectClose, failure } from './helpers.js';

const require = createRequire(import.meta.url);
interface BrainNetwork {
  train(data: { input: number[]; output: number[] }[], options: object): unknown;
  run(input: number[]): ArrayLike<number>;
  toJSON(): Record<string, unknown>;
}
const brain = require('brain.js') as { NeuralNetwork: new (options?: object) => BrainNetwork };

const DATA = Array.from({ length: 12 }, (_, i) => {
  const input = [Math.sin(i), Math.cos(i * 0.7), (i % 5) / 5];
  return { input, output: [input[0] + input[1] > 0 ? 1 : 0, input[2]] };
});
const PROBES = [[0, 0, 0], [1, 1, 1], [-1, 0.5, 0.25], [0.3, -0.8, 0.9], [2, -2, 0.1]];

describe.each(['wasm', 'js'] as const)('Network.fromBrainJSON on the %s backend', (backend) => {
  describe.each(['sigmoid', 'relu', 'leaky-relu', 'tanh'])('a brain.js 1.6.1 %s network', (activation) => {
    it('predicts what brain.js run() predicts, from the object and from its JSON text', async () => {
      const trained = new brain.NeuralNetwork({ hiddenLayers: [5, 4], activation });
      trained.train(DATA, { iterations: 40, learningRate: 0.1 });
      const json = trained.toJSON();
      for (const given of [json, JSON.stringify(json)]) {
        const net = await Network.fromBrainJSON(given, { backend });
        expect(net.inputSize).toBe(3);
        expect(net.spec.layers.map((l) => l.units)).toEqual([5, 4, 2]);
        expect(net.spec.loss).toBe('quadratic');
        for (const probe of PROBES) expectClose(net.predict(probe), trained.run(probe), { abs: 1e-5 });
        net.dispose();
      }
    });
  });

  const fixture = JSON.parse(readFileSync(new URL('./fixtures/brain2-neural-networks.json', import.meta.url), 'utf8')) as {
    models: Record<string, { json: Record<string, unknown>; probes: number[][]; outputs: number[][] }> };
  describe.each(Object.keys(fixture.models))('a brain.js 2.0.0-beta.24 %s network (fixture)', (activation) => {
    it('predicts what brain.js 2 run() predicted', async () => {
      const { json, probes, outputs } = fixture.models[activation];
      const net = await Network.fromBrainJSON(json, { backend });
      if (activation === 'leaky-relu') expect(net.spec.layers[0]).toMatchObject({ activation: 'leakyRelu', alpha: 0.05 });
      probes.forEach((probe, i) => expectClose(net.predict(probe), outputs[i], { abs: 1e-5 }));
      net.dispose();
    });
  });

  it('imports a hand-built network with hand-computed outputs (brain.js 2 and 1 formats)', async () => {
    // Layer 1: two sigmoid nodes; node 0 has weights [1, 2] (from inputs 0 and 1) and bias 0.5, node 1 weights
    // [-1, 0] and bias 0. Layer 2: one node, weights [3, -3], bias 0.
    const v2 = { type: 'NeuralNetwork', sizes: [2, 2, 1], layers: [{ weights: [], biases: [] },
      { weights: [[1, 2], [-1, 0]], biases: [0.5, 0] }, { weights: [[3, -3]], biases: [0] }],
    inputLookup: null, outputLookup: null, trainOpts: { activation: 'sigmoid' } };
    const v1 = { sizes: [2, 2, 1], layers: [{ 0: {}, 1: {} },
      { 0: { bias: 0.5, weights: { 0: 1, 1: 2 } }, 1: { bias: 0, weights: { 0: -1, 1: 0 } } },
      { 0: { bias: 0, weights: { 0: 3, 1: -3 } } }], inputLookup: false, outputLookup: false, activation: 'sigmoid' };
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    const expected = (x: number[]) => {
      const h0 = sigmoid(1 * x[0] + 2 * x[1] + 0.5);
      const h1 = sigmoid(-1 * x[0]);
      return sigmoid(3 * h0 - 3 * h1);
    };
    for (const json of [v2, v1]) {
      const net = await Network.fromBrainJSON(json, { backend });
      expect(Array.from(net.getWeights()[0].weights)).toEqual([1, -1, 2, 0]); // [inputs][units]
      for (const x of [[0, 0], [1, 0], [0.5, -1], [2, 3]]) expectClose(net.predict(x), [expected(x)], { abs: 1e-6 });
      net.dispose();
    }
  });
});

describe('brain.js 1.x leaky-relu', () => {
  it('is imported as what brain.js 1.x computes, alpha·relu(z), not a leaky ReLU', async () => {
    // brain.js 1.6.1 computes `sum < 0 ? 0 : alpha * sum`: the import scales every weight by alpha under relu.
    const json = { sizes: [1, 1], layers: [{ 0: {} }, { 0: { bias: 0, weights: { 0: 2 } } }], activation: 'leaky-relu',
      inputLookup: false, outputLookup: false };
    const net = await Network.fromBrainJSON(json);
    expect(net.spec.layers[0].activation).toBe('relu');
    expectClose(net.predict([3]), [0.01 * 6], { abs: 1e-7 });
    expectClose(net.predict([-3]), [0], { abs: 1e-7 });
    net.dispose();
  });
});

describe('fromBrainJSON refuses what it cannot import', () => {
  const valid = () => structuredClone({ type: 'NeuralNetwork', sizes: [2, 2, 1], layers: [{ weights: [], biases: [] },
    { weights: [[1, 2], [-1, 0]], biases: [0.5, 0] }, { weights: [[3, -3]], biases: [0] }],
  inputLookup: null, outputLookup: null, trainOpts: { activation: 'sigmoid', learningRate: 0.3, momentum: 0.1 } });
  type Json = ReturnType<typeof valid> & Record<string, unknown>;

  async function refusal(json: unknown, options?: object): Promise<SimdnetError> {
    const error = await failure(async () => (await Network.fromBrainJSON(json as object, options as never)).dispose());
    expect(error).toBeInstanceOf(SimdnetError);
    return error as SimdnetError;
  }

  it('takes the valid base model, with its learning rate and momentum for further training', async () => {
    const net = await Network.fromBrainJSON(valid());
    expect(net.spec.optimizer).toEqual({ type: 'sgd', learningRate: 0.3, momentum: 0.1, nesterov: false });
    net.dispose();
  });

  it.each([
    ['an LSTM', (j: Json) => { j.type = 'LSTM'; }, /type is "LSTM"/],
    ['an input lookup', (j: Json) => { (j as Record<string, unknown>).inputLookup = { a: 0, b: 1 }; }, /inputLookup/],
    ['a softsign activation', (j: Json) => { j.trainOpts.activation = 'softsign'; }, /activation "softsign" is not supported/],
    ['one size', (j: Json) => { j.sizes = [2]; }, /sizes: expected an array of at least two/],
    ['a fractional size', (j: Json) => { j.sizes[1] = 1.5; }, /sizes\[1\]/],
    ['a missing layer', (j: Json) => { j.layers.pop(); }, /layers: expected an array of 3/],
    ['a short weight row', (j: Json) => { j.layers[1].weights[1] = [1]; }, /layers\[1\]\.weights\[1\]: expected 2 numbers/],
    ['a NaN weight', (j: Json) => { (j.layers[2].weights[0] as unknown[])[1] = 'NaN'; }, /layers\[2\]\.weights\[0\]\[1\] is "NaN"/],
    ['a huge weight', (j: Json) => { j.layers[2].weights[0][1] = 1e39; }, /float32/],
    ['a bias too few', (j: Json) => { j.layers[1].biases = [0]; }, /layers\[1\]\.biases: expected 2 numbers/],
    ['a leakyReluAlpha of 2', (j: Json) => { j.trainOpts = { activation: 'leaky-relu', leakyReluAlpha: 2 } as never; }, /leakyReluAlpha/],
    ['text that is not JSON', () => '{ sizes: [2, 1] }', /not JSON/],
    ['a number', () => 42, /expected the object/],
  ] as [string, (j: Json) => unknown, RegExp][])('refuses %s as INVALID_MODEL', async (_name, damage, message) => {
    const json = valid() as Json;
    const replaced = damage(json);
    const error = await refusal(replaced === undefined ? json : replaced);
    expect(error.code).toBe('INVALID_MODEL');
    expect(error.message).toMatch(message);
  });

  it('refuses a 1.x node that is an inherited or `__proto__` key, and leaves Object.prototype alone', async () => {
    const text = '{"sizes":[1,1],"layers":[{"0":{}},{"__proto__":{"bias":1,"weights":{"0":1}}}],"activation":"sigmoid"}';
    const error = await refusal(text);
    expect(error.code).toBe('INVALID_MODEL');
    expect(({} as Record<string, unknown>).bias).toBeUndefined();
  });

  it('checks maxParameters before building any weight array', async () => {
    const huge = { type: 'NeuralNetwork', sizes: [1 << 20, 1 << 20], layers: [] };
    const error = await refusal(huge);
    expect(error.message).toMatch(/1099512676352 parameters, more than maxParameters/);
    expect((await refusal(valid(), { maxParameters: 8 })).message).toMatch(/9 parameters, more than maxParameters \(8\)/);
    expect((await refusal(valid(), { maxParameters: 0 })).code).toBe('INVALID_OPTIONS');
  });
});
