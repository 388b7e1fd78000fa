// The two kernels that keep the training step's bookkeeping out of TypeScript: countCorrect (accuracy) and scale
// (a gradient sum made a mean). Both backends against a plain statement of the rule, on exhaustive small cases
// (ties, NaN, the 0.5 threshold) and on seeded random shapes whose sizes are not multiples of 4. The seed of every
// random case is in its failure message.
import { beforeAll, describe, expect, it } from 'vitest';
import { JsBackend } from '../src/backends/js.js';
import { WasmBackend } from '../src/backends/wasm/backend.js';
import type { Backend } from '../src/core/kernels.js';
import { NumpyRandom } from '../src/core/random.js';

const SIZES = [1, 2, 3, 4, 5, 7, 16, 17, 31];
const GUARD = 3;
const SENTINEL = 7777.25;

/** The rule, written as plainly as possible: first index of the largest (strict >), or the 0.5 threshold. */
function expectedCorrect(a: ArrayLike<number>, y: ArrayLike<number>, rows: number, cols: number): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    if (cols === 1) {
      if ((a[at] >= 0.5) === (y[at] >= 0.5)) correct++;
      continue;
    }
    const first = (v: ArrayLike<number>) => {
      let best = 0;
      for (let c = 1; c < cols; c++) if (v[at + c] > v[at + best]) best = c;
      return best;
    };
    if (first(a) === first(y)) correct++;
  }
  return correct;
}

let backends: { name: string; backend: Backend }[];

beforeAll(async () => {
  backends = [{ name: 'js', backend: new JsBackend() }, { name: 'wasm', backend: await WasmBackend.create({}) }];
});

/** Writes the buffers one after another from the backend's first slot, each followed by guard slots. */
function place(backend: Backend, buffers: ArrayLike<number>[]): number[] {
  let next = backend.baseSlot + 1; // odd: buffers start off a 16-byte boundary
  const offsets = buffers.map((values) => {
    const at = next;
    backend.ensureCapacity(at + values.length + GUARD);
    backend.write(at, values);
    backend.fill(at + values.length, GUARD, SENTINEL);
    next = at + values.length + GUARD;
    return at;
  });
  return offsets;
}

function expectGuards(backend: Backend, offsets: number[], lengths: number[], label: string): void {
  offsets.forEach((at, i) => {
    expect(Array.from(backend.read(at + lengths[i], GUARD)), `${label}: guard after buffer ${i}`)
      .toEqual(Array(GUARD).fill(SENTINEL));
  });
}

/** The first index where two arrays differ (NaN equals NaN), or -1. */
function firstDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  for (let i = 0; i < expected.length; i++) if (!Object.is(actual[i], expected[i])) return i;
  return actual.length === expected.length ? -1 : expected.length;
}

function countOn(backend: Backend, a: ArrayLike<number>, y: ArrayLike<number>, rows: number, cols: number,
  label: string): number {
  const [at, yt] = place(backend, [a, y]);
  const correct = backend.kernels.countCorrect(at, yt, rows, cols);
  expect(firstDifference(backend.read(at, a.length), a), `${label}: a changed at`).toBe(-1);
  expect(firstDifference(backend.read(yt, y.length), y), `${label}: y changed at`).toBe(-1);
  expectGuards(backend, [at, yt], [a.length, y.length], label);
  return correct;
}

/** Every row of `cols` values drawn from `values`, row after row. */
function allRows(values: number[], cols: number): number[] {
  const rows: number[] = [];
  const count = values.length ** cols;
  for (let i = 0; i < count; i++) {
    for (let c = 0, rest = i; c < cols; c++, rest = Math.floor(rest / values.length)) rows.push(values[rest % values.length]);
  }
  return rows;
}

describe('countCorrect', () => {
  it('one output: every pair of values around the 0.5 threshold', () => {
    // Five values count as below 0.5 (NaN among them: NaN ≥ 0.5 is false) and four as at or above it, so
    // 5·5 + 4·4 of the 81 pairs agree.
    const values = [Number.NEGATIVE_INFINITY, -1, 0, Math.fround(0.49999997), Number.NaN, 0.5, Math.fround(0.50000006),
      1, Number.POSITIVE_INFINITY];
    const a = values.flatMap((v) => values.map(() => v));
    const y = values.flatMap(() => values);
    expect(expectedCorrect(a, y, a.length, 1)).toBe(41);
    for (const { name, backend } of backends) expect(countOn(backend, a, y, a.length, 1, name), name).toBe(41);
  });

  it('one output, several outputs: every row of ties, NaN and extremes, on both backends', () => {
    for (const cols of [1, 2, 3, 4, 5]) {
      const values = cols <= 3 ? [0, 0.5, 1, Number.NaN, Number.NEGATIVE_INFINITY] : [0, 1, Number.NaN];
      const rowsOf = allRows(values, cols);
      const n = rowsOf.length / cols;
      // Every a row against every y row (against every 9th for five columns).
      const a: number[] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        for (let j = cols === 5 ? i % 9 : 0; j < n; j += cols === 5 ? 9 : 1) {
          a.push(...rowsOf.slice(i * cols, (i + 1) * cols));
          y.push(...rowsOf.slice(j * cols, (j + 1) * cols));
        }
      }
      const rows = a.length / cols;
      const expected = expectedCorrect(a, y, rows, cols);
      expect(expected, `cols ${cols}: some rows agree`).toBeGreaterThan(0);
      expect(expected, `cols ${cols}: some rows disagree`).toBeLessThan(rows);
      for (const { name, backend } of backends) {
        expect(countOn(backend, a, y, rows, cols, `${name} cols ${cols}`), `${name}, cols ${cols}`).toBe(expected);
      }
    }
  });

  it('zero rows count nothing', () => {
    for (const { name, backend } of backends) expect(countOn(backend, [], [], 0, 3, name), name).toBe(0);
  });

  it('seeded random shapes with frequent ties agree on both backends', () => {
    for (const rows of SIZES) {
      for (const cols of SIZES) {
        const seed = 1000 + rows * 100 + cols;
        const rng = new NumpyRandom(seed);
        // Values on a coarse grid, so that ties (within a row and between a row's maxima) are common.
        const grid = (n: number) => Array.from(rng.random(n), (u) => Math.round(u * 4) / 4);
        const a = grid(rows * cols);
        const y = grid(rows * cols);
        const expected = expectedCorrect(a, y, rows, cols);
        for (const { name, backend } of backends) {
          expect(countOn(backend, a, y, rows, cols, `${name} seed ${seed}`), `${name} ${rows}×${cols}, seed ${seed}`)
            .toBe(expected);
        }
      }
    }
  });
});

describe('scale', () => {
  it('x ← factor·x in place, exactly as the heap multiplies, on seeded random sizes', () => {
    for (let count = 0; count <= 35; count++) {
      for (const rows of [1, 3, 7, 10, 64]) {
        const seed = 2000 + count * 100 + rows;
        const rng = new NumpyRandom(seed);
        const x = Array.from(rng.randn(count), (v) => Math.fround(v * 10));
        const factor = 1 / rows;
        for (const { name, backend } of backends) {
          const [at] = place(backend, [x]);
          backend.kernels.scale(at, count, factor);
          // float64 multiplies in float64; float32 rounds the factor once, then each product (an f64 product of
          // two f32 values is exact, so fround of it is the f32 product).
          const expected = backend.float64 ? x.map((v) => v * factor) : x.map((v) => Math.fround(v * Math.fround(factor)));
          expect(Array.from(backend.read(at, count)), `${name} count ${count} factor 1/${rows}, seed ${seed}`)
            .toEqual(expected);
          expectGuards(backend, [at], [count], `${name} count ${count}, seed ${seed}`);
        }
      }
    }
  });
});
