// Heat maps on the Playground's grid: the network is evaluated at GRID × GRID points covering [-6, 6]², row 0 at the
// top (x₂ = 6), column 0 at the left (x₁ = −6). One `activations` call gives every neuron's values at every point.

import { DIVERGING, divergingIndex } from './colors.js';
import { DOMAIN } from './datasets.js';

export const GRID = 100;
/** Thumbnails sample every THUMB_STRIDE-th row and column. */
export const THUMB_STRIDE = 2;
export const THUMB = GRID / THUMB_STRIDE;

/** The grid's points, row-major. */
export function gridPoints(): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(GRID * GRID);
  const ys = new Float64Array(GRID * GRID);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      xs[r * GRID + c] = -DOMAIN + (2 * DOMAIN * (c + 0.5)) / GRID;
      ys[r * GRID + c] = DOMAIN - (2 * DOMAIN * (r + 0.5)) / GRID;
    }
  }
  return { xs, ys };
}

/** How a neuron's values map to [-1, 1] for colouring. */
export interface Scale {
  center: number;
  /** Half the range; 0 means "fit to the largest magnitude". */
  half: number;
}

export function scaleFor(activation: string): Scale {
  switch (activation) {
    case 'tanh': return { center: 0, half: 1 };
    case 'sigmoid':
    case 'softmax': return { center: 0.5, half: 0.5 };
    default: return { center: 0, half: 0 };
  }
}

/**
 * Fills `pixels` (a Uint32 view over RGBA ImageData of side `side`) with the values of unit `unit` of a
 * rows × units array laid over the grid, sampling every `stride`-th grid row and column.
 */
export function fillUnit(pixels: Uint32Array, side: number, stride: number, values: ArrayLike<number>, units: number,
  unit: number, scale: Scale, table: Uint32Array = DIVERGING): void {
  let half = scale.half;
  if (half === 0) {
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        half = Math.max(half, Math.abs(values[(r * stride * GRID + c * stride) * units + unit] - scale.center));
      }
    }
    half ||= 1;
  }
  const k = 1 / half;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const v = (values[(r * stride * GRID + c * stride) * units + unit] - scale.center) * k;
      pixels[r * side + c] = table[divergingIndex(v)];
    }
  }
}

/**
 * Marching squares: the segments where `field` (GRID × GRID, at cell centres) crosses `level`, in grid units
 * (0 … GRID along each axis), appended to `out` as x1, y1, x2, y2.
 */
export function contour(field: (index: number) => number, level: number, out: number[]): void {
  const at = (r: number, c: number) => field(r * GRID + c) - level;
  for (let r = 0; r < GRID - 1; r++) {
    for (let c = 0; c < GRID - 1; c++) {
      const a = at(r, c), b = at(r, c + 1), d = at(r + 1, c + 1), e = at(r + 1, c);
      const code = (a > 0 ? 8 : 0) | (b > 0 ? 4 : 0) | (d > 0 ? 2 : 0) | (e > 0 ? 1 : 0);
      if (code === 0 || code === 15) continue;
      // Edge crossings, cell centres at (c + 0.5, r + 0.5).
      const top = (): [number, number] => [c + 0.5 + a / (a - b), r + 0.5];
      const right = (): [number, number] => [c + 1.5, r + 0.5 + b / (b - d)];
      const bottom = (): [number, number] => [c + 0.5 + e / (e - d), r + 1.5];
      const left = (): [number, number] => [c + 0.5, r + 0.5 + a / (a - e)];
      const segment = (p: [number, number], q: [number, number]) => out.push(p[0], p[1], q[0], q[1]);
      switch (code) {
        case 1: case 14: segment(left(), bottom()); break;
        case 2: case 13: segment(bottom(), right()); break;
        case 3: case 12: segment(left(), right()); break;
        case 4: case 11: segment(top(), right()); break;
        case 6: case 9: segment(top(), bottom()); break;
        case 7: case 8: segment(left(), top()); break;
        case 5: segment(left(), top()); segment(bottom(), right()); break;
        case 10: segment(top(), right()); segment(left(), bottom()); break;
      }
    }
  }
}
