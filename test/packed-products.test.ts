// Packed products (assembly/matmul.ts): a product large enough copies blocks of its right-hand operand into
// panels before the tiles read them. Only where the numbers lie changes, so forward and weightGradient must give
// the very same bits with packing areas as without, on one thread and split across threads (each packing into its
// own area), at shapes that cross the depth and column blocks (256) and end in ragged columns and rows.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../src/backends/wasm/backend.js';
import { threadTuning } from '../src/backends/wasm/threads/tuning.js';
import { Engine } from '../src/core/engine.js';
import { NumpyRandom } from '../src/core/random.js';
import { resolveSpec } from '../src/core/spec.js';
import { expectClose } from './helpers.js';

const tuning = { ...threadTuning };
beforeAll(() => {
  threadTuning.minimumFlops = 0;
  threadTuning.spinMs = 0.1;
  threadTuning.adaptive = false; // split every time
  threadTuning.chunksPerThread = 1;
});
afterAll(() => Object.assign(threadTuning, tuning));

// [rows, inner, cols]: forward's operand is inner×cols, the weight gradient's rows×cols; in each shape one of the two
// is over 512 KB (131,072 slots), or (the last two shapes) the weight gradient's (in the last, forward's too) is over
// 192 KB at a depth within 256, where a's rows and b's panels are packed once for the whole product; with at least 192 rows of output, so that each
// of three threads' parts (one chunk per thread) has the 64 rows a packed product needs. The shapes cross the depth and
// column blocks (256) and end in ragged columns (1, 2, 3 and 6 past a panel) and rows 1–4 past a five-row tile (201,
// 197, 523, 199, 203; the weight gradient's rows are the inner size); the last has an odd number of panels (31), which
// the packing copies two at a time. [1033, 530, 270] takes a blocked product's rows in more than one chunk of packed
// groups (515 rows each): forward's in three, the last of 3 rows, the weight gradient's in two.
const SHAPES = [[197, 520, 257], [520, 197, 257], [200, 300, 450], [300, 200, 450], [201, 523, 258], [523, 199, 259],
  [250, 203, 230], [240, 200, 250], [1033, 530, 270]];

const SENTINEL = 12345;

const bitsOf = (values: Float32Array) => new Uint32Array(values.buffer, values.byteOffset, values.length);

/**
 * Fails unless `actual` holds the very bits of `expected`, array by array: expectClose with no tolerance on the bit
 * patterns, naming an element that differs (toEqual compares arrays of 10⁵ elements one generic comparison at
 * a time: seconds for each).
 */
function expectSameBits(actual: Uint32Array[], expected: Uint32Array[], label: string): void {
  expect(actual.length, label).toBe(expected.length);
  actual.forEach((bits, i) => expectClose(bits, expected[i], {}, `${label}, output ${i}`));
}

/** The operands of a shape: seeded, drawn once and shared by its runs. */
function operands(rows: number, inner: number, cols: number): Float32Array {
  const seed = rows * 10000 + inner * 10 + cols;
  console.log(`packed products ${rows}×${inner}×${cols}: NumpyRandom(${seed})`);
  return Float32Array.from(new NumpyRandom(seed).randn(rows * inner + inner * cols + cols + rows * cols));
}

/** The bits of the outputs of forward (with bias) and weightGradient (with db), with packing areas or without. */
function run(backend: WasmBackend, data: Float32Array, rows: number, inner: number, cols: number, packed: boolean): Uint32Array[] {
  const at = { x: backend.baseSlot, w: 0, bias: 0, delta: 0, out: 0, dw: 0, db: 0, end: 0 };
  at.w = at.x + rows * inner;
  at.bias = at.w + inner * cols;
  at.delta = at.bias + cols;
  at.out = at.delta + rows * cols;
  at.dw = at.out + rows * cols;
  at.db = at.dw + inner * cols;
  at.end = Math.ceil((at.db + cols) / 4) * 4;
  backend.ensureCapacity(at.end + backend.packing!.slots);
  backend.write(at.x, data);
  backend.fill(at.out, at.end - at.out, 0);
  const slots = backend.packing!.slots;
  backend.fill(at.end, slots, SENTINEL);
  backend.packing!.use(packed ? at.end : -1);
  backend.kernels.forward(at.x, at.w, at.bias, at.out, rows, inner, cols);
  backend.kernels.weightGradient(at.x, at.delta, at.dw, at.db, rows, inner, cols);
  backend.packing!.use(-1);
  const bits = (offset: number, count: number) => bitsOf(backend.read(offset, count));
  expectClose(bits(at.x, data.length), bitsOf(data), {}, 'operands unchanged');
  let written = 0;
  for (const value of backend.read(at.end, slots)) if (value !== SENTINEL) written++;
  // Checks that packing happens at all (else the comparison below would compare the unpacked path with itself).
  if (packed) expect(written, 'slots of the packing areas written').toBeGreaterThan(0);
  else expect(written, 'packing areas untouched').toBe(0);
  return [bits(at.out, rows * cols), bits(at.dw, inner * cols), bits(at.db, cols)];
}

describe('packed products', () => {
  it('give the same bits as unpacked ones, on one thread and on three', async () => {
    const one = await WasmBackend.create();
    const three = await WasmBackend.create({ threads: 3 });
    expect(three.packing!.slots).toBe(3 * one.packing!.slots);
    for (const [rows, inner, cols] of SHAPES) {
      const label = `${rows}×${inner}×${cols}`;
      const data = operands(rows, inner, cols);
      const plain = run(one, data, rows, inner, cols, false);
      expectSameBits(run(one, data, rows, inner, cols, true), plain, `${label}, packed`);
      expectSameBits(run(three, data, rows, inner, cols, true), plain, `${label}, packed on three threads`);
    }
    one.dispose();
    three.dispose();
  });
});

describe('a network with a layer large enough to pack', () => {
  // 300 → 600: forward's weights (180,000 slots) are past the threshold (131,072 slots), at 64 rows.
  const spec = resolveSpec({
    inputSize: 300, layers: [{ units: 600, activation: 'tanh' }, { units: 10, activation: 'softmax' }],
    loss: 'categoricalCrossEntropy', optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 }, seed: 7,
  });
  const rows = 64;

  /** The gradient of one step over `rows` seeded samples, on a backend that packs or one that does not. */
  async function gradient(packing: boolean): Promise<{ bits: Uint32Array[]; areas: number[] }> {
    const backend = await WasmBackend.create();
    const areas: number[] = [];
    const { use } = backend.packing!;
    if (packing) backend.packing!.use = (offset) => { areas.push(offset); use(offset); };
    else (backend as { packing?: unknown }).packing = undefined;
    const engine = new Engine(spec, backend);
    engine.initialize(new NumpyRandom(7));
    const data = new NumpyRandom(8);
    const targets = new Float32Array(rows * 10).map((_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0));
    engine.stage({ rows, cols: 300, values: Float32Array.from(data.randn(rows * 300)) },
      { rows, cols: 10, values: targets }, rows, rows);
    engine.setOrder(Int32Array.from({ length: rows }, (_, i) => i));
    const bits = engine.stepGradient(0, rows).flatMap((layer) => [layer.weights, layer.biases])
      .map((values) => new Uint32Array(Float32Array.from(values).buffer));
    backend.dispose();
    return { bits, areas };
  }

  it('has its packing area planned, and computes the same gradient to the bit as without one', async () => {
    const packed = await gradient(true);
    expect(packed.areas.length, 'areas planned').toBeGreaterThan(0);
    expect(packed.areas.at(-1), 'the last plan places the area').toBeGreaterThanOrEqual(0);
    expectSameBits(packed.bits, (await gradient(false)).bits, 'gradient');
  });
});
