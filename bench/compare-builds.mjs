// Two release builds of the core alternated in one process: whether they compute the same bits on each kernel shape,
// and each shape's CPU-time median (GFLOP/s) in both, with their ratio. For a change in assembly/ that must keep
// results and speed (CPU time, so that a loaded machine slows both alike; alternate the order in a second run):
//   cp build/core.release.wasm /tmp/old.wasm    (built before the change)
//   node build.mjs --wasm-only && node bench/compare-builds.mjs /tmp/old.wasm build/core.release.wasm
// ROUNDS=25 for more samples; ONLY=W1 (say) times only the shapes (with --peak, the products) whose name contains it.
//   node bench/compare-builds.mjs --peak A.wasm [B.wasm …]
// instead times W5's nine large products (forward, backprop, weight gradient at 256³, 512³, 1024³, their operands
// laid out as the suite lays them) against the suite's peak loop (build/bench-peak.wasm, the faster of its two
// loops), all interleaved in rounds: each build's CPU-time and wall-clock medians as % of the peak loop's.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const peakMode = args[0] === '--peak';
const files = peakMode ? args.slice(1) : args;
if (peakMode ? files.length < 1 : files.length !== 2) throw new Error('usage: node bench/compare-builds.mjs A.wasm B.wasm, or --peak A.wasm [B.wasm …]');
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const FLOATS = 1 << 20; // per operand region (4 MB)
const BASE = 1 << 16;
const at = { a: BASE, b: BASE + 4 * FLOATS, bias: BASE + 8 * FLOATS, c: BASE + 12 * FLOATS, d: BASE + 16 * FLOATS, e: BASE + 20 * FLOATS };
const PACK_AREA = 64 << 20;

async function load(file) {
  const memory = new WebAssembly.Memory({ initial: 2048 }); // 128 MB: the operands, then the packing area at 64 MB
  const imports = { env: { memory, abort: () => { throw new Error(`${file}: abort`); } } };
  const { instance } = await WebAssembly.instantiate(readFileSync(file), imports);
  instance.exports.setPackArea(PACK_AREA);
  return { file, kernels: instance.exports, f32: new Float32Array(memory.buffer) };
}

/** The same pseudo-random operands (in [−1, 1)) from `start` on (bytes) in every instance. */
function fill({ f32 }, start = BASE, floats = 6 * FLOATS) {
  let s = 7;
  for (let i = 0; i < floats; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    f32[start / 4 + i] = (s / 2 ** 32) * 2 - 1;
  }
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (values) => [...values].sort((p, q) => p - q)[values.length >> 1];

const builds = await Promise.all(files.map(load));
if (peakMode) await peakTable(builds);
else compareBuilds(builds);

function compareBuilds([A, B]) {
  // W1's and W2's training shapes, the large squares, and a ragged one (no size a multiple of 4 or 5).
  const shapes = [
    ['W1 forward 10×784·784×30', (k) => k.forward(at.a, at.b, at.bias, at.c, 10, 784, 30), 2 * 10 * 784 * 30],
    ['W1 sgdDense 10×784·784×30', (k) => k.sgdDense(at.a, at.d, at.b, at.b, at.bias, at.bias, 10, 784, 30, 1e-9, 0.1), 2 * 10 * 784 * 30],
    ['W1 forward 10×30·30×10', (k) => k.forward(at.a, at.b, at.bias, at.c, 10, 30, 10), 2 * 10 * 30 * 10],
    ['W1 sgdDense 30×10·10×10', (k) => k.sgdDense(at.a, at.d, at.b, at.b, at.bias, at.bias, 10, 30, 10, 1e-9, 0.1), 2 * 10 * 30 * 10],
    ['W2 forward 128×784·784×128', (k) => k.forward(at.a, at.b, at.bias, at.c, 128, 784, 128), 2 * 128 * 784 * 128],
    ['W2 sgdDense 128×784·784×128', (k) => k.sgdDense(at.a, at.d, at.b, at.b, at.bias, at.bias, 128, 784, 128, 1e-9, 0.1), 2 * 128 * 784 * 128],
    ['backprop 256³', (k) => k.backpropDelta(at.a, at.b, at.c, 256, 256, 256), 2 * 256 ** 3],
    ['forward 256³', (k) => k.forward(at.a, at.b, 0, at.c, 256, 256, 256), 2 * 256 ** 3],
    ['weight gradient 256³', (k) => k.weightGradient(at.a, at.d, at.c, 0, 256, 256, 256), 2 * 256 ** 3],
    ['weight gradient 512³', (k) => k.weightGradient(at.a, at.d, at.c, 0, 512, 512, 512), 2 * 512 ** 3],
    ['backprop 1024³', (k) => k.backpropDelta(at.a, at.b, at.c, 1024, 1024, 1024), 2 * 1024 ** 3],
    ['forward 1024³', (k) => k.forward(at.a, at.b, 0, at.c, 1024, 1024, 1024), 2 * 1024 ** 3],
    ['forward 37×53·53×29', (k) => k.forward(at.a, at.b, at.bias, at.c, 37, 53, 29), 2 * 37 * 53 * 29],
  ];
  // Ragged shapes [rows, inner, cols] (sizes not multiples of 4 or 5) on either side of the blocking and packing
  // thresholds, each kernel with and without a packing area: checked for the same bits, not timed.
  const ragged = [[37, 53, 29], [203, 521, 263], [66, 1031, 515], [301, 259, 262], [130, 700, 190], [257, 70, 1030],
    [9, 600, 300], [1, 700, 1000], [1033, 530, 270], [67, 67, 67], [5, 5, 5], [1, 1, 1], [0, 3, 5]];
  const checks = [...shapes.map(([name, run]) => [name, run])];
  for (const [rows, inner, cols] of ragged) {
    const shape = `${rows}×${inner}×${cols}`;
    for (const area of [PACK_AREA, 0]) {
      const packed = (run) => (k) => {
        k.setPackArea(area);
        run(k);
        k.setPackArea(PACK_AREA);
      };
      const where = area ? 'packing area' : 'no packing area';
      checks.push(
        [`forward ${shape} with bias, ${where}`, packed((k) => k.forward(at.a, at.b, at.bias, at.c, rows, inner, cols))],
        [`weight gradient ${shape} with db, ${where}`, packed((k) => k.weightGradient(at.a, at.d, at.c, at.e, rows, inner, cols))],
        [`backprop ${shape}, ${where}`, packed((k) => k.backpropDelta(at.d, at.b, at.c, rows, cols, inner))],
        [`sgdDense ${shape}, ${where}`, packed((k) => k.sgdDense(at.a, at.d, at.b, at.b, at.bias, at.bias, rows, inner, cols, 0.01, 0.1))],
      );
    }
  }
  let different = 0;
  for (const [name, run] of checks) {
    for (const build of [A, B]) {
      fill(build);
      run(build.kernels);
    }
    // The output regions and the parameters (sgdDense steps them in place).
    const same = [at.b, at.bias, at.c, at.e].every((start) => {
      const x = A.f32.subarray(start / 4, start / 4 + FLOATS), y = B.f32.subarray(start / 4, start / 4 + FLOATS);
      return x.every((v, i) => Object.is(v, y[i]));
    });
    if (!same) different++;
    if (!same || !name.includes(',')) console.log(`${name}: ${same ? 'bit-identical' : 'DIFFERENT'}`);
  }
  console.log(`${checks.length - different} of ${checks.length} kernel calls bit-identical`);
  for (const [name, run, flops] of shapes.filter(([name]) => name.includes(process.env.ONLY ?? ''))) {
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
}

async function peakTable(builds) {
  const { instance } = await WebAssembly.instantiate(readFileSync(new URL('../build/bench-peak.wasm', import.meta.url)));
  const peak = instance.exports;
  const SLOT = 4;
  const products = [];
  for (const size of [256, 512, 1024]) {
    const rows = size, inner = size, cols = size;
    // The suite's layout (bench/contenders/simdnet.ts), in slots from BASE, and its packing area right after.
    const x = BASE / SLOT, w = x + rows * inner + 4, b = w + inner * cols + 4, out = b + cols + 4;
    const delta = out + rows * cols + 4, dx = delta + rows * cols + 4, dw = dx + rows * inner + 4, db = dw + inner * cols + 4;
    const area = (Math.ceil((db + cols) / 4) * 4 + 4) * SLOT;
    const p = (slot) => slot * SLOT;
    const setup = (k) => k.setPackArea(area);
    const flops = 2 * size ** 3;
    const floats = db + cols - x;
    products.push(
      { name: `forward ${size}³`, setup, flops, floats, run: (k) => k.forward(p(x), p(w), p(b), p(out), rows, inner, cols) },
      { name: `backprop ${size}³`, setup, flops, floats, run: (k) => k.backpropDelta(p(delta), p(w), p(dx), rows, cols, inner) },
      { name: `weight gradient ${size}³`, setup, flops, floats, run: (k) => k.weightGradient(p(x), p(delta), p(dw), p(db), rows, inner, cols) },
    );
  }
  console.log(`load ${(await loadAverage()).toFixed(2)} at the start; ${ROUNDS} rounds`);
  for (const product of products.filter((p) => p.name.includes(process.env.ONLY ?? ''))) {
    const calls = Math.max(1, Math.round(2e8 / product.flops));
    const flops = calls * product.flops;
    const loops = [['registers', peak.peakRegisters, peak.registersFlops()], ['L1', peak.peakL1, peak.l1Flops()]];
    const timed = [];
    // Each sample: `calls` calls of the product in one build, or the peak loops over as many FLOPs.
    const contenders = [
      ...builds.map((build) => ({ name: build.file, run: () => { for (let i = 0; i < calls; i++) product.run(build.kernels); }, build })),
      ...loops.map(([name, loop, perIteration]) => {
        const iterations = Math.round(flops / perIteration);
        return { name: `peak ${name}`, run: () => loop(iterations, 1), flops: iterations * perIteration };
      }),
    ];
    for (const contender of contenders) {
      if (contender.build) {
        fill(contender.build, BASE, product.floats);
        product.setup(contender.build.kernels);
      }
      contender.cpu = [];
      contender.wall = [];
      contender.flops ??= flops;
      contender.run();
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? contenders : [...contenders].reverse();
      for (const contender of order) {
        const cpu0 = cpuMs(), wall0 = performance.now();
        contender.run();
        contender.wall.push(performance.now() - wall0);
        contender.cpu.push(cpuMs() - cpu0);
      }
    }
    // Medians over the rounds, and the median of each round's own ratio to the peak (the faster of the two loops in
    // that round), which follows a shared machine's changing load more closely.
    const rate = (contender, kind, round) => contender.flops / contender[kind][round] / 1e6;
    const peaks = contenders.filter((c) => !c.build);
    const roundPeak = (kind, round) => Math.max(...peaks.map((c) => rate(c, kind, round)));
    const percent = (contender, kind) => 100 * median(contender[kind].map((_, round) => rate(contender, kind, round) / roundPeak(kind, round)));
    const gflops = (contender, kind) => contender.flops / median(contender[kind]) / 1e6;
    const best = (kind) => Math.max(...peaks.map((c) => gflops(c, kind)));
    const cells = contenders.filter((c) => c.build).map((c) =>
      `${percent(c, 'cpu').toFixed(1)}% cpu ${percent(c, 'wall').toFixed(1)}% wall (${gflops(c, 'cpu').toFixed(1)})`);
    console.log(`${product.name.padEnd(22)} peak ${best('cpu').toFixed(1)} cpu ${best('wall').toFixed(1)} wall GFLOP/s   ${cells.join('   ')}`);
  }
  console.log(`load ${(await loadAverage()).toFixed(2)} at the end`);
}

async function loadAverage() {
  const { loadavg } = await import('node:os');
  return loadavg()[0];
}
