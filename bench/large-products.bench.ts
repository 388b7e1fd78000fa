// What bounds the large products (W5 at 512 and 1024): the forward product X·W at the same depth and the same
// work, with W's rows 32 bytes apart (an 8-column W: every tile reads one contiguous strip, as a packed panel would
// give it) and 4 KB apart (a 1024-column W: each step of a tile's depth loop reads a new page), without a packing
// area and with one (as a network plans it: the core then copies W's blocks into 8-column panels). The core's
// micro-kernel is the same in all; only where W's rows lie differs.
//   node bench/run.mjs large-products
import { WasmBackend } from '../src/backends/wasm/backend.js';
import { NumpyRandom } from '../src/core/random.js';
import { compare, table } from './harness/in-process.js';

const backend = await WasmBackend.create();
const ROWS = 1024;
const DEPTH = 256;

let free = backend.baseSlot;

/** forward over ROWS×DEPTH · DEPTH×cols, its operands in a region of their own. */
function product(cols: number): { run: () => void; flops: number } {
  const x = free;
  const w = x + ROWS * DEPTH;
  const out = w + DEPTH * cols;
  free = out + ROWS * cols;
  backend.ensureCapacity(free);
  backend.write(x, new NumpyRandom(1).randn(ROWS * DEPTH + DEPTH * cols));
  return { run: () => backend.kernels.forward(x, w, -1, out, ROWS, DEPTH, cols), flops: 2 * ROWS * DEPTH * cols };
}

const packing = backend.packing!;
const area = free;
free += packing.slots;
backend.ensureCapacity(free);
const out: string[] = [];
packing.use(-1);
for (const cols of [8, 64, 256, 1024]) {
  const { run, flops } = product(cols);
  const [m] = compare({ [`${ROWS}×${DEPTH}·${DEPTH}×${cols}`]: run });
  out.push(`${m.name}: ${(flops / m.median / 1e6).toFixed(1)} GFLOP/s (W's rows ${cols * 4} bytes apart)`);
}
// The same 1024-column product once more, unpacked and packed (its W, 1 MB, is the only one here past the packing
// threshold), interleaved with the contiguous one, for the ratios.
const narrow = product(8);
const wide = product(1024);
out.push('', table('the same 5.4·10⁸ FLOPs', compare({
  'W rows 32 B apart (8 columns)': () => {
    packing.use(-1);
    for (let i = 0; i < 128; i++) narrow.run();
  },
  'W rows 4 KB apart (1024 columns)': () => {
    packing.use(-1);
    wide.run();
  },
  'the same, packed into 8-column panels': () => {
    packing.use(area);
    wide.run();
  },
})));
console.log(out.join('\n'));
backend.dispose();
