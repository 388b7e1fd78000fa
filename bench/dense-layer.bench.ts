// One dense layer of 784 inputs → 128 units at batch 32: each kernel of the Wasm core against the float64 JS
// reference, and a whole training step (forward, backward, update) through the public API.
import { JsBackend } from '../src/backends/js.js';
import { WasmBackend } from '../src/backends/wasm/backend.js';
import { activationId } from '../src/core/constants.js';
import type { Backend } from '../src/core/kernels.js';
import { Network, NumpyRandom } from '../src/index.js';
import { compare, table } from './harness/in-process.js';

const ROWS = 32;
const INNER = 784;
const COLS = 128;
const flops = 2 * ROWS * INNER * COLS;

function setUp(backend: Backend) {
  const base = backend.baseSlot;
  const at = { x: base, w: base + ROWS * INNER, b: 0, out: 0, delta: 0, dx: 0, dw: 0, db: 0 };
  at.b = at.w + INNER * COLS;
  at.out = at.b + COLS;
  at.delta = at.out + ROWS * COLS;
  at.dx = at.delta + ROWS * COLS;
  at.dw = at.dx + ROWS * INNER;
  at.db = at.dw + INNER * COLS;
  backend.ensureCapacity(at.db + COLS);
  const rng = new NumpyRandom(1);
  backend.write(at.x, rng.randn(ROWS * INNER));
  backend.write(at.w, rng.randn(INNER * COLS));
  backend.write(at.delta, rng.randn(ROWS * COLS));
  return at;
}

const wasm = await WasmBackend.create();
const js = new JsBackend();
const [w, j] = [setUp(wasm), setUp(js)];
const sigmoid = activationId('sigmoid');
const gflops = (ms: number) => `${(flops / ms / 1e6).toFixed(2)}`;

const kernels: [string, (b: Backend, at: ReturnType<typeof setUp>) => void][] = [
  ['forward X·W + b', (b, at) => b.kernels.forward(at.x, at.w, at.b, at.out, ROWS, INNER, COLS)],
  ['backprop δ·Wᵀ', (b, at) => b.kernels.backpropDelta(at.delta, at.w, at.dx, ROWS, COLS, INNER)],
  ['weight gradient Xᵀ·δ', (b, at) => b.kernels.weightGradient(at.x, at.delta, at.dw, at.db, ROWS, INNER, COLS)],
];
const out: string[] = [`## Dense layer 784 → 128, batch 32 (\`node bench/run.mjs dense-layer\`)`, ''];
for (const [name, run] of kernels) {
  out.push(table(name, compare({ wasm: () => run(wasm, w), js: () => run(js, j) }), (m) => gflops(m.median), 'GFLOP/s'), '');
}
out.push(table('sigmoid forward 32×128', compare({
  wasm: () => wasm.kernels.activate(sigmoid, 0, w.out, ROWS, COLS),
  js: () => js.kernels.activate(sigmoid, 0, j.out, ROWS, COLS),
})), '');

const rng = new NumpyRandom(2);
const data = { inputs: Float32Array.from(rng.random(ROWS * INNER)), targets: Float32Array.from(rng.random(ROWS * COLS)) };
const spec = { inputSize: INNER, layers: [{ units: COLS, activation: 'sigmoid' as const }], seed: 1 };
const [netWasm, netJs] = [await Network.create({ ...spec, backend: 'wasm' }), await Network.create({ ...spec, backend: 'js' })];
out.push(table('training step (public API)', compare({
  wasm: () => netWasm.trainSync(data, { epochs: 1, shuffle: false }),
  js: () => netJs.trainSync(data, { epochs: 1, shuffle: false }),
})));
console.log(out.join('\n'));
