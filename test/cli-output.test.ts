import pngjs from 'pngjs';
import { describe, expect, it } from 'vitest';
import { SimdnetError } from '../src/index.js';
import { decodeDigitPng } from '../src/cli/image.js';
import { plotSvg } from '../src/cli/plot.js';
import { argmax, confusion, epochLine, formatConfusion, formatScores } from '../src/cli/report.js';

/** A width×height PNG whose pixel (x, y) has the RGBA value `pixel(x, y)`, encoded with the given colour type. */
function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number],
  colorType: 0 | 2 | 4 | 6): Uint8Array {
  const image = new pngjs.PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) image.data.set(pixel(x, y), 4 * (y * width + x));
  }
  return pngjs.PNG.sync.write(image, { colorType, inputHasAlpha: true });
}

/** A "1": a vertical bar over columns 13–14, rows 4–23. */
const inBar = (x: number, y: number) => x >= 13 && x <= 14 && y >= 4 && y <= 23;

describe('confusion matrix', () => {
  // Four samples: two 3s (one predicted 3, one predicted 5), a 7 predicted 7, a 0 predicted 0.
  const outputs = new Float32Array(40);
  const predict = (row: number, digit: number) => { outputs[row * 10 + digit] = 0.9; };
  predict(0, 3); predict(1, 5); predict(2, 7); predict(3, 0);
  const labels = new Uint8Array([3, 3, 7, 0]);

  it('counts true × predicted and the correct ones', () => {
    const result = confusion(outputs, labels);
    expect(result.correct).toBe(3);
    expect(result.total).toBe(4);
    expect(result.matrix[3 * 10 + 3]).toBe(1);
    expect(result.matrix[3 * 10 + 5]).toBe(1);
    expect(result.matrix[7 * 10 + 7]).toBe(1);
    expect(result.matrix.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('prints rows per true digit with per-class accuracy, and the total in Nielsen\'s form', () => {
    const text = formatConfusion(confusion(outputs, labels));
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(13);
    expect(lines[1]).toMatch(/^true\s+0\s+1\s+2\s+3\s+4\s+5\s+6\s+7\s+8\s+9\s+accuracy$/);
    expect(lines[2 + 3]!.trim().split(/\s+/)).toEqual(['3', '0', '0', '0', '1', '0', '1', '0', '0', '0', '0', '50.00%']);
    expect(lines[2 + 1]!.trim().split(/\s+/).at(-1)).toBe('—'); // no 1s in the labels
    expect(lines.at(-1)).toBe('Test accuracy: 3 / 4 (75.00%)');
    expect(epochLine(0, 9032, 10000)).toBe('Epoch 0: 9032 / 10000');
  });

  it('argmax takes the first of equal scores, and formatScores marks the winner', () => {
    expect(argmax([0.1, 0.7, 0.7, 0.2])).toBe(1);
    const lines = formatScores(new Float32Array([0, 0, 0, 0, 0, 0, 0, 0.25, 0.5, 0])).trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[8]).toBe('  8  0.500000  ←');
    expect(lines[7]).toBe('  7  0.250000');
  });
});

describe('SVG chart', () => {
  const points = [
    { epoch: 0, loss: 0.5, accuracy: 0.9 },
    { epoch: 1, loss: 0.3, accuracy: 0.95 },
    { epoch: 2, loss: 0.2, accuracy: 0.97 },
  ];

  it('is one SVG document with a polyline of one point per epoch for each series', () => {
    const svg = plotSvg(points, 'a <title> & more');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('a &#60;title&#62; &#38; more');
    for (const series of ['loss', 'accuracy']) {
      const match = svg.match(new RegExp(`<polyline class="${series}" points="([^"]*)"`));
      expect(match).not.toBeNull();
      const coordinates = match![1]!.split(' ').map((pair) => pair.split(',').map(Number));
      expect(coordinates).toHaveLength(3);
      expect(coordinates.flat().every(Number.isFinite)).toBe(true);
      // Epochs run left to right; SVG's y grows downwards, so the falling loss goes down and the rising accuracy up.
      expect(coordinates[0]![0]).toBeLessThan(coordinates[2]![0]!);
      if (series === 'loss') expect(coordinates[0]![1]).toBeLessThan(coordinates[2]![1]!);
      else expect(coordinates[0]![1]).toBeGreaterThan(coordinates[2]![1]!);
    }
    expect(svg).toContain('test accuracy (last 97.00%)');
  });

  it('draws a single epoch and an empty run without NaN', () => {
    expect(plotSvg(points.slice(0, 1))).not.toContain('NaN');
    expect(plotSvg([])).not.toContain('NaN');
  });
});

describe('digit PNG', () => {
  it('reads a grayscale 28×28 PNG as MNIST intensities', () => {
    const bytes = png(28, 28, (x, y) => (inBar(x, y) ? [255, 255, 255, 255] : [0, 0, 0, 255]), 0);
    const { pixels, inverted } = decodeDigitPng(bytes, 'one.png');
    expect(inverted).toBe(false);
    expect(pixels.length).toBe(784);
    expect(pixels[10 * 28 + 13]).toBe(1);
    expect(pixels[10 * 28 + 12]).toBe(0);
    expect(pixels.reduce((a, b) => a + b, 0)).toBe(40);
  });

  it('converts colour to luminance and inverts a dark-on-light drawing', () => {
    const bytes = png(28, 28, (x, y) => (inBar(x, y) ? [0, 0, 0, 255] : [255, 255, 255, 255]), 2);
    const { pixels, inverted } = decodeDigitPng(bytes, 'black-on-white.png');
    expect(inverted).toBe(true);
    expect(pixels[10 * 28 + 13]).toBe(1);
    expect(pixels[0]).toBeCloseTo(0, 6);
    const red = decodeDigitPng(png(28, 28, (x, y) => (inBar(x, y) ? [255, 0, 0, 255] : [0, 0, 0, 255]), 6), 'red.png');
    expect(red.pixels[10 * 28 + 13]).toBeCloseTo(0.299, 5);
  });

  it('reads strokes drawn only in alpha on a transparent background', () => {
    const bytes = png(28, 28, (x, y) => (inBar(x, y) ? [0, 0, 0, 255] : [0, 0, 0, 0]), 6);
    const { pixels } = decodeDigitPng(bytes, 'canvas.png');
    expect(pixels[10 * 28 + 13]).toBe(1);
    expect(pixels[0]).toBe(0);
  });

  it('rejects another size and a file that is not a PNG, naming the file', () => {
    const wrongSize = png(32, 32, () => [0, 0, 0, 255], 0);
    expect(() => decodeDigitPng(wrongSize, 'big.png')).toThrow(/^big\.png: 32×32 pixels, expected 28×28/);
    expect(() => decodeDigitPng(new TextEncoder().encode('not a png'), 'text.png')).toThrow(SimdnetError);
    expect(() => decodeDigitPng(new TextEncoder().encode('not a png'), 'text.png')).toThrow(/^text\.png: not a readable PNG image/);
  });
});
