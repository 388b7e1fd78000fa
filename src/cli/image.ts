// Reads a digit image for `simdnet predict`: a 28×28 PNG (any colour type or bit depth pngjs decodes), turned
// into 784 intensities in [0, 1] laid out as MNIST's: white (1) strokes on a black (0) background.

import pngjs from 'pngjs';
import { SimdnetError } from '../core/errors.js';

export const SIDE = 28;

export interface DigitImage {
  pixels: Float32Array;
  /** True when the picture was dark on light and was inverted to MNIST's light on dark. */
  inverted: boolean;
}

/**
 * Converts decoded RGBA pixels to MNIST intensities: luminance (ITU-R BT.601) composited over black by alpha;
 * a picture drawn only in alpha (strokes on a transparent background) uses alpha itself; a picture whose border
 * is mostly light is inverted.
 */
export function toDigitPixels(rgba: Uint8Array, width: number, height: number): DigitImage {
  const count = width * height;
  const pixels = new Float32Array(count);
  let alphaVaries = false;
  let anyLight = false;
  for (let i = 0; i < count; i++) {
    const r = rgba[4 * i]!, g = rgba[4 * i + 1]!, b = rgba[4 * i + 2]!, a = rgba[4 * i + 3]!;
    if (a !== rgba[3]) alphaVaries = true;
    const value = ((0.299 * r + 0.587 * g + 0.114 * b) / 255) * (a / 255);
    if (value > 0.05) anyLight = true;
    pixels[i] = value;
  }
  if (alphaVaries && !anyLight) {
    for (let i = 0; i < count; i++) pixels[i] = rgba[4 * i + 3]! / 255;
  }
  let border = 0;
  let borderCount = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) {
        border += pixels[y * width + x]!;
        borderCount++;
      }
    }
  }
  const inverted = borderCount > 0 && border / borderCount > 0.5;
  if (inverted) for (let i = 0; i < count; i++) pixels[i] = 1 - pixels[i]!;
  return { pixels, inverted };
}

/** Decodes a 28×28 PNG file's bytes; `name` starts every error message. */
export function decodeDigitPng(bytes: Uint8Array, name: string): DigitImage {
  let png: { width: number; height: number; data: Uint8Array };
  try {
    png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new SimdnetError('INVALID_FILE', `${name}: not a readable PNG image (${(error as Error).message})`, { cause: error });
  }
  if (png.width !== SIDE || png.height !== SIDE) {
    throw new SimdnetError('INVALID_FILE', `${name}: ${png.width}×${png.height} pixels, expected ${SIDE}×${SIDE} (MNIST's size)`);
  }
  return toDigitPixels(png.data, png.width, png.height);
}
