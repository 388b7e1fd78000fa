// Properties of the importers, Network.fromTfjs and Network.fromBrainJSON: real files (written by toTfjs, by
// brain.js 1.x and 2.x) with values replaced, deleted, re-typed, nested or given `__proto__` keys, weight bytes
// flipped or cut, and random values: INVALID_MODEL, or a network of the declared shape whose weights are finite and
// whose predictions have the right length. Never another error; nothing reaches Object.prototype.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Network, NumpyRandom } from '../src/index.js';
import { anything } from './fuzz/arbitraries.js';
import { FUZZ_TIMEOUT, check, expectCoded } from './fuzz/harness.js';
import { type Path, mutate, mutation, pathsOf } from './fuzz/mutate.js';

interface Base {
  value: Record<string, unknown>;
  paths: Path[];
}

const tfjsBases: Base[] = [];
const brainBases: Base[] = [];

beforeAll(async () => {
  const rng = new NumpyRandom(5);
  for (const spec of [
    { inputSize: 3, layers: [{ units: 4, activation: 'tanh' as const }, { units: 2, activation: 'softmax' as const }] },
    { inputSize: 2, layers: [{ units: 3, activation: 'leakyRelu' as const, alpha: 0.3, useBias: false }, { units: 1 }],
      regularization: { l2: 0.01 } },
  ]) {
    const net = await Network.create({ ...spec, seed: 1 });
    net.setWeights(net.getWeights().map((l) => ({ weights: rng.randn(l.weights.length), biases: rng.randn(l.biases.length) })));
    const value = net.toTfjs() as unknown as Record<string, unknown>;
    tfjsBases.push({ value, paths: pathsOf(value) });
    net.dispose();
  }
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/brain2-neural-networks.json', import.meta.url), 'utf8'));
  for (const model of Object.values(fixture.models) as { json: Record<string, unknown> }[]) {
    brainBases.push({ value: model.json, paths: pathsOf(model.json) });
  }
  const v1 = { sizes: [2, 2, 1], layers: [{ 0: {}, 1: {} }, { 0: { bias: 0.5, weights: { 0: 1, 1: 2 } },
    1: { bias: 0, weights: { 0: -1, 1: 0 } } }, { 0: { bias: 0, weights: { 0: 3, 1: -3 } } }],
  inputLookup: false, outputLookup: false, activation: 'leaky-relu', trainOpts: { learningRate: 0.3 } };
  brainBases.push({ value: v1, paths: pathsOf(v1) });
});

afterAll(() => {
  expect(Object.keys(Object.prototype)).toEqual([]);
});

/** The importer must refuse with INVALID_MODEL, or give a usable network. */
async function expectRefusedOrUsable(load: () => Promise<Network>): Promise<void> {
  let net: Network;
  try {
    net = await load();
  } catch (error) {
    expectCoded(error, ['INVALID_MODEL']);
    return;
  }
  try {
    const weights = net.getWeights();
    if (!weights.every((l) => [...l.weights, ...l.biases].every(Number.isFinite))) throw new Error('a non-finite weight');
    const y = net.predict(new Float64Array(net.inputSize).fill(0.5));
    if (y.length !== net.outputSize) throw new Error(`predict gave ${y.length} numbers for ${net.outputSize} outputs`);
  } finally {
    net.dispose();
  }
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype was polluted');
}

const weightDamage = fc.oneof(
  fc.constant(undefined),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('float' as const), at: fc.nat(), value: fc.constantFrom(Number.NaN, Infinity, -Infinity, 3.4e38, -0) }),
);

describe('fuzz: Network.fromTfjs', () => {
  it('refuses damaged artifacts with INVALID_MODEL or imports a usable network', async () => {
    const arbitrary = fc.record({
      base: fc.nat(), path: fc.nat(), mutations: fc.array(mutation, { maxLength: 3 }), weights: weightDamage,
      random: fc.option(anything, { freq: 10 }),
    });
    await check('tfjsImport', fc.asyncProperty(arbitrary, async ({ base: b, path, mutations, weights, random }) => {
      const base = tfjsBases[b % tfjsBases.length];
      const artifacts = (random ?? mutate(base.value, base.paths, path, mutations)) as Record<string, unknown>;
      if (weights && artifacts && typeof artifacts === 'object' && artifacts.weightData instanceof ArrayBuffer) {
        let bytes = new Uint8Array(artifacts.weightData.slice(0));
        const at = bytes.length === 0 ? 0 : (weights as { at?: number }).at! % bytes.length;
        switch (weights.kind) {
          case 'flip': if (bytes.length) bytes[at] ^= 1 << weights.bit; break;
          case 'cut': bytes = bytes.subarray(0, at); break;
          case 'extend': bytes = Uint8Array.from([...bytes, ...weights.bytes]); break;
          case 'float': if (bytes.length >= 4) new DataView(bytes.buffer).setFloat32(at - (at % 4), weights.value, true); break;
        }
        artifacts.weightData = bytes.slice().buffer;
      }
      await expectRefusedOrUsable(() => Network.fromTfjs(artifacts as never));
    }), 100);
  }, FUZZ_TIMEOUT);
});

describe('fuzz: Network.fromBrainJSON', () => {
  it('refuses damaged brain.js JSON (objects and text) with INVALID_MODEL or imports a usable network', async () => {
    const arbitrary = fc.record({
      base: fc.nat(), path: fc.nat(), mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }), text: fc.boolean(),
      random: fc.option(fc.oneof(anything, fc.json()), { freq: 10 }),
    });
    await check('brainImport', fc.asyncProperty(arbitrary, async ({ base: b, path, mutations, text, random }) => {
      const base = brainBases[b % brainBases.length];
      let json: unknown = random ?? mutate(base.value, base.paths, path, mutations);
      if (text && random === null) {
        try {
          json = JSON.stringify(json);
        } catch {
          // a BigInt: pass the object
        }
      }
      await expectRefusedOrUsable(() => Network.fromBrainJSON(json as object));
    }), 100);
  }, FUZZ_TIMEOUT);
});
