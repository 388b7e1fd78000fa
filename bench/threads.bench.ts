// `threads: 2` against one thread, in one process, alternating: W2 batch 128 trained as the suite trains it (whole
// epochs of train() over 60,000 MNIST rows, shuffled), step by step; the training step of W1–W4 (W2: 784-128-10
// relu/softmax, cross-entropy, plain SGD, at batches 32 and 128), where W2's batch-128 step's time goes kernel by
// kernel, how its split jobs share out between the threads (hand-off, imbalance), and the W5 products.
// On a machine whose two cores other processes also use, the two-thread figures are a lower bound: the load average
// is printed before and after.
//   node bench/run.mjs threads          (EPOCHS=n: the suite-like epochs per thread count, default 6)
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { WasmBackend } from '../src/backends/wasm/backend.js';
import type { Engine } from '../src/core/engine.js';
import { Network } from '../src/network.js';
import { loadMnist } from '../src/node/mnist.js';
import { type Backend, KERNELS, type Kernels, parseArg } from '../src/core/kernels.js';
import { type Check, threadTuning } from '../src/backends/wasm/threads/tuning.js';
import { NumpyRandom } from '../src/core/random.js';
import type { ActivationName, LossName } from '../src/core/constants.js';
import { type ResolvedSpec, resolveSpec } from '../src/core/spec.js';
import { format } from './harness/format.js';
import { compare } from './harness/in-process.js';
import { median } from './harness/stats.js';
import { stagedEngine, stepTimes } from './harness/engine-steps.js';
import type { Regions } from '../src/core/layout.js';
import { PRODUCTS, type ProductName, type ProductShape, W1, W2, W3, W4, productFlops, w5Shapes } from './workloads.js';

const THREADS = [1, 2];
const ROUNDS = Number(process.env.ROUNDS ?? 61);
const WARM_ROUNDS = 5;
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const ratio = (one: number, two: number): string => `${(one / two).toFixed(2)}×`;
/** The time all CPUs have spent busy so far (ms), from /proc/stat; NaN where there is none (not Linux). */
const machineBusyMs = (): number => {
  try {
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return (ticks.reduce((a, b) => a + b, 0) - ticks[3] - ticks[4]) * 10; // less idle and iowait; USER_HZ = 100
  } catch {
    return NaN;
  }
};

console.log(`load average at start: ${load()}\n`);

/** A training workload's engine spec: plain SGD, the hidden layers' activation, the output's, the loss. */
const specOf = (sizes: readonly number[], hidden: ActivationName, output: ActivationName, loss: LossName,
  learningRate: number): ResolvedSpec => resolveSpec({
  inputSize: sizes[0], loss, seed: 1, optimizer: { type: 'sgd', learningRate },
  layers: sizes.slice(1).map((units, i) => ({ units, activation: i === sizes.length - 2 ? output : hidden })),
});
const w2 = specOf(W2.sizes, 'relu', 'softmax', 'categoricalCrossEntropy', W2.learningRate);
const engines = async (spec: ResolvedSpec, batch: number): Promise<Engine[]> =>
  Promise.all(THREADS.map(async (threads) => stagedEngine(spec, batch, await WasmBackend.create({ threads }))));

// W2 batch 128 as the suite's simdnet contenders train it (bench/contenders/simdnet.ts): whole epochs over 60,000
// MNIST rows, shuffled, each epoch's time by its EpochLogs.elapsedMs (the suite's figure), one and two threads taking
// epochs in turn. Per step (onBatchEnd to onBatchEnd, so the training loop's own work is in): percentiles, and how
// much of the epoch the steps above the median cost. Each epoch also records how much CPU other processes used
// meanwhile (Linux: /proc/stat's busy time less this process's), since two threads need both cores of this machine:
// the figures are given over every epoch and over the pairs of epochs in which others used under a tenth of a CPU.
// For the two threads: the chooser's checks (how often a split kernel went back to whole calls, each for RECHECK
// calls or more), and, over a traced epoch after the timed ones, the split jobs whose chunks the worker never reached
// or started late (another process on its core).
{
  const EPOCHS = Number(process.env.EPOCHS ?? 6);
  const QUIET = 0.1;
  const batchSize = 128;
  const { train } = await loadMnist();
  const data = { inputs: train.inputs, targets: train.targets };
  const networks = await Promise.all(THREADS.map((threads) => Network.create({
    inputSize: 784, layers: [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }],
    loss: 'categoricalCrossEntropy', optimizer: { type: 'sgd', learningRate: W2.learningRate }, initializer: 'heNormal',
    seed: 1, threads,
  })));
  /** Per thread count, per timed epoch: its elapsedMs, its steps' µs, and the CPUs other processes kept busy. */
  const epochs: { ms: number; steps: number[]; others: number }[][] = THREADS.map(() => []);
  const checks: Check[] = [];
  const epoch = (n: number): { ms: number; steps: number[]; others: number } => {
    const run = { ms: NaN, steps: [] as number[], others: NaN };
    const busy = machineBusyMs();
    const cpu = process.cpuUsage();
    const wall = performance.now();
    let last = NaN;
    networks[n].trainSync(data, { epochs: 1, batchSize, callbacks: {
      onBatchEnd: (_batch, logs) => {
        const now = performance.now();
        if (logs.size === batchSize && Number.isFinite(last)) run.steps.push((now - last) * 1000);
        last = now;
      },
      onEpochEnd: (_epoch, logs) => void (run.ms = logs.elapsedMs),
    } });
    const mine = process.cpuUsage(cpu);
    run.others = (machineBusyMs() - busy - (mine.user + mine.system) / 1000) / (performance.now() - wall);
    return run;
  };
  THREADS.forEach((_, n) => epoch(n)); // warm-up
  threadTuning.verdict = (check) => checks.push(check);
  for (let e = 0; e < EPOCHS; e++) THREADS.forEach((_, n) => epochs[n].push(epoch(n)));
  threadTuning.verdict = undefined;
  const late = new Map<string, { jobs: number; alone: number; late: number }>();
  threadTuning.trace = (job) => {
    const entry = late.get(job.kernel) ?? { jobs: 0, alone: 0, late: 0 };
    late.set(job.kernel, entry);
    entry.jobs++;
    const theirs = job.chunks.filter((c) => c.thread !== 0);
    if (theirs.length === 0) entry.alone++;
    else if (Math.min(...theirs.map((c) => c.start)) - job.posted > 0.02) entry.late++;
  };
  epoch(1);
  threadTuning.trace = undefined;
  const percentile = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.floor(p * (values.length - 1))];
  const quiet = epochs[0].flatMap((_, e) => (epochs.every((runs) => runs[e].others < QUIET) ? [e] : []));
  console.log(`| W2 batch 128, suite-like epochs | epochs | samples/s (median epoch) | step µs: p10 | p50 | p90 | p99 | ` +
    'mean | share of the epoch above the p50 step |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const rows = (which: string, picked: number[]): number[] => THREADS.map((threads, n) => {
    const runs = picked.map((e) => epochs[n][e]);
    const rate = (60_000 / median(runs.map((r) => r.ms))) * 1000;
    const v = runs.flatMap((r) => r.steps);
    const sum = v.reduce((a, b) => a + b, 0);
    const p50 = percentile(v, 0.5);
    const above = v.reduce((a, b) => a + Math.max(0, b - p50), 0);
    console.log(`| ${threads} thread${threads > 1 ? 's' : ''}, ${which} | ${runs.length} | ${format(rate)} | ` +
      `${[0.1, 0.5, 0.9, 0.99].map((p) => format(percentile(v, p))).join(' | ')} | ${format(sum / v.length)} | ` +
      `${((100 * above) / sum).toFixed(1)}% |`);
    return rate;
  });
  const all = rows('every epoch', epochs[0].map((_, e) => e));
  const calm = quiet.length ? rows(`others < ${QUIET} CPU`, quiet) : undefined;
  console.log(`\n2 threads ÷ 1 thread (median epochs): ${(all[1] / all[0]).toFixed(2)}× over every epoch` +
    `${calm ? `, ${(calm[1] / calm[0]).toFixed(2)}× over the ${quiet.length} quiet pairs` : ', no quiet pair'}; CPUs other ` +
    `processes used per epoch (1 thread / 2 threads): ${epochs[0].map((r, e) => `${r.others.toFixed(2)}/${epochs[1][e].others.toFixed(2)}`).join(' ')}`);
  console.log(`chooser checks: ${checks.length}, of which whole: ${checks.filter((c) => !c.splitting).map((c) =>
    `${c.key} (split ${format(c.split * 1000)} µs, whole ${format(c.whole * 1000)} µs)`).join('; ') || 'none'}`);
  console.log(`2 threads, one traced epoch: ${[...late].map(([kernel, { jobs, alone, late: slow }]) =>
    `${kernel}: ${jobs} split jobs, the worker ran no chunk in ${alone}, started over 20 µs after the post in ${slow}`)
    .join('; ')}\n`);
  for (const network of networks) network.dispose();
}

// Every training workload's step (the suite's W1–W4 shapes, on random data), so that none is slower with two.
const workloads: [string, ResolvedSpec, number][] = [
  [`W1 batch ${W1.batchSize}`, specOf(W1.sizes, 'sigmoid', 'sigmoid', 'quadratic', W1.learningRate), W1.batchSize],
  ...W2.batchSizes.map((batch): [string, ResolvedSpec, number] => [`W2 batch ${batch}`, w2, batch]),
  [`W3 batch ${W3.batchSize}`, specOf(W3.sizes, 'tanh', 'tanh', 'mse', W3.learningRate), W3.batchSize],
  ['W4 batch 1', specOf(W4.sizes, 'sigmoid', 'sigmoid', 'quadratic', W4.learningRate), 1],
];
console.log('| training step | 1 thread µs/step | 2 threads µs/step | speedup |');
console.log('|---|---:|---:|---:|');
for (const [label, spec, batch] of workloads) {
  const pair = await engines(spec, batch);
  const [one, two] = stepTimes(pair, batch, label, ROUNDS, WARM_ROUNDS);
  console.log(`| ${label} | ${format(one)} | ${format(two)} | ${ratio(one, two)} |`);
  for (const engine of pair) engine.backend.dispose();
}

/**
 * Replaces each kernel of `backend` by `around(key, call)`, where key names the kernel and its shape (its int
 * arguments, a gather's start left out) and call() runs the kernel.
 */
function wrapKernels(backend: Backend, around: (key: string, call: () => unknown) => unknown): void {
  const kernels = backend.kernels as unknown as Record<string, (...a: number[]) => unknown>;
  for (const name of Object.keys(kernels) as (keyof typeof KERNELS)[]) {
    const kernel = kernels[name];
    const ints = KERNELS[name].args.flatMap((arg, i) => {
      const { kind, name: argument } = parseArg(arg);
      return kind === 'int' && argument !== 'start' ? [i] : [];
    });
    kernels[name] = (...args) => around(`${name} ${ints.map((i) => args[i]).join('×')}`, () => kernel(...args));
  }
}

/**
 * Replaces each kernel of `backend` by one that records its time per call, by kernel and shape (its int arguments);
 * `spent` maps each to its µs per step, one figure per round of `steps` steps once `next()` closes the round.
 */
function timeKernels(backend: Backend, steps: number): { spent: Map<string, number[]>; next(): void } {
  const spent = new Map<string, number[]>();
  let round = new Map<string, number>();
  wrapKernels(backend, (key, call) => {
    const start = performance.now();
    const result = call();
    round.set(key, (round.get(key) ?? 0) + performance.now() - start);
    return result;
  });
  return {
    spent,
    next() {
      for (const [key, ms] of round) spent.set(key, [...(spent.get(key) ?? []), (ms / steps) * 1000]);
      round = new Map();
    },
  };
}

// Where a batch-128 step's time goes, kernel by kernel and shape by shape (a gather's start left out of its shape): µs per step, median and lowest over the rounds (the lowest: what a round undisturbed by other
// processes took), 1 and 2 threads.
{
  const batch = 128;
  const steps = 10;
  const pair = await engines(w2, batch);
  const timers = pair.map((engine) => timeKernels(engine.backend, steps));
  const totals: number[][] = pair.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    pair.forEach((engine, e) => {
      const started = performance.now();
      for (let s = 0; s < steps; s++) engine.trainStep(s * batch, batch);
      if (round >= WARM_ROUNDS) totals[e].push(((performance.now() - started) / steps) * 1000);
      timers[e].next();
    });
  }
  const figures = (values: number[]): string => `${format(median(values))} (${format(Math.min(...values))})`;
  console.log('\n| W2 batch 128, µs per step: median (lowest) | 1 thread | 2 threads | speedup (of medians) |');
  console.log('|---|---:|---:|---:|');
  for (const key of timers[0].spent.keys()) {
    const [one, two] = timers.map((t) => (t.spent.get(key) ?? [0]).slice(WARM_ROUNDS));
    console.log(`| ${key} | ${figures(one)} | ${figures(two)} | ${ratio(median(one), median(two))} |`);
  }
  console.log(`| whole step (timers included) | ${figures(totals[0])} | ${figures(totals[1])} | ` +
    `${ratio(median(totals[0]), median(totals[1]))} |`);
  for (const engine of pair) engine.backend.dispose();
}

// W2 batch 128's split jobs on two threads, every one split (chooser off), from the pool's trace: where a split job's
// time goes beside its chunks' work. Only jobs in which both threads ran a chunk count (on a busy machine the other
// thread's core is often taken, and the caller then runs every chunk itself).
{
  const batch = 128;
  const engine = await stagedEngine(w2, batch, await WasmBackend.create({ threads: 2 }));
  let current = '';
  wrapKernels(engine.backend, (key, call) => {
    current = key;
    return call();
  });
  /**
   * Per kernel and shape, per job: µs from post to done, to the other thread's first chunk, of each thread's work,
   * between the threads' last chunk ends, and from the last chunk's end to done; and each thread's first chunk's
   * time over the mean of its others (> 1: the first pays for data the other core wrote).
   */
  const jobs = new Map<string, { all: number; both: number[][] }>();
  const adaptive = threadTuning.adaptive;
  threadTuning.adaptive = false;
  threadTuning.trace = (job) => {
    const entry = jobs.get(current) ?? { all: 0, both: [] };
    jobs.set(current, entry);
    entry.all++;
    const mine = job.chunks.filter((c) => c.thread === 0);
    const theirs = job.chunks.filter((c) => c.thread !== 0);
    if (mine.length === 0 || theirs.length === 0) return;
    const busy = (chunks: typeof mine) => chunks.reduce((sum, c) => sum + c.end - c.start, 0);
    const last = (chunks: typeof mine) => Math.max(...chunks.map((c) => c.end));
    const firstOverRest = (chunks: typeof mine) => chunks.length < 2 ? NaN
      : (chunks[0].end - chunks[0].start) / ((busy(chunks) - (chunks[0].end - chunks[0].start)) / (chunks.length - 1));
    entry.both.push([job.done - job.posted, Math.min(...theirs.map((c) => c.start)) - job.posted, busy(mine), busy(theirs),
      Math.abs(last(mine) - last(theirs)), job.done - Math.max(last(mine), last(theirs)), firstOverRest(mine),
      firstOverRest(theirs)].map((v, i) => (i < 6 ? v * 1000 : v)));
  };
  for (let s = 0; s < ROUNDS * 20; s++) engine.trainStep(((s * batch) % (2048 - batch)), batch);
  threadTuning.trace = undefined;
  threadTuning.adaptive = adaptive;
  const cell = (values: number[], digits = false): string => {
    const finite = values.filter(Number.isFinite);
    if (finite.length === 0) return '–';
    const show = (v: number) => (digits ? v.toFixed(2) : format(v));
    return `${show(median(finite))} (${show(Math.min(...finite))})`;
  };
  console.log('\n| W2 batch 128, 2 threads, split jobs: median (lowest) | jobs with both threads | job µs | hand-off µs ' +
    '(post → other thread starts) | caller\'s chunks µs | other thread\'s µs | last ends apart µs | last end → done µs | ' +
    'first chunk ÷ its thread\'s others (caller, other) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const [key, { all, both }] of jobs) {
    const column = (i: number) => both.map((row) => row[i]);
    console.log(`| ${key} | ${both.length} of ${all} | ${[0, 1, 2, 3, 4, 5].map((i) => cell(column(i))).join(' | ')} | ` +
      `${cell(column(6), true)}, ${cell(column(7), true)} |`);
  }
  // What the split forward pass of layer 1 loses to the step before it: the same call (its input and weights as the
  // last step left them) repeated on its own, where every thread already holds the weights, split and whole. The
  // engine's regions are private; a benchmark may read them.
  const inside = engine as unknown as { regions: Regions; parameters(): number; plan: { layers: { weights: number;
    biases: number }[] } };
  const layer = inside.plan.layers[0];
  const args = [inside.regions.input, inside.parameters() + layer.weights, inside.parameters() + layer.biases,
    inside.regions.activations[0], batch, W2.sizes[0], W2.sizes[1]] as const;
  const backend = engine.backend as WasmBackend;
  const [split, whole] = [backend.kernelsFor!(Infinity, Infinity), backend.kernelsFor!(0, 0)];
  threadTuning.adaptive = false;
  const alone = [split, whole].map((k) => {
    const times: number[] = [];
    for (let s = 0; s < ROUNDS * 20; s++) {
      const start = performance.now();
      k.forward(...args);
      times.push((performance.now() - start) * 1000);
    }
    return median(times);
  });
  threadTuning.adaptive = adaptive;
  const inTraining = median(jobs.get(`forward ${batch}×${W2.sizes[0]}×${W2.sizes[1]}`)?.both.map((row) => row[0]) ?? []);
  console.log(`\nlayer 1's forward pass, split: ${format(inTraining)} µs a job in training, ${format(alone[0])} µs on its ` +
    `own (${ratio(inTraining, alone[0])}: the weights the other core's step just wrote); whole on its own ${format(alone[1])} µs`);
  engine.backend.dispose();
}

/** One product's call on `backend` over random operands. */
function productCall(backend: Backend, shape: ProductShape, product: ProductName): () => void {
  const { rows, inner, cols } = shape;
  const x = backend.baseSlot;
  const w = x + rows * inner;
  const b = w + inner * cols;
  const out = b + cols;
  const delta = out + rows * cols;
  const dx = delta + rows * cols;
  const dw = dx + rows * inner;
  const db = dw + inner * cols;
  backend.ensureCapacity(db + cols);
  backend.write(x, new NumpyRandom(1).randn(db - x));
  const k: Kernels = backend.kernels;
  if (product === 'forward') return () => k.forward(x, w, b, out, rows, inner, cols);
  if (product === 'backprop') return () => k.backpropDelta(delta, w, dx, rows, cols, inner);
  return () => k.weightGradient(x, delta, dw, db, rows, inner, cols);
}

console.log('\n| W5 product | 1 thread GFLOP/s | 2 threads GFLOP/s | speedup |');
console.log('|---|---:|---:|---:|');
const backends = await Promise.all(THREADS.map((threads) => WasmBackend.create({ threads })));
for (const { label, shape } of w5Shapes()) {
  for (const product of PRODUCTS) {
    const calls = backends.map((backend) => productCall(backend, shape, product));
    const [one, two] = compare({ one: calls[0], two: calls[1] }, { samples: 9, sampleMs: 60, warmupMs: 100 })
      .map((m) => productFlops(shape) / m.median / 1e6);
    console.log(`| ${label} ${product} | ${format(one)} | ${format(two)} | ${(two / one).toFixed(2)}× |`);
  }
}
for (const backend of backends) backend.dispose();
console.log(`\nload average at end: ${load()}`);
