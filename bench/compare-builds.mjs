// Two release builds of the core alternated in one process: whether they compute the same bits on each kernel shape,
// and each shape's CPU-time median (GFLOP/s) in both, with their ratio. For a change in assembly/ that must keep
// results and speed (CPU time, so that a loaded machine slows both alike; alternate the order in a second run):
//   cp build/core.release.wasm /tmp/old.wasm    (built before the change)
//   node build.mjs --wasm-only && node bench/compare-builds.mjs /tmp/old.wasm build/core.release.wasm
// ROUNDS=25 for more samples.
import { readFileSync } from 'node:fs';

const [fileA, fileB] = process.argv.slice(2);
if (!fileA || !fileB) throw new Error('usage: node bench/compare-builds.mjs A.wasm B.wasm');
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const FLOATS = 1 << 20; // per operand region (4 MB)
const BASE = 1 << 16;
const at = { a: BASE, b: BASE + 4 * FLOATS, bias: BASE + 8 * FLOATS, c: BASE + 12 * FLOATS, d: BASE + 16 * FLOATS };

async function load(file) {
  const memory = new WebAssembly.Memory({ initial: 2048 }); // 128 MB: the operands, then the packing area at 64 MB
  const imports = { env: { memory, abort: () => { throw new Error(`${file}: abort`); } } };
  const { instance } = await WebAssembly.instantiate(readFileSync(file), imports);
  instance.exports.setPackArea(64 << 20);
  return { kernels: instance.exports, f32: new Float32Array(memory.buffer) };
}

/** The same pseudo-random operands (in [−1, 1)) in every region of both instances. */
function fill({ f32 }) {
  let s = 7;
  for (let i = 0; i < 5 * FLOATS; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    f32[BASE / 4 + i] = (s / 2 ** 32) * 2 - 1;
  }
}

// W1's and W2's training shapes, the large squares, and a ragged one (no size a multiple of 4 or 5).
const shapes = [
  ['W1 forward 10×784·784×30', (k) => k.forward(at.a, at.b, at.bias, at.c, 10, 784, 30), 2 * 10 * 784 * 30],
  ['W1 sgdDense 10×784·784×30', (k) => k.sgdDense(at.a, at.d, at.b, at.b, at.bias, at.bias, 10, 784, 30, 1e-9, 0.1), 2 * 10 * 784 * 30],
  ['W1 forward 10×30·30×10', (k) => k.forward(at.a, at.b, at.bias, at.c, 10, 30, 10), 2 * 10 * 30 * 10],
  ['W2 forward 128×784·784×128', (k) => k.forward(at.a, at.b, at.bias, at.c, 128, 784, 128), 2 * 128 * 784 * 128],
  ['W2 sgdDense 128×784·784×128', (k) => k.sgdDense(at.a, at.d, at.b, at.b, at.bias, at.bias, 128, 784, 128, 1e-9, 0.1), 2 * 128 * 784 * 128],
  ['backprop 256³', (k) => k.backpropDelta(at.a, at.b, at.c, 256, 256, 256), 2 * 256 ** 3],
  ['forward 256³', (k) => k.forward(at.a, at.b, 0, at.c, 256, 256, 256), 2 * 256 ** 3],
  ['weight gradient 512³', (k) => k.weightGradient(at.a, at.d, at.c, 0, 512, 512, 512), 2 * 512 ** 3],
  ['forward 1024³', (k) => k.forward(at.a, at.b, 0, at.c, 1024, 1024, 1024), 2 * 1024 ** 3],
  ['forward 37×53·53×29', (k) => k.forward(at.a, at.b, at.bias, at.c, 37, 53, 29), 2 * 37 * 53 * 29],
];

const A = await load(fileA), B = await load(fileB);
for (const [name, run] of shapes) {
  for (const build of [A, B]) {
    fill(build);
    run(build.kernels);
  }
  // The output region and the weights (sgdDense steps them in place).
  const same = [at.c, at.b].every((start) => {
    const x = A.f32.subarray(start / 4, start / 4 + FLOATS), y = B.f32.subarray(start / 4, start / 4 + FLOATS);
    return x.every((v, i) => Object.is(v, y[i]));
  });
  console.log(`${name}: ${same ? 'bit-identical' : 'DIFFERENT'}`);
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (values) => [...values].sort((p, q) => p - q)[values.length >> 1];
for (const [name, run, flops] of shapes) {
  const reps = Math.max(1, Math.round(2e8 / flops));
  const times = new Map([[A, []], [B, []]]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const build of round % 2 ? [A, B] : [B, A]) {
      run(build.kernels); // warm
      const start = cpuMs();
      for (let i = 0; i < reps; i++) run(build.kernels);
      times.get(build).push((cpuMs() - start) / reps);
    }
  }
  const [a, b] = [A, B].map((build) => flops / median(times.get(build)) / 1e6);
  console.log(`${name.padEnd(30)} A ${a.toFixed(1)} GFLOP/s   B ${b.toFixed(1)} GFLOP/s   B/A ${(b / a).toFixed(3)}`);
}
