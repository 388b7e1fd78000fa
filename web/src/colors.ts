// Colours: the TensorFlow Playground's diverging scale (orange for negative / class 0, blue for positive /
// class 1), a palette for more classes, and fast look-up tables for filling heat maps.

import { argmax } from '../../src/core/argmax.js';

export type Rgb = [number, number, number];

export const hexToRgb = (hex: string): Rgb =>
  [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];

/** Class colours: 0 orange and 1 blue as in the TensorFlow Playground, then four more that stay apart. */
export const CLASS_HEX = ['#f59322', '#0877bd', '#2e9e5b', '#8e5bc5', '#d64550', '#1aa3a3'];
export const CLASS_RGB = CLASS_HEX.map(hexToRgb);

const NEGATIVE = hexToRgb('#f59322');
const MIDDLE = hexToRgb('#eef0f2');
const POSITIVE = hexToRgb('#0877bd');

const mix = (a: Rgb, b: Rgb, t: number): Rgb =>
  [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

/** 256 RGBA entries from −1 (orange) through 0 (light grey) to +1 (blue), packed little-endian for a Uint32 view. */
function divergingTable(lighten: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    const v = (i / 255) * 2 - 1;
    let c = v < 0 ? mix(MIDDLE, NEGATIVE, -v) : mix(MIDDLE, POSITIVE, v);
    c = mix(c, [255, 255, 255], lighten);
    table[i] = (255 << 24) | (Math.round(c[2]) << 16) | (Math.round(c[1]) << 8) | Math.round(c[0]);
  }
  return table;
}

/** For neuron thumbnails: full strength. */
export const DIVERGING = divergingTable(0);
/** For the big output map, a little lighter so the data points stand out. */
export const DIVERGING_LIGHT = divergingTable(0.3);

/** Index into a diverging table for v in [-1, 1] (clamped). */
export const divergingIndex = (v: number): number => {
  const i = Math.round((v + 1) * 127.5);
  return i < 0 ? 0 : i > 255 ? 255 : i;
};

export const packRgb = (c: Rgb): number =>
  (255 << 24) | (Math.round(c[2]) << 16) | (Math.round(c[1]) << 8) | Math.round(c[0]);

/** A colour for a point of several class probabilities: their mix, lighter where the network is unsure. */
export function mixClasses(probabilities: ArrayLike<number>, offset: number, classes: number, lighten: number,
  discrete: boolean): number {
  const best = argmax(probabilities, offset, classes);
  if (discrete) return packRgb(mix(CLASS_RGB[best], [255, 255, 255], lighten + 0.1));
  let r = 0, g = 0, b = 0;
  for (let c = 0; c < classes; c++) {
    const p = probabilities[offset + c];
    r += p * CLASS_RGB[c][0];
    g += p * CLASS_RGB[c][1];
    b += p * CLASS_RGB[c][2];
  }
  const confidence = Math.max(0, (probabilities[offset + best] - 1 / classes) / (1 - 1 / classes));
  const toWhite = lighten + (1 - lighten) * (1 - confidence) * 0.85;
  return packRgb(mix([r, g, b], [255, 255, 255], toWhite));
}

/** The CSS gradient of the diverging scale. */
export const DIVERGING_CSS = 'linear-gradient(90deg, #f59322, #eef0f2, #0877bd)';

const classTables = new Map<number, Uint32Array>();
/** White to a class's colour, for softmax units (a look-up table like the diverging ones). */
export function classTable(c: number): Uint32Array {
  let table = classTables.get(c);
  if (!table) {
    table = new Uint32Array(256);
    const [r, g, b] = CLASS_RGB[c % CLASS_RGB.length];
    for (let i = 0; i < 256; i++) {
      const t = Math.max(0, (i / 255) * 2 - 1) * 0.9 + 0.04;
      table[i] = packRgb([255 + (r - 255) * t, 255 + (g - 255) * t, 255 + (b - 255) * t]);
    }
    classTables.set(c, table);
  }
  return table;
}

/** A data point's CSS colour: its class's, or its value's on the diverging scale for regression. */
export function pointColor(label: number, regression: boolean): string {
  if (!regression) return CLASS_HEX[label % CLASS_HEX.length];
  const c = DIVERGING[divergingIndex(label)];
  const rgb: Rgb = [c & 255, (c >> 8) & 255, (c >> 16) & 255];
  return `rgb(${rgb.join(',')})`;
}
