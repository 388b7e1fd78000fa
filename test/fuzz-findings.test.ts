// Minimal inputs on which the fuzz properties (test/fuzz-*.test.ts) once failed, each kept as a test of its own so
// that the input is checked on every run whatever the fuzzer happens to draw.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FLOAT32_MAX } from '../src/core/constants.js';
import { Network, type NetworkSpec, SimdnetError } from '../src/index.js';
import { loadMnist } from '../src/node/mnist.js';
import { failure } from './helpers.js';

describe('spec.ts: layers arrays that Array.prototype.map mishandles', () => {
  // A layers array is read with an index loop up to its length: map() would skip the holes of a sparse array
  // (leaving a layer unvalidated, then a TypeError on its `.units`), create its result through
  // `layers.constructor[Symbol.species]` (a TypeError for an own `constructor` key), and walk every index of
  // `layers.length = 2 ** 31` (a hang). Each must be INVALID_SPEC, or a valid network.
  it('a sparse layers array is INVALID_SPEC, not a TypeError', async () => {
    // eslint-disable-next-line no-sparse-arrays
    const error = await failure(() => Network.create({ inputSize: 2, layers: [, { units: 1 }] } as unknown as NetworkSpec));
    expect(error).toBeInstanceOf(SimdnetError);
    expect((error as SimdnetError).code).toBe('INVALID_SPEC');
  });

  it('a layers array with an own constructor key is INVALID_SPEC or valid, not a TypeError', async () => {
    const layers = Object.assign([{ units: 1 }], { constructor: 0 });
    const outcome = await Network.create({ inputSize: 2, layers } as NetworkSpec)
      .then((net) => { net.dispose(); return 'valid'; }, (error: unknown) => error);
    expect(outcome === 'valid' || (outcome as SimdnetError).code === 'INVALID_SPEC', String(outcome)).toBe(true);
  });

  it('the same through fromJSON is INVALID_MODEL', async () => {
    const net = await Network.create({ inputSize: 2, layers: [{ units: 3 }, { units: 1 }], seed: 1 });
    const json = structuredClone(net.toJSON()) as unknown as { spec: { layers: unknown[] } };
    delete json.spec.layers[0];
    const error = await failure(() => Network.fromJSON(json as never));
    expect((error as SimdnetError).code).toBe('INVALID_MODEL');
    net.dispose();
  });
});

describe('the js backend: weights beyond float32 range', () => {
  // The js backend computes in float64, whose range goes far beyond float32's (3.4e38). setWeights and model files
  // take float32's range on every backend, so that a model moves between backends; the js optimiser kernels
  // therefore count a weight beyond float32's range as divergence. Here an L2 penalty of 1e6 at learning rate 0.01
  // multiplies every weight by about −1e4 per step, so a weight leaves float32's range within a dozen steps: the run
  // must stop with DIVERGED, and the weights it keeps (those of the last step inside the range) must be accepted
  // by setWeights as they are.
  it('stops with DIVERGED, and setWeights(getWeights()) round-trips the weights it keeps', async () => {
    const net = await Network.create({ inputSize: 2, layers: [{ units: 4, activation: 'sigmoid' }], seed: 0,
      optimizer: { type: 'sgd', learningRate: 0.01 }, regularization: { l2: 1e6 }, initializer: 'uniform', backend: 'js' });
    const error = await failure(() =>
      net.trainSync({ inputs: new Float64Array(14), targets: new Array(28).fill(0) }, { epochs: 2, batchSize: 1 }));
    expect(error).toBeInstanceOf(SimdnetError);
    expect((error as SimdnetError).code).toBe('DIVERGED');
    const kept = net.getWeights();
    const values = kept.flatMap((layer) => [...layer.weights, ...layer.biases]);
    expect(values.every((v) => Math.abs(v) <= FLOAT32_MAX)).toBe(true);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(1e30); // the weights did grow towards the limit
    expect(() => net.setWeights(kept)).not.toThrow();
    expect(net.getWeights()).toEqual(kept);
    net.dispose();
  });
});

describe('network.ts: setWeights with a huge array-like', () => {
  // setWeights checks each layer's `length` against the expected count before copying anything: copying first
  // would throw RangeError("Invalid array length") for an array-like claiming 2³² elements, and allocate 800 MB
  // for one claiming 10⁸.
  it('is SHAPE_MISMATCH, not a RangeError', async () => {
    const net = await Network.create({ inputSize: 2, layers: [{ units: 1 }], seed: 1 });
    const error = await failure(() => net.setWeights([{ weights: { length: 2 ** 32 } as ArrayLike<number>, biases: [0] }]));
    expect((error as SimdnetError).code).toBe('SHAPE_MISMATCH');
    net.dispose();
  });
});

describe('mnist.ts: a small gzipped IDX file that inflates to 256 MiB', () => {
  // 1 MB of gzip can inflate to 1 GiB, and the IDX header is read only after decompression: readIdxFile
  // (src/node/mnist.ts) caps gunzip's output (maxOutputLength), so that a small hostile file is refused as
  // INVALID_FILE without its inflated size ever being allocated.
  const dir = mkdtempSync(join(tmpdir(), 'simdnet-gzip-bomb-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a small .gz that inflates to 256 MiB without allocating 256 MiB', async () => {
    // 256 gzip members of 1 MiB of zeros each (a gzip file may hold several): about 260 KB, 256 MiB inflated.
    const bomb = Buffer.concat(new Array(256).fill(gzipSync(new Uint8Array(2 ** 20), { level: 9 })));
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), bomb);
    // The other three files are valid (one digit each), so the error is the bomb's.
    const idx = (dims: number[]) => {
      const bytes = new Uint8Array(4 + 4 * dims.length + dims.reduce((a, b) => a * b, 1));
      const view = new DataView(bytes.buffer);
      view.setUint32(0, 0x0800 | dims.length);
      dims.forEach((n, i) => view.setUint32(4 + 4 * i, n));
      return bytes;
    };
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx([1]));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idx([1, 28, 28]));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx([1]));
    const before = process.memoryUsage().rss;
    const error = await failure(() => loadMnist({ dir }));
    const grown = (process.memoryUsage().rss - before) / 2 ** 20;
    expect((error as SimdnetError).code).toBe('INVALID_FILE');
    expect((error as SimdnetError).message).toContain('train-images-idx3-ubyte.gz');
    expect(grown).toBeLessThan(64);
  });
});
