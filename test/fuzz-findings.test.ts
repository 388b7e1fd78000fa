// Bugs the fuzz properties found, each kept as its minimal input: every one is fixed, and these tests keep it so.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { Network, type NetworkSpec, SimdnetError } from '../src/index.js';
import { loadMnist } from '../src/node/mnist.js';

async function thrown(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('spec.ts: layers arrays that Array.prototype.map mishandles', () => {
  // resolveSpec (src/core/spec.ts) validates `spec.layers.map(resolveLayer)`. map skips the holes of a sparse array, so
  // the missing layer is never validated and countParameters then reads `.units` of undefined: a TypeError instead
  // of INVALID_SPEC. map also creates its result through `layers.constructor[Symbol.species]`, so an array with an
  // own `constructor` key throws "object.constructor[Symbol.species] is not a constructor". And since map walks
  // every index of a sparse array, `layers.length = 2 ** 31` on a one-layer array keeps it busy for 67 s before the
  // TypeError: a hang. Fix: build the resolved layers with an index loop that stops at the first bad entry (or
  // Array.from({ length }, (_, i) => resolveLayer(layers[i], …)) after checking the length).
  it('a sparse layers array is INVALID_SPEC, not a TypeError', async () => {
    // eslint-disable-next-line no-sparse-arrays
    const error = await thrown(() => Network.create({ inputSize: 2, layers: [, { units: 1 }] } as unknown as NetworkSpec));
    expect(error).toBeInstanceOf(SimdnetError);
    expect((error as SimdnetError).code).toBe('INVALID_SPEC');
  });

  it('a layers array with an own constructor key is INVALID_SPEC or valid, not a TypeError', async () => {
    const layers = Object.assign([{ units: 1 }], { constructor: 0 });
    const error = await thrown(async () => (await Network.create({ inputSize: 2, layers } as NetworkSpec)).dispose());
    expect(error === undefined || (error as SimdnetError).code === 'INVALID_SPEC').toBe(true);
  });

  it('the same through fromJSON is INVALID_MODEL', async () => {
    const net = await Network.create({ inputSize: 2, layers: [{ units: 3 }, { units: 1 }], seed: 1 });
    const json = structuredClone(net.toJSON()) as unknown as { spec: { layers: unknown[] } };
    delete json.spec.layers[0];
    const error = await thrown(() => Network.fromJSON(json as never));
    expect((error as SimdnetError).code).toBe('INVALID_MODEL');
    net.dispose();
  });
});

describe('the js backend: weights beyond float32 range', () => {
  // The js backend (float64) keeps training while weights grow past float32's range (3.4e38): its finiteness check
  // (the optimiser kernels in src/backends/js.ts return "every new value finite") uses float64's range. But
  // setWeights (src/network.ts → toMatrix in src/core/data.ts) refuses values beyond float32's range on every backend,
  // so setWeights(getWeights()) fails on a network that trained "successfully". Such a model file also cannot move
  // to the wasm backend (fromJSON now refuses it with INVALID_MODEL rather than loading Infinity weights). Either
  // the js backend should report DIVERGED when a weight leaves float32's range, or setWeights on js should accept
  // float64's range.
  it('setWeights(getWeights()) round-trips after a run that did not diverge', async () => {
    const net = await Network.create({ inputSize: 2, layers: [{ units: 4, activation: 'sigmoid' }], seed: 0,
      optimizer: { type: 'sgd', learningRate: 0.01 }, regularization: { l2: 1e6 }, initializer: 'uniform', backend: 'js' });
    let diverged = false;
    try {
      net.trainSync({ inputs: new Float64Array(14), targets: new Array(28).fill(0) }, { epochs: 2, batchSize: 1 });
    } catch (error) {
      diverged = (error as SimdnetError).code === 'DIVERGED';
    }
    if (!diverged) expect(() => net.setWeights(net.getWeights())).not.toThrow();
    net.dispose();
  });
});

describe('network.ts: setWeights with a huge array-like', () => {
  // setWeights copies each layer with Array.from(given.weights) before checking its length, so an array-like
  // claiming 2³² elements throws RangeError("Invalid array length") (and one of 10⁸ allocates 800 MB first).
  // Checking `length` against the expected count before copying fixes both.
  it('is SHAPE_MISMATCH, not a RangeError', async () => {
    const net = await Network.create({ inputSize: 2, layers: [{ units: 1 }], seed: 1 });
    const error = await thrown(() => net.setWeights([{ weights: { length: 2 ** 32 } as ArrayLike<number>, biases: [0] }]));
    expect((error as SimdnetError).code).toBe('SHAPE_MISMATCH');
    net.dispose();
  });
});

describe('mnist.ts: a gzipped IDX file is decompressed whole before its header is read', () => {
  // readIdxFile (src/node/mnist.ts) calls gunzipSync(compressed) with no maxOutputLength, and parseIdx looks at the
  // 16-byte header only afterwards. 1 MB of gzip inflates to 1 GiB: four such files made loadMnist peak at 4.2 GB
  // of memory and take 21 s before reporting a bad magic number. Fix: gunzip with maxOutputLength (e.g. the size
  // the header announces, read from the first bytes of a streaming gunzip, or a fixed cap like 256 MiB).
  const dir = mkdtempSync(join(tmpdir(), 'simdnet-gzip-bomb-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a small .gz that inflates to 256 MiB without allocating 256 MiB', async () => {
    const bomb = gzipSync(new Uint8Array(256 * 2 ** 20), { level: 9 }); // 256 MiB of zeros: about 250 KB
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
    const error = await thrown(() => loadMnist({ dir }));
    const grown = (process.memoryUsage().rss - before) / 2 ** 20;
    expect((error as SimdnetError).code).toBe('INVALID_FILE');
    expect((error as SimdnetError).message).toContain('train-images-idx3-ubyte.gz');
    expect(grown).toBeLessThan(64);
  });
});
