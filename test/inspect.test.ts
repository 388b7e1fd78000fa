// Looking at a network: net.summary() is a table of the layers (units, activation, parameters), the totals, the loss,
// the optimiser and the backend; console.log / util.inspect show it; and the names printed survive minification
// (the package's bundles are minified, which renamed Network to a single letter).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { Network, type NetworkSpec } from '../src/index.js';
import { expectSimdnetError, failure } from './helpers.js';

const SPEC: NetworkSpec = {
  inputSize: 2,
  layers: [
    { units: 4, activation: 'tanh' },
    { units: 3, activation: 'leakyRelu', alpha: 0.2, useBias: false },
    { units: 1, activation: 'sigmoid' },
  ],
  optimizer: { type: 'sgd', learningRate: 0.5 },
  seed: 42,
};

const SUMMARY = [
  'Network: 2 inputs → 1 output, 28 parameters (23 weights, 5 biases)',
  'layer  units  activation             parameters',
  'input      2',
  '1          4  tanh                           12',
  '2          3  leakyRelu (alpha 0.2)          12',
  '3          1  sigmoid                         4',
  'total                                        28',
  'loss: quadratic · optimizer: sgd (learningRate 0.5, momentum 0, nesterov false) · backend: wasm (float32) · seed: 42',
].join('\n');

describe('net.summary()', () => {
  it('is a table of layers, units, activations and parameters, with the totals, loss, optimizer and backend', async () => {
    const net = await Network.create(SPEC);
    expect(net.summary()).toBe(SUMMARY);
    const weights = net.getWeights();
    expect(weights.reduce((sum, layer) => sum + layer.weights.length + layer.biases.length, 0)).toBe(28);
  });

  it('names the js backend, Adam and a loss alias by their resolved names', async () => {
    const net = await Network.create({ inputSize: 3, layers: [{ units: 2, activation: 'softmax' }],
      loss: 'categoricalCrossentropy', optimizer: 'adam', backend: 'js', seed: 1 });
    expect(net.summary().split('\n')).toEqual([
      'Network: 3 inputs → 2 outputs, 8 parameters (6 weights, 2 biases)',
      'layer  units  activation  parameters',
      'input      3',
      '1          2  softmax              8',
      'total                              8',
      'loss: categoricalCrossEntropy · optimizer: adam (learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7) · ' +
        'backend: js (float64) · seed: 1',
    ]);
  });

  it("shows a layer's dropout beside its activation", async () => {
    const net = await Network.create({ ...SPEC, layers: [{ units: 4, activation: 'leakyRelu', dropout: 0.25 },
      { units: 1 }] });
    expect(net.summary().split('\n')[3]).toBe('1          4  leakyRelu (alpha 0.01, dropout 0.25)          12');
  });

  it('is refused once the network is disposed, while inspect says so', async () => {
    const net = await Network.create(SPEC);
    net.dispose();
    expectSimdnetError(failure(() => net.summary()), 'DISPOSED');
    expect(inspect(net)).toBe('Network (disposed)');
  });
});

describe('util.inspect and console.log', () => {
  it('show the summary instead of an empty object', async () => {
    const net = await Network.create(SPEC);
    expect(inspect(net)).toBe(SUMMARY);
    expect(Object.prototype.toString.call(net)).toBe('[object Network]');
  });

  describe('in a minified bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-inspect-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('still print Network, NumpyRandom and SimdnetError by name', async () => {
      const outfile = join(dir, 'index.js');
      await esbuild.build({
        entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))], outfile, bundle: true,
        minify: true, format: 'esm', platform: 'neutral', external: ['node:*'], logLevel: 'silent',
      });
      const simdnet = await import(/* @vite-ignore */ pathToFileURL(outfile).href) as typeof import('../src/index.js');
      const net = await simdnet.Network.create({ ...SPEC, backend: 'js' });
      expect(inspect(net)).toBe(SUMMARY.replace('wasm (float32)', 'js (float64)'));
      expect(simdnet.Network.name).toBe('Network');
      expect(String(net)).toBe('[object Network]');
      expect(inspect(new simdnet.NumpyRandom(1), { depth: 0 })).toMatch(/^NumpyRandom /);
      expect(inspect(new simdnet.SimdnetError('BUSY', 'x'))).toMatch(/^SimdnetError: x/);
    }, 60_000);
  });
});
