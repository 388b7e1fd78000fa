// MNIST's facts and its conversion to training data, runtime-neutral: the Node entry `simdnet/mnist` reads the files
// from disk, the digits page fetches a subset, and both turn IDX bytes into a split here.

import { invalidIdx, parseIdx } from './idx.js';

/** An MNIST image is MNIST_SIDE × MNIST_SIDE pixels: MNIST_PIXELS network inputs. */
export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
/** The digits 0 to 9: a network's outputs. */
export const MNIST_CLASSES = 10;

/** The four files' names, as Yann LeCun published them. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

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

/** An IDX file's bytes and the name its errors give. */
export interface IdxFile {
  name: string;
  bytes: Uint8Array;
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

/**
 * A split from an images file (idx3, count × 28 × 28) and its labels file (idx1, count digits). Anything else is a
 * SimdnetError with code 'INVALID_FILE' naming the file.
 */
export function mnistSplit(imageFile: IdxFile, labelFile: IdxFile): MnistSplit {
  const images = parseIdx(imageFile.bytes, imageFile.name, 3);
  const labels = parseIdx(labelFile.bytes, labelFile.name, 1);
  const [count, rows, cols] = images.dims as [number, number, number];
  if (rows !== MNIST_SIDE || cols !== MNIST_SIDE) {
    throw invalidIdx(imageFile.name, `images of ${rows}×${cols} pixels, expected ${MNIST_SIDE}×${MNIST_SIDE}`);
  }
  if (labels.dims[0] !== count) {
    throw invalidIdx(labelFile.name, `${labels.dims[0]} labels, but ${imageFile.name} has ${count} images`);
  }

  const inputs = scalePixels(images.data);

  const labelBytes = new Uint8Array(labels.data); // a copy: the file's buffer is not kept alive
  const targets = new Float32Array(count * MNIST_CLASSES);
  for (let i = 0; i < count; i++) {
    const label = labelBytes[i]!;
    if (label >= MNIST_CLASSES) throw invalidIdx(labelFile.name, `label ${label} at index ${i}, expected 0 to 9`);
    targets[i * MNIST_CLASSES + label] = 1;
  }
  return { count, inputs, labels: labelBytes, targets };
}
