import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnist, parseIdx } from '../src/node/mnist.js';
import { expectSimdnetError, failure } from './helpers.js';

/** An IDX file of unsigned bytes: magic [0, 0, 8, ndim], big-endian dimensions, then the data. */
function idx(dims: number[], data: ArrayLike<number>, { type = 0x08, ndim = dims.length } = {}): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, (type << 8) | ndim);
  dims.forEach((n, d) => view.setUint32(4 + 4 * d, n));
  bytes.set(Array.from(data), 4 + 4 * dims.length);
  return bytes;
}

/** `count` 28×28 images whose pixel k of image i is (i * 7 + k) mod 256, and labels i mod 10. */
function images(count: number): Uint8Array {
  return idx([count, 28, 28], Array.from({ length: count * 784 }, (_, j) => (Math.floor(j / 784) * 7 + (j % 784)) % 256));
}
function labels(count: number): Uint8Array {
  return idx([count], Array.from({ length: count }, (_, i) => i % 10));
}

function expectInvalidFile(action: () => unknown, ...fragments: string[]): void {
  expectSimdnetError(failure(action), 'INVALID_FILE', ...fragments);
}

async function expectLoadFails(dir: string, ...fragments: string[]): Promise<void> {
  expectSimdnetError(await failure(() => loadMnist({ dir })), 'INVALID_FILE', ...fragments);
}

describe('parseIdx', () => {
  it('reads the dimensions and the data of a valid file', () => {
    const parsed = parseIdx(idx([2, 3], [1, 2, 3, 4, 5, 255]), 'small');
    expect(parsed.dims).toEqual([2, 3]);
    expect(Array.from(parsed.data)).toEqual([1, 2, 3, 4, 5, 255]);
  });

  it('reads big-endian dimensions above 255', () => {
    const parsed = parseIdx(idx([300], new Uint8Array(300).fill(9)), 'long', 1);
    expect(parsed.dims).toEqual([300]);
    expect(parsed.data.length).toBe(300);
  });

  it('rejects a wrong magic number, naming the file and both numbers', () => {
    expectInvalidFile(() => parseIdx(idx([2], [0, 1]), 'train-images-idx3-ubyte', 3),
      'train-images-idx3-ubyte: magic number 0x00000801, expected 0x00000803');
    expectInvalidFile(() => parseIdx(idx([2], [0, 1], { type: 0x0d }), 'floats', 1), 'floats: magic number 0x00000d01');
    const notIdx = new TextEncoder().encode('PK\u0003\u0004 a zip file');
    expectInvalidFile(() => parseIdx(notIdx, 'archive.zip'), 'archive.zip: magic number 0x504b0304');
  });

  it('rejects truncated files: in the magic number, in the header, and in the data', () => {
    expectInvalidFile(() => parseIdx(new Uint8Array([0, 0]), 'tiny'), 'tiny: truncated: 2 bytes');
    expectInvalidFile(() => parseIdx(idx([5, 28, 28], []).subarray(0, 10), 'head', 3), 'head: truncated: 10 bytes', '16-byte header');
    expectInvalidFile(() => parseIdx(idx([2, 28, 28], new Uint8Array(1000)), 'short', 3),
      'short: truncated: 1016 bytes, expected 1584 for dimensions 2×28×28');
  });

  it('rejects trailing bytes beyond the dimensions', () => {
    expectInvalidFile(() => parseIdx(idx([2], [1, 2, 3]), 'long', 1), 'long: 11 bytes, expected 10', '1 extra');
  });
});

describe('loadMnist on files written by the test', () => {
  let root: string;
  const valid = (): Record<string, Uint8Array> => ({
    'train-images-idx3-ubyte': images(12),
    'train-labels-idx1-ubyte': labels(12),
    't10k-images-idx3-ubyte': images(5),
    't10k-labels-idx1-ubyte': labels(5),
  });
  /** A directory holding `files`; a null value leaves that file out. */
  const write = (name: string, files: Record<string, Uint8Array | null>): string => {
    const dir = join(root, name);
    mkdirSync(dir);
    for (const [file, bytes] of Object.entries(files)) if (bytes) writeFileSync(join(dir, file), bytes);
    return dir;
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'simdnet-mnist-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('loads both splits: counts, pixels/255 as float32, labels, one-hot targets', async () => {
    const { train, test } = await loadMnist({ dir: write('valid', valid()) });
    expect(train.count).toBe(12);
    expect(test.count).toBe(5);
    expect(train.inputs).toBeInstanceOf(Float32Array);
    expect(train.inputs.length).toBe(12 * 784);
    expect(train.targets).toBeInstanceOf(Float32Array);
    expect(train.targets.length).toBe(12 * 10);
    expect(train.labels).toBeInstanceOf(Uint8Array);
    expect(Array.from(train.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(train.inputs[3 * 784 + 100]).toBe(Math.fround(121 / 255)); // (3·7 + 100) mod 256
    expect(train.inputs[3 * 784 + 234]).toBe(1); // (3·7 + 234) mod 256 = 255
    expect(train.inputs[3 * 784 + 235]).toBe(0); // 256 mod 256
    expect(Array.from(test.targets.subarray(30, 40))).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('reads gzipped files when the plain ones are absent', async () => {
    const files = valid();
    const gz = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [`${name}.gz`, gzipSync(bytes)]));
    const { train, test } = await loadMnist({ dir: write('gzipped', gz) });
    expect([train.count, test.count]).toEqual([12, 5]);
    expect(train.inputs[3 * 784 + 100]).toBe(Math.fround(121 / 255));
  });

  it('names a missing file', async () => {
    const dir = write('missing', { ...valid(), 't10k-labels-idx1-ubyte': null });
    await expectLoadFails(dir, join(dir, 't10k-labels-idx1-ubyte'), 'file not found');
  });

  it('rejects a dir that is not a path', async () => {
    for (const dir of [42, '']) {
      expectSimdnetError(await failure(() => loadMnist({ dir: dir as string })), 'INVALID_OPTIONS',
        `options.dir: expected a directory path, got ${dir === '' ? '""' : '42'}`);
    }
  });

  it('names a missing directory', async () => {
    await expectLoadFails(join(root, 'nowhere'), 'file not found');
  });

  it('names a file with the wrong magic number (labels where images belong)', async () => {
    const dir = write('swapped', { ...valid(), 'train-images-idx3-ubyte': labels(12) });
    await expectLoadFails(dir, `${join(dir, 'train-images-idx3-ubyte')}: magic number 0x00000801, expected 0x00000803`);
  });

  it('names a truncated file', async () => {
    const dir = write('truncated', { ...valid(), 't10k-images-idx3-ubyte': images(5).subarray(0, 2000) });
    await expectLoadFails(dir, `${join(dir, 't10k-images-idx3-ubyte')}: truncated: 2000 bytes, expected 3936`);
  });

  it('names a labels file whose count differs from the images', async () => {
    const dir = write('counts', { ...valid(), 'train-labels-idx1-ubyte': labels(11) });
    await expectLoadFails(dir, `${join(dir, 'train-labels-idx1-ubyte')}: 11 labels`, '12 images');
  });

  it('names images that are not 28×28', async () => {
    const dir = write('size', { ...valid(), 'train-images-idx3-ubyte': idx([12, 20, 20], new Uint8Array(12 * 400)) });
    await expectLoadFails(dir, `${join(dir, 'train-images-idx3-ubyte')}: images of 20×20 pixels, expected 28×28`);
  });

  it('names a label outside 0–9', async () => {
    const dir = write('label', { ...valid(), 't10k-labels-idx1-ubyte': idx([5], [1, 2, 10, 3, 4]) });
    await expectLoadFails(dir, `${join(dir, 't10k-labels-idx1-ubyte')}: label 10 at index 2`);
  });

  it('names a corrupt gzip file', async () => {
    const files = valid();
    const dir = write('badgz', { ...files, 'train-labels-idx1-ubyte': null, 'train-labels-idx1-ubyte.gz': new Uint8Array([1, 2, 3]) });
    await expectLoadFails(dir, `${join(dir, 'train-labels-idx1-ubyte.gz')}: not valid gzip data`);
  });
});
