// Turns a drawing into what an MNIST network expects: as LeCun's team prepared the digits, the ink's bounding box is
// scaled (keeping its aspect ratio, with area averaging, so edges come out grey) to fit a 20 × 20 box, and that box
// is placed in the 28 × 28 image so that the ink's centre of mass sits at the centre.

import { MNIST_SIDE as SIDE } from '../../src/io/mnist.js';

/** The digits are scaled to fit a BOX × BOX square inside the SIDE × SIDE image. */
const BOX = 20;

/** Overlap weights of a source axis [start, start + length) sampled into `count` cells. */
function axisWeights(start: number, length: number, count: number): { index: number; weight: number }[][] {
  const step = length / count;
  const cells = [];
  for (let t = 0; t < count; t++) {
    const from = start + t * step;
    const to = from + step;
    const parts = [];
    for (let i = Math.floor(from); i < Math.ceil(to); i++) {
      const weight = Math.min(to, i + 1) - Math.max(from, i);
      if (weight > 1e-9) parts.push({ index: i, weight });
    }
    cells.push(parts);
  }
  return cells;
}

/**
 * `ink`: side × side values in [0, 1], row-major. Returns the SIDE × SIDE network inputs in [0, 1] (row-major), or
 * undefined when there is no ink.
 */
export function toMnistInput(ink: Float32Array, side: number): Float32Array | undefined {
  let top = side, bottom = -1, left = side, right = -1;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (ink[y * side + x] > 0.05) {
        if (y < top) top = y;
        if (y > bottom) bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  if (bottom < 0) return undefined;
  const width = right - left + 1;
  const height = bottom - top + 1;
  const scale = BOX / Math.max(width, height);
  const boxW = Math.max(1, Math.round(width * scale));
  const boxH = Math.max(1, Math.round(height * scale));
  const xs = axisWeights(left, width, boxW);
  const ys = axisWeights(top, height, boxH);
  const box = new Float32Array(boxW * boxH);
  let mass = 0, mx = 0, my = 0;
  for (let by = 0; by < boxH; by++) {
    for (let bx = 0; bx < boxW; bx++) {
      let sum = 0, area = 0;
      for (const wy of ys[by]) {
        for (const wx of xs[bx]) {
          sum += wy.weight * wx.weight * ink[wy.index * side + wx.index];
          area += wy.weight * wx.weight;
        }
      }
      const v = sum / area;
      box[by * boxW + bx] = v;
      mass += v;
      mx += v * (bx + 0.5);
      my += v * (by + 0.5);
    }
  }
  // Shift so that the centre of mass lands on the image's centre (14, 14).
  const offsetX = Math.round(SIDE / 2 - mx / mass);
  const offsetY = Math.round(SIDE / 2 - my / mass);
  const out = new Float32Array(SIDE * SIDE);
  for (let by = 0; by < boxH; by++) {
    for (let bx = 0; bx < boxW; bx++) {
      const x = bx + offsetX, y = by + offsetY;
      if (x >= 0 && x < SIDE && y >= 0 && y < SIDE) out[y * SIDE + x] = Math.min(1, box[by * boxW + bx]);
    }
  }
  return out;
}
