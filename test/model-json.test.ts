// Model files (src/io/model-file.ts through toJSON/fromJSON): the format ({ format: 'simdnet', version, spec, … } with
// weights as base64), an exact round trip on both backends from an object or from text, loading onto the other
// backend, and INVALID_MODEL for anything malformed, truncated or inconsistent.
import { Buffer } from 'node:buffer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FloatArray, type NetworkJSON, type NetworkSpec, Network, NumpyRandom } from '../src/index.js';
import { expectSimdnetError, failure } from './helpers.js';

type Backend = 'js' | 'wasm';

const bytesOf = (values: FloatArray): Uint8Array => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

/** Bit-for-bit equality of two float arrays (same type, same length, same bytes: -0, NaN payloads and all). */
function expectSameBits(actual: FloatArray, expected: FloatArray): void {
  expect(actual.constructor).toBe(expected.constructor);
  expect(actual.length).toBe(expected.length);
  expect(Buffer.from(bytesOf(actual)).equals(Buffer.from(bytesOf(expected)))).toBe(true);
}

const SPECS: [string, Omit<NetworkSpec, 'backend'>][] = [
  ['tanh → sigmoid, quadratic, plain SGD', {
    inputSize: 3, layers: [{ units: 5, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 4,
    optimizer: { type: 'sgd', learningRate: 0.5 },
  }],
  ['relu (no bias) → softmax, categorical cross-entropy, Adam, L2', {
    inputSize: 3, layers: [{ units: 7, activation: 'relu', useBias: false }, { units: 3, activation: 'softmax' }],
    loss: 'categoricalCrossEntropy', optimizer: { type: 'adam', learningRate: 0.01 }, regularization: { l2: 1e-3 },
    seed: 5,
  }],
  ['leakyRelu (α 0.2) → leakyRelu, mse, Nesterov momentum', {
    inputSize: 3, layers: [{ units: 6, activation: 'leakyRelu', alpha: 0.2 }, { units: 2, activation: 'leakyRelu' }],
    loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true }, seed: 6,
  }],
];

/** Training data for any of the specs above: 3 inputs, targets rows that are distributions. */
function dataFor(outputs: number) {
  const rng = new NumpyRandom(12);
  const rows = 20;
  const targets = new Float64Array(rows * outputs);
  for (let r = 0; r < rows; r++) targets[r * outputs + (r % outputs)] = 1;
  return { inputs: rng.randn(rows * 3), targets };
}

/** A network whose weights are no longer the ones its seed draws: a loader that ignored them would be caught. */
async function trained(spec: Omit<NetworkSpec, 'backend'>, backend: Backend): Promise<Network> {
  const net = await Network.create({ ...spec, backend });
  const initial = net.getWeights();
  net.trainSync(dataFor(net.outputSize), { epochs: 5, batchSize: 4 });
  expect(net.getWeights()).not.toEqual(initial);
  return net;
}

const PROBE = new NumpyRandom(77).randn(9 * 3); // 9 samples to predict

describe.each(['js', 'wasm'] as const)('model files on the %s backend', (backend) => {
  describe.each(SPECS)('%s', (_name, spec) => {
    it('toJSON has the documented format: tag, version, full spec, base64 weights', async () => {
      const net = await trained(spec, backend);
      const json = net.toJSON();
      expect(json.format).toBe('simdnet');
      expect(Number.isInteger(json.version)).toBe(true);
      expect(json.version).toBeGreaterThanOrEqual(1);
      expect(json.spec).toEqual(net.spec);
      const weights = net.getWeights();
      expect(json.layers).toHaveLength(weights.length);
      json.layers.forEach((layer, i) => {
        for (const kind of ['weights', 'biases'] as const) {
          expect(typeof layer[kind]).toBe('string');
          expect(layer[kind]).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
          // The stored bytes are the network's own floats (4 bytes each on wasm, 8 on js), nothing more.
          const decoded = Buffer.from(layer[kind], 'base64');
          expect(decoded.length).toBe(weights[i][kind].byteLength);
        }
      });
      // No weight is written out as a decimal number anywhere in the text.
      expect(JSON.stringify(json)).not.toMatch(/\d\.\d{5,}/);
      // and the object is plain data: it survives JSON text unchanged.
      expect(JSON.parse(JSON.stringify(json))).toEqual(json);
      net.dispose();
    });

    it('fromJSON of the object reproduces predictions, weights and spec bit for bit', async () => {
      const net = await trained(spec, backend);
      const loaded = await Network.fromJSON(net.toJSON());
      expect(loaded.spec).toEqual(net.spec);
      loaded.getWeights().forEach((layer, i) => {
        expectSameBits(layer.weights, net.getWeights()[i].weights);
        expectSameBits(layer.biases, net.getWeights()[i].biases);
      });
      expectSameBits(loaded.predictBatch(PROBE), net.predictBatch(PROBE));
      expectSameBits(loaded.predict(PROBE.subarray(0, 3)), net.predict(PROBE.subarray(0, 3)));
      net.dispose();
      loaded.dispose();
    });

    it('fromJSON of the JSON text (toJSON or JSON.stringify(network)) reproduces predictions bit for bit', async () => {
      const net = await trained(spec, backend);
      for (const text of [JSON.stringify(net.toJSON()), JSON.stringify(net), JSON.stringify(net, null, 2)]) {
        const loaded = await Network.fromJSON(text);
        expect(loaded.spec).toEqual(net.spec);
        expectSameBits(loaded.predictBatch(PROBE), net.predictBatch(PROBE));
        loaded.dispose();
      }
      net.dispose();
    });

    it('a loaded network saves to the same model file', async () => {
      const net = await trained(spec, backend);
      const json = net.toJSON();
      const loaded = await Network.fromJSON(json);
      expect(loaded.toJSON()).toEqual(json);
      net.dispose();
      loaded.dispose();
    });

    const other: Backend = backend === 'js' ? 'wasm' : 'js';
    it(`loads onto the ${other} backend with fromJSON(json, { backend: '${other}' })`, async () => {
      const net = await trained(spec, backend);
      const loaded = await Network.fromJSON(net.toJSON(), { backend: other });
      expect(loaded.spec).toEqual({ ...net.spec, backend: other });
      const Float = other === 'js' ? Float64Array : Float32Array;
      loaded.getWeights().forEach((layer, i) => {
        // float32 → float64 is exact; float64 → float32 rounds to nearest, as Float32Array.from does.
        expectSameBits(layer.weights, Float.from(net.getWeights()[i].weights));
        expectSameBits(layer.biases, Float.from(net.getWeights()[i].biases));
      });
      const expected = net.predictBatch(PROBE);
      const actual = loaded.predictBatch(PROBE);
      expect(actual).toBeInstanceOf(Float);
      let worst = 0;
      for (let i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1e-3));
      }
      expect(worst).toBeLessThan(1e-5); // float32 against float64 arithmetic on the same weights
      net.dispose();
      loaded.dispose();
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// INVALID_MODEL. The broken files are made from a model that loads (checked first), one defect each, and each
// message must name the part that is wrong, so that no case passes by failing for another reason.

const BASE_SPEC = SPECS[2][1]; // a model every implementation of the format above must load

async function expectInvalidModel(model: unknown, ...named: (string | RegExp)[]): Promise<void> {
  expectSimdnetError(await failure(() => Network.fromJSON(model as NetworkJSON)), 'INVALID_MODEL', ...named);
}

type Mutable = Record<string, unknown> & { spec: Record<string, unknown> & { layers: Record<string, unknown>[] };
  layers: Record<string, unknown>[] };

const encodeFloats = (values: number[], dtype: string): string =>
  Buffer.from((dtype === 'float64' ? Float64Array : Float32Array).from(values).buffer).toString('base64');

describe.each(['js', 'wasm'] as const)('INVALID_MODEL on the %s backend', (backend) => {
  let net: Network;
  let json: NetworkJSON;
  let text: string;
  const copy = () => structuredClone(json) as unknown as Mutable;

  beforeAll(async () => {
    net = await trained(BASE_SPEC, backend);
    json = net.toJSON();
    text = JSON.stringify(json);
  });
  afterAll(() => net.dispose());

  it('the base model used below loads', async () => {
    const loaded = await Network.fromJSON(text);
    expect(loaded.predictBatch(PROBE)).toEqual(net.predictBatch(PROBE));
    loaded.dispose();
  });

  it('rejects text that is not JSON', async () => {
    await expectInvalidModel('hello', /JSON/);
    await expectInvalidModel('', /JSON/);
    await expectInvalidModel("{ format: 'simdnet' }", /JSON/);
  });

  it('rejects truncated JSON text', async () => {
    await expectInvalidModel(text.slice(0, Math.floor(text.length / 2)), /JSON/);
    await expectInvalidModel(text.slice(0, -1), /JSON/);
  });

  it.each([
    ['a number', 5, '5'], ['an array', [], 'array'], ['null', null, 'null'], ['a boolean', true, 'true'],
    ['the text of a number', '5', '5'], ['the text of an array', '[1, 2]', 'array'], ['the text null', 'null', 'null'],
    ['undefined', undefined, 'undefined'],
  ])('rejects %s instead of an object', async (_name, model, shown) => {
    await expectInvalidModel(model, shown);
  });

  it('rejects a wrong or missing format tag', async () => {
    const wrong = copy();
    wrong.format = 'tfjs-layers';
    await expectInvalidModel(wrong, 'format', '"tfjs-layers"');
    const missing = copy();
    delete missing.format;
    await expectInvalidModel(missing, 'format');
  });

  it('rejects an unsupported or missing version', async () => {
    for (const version of [json.version + 1, 0, -1, 1.5, String(json.version)]) {
      const model = copy();
      model.version = version;
      await expectInvalidModel(model, 'version', typeof version === 'string' ? `"${version}"` : String(version));
    }
    const missing = copy();
    delete missing.version;
    await expectInvalidModel(missing, 'version');
  });

  it.each([
    ['missing weights', (m: Mutable) => { delete m.layers[0].weights; }, 'layers[0].weights'],
    ['missing biases', (m: Mutable) => { delete m.layers[1].biases; }, 'layers[1].biases'],
    ['weights as a decimal list', (m: Mutable) => { m.layers[0].weights = Array(18).fill(0.5); }, 'layers[0].weights'],
    ['weights that are not base64', (m: Mutable) => { m.layers[0].weights = '!!not*base64!!'; }, 'layers[0].weights'],
    ['weights that are one float short', (m: Mutable) => {
      const bytes = Buffer.from(m.layers[0].weights as string, 'base64');
      m.layers[0].weights = bytes.subarray(0, bytes.length - bytes.length / 18).toString('base64');
    }, 'layers[0].weights'],
    ['weights that are one byte short', (m: Mutable) => {
      const bytes = Buffer.from(m.layers[1].weights as string, 'base64');
      m.layers[1].weights = bytes.subarray(0, bytes.length - 1).toString('base64');
    }, 'layers[1].weights'],
    ['weights that are one float long', (m: Mutable) => {
      const bytes = Buffer.from(m.layers[0].weights as string, 'base64');
      m.layers[0].weights = Buffer.concat([bytes, bytes.subarray(0, bytes.length / 18)]).toString('base64');
    }, 'layers[0].weights'],
    ['empty weights', (m: Mutable) => { m.layers[1].weights = ''; }, 'layers[1].weights'],
    ['biases that are too long', (m: Mutable) => {
      m.layers[1].biases = encodeFloats([0, 0, 0], m.dtype as string);
    }, 'layers[1].biases'],
    ['a NaN weight', (m: Mutable) => {
      m.layers[0].weights = encodeFloats([...Array(17).fill(0.1), Number.NaN], m.dtype as string);
    }, 'layers[0].weights', 'NaN'],
    ['an Infinity bias', (m: Mutable) => {
      m.layers[0].biases = encodeFloats([0, 0, Infinity, 0, 0, 0], m.dtype as string);
    }, 'layers[0].biases', 'Infinity'],
    ['one layer fewer than the spec', (m: Mutable) => { m.layers.pop(); }, 'layers', /\b2\b/],
    ['one layer more than the spec', (m: Mutable) => { m.layers.push(m.layers[1]); }, 'layers', /\b2\b/],
    ['layers that are not an array', (m: Mutable) => { (m as Record<string, unknown>).layers = {}; }, 'layers'],
    ['a layer that is null', (m: Mutable) => { m.layers[1] = null as unknown as Record<string, unknown>; },
      'layers[1]'],
    ['an unknown dtype', (m: Mutable) => { m.dtype = 'float16'; }, 'dtype', '"float16"'],
    ['a spec whose inputSize disagrees with the weights', (m: Mutable) => { m.spec.inputSize = 4; },
      'layers[0].weights'],
    ['a spec whose layer width disagrees with the weights', (m: Mutable) => { m.spec.layers[0].units = 5; },
      'layers[0].weights'],
  ] as [string, (m: Mutable) => void, ...(string | RegExp)[]][])('rejects %s', async (_name, defect, ...named) => {
    const model = copy();
    defect(model);
    await expectInvalidModel(model, ...named);
    await expectInvalidModel(JSON.stringify(model), ...named);
  });

  it.each([
    ['an unknown activation', (m: Mutable) => { m.spec.layers[0].activation = 'swish'; }, 'activation', '"swish"'],
    ['softmax on a hidden layer', (m: Mutable) => { m.spec.layers[0].activation = 'softmax'; }, 'activation'],
    ['an unknown loss', (m: Mutable) => { m.spec.loss = 'hinge'; }, 'loss', '"hinge"'],
    ['a zero inputSize', (m: Mutable) => { m.spec.inputSize = 0; }, 'inputSize'],
    ['an unknown spec field', (m: Mutable) => { m.spec.learningrate = 0.1; }, 'learningrate'],
    ['a missing spec', (m: Mutable) => { delete (m as Record<string, unknown>).spec; }, 'spec'],
    ['a spec that is a string', (m: Mutable) => { (m as Record<string, unknown>).spec = 'dense'; }, 'spec'],
    ['a missing seed', (m: Mutable) => { delete m.spec.seed; }, 'seed'],
    ['a bad optimizer', (m: Mutable) => { m.spec.optimizer = { type: 'sgd', learningRate: -1 }; }, 'learningRate'],
  ] as [string, (m: Mutable) => void, ...(string | RegExp)[]][])(
    'rejects a spec with %s as INVALID_MODEL (not INVALID_SPEC)', async (_name, defect, ...named) => {
      const model = copy();
      defect(model);
      await expectInvalidModel(model, 'spec', ...named);
    });

  it('does not change the object it was given', async () => {
    const model = copy();
    const snapshot = structuredClone(model);
    const loaded = await Network.fromJSON(model as unknown as NetworkJSON);
    expect(model).toEqual(snapshot);
    loaded.dispose();
  });
});
