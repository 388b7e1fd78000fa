// Safe model files (src/io/model-file.ts, src/io/checksum.ts): a hostile file cannot exhaust memory (its size is checked
// against `maxParameters` before anything is allocated for it, and over-long text before it is parsed); `__proto__`
// and friends pollute nothing; and the CRC-32 checksum catches silent corruption: every single-bit flip of every
// weight, and any change to the spec but `backend`.
import { Buffer } from 'node:buffer';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type NetworkJSON, Network, NumpyRandom, SimdnetError } from '../src/index.js';
import { crc32 as simdnetCrc32 } from '../src/io/checksum.js';
import { failure } from './helpers.js';

async function refusal(model: unknown, options?: object): Promise<SimdnetError> {
  const error = await failure(async () => (await Network.fromJSON(model as NetworkJSON, options as never)).dispose());
  expect(error).toBeInstanceOf(SimdnetError);
  return error as SimdnetError;
}

async function smallModel(backend: 'wasm' | 'js' = 'wasm'): Promise<NetworkJSON> {
  const net = await Network.create({ inputSize: 2, layers: [{ units: 3, activation: 'leakyRelu', alpha: 0.2 },
    { units: 1, activation: 'sigmoid' }], optimizer: { type: 'sgd', learningRate: 0.5 }, seed: 4, backend });
  net.trainSync({ inputs: new NumpyRandom(1).randn(16), targets: new NumpyRandom(2).random(8) }, { epochs: 3 });
  const json = net.toJSON();
  net.dispose();
  return json;
}

/** A model file whose spec declares `inputSize` × `units` weights, with (far too short) weight payloads. */
const declaring = (inputSize: number, units: number) => ({
  format: 'simdnet', version: 1, dtype: 'float32', checksum: 'crc32:00000000',
  spec: { inputSize, layers: [{ units, activation: 'sigmoid', useBias: true }], loss: 'quadratic',
    optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0, nesterov: false }, regularization: { l1: 0, l2: 0 },
    initializer: 'glorotUniform', biasInitializer: 'zeros', seed: 1, backend: 'wasm' },
  layers: [{ weights: '', biases: '' }],
});

describe('limits, checked before any allocation', () => {
  it('refuses a file declaring more than the default 2²⁴ parameters, at once and without allocating', async () => {
    const before = process.memoryUsage();
    const started = performance.now();
    const error = await refusal(declaring(4096, 4096)); // 4096² + 4096 = 16,781,312 > 16,777,216
    expect(error.code).toBe('INVALID_MODEL');
    expect(error.message).toContain('16781312 parameters, more than maxParameters (16777216)');
    expect(performance.now() - started).toBeLessThan(200);
    // 16.8 M float32 weights would be 64 MiB, twice over (double-buffered parameters) and more for gradients.
    expect((process.memoryUsage().arrayBuffers - before.arrayBuffers) / 2 ** 20).toBeLessThan(8);
  });

  it('takes a smaller maxParameters, and Infinity turns the check off', async () => {
    const json = await smallModel(); // 2·3 + 3 + 3·1 + 1 = 13 parameters
    expect((await refusal(json, { maxParameters: 12 })).message).toContain('13 parameters, more than maxParameters (12)');
    for (const maxParameters of [13, 1000, Infinity]) (await Network.fromJSON(json, { maxParameters })).dispose();
  });

  it('refuses a bad maxParameters with INVALID_OPTIONS naming it', async () => {
    const json = await smallModel();
    for (const maxParameters of [0, -1, 1.5, Number.NaN, '100', null]) {
      const error = await refusal(json, { maxParameters });
      expect(error.code).toBe('INVALID_OPTIONS');
      expect(error.message).toContain('maxParameters');
    }
  });

  it('refuses text longer than any model within maxParameters could be, before parsing it', async () => {
    const json = await smallModel();
    const padded = JSON.stringify(json).replace('{', `{"padding":"${'x'.repeat(2 ** 21)}",`);
    (await Network.fromJSON(padded)).dispose(); // within the default limit: padding is only ignored
    const error = await refusal(padded, { maxParameters: 100 });
    expect(error.code).toBe('INVALID_MODEL');
    expect(error.message).toMatch(/characters of text, more than a model of at most 100 parameters/);
  });

  it('checks the length of every base64 payload before decoding it', async () => {
    const json = structuredClone(await smallModel());
    json.layers[0].weights = 'A'.repeat(10_000_000);
    const error = await refusal(json);
    expect(error.message).toContain('layers[0].weights: 10000000 base64 characters, expected 32 for 6 float32 values');
  });
});

describe('__proto__ and other dangerous keys', () => {
  const places = ['', '"spec":{', '"optimizer":{', '"layers":[{', '"regularization":{'];

  it.each(places.map((p) => [p || 'the top level', p]))('a "__proto__" key at %s pollutes nothing', async (_where, place) => {
    const text = JSON.stringify(await smallModel());
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const payload = `"${key}":{"polluted":true,"prototype":{"polluted":true}},`;
      const at = place ? text.indexOf(place) + place.length : 1;
      const hostile = text.slice(0, at) + payload + text.slice(at);
      for (const model of [hostile, JSON.parse(hostile)]) {
        try {
          (await Network.fromJSON(model)).dispose(); // an unknown top-level key is ignored: fine
        } catch (error) {
          expect((error as SimdnetError).code).toBe('INVALID_MODEL');
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.keys(Object.prototype)).toEqual([]);
      }
    }
  });
});

/** The checksum computed independently, with node:zlib's CRC-32, from the documented definition. */
function expectedChecksum(json: NetworkJSON): string {
  const canonical = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
    if (value !== null && typeof value === 'object') {
      return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
    }
    return JSON.stringify(value);
  };
  const { backend: _backend, ...spec } = json.spec;
  let crc = crc32(`${canonical(spec)}\n${json.dtype}\n`);
  for (const layer of json.layers) {
    crc = crc32(Buffer.from(layer.weights, 'base64'), crc);
    crc = crc32(Buffer.from(layer.biases, 'base64'), crc);
  }
  return `crc32:${crc.toString(16).padStart(8, '0')}`;
}

describe('the checksum', () => {
  it('is CRC-32 (check value 0xCBF43926) of the canonical spec without backend, the dtype and the weight bytes', async () => {
    expect(simdnetCrc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    for (const backend of ['wasm', 'js'] as const) {
      const json = await smallModel(backend);
      expect(json.checksum).toMatch(/^crc32:[0-9a-f]{8}$/);
      expect(json.checksum).toBe(expectedChecksum(json));
    }
  });

  it.each(['wasm', 'js'] as const)('catches every single-bit flip of every stored weight (%s)', async (backend) => {
    const json = await smallModel(backend);
    let flips = 0;
    for (const [i, layer] of json.layers.entries()) {
      for (const kind of ['weights', 'biases'] as const) {
        const bytes = Buffer.from(layer[kind], 'base64');
        for (let bit = 0; bit < bytes.length * 8; bit++) {
          const damaged = Buffer.from(bytes);
          damaged[bit >> 3] ^= 1 << (bit & 7);
          const model = structuredClone(json);
          model.layers[i][kind] = damaged.toString('base64');
          const error = await refusal(model);
          expect(error.code).toBe('INVALID_MODEL');
          // A flip that makes a NaN or an Infinity is caught by name before the checksum is even computed.
          expect(error.message).toMatch(/checksum crc32:[0-9a-f]{8} does not match|is (NaN|-?Infinity)/);
          flips++;
        }
      }
    }
    expect(flips).toBe(13 * (backend === 'wasm' ? 32 : 64));
  });

  it('catches a change to any number or name in the spec, and a missing or malformed checksum', async () => {
    const json = await smallModel();
    const changes: ((m: NetworkJSON) => void)[] = [
      (m) => { (m.spec.layers[0] as { alpha: number }).alpha = 0.3; },
      (m) => { m.spec.layers[1].activation = 'tanh'; },
      (m) => { (m.spec.optimizer as { learningRate: number }).learningRate = 0.4; },
      (m) => { m.spec.seed = 5; },
      (m) => { m.spec.regularization.l2 = 1e-4; },
      (m) => { m.spec.loss = 'mse'; },
      (m) => { m.spec.initializer = 'heNormal'; },
    ];
    for (const change of changes) {
      const model = structuredClone(json);
      change(model);
      expect((await refusal(model)).message).toMatch(/checksum crc32:[0-9a-f]{8} does not match the contents/);
    }
    for (const checksum of [undefined, '', 'crc32:1234567', 'CRC32:00000000', 'md5:00000000', 12345678]) {
      const model = structuredClone(json) as unknown as Record<string, unknown>;
      model.checksum = checksum;
      expect((await refusal(model)).message).toContain('checksum');
    }
  });

  it('leaves out `backend`: a file loads onto the other backend, and re-saving there gives a valid file', async () => {
    const json = await smallModel('wasm');
    const moved = structuredClone(json);
    moved.spec.backend = 'js';
    const net = await Network.fromJSON(moved);
    expect(net.spec.backend).toBe('js');
    (await Network.fromJSON(net.toJSON())).dispose();
    net.dispose();
  });

  it('refuses float64 weights beyond float32 range when loading onto wasm, instead of making them Infinity', async () => {
    const net = await Network.create({ inputSize: 1, layers: [{ units: 1, activation: 'linear' }], seed: 1, backend: 'js' });
    const json = net.toJSON();
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(1e39);
    json.layers[0].weights = bytes.toString('base64');
    json.checksum = expectedChecksum(json);
    (await Network.fromJSON(json)).dispose(); // fine in float64
    const error = await refusal(json, { backend: 'wasm' });
    expect(error.message).toContain("layers[0].weights[0] is 1e+39, beyond float32's range");
    net.dispose();
  });
});
