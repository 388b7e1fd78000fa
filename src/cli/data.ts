// MNIST for the command line: loaded through the public `simdnet/mnist` entry, optionally cut to its first N images.

import { resolve } from 'node:path';
import { MNIST_CLASSES, MNIST_PIXELS } from '../io/mnist.js';
import { loadMnist, type MnistData, type MnistSplit } from '../node/mnist.js';
import { UsageError } from './flags.js';
import type { CliIO } from './io.js';

export async function loadData(dataDir: string | undefined, io: CliIO): Promise<{ data: MnistData; seconds: number }> {
  const started = performance.now();
  const data = await loadMnist(dataDir === undefined ? {} : { dir: resolve(io.cwd, dataDir) });
  return { data, seconds: (performance.now() - started) / 1000 };
}

/** The first `count` samples of a split (views, no copies); the whole split when `count` is undefined. */
export function firstSamples(split: MnistSplit, count: number | undefined, flag: string): MnistSplit {
  if (count === undefined || count === split.count) return split;
  if (count > split.count) throw new UsageError(`${flag} ${count} is more than the ${split.count} images available`);
  return {
    count,
    inputs: split.inputs.subarray(0, count * MNIST_PIXELS),
    labels: split.labels.subarray(0, count),
    targets: split.targets.subarray(0, count * MNIST_CLASSES),
  };
}
