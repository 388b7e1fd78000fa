// Where W1's epoch goes (Nielsen [784,30,10], batch 10, 60,000 MNIST images): one process, the Wasm backend, three
// ways of running the same 6,000 steps, interleaved epoch by epoch, medians:
//   train()        the network's own train() call, as users and the suite run it (epochs timed by EpochLogs.elapsedMs)
//   engine steps   the engine's trainStep over the staged set in a fresh shuffled order: the kernels and the
//                  engine's JS around them, without the training loop (its generator, callbacks, clocks, shuffle)
//   kernels only   every kernel call of a step (gather, forward and activation per layer, output delta, backprop,
//                  activation derivative, correct count, the fused SGD step per layer) in a flat loop on regions of
//                  its own, the staged set gathered through the same shuffled order: the engine's JS taken away
//   products only  the same without the small kernels and the gather: the floor the products set
// then each kernel call of a step alone (µs per call, interleaved), with the products' GFLOP/s.
//   node bench/run.mjs w1
import { WasmBackend } from '../src/backends/wasm/backend.js';
import { Engine } from '../src/core/engine.js';
import { NumpyRandom } from '../src/core/random.js';
import { activationId, lossId } from '../src/core/constants.js';
import { resolveSpec } from '../src/core/spec.js';
import { loadMnist } from '../src/node/mnist.js';
import { Network } from '../src/index.js';
import { format } from './harness/format.js';
import { compare, table } from './harness/in-process.js';
import { summarize } from './harness/stats.js';
import { W1 } from './workloads.js';

const EPOCHS = Number(process.env.W1_EPOCHS ?? 7);
const specValue = {
  inputSize: 784,
  layers: [{ units: W1.sizes[1], activation: 'sigmoid' as const }, { units: W1.sizes[2], activation: 'sigmoid' as const }],
  loss: 'quadratic' as const, optimizer: { type: 'sgd' as const, learningRate: W1.learningRate },
  initializer: 'normal' as const, biasInitializer: 'normal' as const, seed: 1,
};
const { train } = await loadMnist();
const samples = train.count;
const data = { inputs: train.inputs, targets: train.targets };

// train(): one call for every epoch, paused at each epoch's end until the next is wanted (as bench/contenders do).
const network = await Network.create(specValue);
let paused: { ms: number; go: () => void } | undefined;
let reached: (() => void) | undefined;
let resumed = false;
const running = network.train(data, {
  epochs: EPOCHS + 2, batchSize: W1.batchSize, shuffle: true, yieldEveryMs: 1e9,
  callbacks: {
    onEpochEnd: (_epoch, logs) => new Promise<boolean>((go) => {
      paused = { ms: logs.elapsedMs, go: () => go(true) };
      reached?.();
    }),
  },
});
/** Lets the paused run take its next epoch (the first call: the one it took when it started) and returns its ms. */
async function trainEpoch(): Promise<number> {
  if (resumed) {
    const { go } = paused!;
    paused = undefined;
    go();
  }
  resumed = true;
  if (!paused) await new Promise<void>((r) => (reached = r));
  return paused!.ms;
}

// The engine alone, on the same data.
const spec = resolveSpec(specValue);
const engine = new Engine(spec, await WasmBackend.create());
engine.initialize(new NumpyRandom(1));
engine.stage({ rows: samples, cols: 784, values: train.inputs }, { rows: samples, cols: 10, values: train.targets },
  W1.batchSize, 0);
const order = Int32Array.from({ length: samples }, (_, i) => i);
const rng = new NumpyRandom(2);
function engineEpoch(): number {
  const start = performance.now();
  rng.shuffle(order);
  engine.setOrder(order);
  for (let s = 0; s < samples; s += W1.batchSize) engine.trainStep(s, W1.batchSize);
  return performance.now() - start;
}

// The kernels alone: a step's calls on regions of their own, over a staged copy of the set.
const backend = await WasmBackend.create();
const k = backend.kernels;
const [inputs, hidden, outputs] = W1.sizes;
const n = W1.batchSize;
let free = backend.baseSlot;
const take = (slots: number) => {
  const at = free;
  free += Math.ceil(slots / 4) * 4;
  return at;
};
const dataX = take(samples * inputs), dataY = take(samples * outputs), index = take(samples);
const x = take(n * inputs), y = take(n * outputs);
const w1 = take(inputs * hidden), b1 = take(hidden), w2 = take(hidden * outputs), b2 = take(outputs);
const nw1 = take(inputs * hidden), nb1 = take(hidden), nw2 = take(hidden * outputs), nb2 = take(outputs);
const a1 = take(n * hidden), a2 = take(n * outputs);
const d1 = take(n * hidden), d2 = take(n * outputs);
backend.ensureCapacity(free);
backend.write(dataX, train.inputs);
backend.write(dataY, train.targets);
backend.write(w1, new NumpyRandom(3).randn(nb2 + outputs - w1));
const sigmoid = activationId('sigmoid');
const quadratic = lossId('quadratic');
// A tiny learning rate keeps the weights (and so the sigmoids' work) like a trained network's.
const step = (s: number) => {
  k.gatherRows(dataX, index, s, n, inputs, x);
  k.gatherRows(dataY, index, s, n, outputs, y);
  k.forward(x, w1, b1, a1, n, inputs, hidden);
  k.activate(sigmoid, 0, a1, n, hidden);
  k.forward(a1, w2, b2, a2, n, hidden, outputs);
  k.activate(sigmoid, 0, a2, n, outputs);
  k.outputDelta(quadratic, sigmoid, 0, a2, y, d2, n, outputs);
  k.backpropDelta(d2, w2, d1, n, outputs, hidden);
  k.activationBackward(sigmoid, 0, a1, d1, n, hidden);
  k.countCorrect(a2, y, n, outputs);
  k.sgdDense(x, d1, w1, nw1, b1, nb1, n, inputs, hidden, 1e-9, 0.1);
  k.sgdDense(a1, d2, w2, nw2, b2, nb2, n, hidden, outputs, 1e-9, 0.1);
};
function kernelsEpoch(): number {
  const start = performance.now();
  rng.shuffle(order);
  backend.writeIndices(index, order);
  for (let s = 0; s < samples; s += n) step(s);
  return performance.now() - start;
}
function productsEpoch(): number {
  const start = performance.now();
  for (let s = 0; s < samples; s += n) {
    k.forward(x, w1, b1, a1, n, inputs, hidden);
    k.forward(a1, w2, b2, a2, n, hidden, outputs);
    k.backpropDelta(d2, w2, d1, n, outputs, hidden);
    k.sgdDense(x, d1, w1, nw1, b1, nb1, n, inputs, hidden, 1e-9, 0.1);
    k.sgdDense(a1, d2, w2, nw2, b2, nb2, n, hidden, outputs, 1e-9, 0.1);
  }
  return performance.now() - start;
}

/** Milliseconds of this process's CPU time since `start` (process.cpuUsage()). */
const cpuMs = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const paths: Record<string, () => Promise<number> | number> = {
  'train()': trainEpoch, 'engine steps': engineEpoch, 'kernels only': kernelsEpoch, 'products only': productsEpoch,
};
const wall: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};
for (const [name, run] of Object.entries(paths)) {
  wall[name] = [];
  cpu[name] = [];
  await run(); // each path's first epoch warms it up
}
for (let e = 0; e < EPOCHS; e++) {
  for (const [name, run] of Object.entries(paths)) {
    const start = process.cpuUsage();
    wall[name].push(await run());
    cpu[name].push(cpuMs(start));
  }
}
const flops = (samples / W1.batchSize) * 2 * W1.batchSize * (2 * inputs * hidden + 2 * hidden * outputs + hidden * outputs);
const cell = (ms: number[]) => {
  const { median, min, max } = summarize(ms);
  return `${format(median / 1000)} | ${format(min / 1000)}–${format(max / 1000)}`;
};
const rows = Object.keys(paths).map((name) =>
  `| ${name} | ${cell(wall[name])} | ${cell(cpu[name])} | ${format(flops / summarize(cpu[name]).median / 1e6)} |`);
console.log([`| W1 epoch (${EPOCHS} epochs each, interleaved) | s, wall (median) | min–max | s, CPU time (median) | ` +
  'min–max | GFLOP/s of the products (CPU time) |', '|---|---:|---:|---:|---:|---:|', ...rows].join('\n'));
const calls: Record<string, [() => unknown, number]> = {
  'gather inputs (10 rows of 784)': [() => k.gatherRows(dataX, index, 0, n, inputs, x), 0],
  'forward 10×784·784×30': [() => k.forward(x, w1, b1, a1, n, inputs, hidden), 2 * n * inputs * hidden],
  'sgdDense 784×10·10×30 (+ step)': [() => k.sgdDense(x, d1, w1, nw1, b1, nb1, n, inputs, hidden, 1e-9, 0.1), 2 * n * inputs * hidden],
  'forward 10×30·30×10': [() => k.forward(a1, w2, b2, a2, n, hidden, outputs), 2 * n * hidden * outputs],
  'backprop 10×10·10×30': [() => k.backpropDelta(d2, w2, d1, n, outputs, hidden), 2 * n * hidden * outputs],
  'sgdDense 30×10·10×10 (+ step)': [() => k.sgdDense(a1, d2, w2, nw2, b2, nb2, n, hidden, outputs, 1e-9, 0.1), 2 * n * hidden * outputs],
  'the other five kernels': [() => {
    k.activate(sigmoid, 0, a1, n, hidden);
    k.activate(sigmoid, 0, a2, n, outputs);
    k.outputDelta(quadratic, sigmoid, 0, a2, y, d2, n, outputs);
    k.activationBackward(sigmoid, 0, a1, d1, n, hidden);
    k.countCorrect(a2, y, n, outputs);
  }, 0],
};
const measured = compare(Object.fromEntries(Object.entries(calls).map(([name, [run]]) => [name, run])));
console.log(`\n${table('one call', measured, (m) => {
  const work = calls[m.name][1];
  return `${format(m.median * 6000)} ms${work ? `, ${format(work / m.median / 1e6)} GFLOP/s` : ''}`;
}, 'per epoch (6,000 calls)')}`);
await trainEpoch(); // one more epoch, unmeasured, lets the run end
paused!.go();
await running;
network.dispose();
backend.dispose();
