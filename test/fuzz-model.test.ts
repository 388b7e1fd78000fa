// Properties of Network.fromJSON over hostile model files:
// - random JSON values and random text: always INVALID_MODEL;
// - a real model file with a field replaced, deleted, added (`__proto__` included), re-typed or buried under
//   thousands of levels of nesting: INVALID_MODEL, or (when the change means nothing, e.g. a new unknown
//   top-level key) exactly the same network;
// - the text of a real model file truncated, bit-flipped, or with characters inserted or deleted: the same.
// Nothing ever reaches Object.prototype, and nothing but a SimdnetError ever comes out.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NetworkJSON, Network, NumpyRandom } from '../src/index.js';
import { FUZZ_TIMEOUT, check, expectCoded } from './fuzz/harness.js';
import { anything } from './fuzz/arbitraries.js';
import { mutate, mutation, pathsOf } from './fuzz/mutate.js';

interface Base {
  json: NetworkJSON;
  text: string;
  /** Every path into the model object, for mutations. */
  paths: (string | number)[][];
}

const bases: Base[] = [];

beforeAll(async () => {
  const rng = new NumpyRandom(3);
  const specs = [
    { inputSize: 3, layers: [{ units: 4, activation: 'tanh' as const }, { units: 2, activation: 'softmax' as const }],
      loss: 'categoricalCrossEntropy' as const, optimizer: { type: 'adam' as const }, seed: 1 },
    { inputSize: 2, layers: [{ units: 3, activation: 'leakyRelu' as const, alpha: 0.2, useBias: false },
      { units: 1, activation: 'sigmoid' as const }], optimizer: { type: 'sgd' as const, momentum: 0.5 }, seed: 2 },
  ];
  for (const backend of ['wasm', 'js'] as const) {
    for (const spec of specs) {
      const net = await Network.create({ ...spec, backend });
      const rows = 6;
      const targets = new Float64Array(rows * net.outputSize);
      for (let r = 0; r < rows; r++) targets[r * net.outputSize + (r % net.outputSize)] = 1;
      net.trainSync({ inputs: rng.randn(rows * spec.inputSize), targets }, { epochs: 2 });
      const json = net.toJSON();
      bases.push({ json, text: JSON.stringify(json), paths: pathsOf(json) });
      net.dispose();
    }
  }
});

afterAll(() => {
  // Nothing a model file said may have landed on Object.prototype.
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

const numbersOf = (net: Network) => net.getWeights().flatMap((l) => [...l.weights, ...l.biases]);

/** fromJSON must refuse `model` with INVALID_MODEL, or load a network equal to `base`'s. */
async function expectRefusedOrSame(model: unknown, base: Base): Promise<void> {
  let net: Network;
  try {
    net = await Network.fromJSON(model as NetworkJSON);
  } catch (error) {
    expectCoded(error, ['INVALID_MODEL']);
    return;
  }
  try {
    const { backend: _a, ...spec } = net.spec;
    const { backend: _b, ...expected } = base.json.spec;
    const loaded = numbersOf(net);
    // `backend` is where to load, not what the network is (the checksum leaves it out): compare with the original
    // loaded on the same backend.
    const reference = await Network.fromJSON(base.json, { backend: net.spec.backend });
    const original = numbersOf(reference);
    reference.dispose();
    if (JSON.stringify(spec) !== JSON.stringify(expected) ||
      loaded.length !== original.length || loaded.some((v, i) => v !== original[i])) {
      throw new Error(`a damaged model loaded as a different network: ${JSON.stringify(net.toJSON()).slice(0, 300)}`);
    }
  } finally {
    net.dispose();
  }
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype was polluted');
}

const baseIndex = fc.nat();

describe('fuzz: Network.fromJSON', () => {
  it('refuses random JSON values and random text with INVALID_MODEL', async () => {
    const arbitrary = fc.oneof(
      anything,
      fc.jsonValue(),
      fc.json(),
      fc.string(),
      fc.record({ format: fc.constant('simdnet'), version: fc.constant(1), spec: anything, dtype: fc.constantFrom('float32', 'float64'),
        checksum: fc.oneof(fc.string(), fc.constant('crc32:00000000')), layers: anything }, { requiredKeys: ['format', 'version'] }),
      fc.integer({ min: 1, max: 200_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
      fc.integer({ min: 1, max: 100_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
    );
    await check('modelRandomJson', fc.asyncProperty(arbitrary, async (model) => {
      try {
        const net = await Network.fromJSON(model as NetworkJSON);
        net.dispose();
      } catch (error) {
        expectCoded(error, ['INVALID_MODEL']);
        return;
      }
      throw new Error('fromJSON accepted a random value');
    }), 150, 0.8);
  }, FUZZ_TIMEOUT);

  it('refuses a model file with a damaged value, or loads the very same network', async () => {
    const arbitrary = fc.record({ base: baseIndex, path: fc.nat(), mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
      text: fc.boolean() });
    await check('modelMutated', fc.asyncProperty(arbitrary, async ({ base: b, path: p, mutations, text }) => {
      const base = bases[b % bases.length];
      const model = mutate(base.json, base.paths, p, mutations);
      let given = model;
      if (text) {
        try {
          given = JSON.stringify(model);
        } catch {
          given = model; // a BigInt or a cycle: pass the object itself
        }
      }
      await expectRefusedOrSame(given, base);
    }), 150);
  }, FUZZ_TIMEOUT);

  it('refuses model text that is truncated, bit-flipped or edited, or loads the very same network', async () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
    );
    const arbitrary = fc.record({ base: baseIndex, edits: fc.array(edit, { minLength: 1, maxLength: 4 }) });
    await check('modelTextFlips', fc.asyncProperty(arbitrary, async ({ base: b, edits }) => {
      const base = bases[b % bases.length];
      let text = base.text;
      for (const e of edits) {
        const at = text.length === 0 ? 0 : e.at % text.length;
        switch (e.kind) {
          case 'truncate': text = text.slice(0, at); break;
          case 'flip': text = text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ (1 << e.bit)) + text.slice(at + 1); break;
          case 'insert': text = text.slice(0, at) + e.text + text.slice(at); break;
          case 'remove': text = text.slice(0, at) + text.slice(at + e.count); break;
          case 'swap': {
            const other = text.length === 0 ? 0 : e.other % text.length;
            const chars = [...text];
            [chars[at], chars[other]] = [chars[other], chars[at]];
            text = chars.join('');
            break;
          }
        }
      }
      await expectRefusedOrSame(text, base);
    }), 150);
  }, FUZZ_TIMEOUT);

  it('refuses a bad maxParameters with INVALID_OPTIONS and a model above it with INVALID_MODEL', async () => {
    const arbitrary = fc.record({ base: baseIndex, maxParameters: fc.oneof(fc.integer({ min: -5, max: 60 }),
      fc.constantFrom(Number.NaN, Infinity, -Infinity, 0.5, '100', null, 2 ** 53)) });
    await check('modelRandomJson', fc.asyncProperty(arbitrary, async ({ base: b, maxParameters }) => {
      const base = bases[b % bases.length];
      try {
        const net = await Network.fromJSON(base.text, { maxParameters: maxParameters as number });
        net.dispose();
        const count = numbersOf(await Network.fromJSON(base.json)).length;
        if (maxParameters === null) return; // treated as not given
        if (!(typeof maxParameters === 'number' && maxParameters >= count)) {
          throw new Error(`loaded ${count} parameters with maxParameters ${maxParameters}`);
        }
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('loaded')) throw error;
        expectCoded(error, ['INVALID_MODEL', 'INVALID_OPTIONS']);
      }
    }), 40, 0.2);
  }, FUZZ_TIMEOUT);
});
