// No kernel touches memory past the buffers it is given: the ragged ends of rows are read and written with
// partial loads and stores, never with a whole vector that runs over. Each buffer of each kernel call is placed
// in turn flush against the end of the Wasm memory, where reading one byte too far traps
// ("memory access out of bounds"). Values are not checked here (test/kernels.test.ts does that).

import { beforeAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../src/backends/wasm/backend.js';
import { ACTIVATIONS, LOSSES, activationId, lossId } from '../src/core/constants.js';
import type { Kernels } from '../src/core/kernels.js';
import { NumpyRandom } from '../src/core/random.js';

const PAGE_SLOTS = 65536 / 4;

let backend: WasmBackend;

beforeAll(async () => {
  backend = await WasmBackend.create();
  // A fresh backend's memory is one page, and nothing here asks for more: its last slot is PAGE_SLOTS − 1.
  expect(backend.read(PAGE_SLOTS - 1, 1).length).toBe(1);
  expect(backend.read(PAGE_SLOTS, 1).length).toBe(0);
});

type Buffer = Float64Array | Int32Array;

/**
 * Runs `call` once per buffer, that buffer ending at the last slot of memory and the others packed from
 * baseSlot, and expects no trap.
 */
function expectInBounds(label: string, buffers: Buffer[], call: (kernels: Kernels, offsets: number[]) => void): void {
  for (let last = 0; last < buffers.length; last++) {
    const offsets: number[] = [];
    let next = backend.baseSlot;
    for (let i = 0; i < buffers.length; i++) {
      if (i === last) {
        offsets.push(PAGE_SLOTS - buffers[i].length);
      } else {
        offsets.push(next);
        next += buffers[i].length;
      }
    }
    expect(next, `${label}: layout fits`).toBeLessThanOrEqual(PAGE_SLOTS - buffers[last].length);
    buffers.forEach((data, i) => {
      if (data instanceof Int32Array) backend.writeIndices(offsets[i], data);
      else backend.write(offsets[i], data);
    });
    expect(() => call(backend.kernels, offsets), `${label}, buffer ${last} at the end of memory`).not.toThrow();
  }
}

const rng = new NumpyRandom(2024);
const data = (n: number): Float64Array => Float64Array.from(rng.random(n), Math.fround);

// Besides every tail, shapes whose ragged tiles read whole vectors up to the matrix's last rows (cols 1, 2, 5, 6),
// and single rows wide enough for the 32-column strips.
const PRODUCTS = [[1, 1, 1], [3, 5, 7], [5, 7, 3], [7, 3, 5], [2, 17, 10], [5, 9, 13], [4, 8, 8], [1, 33, 37],
  [1, 40, 70], [6, 3, 30], [2, 9, 1], [3, 4, 2], [9, 2, 5], [1, 7, 6], [5, 1, 33]];
const SHAPES = [[1, 1], [3, 5], [2, 7], [1, 17], [4, 6]];
const COUNTS = [1, 2, 3, 5, 7, 17];

describe('kernels stay inside their buffers', () => {
  it.each(PRODUCTS)('matmul, rows %i inner %i cols %i', (rows, inner, cols) => {
    expectInBounds('forward', [data(rows * inner), data(inner * cols), data(cols), data(rows * cols)],
      (k, [x, w, bias, out]) => k.forward(x, w, bias, out, rows, inner, cols));
    expectInBounds('backpropDelta', [data(rows * cols), data(inner * cols), data(rows * inner)],
      (k, [delta, w, dx]) => k.backpropDelta(delta, w, dx, rows, cols, inner));
    expectInBounds('weightGradient', [data(rows * inner), data(rows * cols), data(inner * cols), data(cols)],
      (k, [x, delta, dw, db]) => k.weightGradient(x, delta, dw, db, rows, inner, cols));
    expectInBounds('sgdDense', [data(rows * inner), data(rows * cols), data(inner * cols), data(inner * cols), data(cols),
      data(cols)], (k, [x, delta, wIn, wOut, bIn, bOut]) => k.sgdDense(x, delta, wIn, wOut, bIn, bOut, rows, inner, cols, 0.1, 1));
  });

  it('blocked products (b over 512 KB), b flush against the end of memory', async () => {
    // Whole-vector loads in ragged tiles stop short of b's last rows also when the depth is taken in blocks.
    const big = await WasmBackend.create();
    for (const [rows, inner, cols] of [[3, 700, 203], [2, 1030, 131], [5, 300, 449]]) {
      const slots = inner * cols;
      big.ensureCapacity(big.baseSlot + rows * inner + rows * cols + slots + 64);
      const end = big.read(0, 1 << 30).length; // the memory's size in slots
      const w = end - slots;
      const x = big.baseSlot;
      const out = x + rows * inner;
      big.write(w, data(slots));
      big.write(x, data(rows * inner));
      expect(() => big.kernels.forward(x, w, -1, out, rows, inner, cols), `forward ${rows}×${inner}×${cols}`).not.toThrow();
      // weightGradient's b is δ (rows × cols): make the gradient's depth large instead.
      const depth = inner;
      const delta = end - depth * cols;
      big.write(delta, data(depth * cols));
      expect(() => big.kernels.weightGradient(x, delta, out, -1, depth, rows, cols), `weightGradient ${depth}×${rows}×${cols}`)
        .not.toThrow();
    }
    big.dispose();
  });

  it.each(SHAPES)('activations and losses, %i×%i', (rows, cols) => {
    const n = rows * cols;
    for (const name of ACTIVATIONS) {
      const activation = activationId(name);
      expectInBounds(`activate ${name}`, [data(n)], (k, [z]) => k.activate(activation, 0.1, z, rows, cols));
      expectInBounds(`activationBackward ${name}`, [data(n), data(n)],
        (k, [a, g]) => k.activationBackward(activation, 0.1, a, g, rows, cols));
      for (const lossName of LOSSES) {
        const loss = lossId(lossName);
        expectInBounds(`outputDelta ${lossName} + ${name}`, [data(n), data(n), data(n)],
          (k, [a, y, delta]) => k.outputDelta(loss, activation, 0.1, a, y, delta, rows, cols));
      }
    }
    for (const lossName of LOSSES) {
      expectInBounds(`loss ${lossName}`, [data(n), data(n)], (k, [a, y]) => k.loss(lossId(lossName), a, y, rows, cols));
    }
  });

  it.each([1, 3, 5, 17])('gatherRows, rows of %i', (rowLen) => {
    const order = [0, 1, 2, 3, 4, 5, 6];
    rng.shuffle(order);
    expectInBounds('gatherRows', [data(7 * rowLen), Int32Array.from(order), data(7 * rowLen)],
      (k, [src, index, dst]) => k.gatherRows(src, index, 0, 7, rowLen, dst));
  });

  it.each(COUNTS)('optimizers, %i parameters', (count) => {
    const buffers = (): Buffer[] => [data(count), data(count), data(count), data(count), data(count)];
    expectInBounds('sgd', buffers().slice(0, 3),
      (k, [paramIn, paramOut, grad]) => k.sgd(paramIn, paramOut, grad, count, 0.1, 1, 0.01, 0.01));
    for (const nesterov of [false, true]) {
      expectInBounds(`momentum nesterov ${nesterov}`, buffers().slice(0, 4), (k, [paramIn, paramOut, grad, velocity]) =>
        k.momentum(paramIn, paramOut, grad, velocity, count, 0.1, 1, 0.01, 0.01, 0.9, nesterov));
    }
    expectInBounds('adam', buffers(), (k, [paramIn, paramOut, grad, m, v]) =>
      k.adam(paramIn, paramOut, grad, m, v, count, 0.001, 1, 0.01, 0.01, 0.9, 0.999, 1e-8, 10, 1000));
  });
});
