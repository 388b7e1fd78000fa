// `simdnet eval model.json` and `simdnet predict model.json image.png | --index N`: a saved model against the
// MNIST test set, or against one digit.

import { resolve } from 'node:path';
import { argmax } from '../core/argmax.js';
import { Network, SimdnetError } from '../index.js';
import { MNIST_CLASSES, MNIST_PIXELS } from '../io/mnist.js';
import { firstSamples, loadData } from './data.js';
import { readInput } from './files.js';
import { decodeDigitPng } from './image.js';
import type { CliIO } from './io.js';
import { confusion, formatConfusion, formatScores } from './report.js';

/** A saved model, checked to have MNIST's 784 inputs and 10 outputs. */
export async function loadModel(file: string, io: CliIO): Promise<{ net: Network; path: string }> {
  const path = resolve(io.cwd, file);
  const text = (await readInput(path, 'model')).toString('utf8');
  let net: Network;
  try {
    net = await Network.fromJSON(text);
  } catch (error) {
    if (error instanceof SimdnetError) {
      throw new SimdnetError(error.code, `${path}: ${error.message}`, { cause: error });
    }
    throw error;
  }
  if (net.inputSize !== MNIST_PIXELS || net.outputSize !== MNIST_CLASSES) {
    const sizes = `${net.inputSize} inputs and ${net.outputSize} outputs`;
    net.dispose();
    throw new SimdnetError('INVALID_MODEL', `${path}: a network of ${sizes}, expected ${MNIST_PIXELS} and ${MNIST_CLASSES} for MNIST`);
  }
  return { net, path };
}

function layerSizes(net: Network): string {
  const layers = (net.spec as { layers?: { units: number; activation?: string }[] }).layers ?? [];
  return `[${[net.inputSize, ...layers.map((layer) => layer.units)].join(', ')}]`;
}

export async function runEval(command: { model: string; dataDir?: string; testSize?: number }, io: CliIO): Promise<number> {
  const { net, path } = await loadModel(command.model, io);
  try {
    const { data } = await loadData(command.dataDir, io);
    const test = firstSamples(data.test, command.testSize, '--test-size');
    const { loss } = net.evaluate({ inputs: test.inputs, targets: test.targets });
    io.stdout.write(`Model ${path}: ${layerSizes(net)}\n`);
    io.stdout.write(`Test loss: ${loss.toFixed(4)} over ${test.count} MNIST test images\n\n`);
    io.stdout.write(formatConfusion(confusion(net.predictBatch(test.inputs), test.labels, test.count)));
  } finally {
    net.dispose();
  }
  return 0;
}

export async function runPredict(
  command: { model: string; image?: string; index?: number; dataDir?: string }, io: CliIO,
): Promise<number> {
  let pixels: Float32Array;
  let source: string;
  let label: number | undefined;
  if (command.image !== undefined) {
    const path = resolve(io.cwd, command.image);
    const image = decodeDigitPng(await readInput(path, 'image'), path);
    pixels = image.pixels;
    source = `${path}${image.inverted ? ' (dark on light: inverted to MNIST\'s light on dark)' : ''}`;
  } else {
    const index = command.index!;
    const { data } = await loadData(command.dataDir, io);
    if (index >= data.test.count) {
      throw new SimdnetError('INVALID_OPTIONS', `--index ${index} is out of range: the test set has ${data.test.count} images`);
    }
    pixels = data.test.inputs.slice(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS);
    label = data.test.labels[index]!;
    source = `MNIST test image ${index} (labelled ${label})`;
  }
  const { net } = await loadModel(command.model, io);
  try {
    const scores = net.predict(pixels);
    const digit = argmax(scores);
    io.stdout.write(`${source}\n`);
    io.stdout.write(`Digit: ${digit}${label === undefined ? '' : label === digit ? ' (correct)' : ` (wrong: labelled ${label})`}\n`);
    io.stdout.write(`Scores:\n${formatScores(scores)}`);
  } finally {
    net.dispose();
  }
  return 0;
}
