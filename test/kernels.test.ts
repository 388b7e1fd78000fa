// Every kernel of the Wasm backend (assembly/, debug build) against its float64 twin, JsKernels.
//
// Both backends get the same inputs, rounded to float32 first, at the same offsets (at or above the Wasm
// backend's baseSlot). The criterion, for every output of every call:
//     max |wasm − reference| ≤ 1e-5 · max(1, max |reference|)
// with NaN allowed only where the reference is NaN. Sizes are drawn from 1, 3, 4, 5, 7, 16, 17, 31, 64, which
// hit every SIMD tail (n mod 4 and n mod 8) on every dimension. Each buffer is followed by guard slots and the
// inputs are checked afterwards: no kernel may write outside its outputs. Outputs start as NaN in the Wasm heap
// (0 in the reference), so an element a kernel forgets to write fails.

import { beforeAll, describe, expect, it } from 'vitest';
import { JsBackend } from '../src/backends/js.js';
import { WasmBackend } from '../src/backends/wasm/backend.js';
import { ACTIVATIONS, type ActivationName, LOSSES, type LossName, activationId, lossId } from '../src/core/constants.js';
import type { Backend } from '../src/core/kernels.js';
import { NumpyRandom } from '../src/core/random.js';
import { expectClose } from './helpers.js';

const TOLERANCE = 1e-5;
const SIZES = [1, 3, 4, 5, 7, 16, 17, 31, 64];
const GUARD = 5; // slots after each buffer; not a multiple of 4, so buffers start at every alignment
const SENTINEL = 7777.25;
const ALPHA = 0.1; // leakyRelu's slope, passed to every activation kernel

const f32 = (values: ArrayLike<number>): Float64Array => Float64Array.from(values, Math.fround);
const scaled = (values: Float64Array, factor: number): Float64Array => f32(values.map((v) => v * factor));

/** Fails unless every element of `actual` is within the criterion above of `expected`. */
function expectNear(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  let scale = 1;
  for (let i = 0; i < expected.length; i++) if (Number.isFinite(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  expectClose(actual, expected, { abs: TOLERANCE * scale }, label);
}

let wasmBackend: WasmBackend;
let jsBackend: JsBackend;

beforeAll(async () => {
  wasmBackend = await WasmBackend.create();
  jsBackend = new JsBackend();
});

/**
 * Buffers laid out from baseSlot in both backends alike, each followed by guard slots. `verify` checks that
 * the guards and every `input` buffer still hold what they held.
 */
class Heap {
  private next: number;
  private readonly guards: number[] = [];
  private readonly inputs: { offset: number; data: Float64Array }[] = [];

  constructor() {
    this.next = wasmBackend.baseSlot;
    this.guard();
  }

  private reserve(count: number): number {
    const offset = this.next;
    this.next += count;
    for (const backend of [wasmBackend, jsBackend]) backend.ensureCapacity(this.next + GUARD);
    this.guard();
    return offset;
  }

  private guard(): void {
    for (const backend of [wasmBackend, jsBackend]) {
      backend.ensureCapacity(this.next + GUARD);
      backend.fill(this.next, GUARD, SENTINEL);
    }
    this.guards.push(this.next);
    this.next += GUARD;
  }

  /** A buffer the kernel only reads. */
  input(data: Float64Array): number {
    const offset = this.state(data);
    this.inputs.push({ offset, data });
    return offset;
  }

  /** A buffer the kernel reads and writes (the same values in both backends). */
  state(data: Float64Array): number {
    const offset = this.reserve(data.length);
    wasmBackend.write(offset, data);
    jsBackend.write(offset, data);
    return offset;
  }

  /** A buffer the kernel only writes: NaN in the Wasm heap, 0 in the reference. */
  output(count: number): number {
    const offset = this.reserve(count);
    wasmBackend.fill(offset, count, Number.NaN);
    jsBackend.fill(offset, count, 0);
    return offset;
  }

  /** An i32 index buffer for gatherRows. */
  indices(values: Int32Array): number {
    const offset = this.reserve(values.length);
    wasmBackend.writeIndices(offset, values);
    jsBackend.writeIndices(offset, values);
    return offset;
  }

  /** Both backends' values of a buffer. */
  read(offset: number, count: number): { wasm: Float32Array; js: Float64Array } {
    return { wasm: wasmBackend.read(offset, count), js: jsBackend.read(offset, count) };
  }

  /** Checks the guards and inputs, then compares a buffer of both backends. */
  compare(offset: number, count: number, label: string): void {
    this.verify(label);
    const { wasm, js } = this.read(offset, count);
    expectNear(wasm, js, label);
  }

  verify(label: string): void {
    for (const backend of [wasmBackend, jsBackend]) {
      for (const guard of this.guards) {
        expect(Array.from(backend.read(guard, GUARD)), `${label}: guard at ${guard}`).toEqual(Array(GUARD).fill(SENTINEL));
      }
      for (const { offset, data } of this.inputs) {
        expect(Array.from(backend.read(offset, data.length)), `${label}: input at ${offset}`).toEqual(Array.from(data));
      }
    }
  }
}

/** Runs the same kernel call on both backends. */
function both<T>(call: (backend: Backend) => T): { wasm: T; js: T } {
  return { wasm: call(wasmBackend), js: call(jsBackend) };
}

const seedOf = (...numbers: number[]): number => numbers.reduce((seed, n) => (seed * 131 + n) % 2147483647, 17);

/** f(z) by the reference backend, rounded to float32: a realistic cached output `a` for each activation. */
function referenceActivation(activation: number, z: Float64Array, rows: number, cols: number): Float64Array {
  const scratch = new JsBackend();
  scratch.ensureCapacity(z.length);
  scratch.write(0, z);
  scratch.kernels.activate(activation, ALPHA, 0, rows, cols);
  return f32(scratch.read(0, z.length));
}

/** Targets suited to a loss: one-hot rows for categorical cross-entropy, 0/1 or fractions for binary. */
function targetsFor(loss: LossName, rng: NumpyRandom, rows: number, cols: number): Float64Array {
  const n = rows * cols;
  switch (loss) {
    case 'categoricalCrossEntropy': {
      const y = new Float64Array(n);
      for (let r = 0; r < rows; r++) y[r * cols + rng.nextInt(cols - 1)] = 1;
      if (rows > 1) y.set(f32(rng.random(cols)), 0); // one row of soft targets, whose sum is not 1
      return y;
    }
    case 'binaryCrossEntropy':
      return f32(rng.random(n).map((u, i) => (i % 3 === 0 ? u : Math.round(u))));
    default:
      return f32(rng.randn(n));
  }
}

/** Outputs a of a layer for the loss tests: probabilities, with exact 0 and 1 in places to hit the clamp. */
function probabilities(rng: NumpyRandom, n: number): Float64Array {
  const a = f32(rng.random(n));
  for (let i = 0; i < n; i += 7) a[i] = i % 2 === 0 ? 0 : 1;
  if (n > 3) a[3] = Math.fround(1e-9);
  return a;
}

describe('matmul', () => {
  describe.each(SIZES)('rows = %i', (rows) => {
    it('forward: out = x·w + bias, and without bias', () => {
      for (const inner of SIZES) {
        for (const cols of SIZES) {
          for (const withBias of [true, false]) {
            const rng = new NumpyRandom(seedOf(1, rows, inner, cols));
            const heap = new Heap();
            const x = heap.input(f32(rng.randn(rows * inner)));
            const w = heap.input(f32(rng.randn(inner * cols)));
            const bias = withBias ? heap.input(f32(rng.randn(cols))) : -1;
            const out = heap.output(rows * cols);
            both((b) => b.kernels.forward(x, w, bias, out, rows, inner, cols));
            heap.compare(out, rows * cols, `forward ${rows}×${inner}·${inner}×${cols} bias ${withBias}`);
          }
        }
      }
    });

    it('backpropDelta: dx = δ·wᵀ', () => {
      for (const inner of SIZES) {
        for (const cols of SIZES) {
          const rng = new NumpyRandom(seedOf(2, rows, inner, cols));
          const heap = new Heap();
          const delta = heap.input(f32(rng.randn(rows * cols)));
          const w = heap.input(f32(rng.randn(inner * cols)));
          const dx = heap.output(rows * inner);
          both((b) => b.kernels.backpropDelta(delta, w, dx, rows, cols, inner));
          heap.compare(dx, rows * inner, `backpropDelta rows ${rows} cols ${cols} inner ${inner}`);
        }
      }
    });

    it('weightGradient: dw = xᵀ·δ overwritten, db = column sums of δ, and without db', () => {
      for (const inner of SIZES) {
        for (const cols of SIZES) {
          for (const withDb of [true, false]) {
            const rng = new NumpyRandom(seedOf(3, rows, inner, cols));
            const heap = new Heap();
            const x = heap.input(f32(rng.randn(rows * inner)));
            const delta = heap.input(f32(rng.randn(rows * cols)));
            const dw = heap.state(f32(rng.randn(inner * cols))); // stale values: must be overwritten, not added to
            const db = withDb ? heap.output(cols) : -1;
            both((b) => b.kernels.weightGradient(x, delta, dw, db, rows, inner, cols));
            const label = `weightGradient rows ${rows} inner ${inner} cols ${cols}`;
            heap.compare(dw, inner * cols, `${label} dw`);
            if (withDb) heap.compare(db, cols, `${label} db`);
          }
        }
      }
    });

    it('sgdDense: w − η·(scale·xᵀ·δ) and b − η·(scale·Σδ), in place and into another block', () => {
      for (const inner of SIZES) {
        for (const cols of SIZES) {
          for (const [withBias, inPlace] of [[true, false], [false, true]]) {
            const rng = new NumpyRandom(seedOf(5, rows, inner, cols));
            const heap = new Heap();
            const x = heap.input(f32(rng.randn(rows * inner)));
            const delta = heap.input(f32(rng.randn(rows * cols)));
            const wIn = heap.state(f32(rng.randn(inner * cols)));
            const wOut = inPlace ? wIn : heap.output(inner * cols);
            const bIn = withBias ? heap.state(f32(rng.randn(cols))) : -1;
            const bOut = !withBias ? -1 : inPlace ? bIn : heap.output(cols);
            const finite = both((b) => b.kernels.sgdDense(x, delta, wIn, wOut, bIn, bOut, rows, inner, cols, 0.3, 1 / rows));
            const label = `sgdDense rows ${rows} inner ${inner} cols ${cols} bias ${withBias} in place ${inPlace}`;
            expect(finite, label).toEqual({ wasm: true, js: true });
            heap.compare(wOut, inner * cols, `${label}: weights`);
            if (withBias) heap.compare(bOut, cols, `${label}: biases`);
          }
        }
      }
    });

    it('sgdDense gives the numbers of weightGradient followed by sgd, exactly, in place too', () => {
      // 14, 29 and 31 columns end in 6, 5 and 7 past the last 8-wide tile, and 17, 10 and 19 in 1, 2 and 3: the 8- or
      // 4-wide tile ending at the last column steps them without stepping the columns it shares with the tile before
      // a second time.
      const inPlaceShapes = [14, 29, 31, 17, 10, 19].map((c) => [c, true] as const);
      for (const inner of SIZES) {
        for (const [cols, inPlace] of [...SIZES.map((c) => [c, false] as const), ...inPlaceShapes]) {
          const rng = new NumpyRandom(seedOf(6, rows, inner, cols));
          const heap = new Heap();
          const x = heap.input(f32(rng.randn(rows * inner)));
          const delta = heap.input(f32(rng.randn(rows * cols)));
          const weights = f32(rng.randn(inner * cols));
          const w = heap.input(weights);
          const b = heap.input(f32(rng.randn(cols)));
          const [dw, db, steppedW, steppedB] = [inner * cols, cols, inner * cols, cols].map((n) => heap.output(n));
          const fusedW = inPlace ? heap.state(weights) : heap.output(inner * cols);
          const fusedB = heap.output(cols);
          const k = wasmBackend.kernels;
          expect(k.sgdDense(x, delta, inPlace ? fusedW : w, fusedW, b, fusedB, rows, inner, cols, 3, 1 / rows)).toBe(true);
          k.weightGradient(x, delta, dw, db, rows, inner, cols);
          expect(k.sgd(w, steppedW, dw, inner * cols, 3, 1 / rows, 0, 0)).toBe(true);
          expect(k.sgd(b, steppedB, db, cols, 3, 1 / rows, 0, 0)).toBe(true);
          const same = (a: Float32Array, e: Float32Array, what: string) => {
            for (let i = 0; i < e.length; i++) {
              if (a[i] !== e[i]) expect(a[i], `${what} ${rows}×${inner}×${cols}, element ${i}`).toBe(e[i]);
            }
          };
          same(wasmBackend.read(fusedW, inner * cols), wasmBackend.read(steppedW, inner * cols), 'weights');
          same(wasmBackend.read(fusedB, cols), wasmBackend.read(steppedB, cols), 'biases');
        }
      }
    });
  });

  it('blocked products (b over 512 KB), and last columns taken by an overlapping tile, equal the sequential float32 sum, bit for bit', () => {
    // Each element is bias, then + x·w term by term in depth order, every multiply and add rounded to float32;
    // the blocked path stores partial sums and goes on from them, which must not change a bit. Five-row tiles take
    // the last 5–7 columns as the 8-wide tile ending at the last column, storing some columns twice (W1's
    // 10×784·784×30, and 7×40·40×13 with a 2-row remainder).
    const fr = Math.fround;
    for (const [rows, inner, cols] of [[5, 700, 203], [3, 1030, 131], [6, 257, 517], [10, 784, 30], [7, 40, 13]]) {
      const rng = new NumpyRandom(seedOf(8, rows, inner, cols));
      const heap = new Heap();
      const xs = f32(rng.randn(rows * inner));
      const ws = f32(rng.randn(inner * cols));
      const bs = f32(rng.randn(cols));
      const ds = f32(rng.randn(rows * cols));
      const [x, w, bias, delta] = [xs, ws, bs, ds].map((v) => heap.input(v));
      const out = heap.output(rows * cols);
      const dw = heap.output(inner * cols);
      wasmBackend.kernels.forward(x, w, bias, out, rows, inner, cols);
      wasmBackend.kernels.weightGradient(x, delta, dw, -1, rows, inner, cols);
      heap.verify(`blocked ${rows}×${inner}×${cols}`);
      const got = wasmBackend.read(out, rows * cols);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          let acc = bs[c];
          for (let k = 0; k < inner; k++) acc = fr(acc + fr(xs[r * inner + k] * ws[k * cols + c]));
          if (got[r * cols + c] !== acc) expect(got[r * cols + c], `forward ${rows}×${inner}×${cols} [${r}][${c}]`).toBe(acc);
        }
      }
      const gotDw = wasmBackend.read(dw, inner * cols);
      for (let k = 0; k < inner; k += 7) {
        for (let c = 0; c < cols; c++) {
          let acc = 0;
          for (let r = 0; r < rows; r++) acc = fr(acc + fr(xs[r * inner + k] * ds[r * cols + c]));
          if (gotDw[k * cols + c] !== acc) expect(gotDw[k * cols + c], `dw ${rows}×${inner}×${cols} [${k}][${c}]`).toBe(acc);
        }
      }
    }
  });

  it('backpropDelta in blocks of w\'s rows equals the four-lane float32 dot product, bit for bit', () => {
    // dx[r][k]: lane l starts at the product of the ragged tail's column cols − cols mod 4 + l (0 past the end), adds
    // δ[r][4q + l]·w[k][4q + l] in order, every multiply and add rounded to float32; then (l0 + l2) + (l1 + l3). w's
    // rows go through in 256 KB blocks (60 rows of 1,030 columns: 60, 60, 10; 216 of 301: 216, 216, 68), which must
    // not change a bit.
    const fr = Math.fround;
    for (const [rows, inner, cols] of [[9, 130, 1030], [11, 500, 301], [3, 7, 5]]) {
      const rng = new NumpyRandom(seedOf(9, rows, inner, cols));
      const heap = new Heap();
      const ds = f32(rng.randn(rows * cols));
      const ws = f32(rng.randn(inner * cols));
      const [delta, w] = [ds, ws].map((v) => heap.input(v));
      const dx = heap.output(rows * inner);
      wasmBackend.kernels.backpropDelta(delta, w, dx, rows, cols, inner);
      heap.verify(`backpropDelta ${rows}×${inner}×${cols}`);
      const got = wasmBackend.read(dx, rows * inner);
      const full = cols - (cols % 4);
      for (let r = 0; r < rows; r++) {
        for (let k = 0; k < inner; k++) {
          const lanes = [0, 1, 2, 3].map((l) => (full + l < cols ? fr(ds[r * cols + full + l] * ws[k * cols + full + l]) : 0));
          for (let q = 0; q < full; q += 4) {
            for (let l = 0; l < 4; l++) lanes[l] = fr(lanes[l] + fr(ds[r * cols + q + l] * ws[k * cols + q + l]));
          }
          const sum = fr(fr(lanes[0] + lanes[2]) + fr(lanes[1] + lanes[3]));
          if (got[r * inner + k] !== sum) expect(got[r * inner + k], `dx ${rows}×${inner}×${cols} [${r}][${k}]`).toBe(sum);
        }
      }
    }
  });

  it('sgdDense reports a step that overflows float32, and only then (the lanes past a ragged end do not count)', () => {
    for (const [rows, inner, cols] of [[3, 5, 7], [1, 33, 37], [4, 8, 6], [2, 3, 1]]) {
      for (const huge of [false, true]) {
        const rng = new NumpyRandom(seedOf(7, rows, inner, cols));
        const heap = new Heap();
        const deltas = f32(rng.randn(rows * cols));
        if (huge) deltas[deltas.length - 1] = Math.fround(3e38);
        const x = heap.input(f32(rng.randn(rows * inner).map((v) => v + 2 * Math.sign(v))));
        const delta = heap.input(deltas);
        const w = heap.input(f32(rng.randn(inner * cols)));
        const b = heap.input(f32(rng.randn(cols)));
        const wOut = heap.output(inner * cols);
        const bOut = heap.output(cols);
        const finite = wasmBackend.kernels.sgdDense(x, delta, w, wOut, b, bOut, rows, inner, cols, 10, 1);
        expect(finite, `${rows}×${inner}×${cols}, huge δ ${huge}`).toBe(!huge);
        heap.verify(`sgdDense ${rows}×${inner}×${cols}`);
      }
    }
  });

  it('handles empty dimensions: inner = 0 gives the bias (or zeros), rows or cols = 0 write nothing', () => {
    for (const [rows, inner, cols] of [[3, 0, 5], [0, 5, 3], [3, 5, 0]]) {
      const rng = new NumpyRandom(seedOf(4, rows, inner, cols));
      const heap = new Heap();
      const x = heap.input(f32(rng.randn(rows * inner)));
      const w = heap.input(f32(rng.randn(inner * cols)));
      const bias = heap.input(f32(rng.randn(cols)));
      const out = heap.output(rows * cols);
      const dx = heap.output(rows * inner);
      const dw = heap.output(inner * cols);
      const db = heap.output(cols);
      both((b) => {
        b.kernels.forward(x, w, bias, out, rows, inner, cols);
        b.kernels.backpropDelta(out, w, dx, rows, cols, inner);
        b.kernels.weightGradient(x, out, dw, db, rows, inner, cols);
      });
      const label = `rows ${rows} inner ${inner} cols ${cols}`;
      heap.compare(out, rows * cols, `${label} forward`);
      heap.compare(dx, rows * inner, `${label} backpropDelta`);
      heap.compare(dw, inner * cols, `${label} dw`);
      heap.compare(db, cols, `${label} db`);
    }
  });
});

describe('the debug build', () => {
  it('reports an unknown activation or loss id, and a negative count, as errors naming the kernel', () => {
    const heap = new Heap();
    const buffer = heap.state(new Float64Array(16));
    const k = wasmBackend.kernels;
    expect(() => k.activate(ACTIVATIONS.length, 0, buffer, 1, 4)).toThrow(/activate: unknown activation id/);
    expect(() => k.activationBackward(-1, 0, buffer, buffer, 1, 4)).toThrow(/activationBackward: unknown activation id/);
    expect(() => k.loss(LOSSES.length, buffer, buffer, 1, 4)).toThrow(/loss: unknown loss id/);
    expect(() => k.outputDelta(LOSSES.length, 0, 0, buffer, buffer, buffer, 1, 4)).toThrow(/outputDelta: unknown loss id/);
    expect(() => k.forward(buffer, buffer, -1, buffer, -1, 2, 2)).toThrow(/forward: negative count/);
    expect(() => k.sgd(buffer, buffer, buffer, -4, 0.1, 1, 0, 0)).toThrow(/sgd: negative count/);
  });
});

const SHAPES = SIZES.flatMap((rows) => SIZES.map((cols) => [rows, cols] as const));

describe('activations', () => {
  describe.each(ACTIVATIONS.map((name) => [name]))('%s', (name: ActivationName) => {
    const activation = activationId(name);

    it('activate (forward, in place) at every shape', () => {
      for (const [rows, cols] of SHAPES) {
        const rng = new NumpyRandom(seedOf(5, activation, rows, cols));
        const heap = new Heap();
        const z = heap.state(scaled(rng.randn(rows * cols), 4));
        both((b) => b.kernels.activate(activation, ALPHA, z, rows, cols));
        heap.compare(z, rows * cols, `activate ${name} ${rows}×${cols}`);
      }
    });

    it('activate at extreme and tiny inputs', () => {
      const values = [-1e30, -1e4, -100, -88.8, -20, -1, -1e-3, -1e-6, -1e-30, -0, 0, 1e-30, 1e-6, 1e-3, 1, 20, 88.8,
        100, 1e4, 1e30, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN];
      for (const cols of [values.length, 5, 1]) {
        const rows = Math.floor(values.length / cols);
        const heap = new Heap();
        const z = heap.state(f32(values.slice(0, rows * cols)));
        both((b) => b.kernels.activate(activation, ALPHA, z, rows, cols));
        heap.compare(z, rows * cols, `activate ${name} extremes, ${rows}×${cols}`);
      }
    });

    it('activationBackward (g ← g ⊙ f′ from the cached output) at every shape', () => {
      for (const [rows, cols] of SHAPES) {
        const rng = new NumpyRandom(seedOf(6, activation, rows, cols));
        const heap = new Heap();
        const a = heap.input(referenceActivation(activation, scaled(rng.randn(rows * cols), 3), rows, cols));
        const g = heap.state(f32(rng.randn(rows * cols)));
        both((b) => b.kernels.activationBackward(activation, ALPHA, a, g, rows, cols));
        heap.compare(g, rows * cols, `activationBackward ${name} ${rows}×${cols}`);
      }
    });
  });

  it('tanh keeps its relative accuracy near 0 (within 2 float32 ulps)', () => {
    const z = f32(Array.from({ length: 61 }, (_, i) => (i % 2 ? -1 : 1) * 10 ** (-8 + i / 10)));
    const heap = new Heap();
    const offset = heap.state(z);
    wasmBackend.kernels.activate(activationId('tanh'), 0, offset, 1, z.length);
    const result = wasmBackend.read(offset, z.length);
    for (let i = 0; i < z.length; i++) {
      const exact = Math.tanh(z[i]);
      expect(Math.abs(result[i] - exact), `tanh(${z[i]})`).toBeLessThanOrEqual(2 * 2 ** -23 * Math.abs(exact));
    }
  });

  it('sigmoid and tanh (SIMD polynomials, not Math calls) are within 2e-7 relative of float64 over [−100, 100]', () => {
    // The criterion above allows 1e-5; this pins the polynomials' accuracy: about one float32 rounding.
    const n = 20001;
    const z = f32(Float64Array.from({ length: n }, (_, i) => -100 + (200 * i) / (n - 1)));
    for (const [name, exact] of [['sigmoid', (v: number) => 1 / (1 + Math.exp(-v))], ['tanh', Math.tanh]] as const) {
      const heap = new Heap();
      const at = heap.state(z);
      wasmBackend.kernels.activate(activationId(name), 0, at, 1, n);
      const out = wasmBackend.read(at, n);
      for (let i = 0; i < n; i++) {
        const e = exact(z[i]);
        const error = Math.abs(out[i] - e);
        if (!(error <= 2e-7 * Math.abs(e) || error <= 1e-37)) {
          expect(out[i], `${name}(${z[i]}), float64 ${e}`).toBe(e);
        }
      }
    }
  });

  it('sigmoid, tanh and softmax keep NaN, saturate at ±∞ and stay finite for huge inputs', () => {
    const values = f32([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3e38, -3e38, 89, -89, 0]);
    const heap = new Heap();
    const at = heap.state(values);
    const expect1 = (name: ActivationName, expected: number[]) => {
      wasmBackend.write(at, values);
      wasmBackend.kernels.activate(activationId(name), 0, at, 1, values.length);
      expect(Array.from(wasmBackend.read(at, values.length)), name).toEqual(expected);
    };
    expect1('sigmoid', [Number.NaN, 1, 0, 1, 0, 1, 0, 0.5]);
    expect1('tanh', [Number.NaN, 1, -1, 1, -1, 1, -1, 0]);
  });

  it('softmax subtracts the row maximum: huge logits give finite rows that sum to 1', () => {
    const heap = new Heap();
    const rows = 3;
    const cols = 5;
    const z = heap.state(f32([1000, 999, -1000, 0, 1000, -5000, -5001, -5002, -5003, -5004, 88, 89, 90, 1e30, -1e30]));
    both((b) => b.kernels.activate(activationId('softmax'), 0, z, rows, cols));
    heap.compare(z, rows * cols, 'softmax of huge logits');
    const a = wasmBackend.read(z, rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(a.subarray(r * cols, (r + 1) * cols));
      expect(row.every(Number.isFinite), `row ${r}`).toBe(true);
      expect(Math.abs(row.reduce((s, v) => s + v, 0) - 1), `row ${r} sum`).toBeLessThan(1e-6);
    }
  });
});

describe('losses', () => {
  describe.each(LOSSES.map((name) => [name]))('%s', (lossName: LossName) => {
    const loss = lossId(lossName);

    it('loss: the sum over rows, at every shape, with a clamped where it is 0 or 1', () => {
      for (const [rows, cols] of SHAPES) {
        const rng = new NumpyRandom(seedOf(7, loss, rows, cols));
        const heap = new Heap();
        const a = heap.input(probabilities(rng, rows * cols));
        const y = heap.input(targetsFor(lossName, rng, rows, cols));
        const value = both((b) => b.kernels.loss(loss, a, y, rows, cols));
        heap.verify(`loss ${lossName}`);
        expectNear([value.wasm], [value.js], `loss ${lossName} ${rows}×${cols}`);
      }
    });

    describe.each(ACTIVATIONS.map((name) => [name]))('outputDelta with %s', (activationName: ActivationName) => {
      const activation = activationId(activationName);
      const fused = (lossName === 'categoricalCrossEntropy' && activationName === 'softmax')
        || (lossName === 'binaryCrossEntropy' && activationName === 'sigmoid');

      it(`writes ∂C/∂z (${fused ? 'fused' : '∂C/∂a, then activationBackward'}) and returns the loss`, () => {
        for (const [rows, cols] of SHAPES) {
          const rng = new NumpyRandom(seedOf(8, loss, activation, rows, cols));
          const heap = new Heap();
          const a = heap.input(referenceActivation(activation, scaled(rng.randn(rows * cols), 2), rows, cols));
          const y = heap.input(targetsFor(lossName, rng, rows, cols));
          const delta = heap.output(rows * cols);
          const value = both((b) => b.kernels.outputDelta(loss, activation, ALPHA, a, y, delta, rows, cols));
          const label = `outputDelta ${lossName} + ${activationName} ${rows}×${cols}`;
          heap.compare(delta, rows * cols, label);
          expectNear([value.wasm], [value.js], `${label}: loss`);
        }
      });
    });
  });

  it('cross-entropies: a NaN output makes the loss NaN wherever it is, also where its term is weighted by 0', () => {
    // The Wasm core takes no logarithm for a term whose weight (y, or 1 − y) is 0; such a term must still carry a
    // NaN output into the sum, as 0 · ln(NaN) does. Every position of an odd count (both f64 lanes and the tail).
    const cols = 7;
    const targets: Record<string, number[]> = {
      categoricalCrossEntropy: [0, 0, 1, 0, 0, 0, 0],
      binaryCrossEntropy: [0, 1, 0, 1, 1, 0, 0.25],
    };
    for (const [name, y] of Object.entries(targets)) {
      for (let at = 0; at < cols; at++) {
        const heap = new Heap();
        const outputs = f32(Array.from({ length: cols }, (_, i) => (i === at ? Number.NaN : 0.1 + i / 10)));
        const a = heap.input(outputs);
        const target = heap.input(f32(y));
        const value = both((b) => b.kernels.loss(lossId(name as LossName), a, target, 1, cols));
        expect([value.wasm, value.js], `${name}, NaN at ${at} (target ${y[at]})`).toEqual([Number.NaN, Number.NaN]);
      }
    }
  });
});

describe('gatherRows', () => {
  it.each(SIZES)('copies rows of length %i through a shuffled index', (rowLen) => {
    const rng = new NumpyRandom(seedOf(9, rowLen));
    const sourceRows = 37;
    const heap = new Heap();
    const src = heap.input(f32(rng.randn(sourceRows * rowLen)));
    const order = Array.from({ length: sourceRows }, (_, i) => i);
    rng.shuffle(order);
    const index = heap.indices(Int32Array.from(order));
    for (const [start, count] of [[0, sourceRows], [5, 20], [36, 1], [10, 0]]) {
      const dst = heap.output(Math.max(count, 1) * rowLen);
      both((b) => b.kernels.gatherRows(src, index, start, count, rowLen, dst));
      heap.verify(`gatherRows ${rowLen}`);
      const { wasm, js } = heap.read(dst, count * rowLen);
      expect(Array.from(wasm), `gatherRows rowLen ${rowLen} start ${start} count ${count}`).toEqual(Array.from(js));
    }
  });
});

const COUNTS = [...SIZES, 1000, 1001, 1002, 1003];
const REGULARISATION = [{ l1: 0, l2: 0 }, { l1: 1e-3, l2: 1e-2 }];

/** Parameters with exact zeros in places (sign(0) = 0 for l1) and sums of gradients over a batch of 32. */
function parameters(rng: NumpyRandom, count: number): { params: Float64Array; grads: Float64Array } {
  const params = f32(rng.randn(count));
  for (let i = 0; i < count; i += 5) params[i] = 0;
  return { params, grads: scaled(rng.randn(count), 8) };
}

type Optimiser = 'sgd' | 'momentum' | 'nesterov' | 'adam';
interface Buffers { paramIn: number; paramOut: number; grad: number; s1: number; s2: number }
interface Hyper { learningRate: number; scale: number; l1: number; l2: number }

/** One step of an optimiser on both backends; s1 is the velocity or Adam's m, s2 Adam's v; t is Adam's step. */
function step(optimiser: Optimiser, o: Buffers, count: number, h: Hyper, t: number): { wasm: boolean; js: boolean } {
  return both((b) => {
    switch (optimiser) {
      case 'sgd':
        return b.kernels.sgd(o.paramIn, o.paramOut, o.grad, count, h.learningRate, h.scale, h.l1, h.l2);
      case 'momentum':
      case 'nesterov':
        return b.kernels.momentum(o.paramIn, o.paramOut, o.grad, o.s1, count, h.learningRate, h.scale, h.l1, h.l2,
          0.9, optimiser === 'nesterov');
      case 'adam': {
        const beta1 = 0.9;
        const beta2 = 0.999;
        return b.kernels.adam(o.paramIn, o.paramOut, o.grad, o.s1, o.s2, count, h.learningRate, h.scale, h.l1, h.l2,
          beta1, beta2, 1e-8, 1 / (1 - beta1 ** t), 1 / (1 - beta2 ** t));
      }
    }
  });
}

describe('optimizers', () => {
  const OPTIMISERS: Optimiser[] = ['sgd', 'momentum', 'nesterov', 'adam'];

  describe.each(OPTIMISERS.map((name) => [name]))('%s', (optimiser: Optimiser) => {
    for (const inPlace of [false, true]) {
      it(`matches the reference over three steps, l1/l2 on and off, paramOut ${inPlace ? '=' : '≠'} paramIn`, () => {
        for (const count of COUNTS) {
          for (const { l1, l2 } of REGULARISATION) {
            const rng = new NumpyRandom(seedOf(10, OPTIMISERS.indexOf(optimiser), count, l1 > 0 ? 1 : 0));
            const { params, grads } = parameters(rng, count);
            const heap = new Heap();
            const paramIn = heap.state(params);
            const paramOut = inPlace ? paramIn : heap.output(count);
            const grad = heap.input(grads);
            const s1 = heap.state(optimiser === 'adam' ? f32(rng.random(count).map((u) => u - 0.5)) : f32(rng.randn(count)));
            const s2 = heap.state(f32(rng.random(count).map((u) => u * 0.01)));
            const label = `${optimiser} count ${count} l1 ${l1} l2 ${l2}`;
            const hyper = { learningRate: optimiser === 'adam' ? 0.001 : 0.05, scale: 1 / 32, l1, l2 };
            for (let t = 1; t <= 3; t++) {
              const before = Array.from(wasmBackend.read(paramIn, count));
              const finite = step(optimiser, { paramIn, paramOut, grad, s1, s2 }, count, hyper, t);
              expect(finite, `${label} step ${t}: finite flags`).toEqual({ wasm: true, js: true });
              heap.compare(paramOut, count, `${label} step ${t}: parameters`);
              if (optimiser !== 'sgd') heap.compare(s1, count, `${label} step ${t}: ${optimiser === 'adam' ? 'm' : 'velocity'}`);
              if (optimiser === 'adam') heap.compare(s2, count, `${label} step ${t}: v`);
              if (!inPlace) {
                expect(Array.from(wasmBackend.read(paramIn, count)), `${label} step ${t}: paramIn untouched`).toEqual(before);
                // the next step starts from this one's result, as a training loop's does after a good step
                both((b) => b.write(paramIn, b.read(paramOut, count)));
              }
            }
          }
        }
      });
    }

    it('returns false for a NaN or infinite gradient anywhere, and for a float32 overflow; paramIn is kept', () => {
      for (const count of [1, 5, 17, 1001]) {
        for (const position of new Set([0, Math.floor(count / 2), count - 1])) {
          for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3e38]) {
            // 10 · 3e38 overflows float32; the js backend reports a parameter beyond float32's range as non-finite
            // too (weights must load on either backend), so both report false — except Adam on js: there the
            // step itself stays bounded (about η·correction1·(1 − β1)/√(1 − β2)): what overflows is v (g² = ∞ in
            // float32), which would make the step 0 and freeze the parameter; the check covers the state too.
            const rng = new NumpyRandom(seedOf(11, count, position));
            const { params, grads } = parameters(rng, count);
            grads[position] = Math.fround(bad);
            const heap = new Heap();
            const paramIn = heap.input(params);
            const paramOut = heap.output(count);
            const grad = heap.input(grads);
            const s1 = heap.state(new Float64Array(count));
            const s2 = heap.state(new Float64Array(count));
            const hyper = { learningRate: 10, scale: 1, l1: 0, l2: 0 };
            const finite = step(optimiser, { paramIn, paramOut, grad, s1, s2 }, count, hyper, 1);
            const label = `${optimiser} count ${count}, gradient ${bad} at ${position}`;
            heap.verify(label); // paramIn is an input: unchanged
            expect(finite.wasm, label).toBe(false);
            expect(finite.js, label).toBe(bad === 3e38 && optimiser === 'adam');
          }
        }
      }
    });
  });

  it('adam with ε = 0 reports finite steps at every count (the unused lanes of a tail do not count)', () => {
    for (const count of [1, 2, 3, 5, 6, 7]) {
      const rng = new NumpyRandom(seedOf(12, count));
      const heap = new Heap();
      const params = f32(rng.randn(count));
      const paramIn = heap.state(params);
      const grad = heap.input(f32(rng.randn(count).map((g) => g + Math.sign(g))));
      const m = heap.state(new Float64Array(count));
      const v = heap.state(new Float64Array(count));
      const finite = both((b) => b.kernels.adam(paramIn, paramIn, grad, m, v, count, 0.001, 1, 0, 0, 0.9, 0.999, 0, 10, 1000));
      expect(finite, `count ${count}`).toEqual({ wasm: true, js: true });
      heap.compare(paramIn, count, `adam ε = 0, count ${count}`);
    }
  });

  it("adam's first step from zero moments moves each parameter by η·sign(g), to 1e-6 relative", () => {
    // m/√v = (1 − β1)·g / √((1 − β2)·g²): with both corrections this is sign(g) for |g| ≫ ε. A sharper check
    // than the criterion above of the corrections and of 1 − β1, 1 − β2 (rounded to float32 only once).
    const count = 19;
    const rng = new NumpyRandom(13);
    const heap = new Heap();
    const paramIn = heap.state(new Float64Array(count));
    const grads = f32(rng.randn(count).map((g) => g + Math.sign(g)));
    const grad = heap.input(grads);
    const m = heap.state(new Float64Array(count));
    const v = heap.state(new Float64Array(count));
    const learningRate = 0.01;
    const finite = wasmBackend.kernels.adam(paramIn, paramIn, grad, m, v, count, learningRate, 1, 0, 0, 0.9, 0.999,
      1e-8, 1 / (1 - 0.9), 1 / (1 - 0.999));
    expect(finite).toBe(true);
    const moved = wasmBackend.read(paramIn, count);
    for (let i = 0; i < count; i++) {
      const expected = -learningRate * Math.sign(grads[i]);
      expect(Math.abs(moved[i] - expected), `parameter ${i}`).toBeLessThanOrEqual(1e-6 * learningRate);
    }
  });

  it('regularises with sign(0) = 0: a zero parameter with a zero gradient stays 0 under l1', () => {
    const heap = new Heap();
    const paramIn = heap.state(new Float64Array(7));
    const grad = heap.input(new Float64Array(7));
    const finite = both((b) => b.kernels.sgd(paramIn, paramIn, grad, 7, 0.1, 1, 0.5, 0.5));
    expect(finite).toEqual({ wasm: true, js: true });
    expect(Array.from(wasmBackend.read(paramIn, 7))).toEqual(Array(7).fill(0));
  });
});
