// Multi-threaded kernels (`threads: n`): n − 1 workers (worker_threads in Node, Web Workers on cross-origin isolated
// pages) instantiate the core module over the network's memory, shared, and the calling thread hands each a part
// of the large products and optimiser passes, then does its own part and waits.
//
// Results are bit-identical to one thread. Every element of a product is one sum, in one order, whichever tile
// computes it; so splitting the output of forward and backpropDelta by rows of samples, and the weight gradient
// (or the fused SGD step) by rows of weights, gives the very same numbers, as does splitting an elementwise
// optimiser pass by ranges of parameters. Nothing is reduced across threads except the finite flags (an AND).
//
// A hand-off costs microseconds even with waiting threads spinning (tens of microseconds once they have gone to
// sleep), so work below `threadTuning`'s thresholds stays on the calling thread: small layers never get slower.
// Above them, each kernel and shape is timed both ways now and then and runs the faster way (Chooser): on a machine
// where other processes hold the cores, splitting can lose, and then it is not done.

import { SimdnetError } from './errors.js';
import type { Kernels } from './kernels.js';
import type { CoreExports } from './wasm.js';

export const threadTuning = {
  /** Products below this many FLOPs (2·rows·inner·cols) run on the calling thread alone. */
  minimumFlops: 2 ** 21,
  /** Optimiser passes over fewer parameters run on the calling thread alone. */
  minimumParameters: 2 ** 17,
  /**
   * Checks of a job flag (some tens of microseconds) before a waiting thread sleeps in Atomics.wait: waking a
   * sleeper costs a system call and tens of microseconds, but spinning only pays where every thread has a core.
   */
  spins: 20_000,
  /** Time both ways now and then and keep the faster (false: always split what is above the thresholds). */
  adaptive: true,
};

/** The largest shared memory asked for (4 GiB), and the fallback where a runtime refuses it (1 GiB). */
const MAXIMUM_PAGES = [65536, 16384];

/** Creates the shared memory threads need: the maximum must be fixed up front. */
export function sharedMemory(): { memory: WebAssembly.Memory; maximumPages: number } {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') {
    throw new SimdnetError('UNSUPPORTED_RUNTIME', 'threads: needs SharedArrayBuffer, which this runtime lacks ' +
      '(browsers provide it to cross-origin isolated pages only: serve them with COOP: same-origin and COEP: ' +
      'require-corp); use threads: 1');
  }
  for (const maximum of MAXIMUM_PAGES) {
    try {
      return { memory: new WebAssembly.Memory({ initial: 1, maximum, shared: true }), maximumPages: maximum };
    } catch {
      // try the smaller maximum
    }
  }
  throw new SimdnetError('UNSUPPORTED_RUNTIME', 'threads: this runtime cannot create a shared WebAssembly.Memory; ' +
    'use threads: 1');
}

/** Reads an unsigned LEB128 number at `at`; returns it and the position after it. */
function readLeb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

/**
 * The core module's bytes with its imported memory declared shared (limits flag 3, with a maximum): the only
 * difference between a module for threads and the one for a single thread, so no second build is embedded.
 */
export function withSharedMemory(bytes: Uint8Array, maximumPages: number): Uint8Array<ArrayBuffer> {
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, body] = readLeb(bytes, at + 1);
    if (id === 2) {
      let p = body;
      let count: number;
      [count, p] = readLeb(bytes, p);
      for (let i = 0; i < count; i++) {
        for (let name = 0; name < 2; name++) {
          const [length, after] = readLeb(bytes, p);
          p = after + length;
        }
        const kind = bytes[p++];
        if (kind === 2) {
          const flags = bytes[p];
          let [minimum, end] = readLeb(bytes, p + 1);
          if (flags & 1) [, end] = readLeb(bytes, end);
          const limits = [0x03, ...leb(minimum), ...leb(maximumPages)];
          const section = [...bytes.subarray(body, p), ...limits, ...bytes.subarray(end, body + size)];
          return Uint8Array.from([...bytes.subarray(0, at), 2, ...leb(section.length), ...section,
            ...bytes.subarray(body + size)]);
        }
        if (kind === 0) {
          [, p] = readLeb(bytes, p); // function: its type's index
        } else if (kind === 1) {
          const flags = bytes[p + 1]; // table: reference type, then limits
          [, p] = readLeb(bytes, p + 2);
          if (flags & 1) [, p] = readLeb(bytes, p);
        } else if (kind === 3) {
          p += 2; // global: value type, mutability
        } else {
          throw new Error(`simdnet: unexpected import kind ${kind} in the core module`);
        }
      }
    }
    at = body + size;
  }
  throw new Error('simdnet: the core module imports no memory');
}

/** What a worker receives once: the module, the shared memory, its control block, the kernels' names. */
interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  names: string[];
  spins: number;
}

/**
 * The body of every worker, run from its source text (so it must not refer to anything outside itself). Control
 * block: [0] job number (the caller raises it to post a job; −1 stops), [1] the number of the job last finished,
 * [2] which kernel, [3] its result (−2: it threw), [4] the claim: −job while job is free, job once this worker has
 * taken it, 0 once the caller has taken it back (it does when it finishes its own part first); then 16 float64
 * arguments from byte 32. Claims name their job, so a worker that wakes late cannot take a newer job's part by
 * mistake. [5] is 1 while the worker sleeps and [6] while the caller does: only a sleeper is notified (a system
 * call), and each sets its flag before checking once more, so no wake-up is lost.
 */
function workerMain(init: WorkerInit, ready: () => void): void {
  const instance = new WebAssembly.Instance(init.module, {
    env: {
      memory: init.memory,
      abort: (_message: number, _file: number, line: number, column: number) => {
        throw new Error(`simdnet kernel assertion failed (line ${line}, column ${column})`);
      },
    },
  });
  const control = new Int32Array(init.control, 0, 8);
  const a = new Float64Array(init.control, 32, 16);
  const kernels = init.names.map((name) => instance.exports[name] as (...args: number[]) => number);
  ready();
  let seen = 0;
  for (;;) {
    let job = Atomics.load(control, 0);
    for (let spins = init.spins; job === seen; job = Atomics.load(control, 0)) {
      if (--spins <= 0) {
        Atomics.store(control, 5, 1);
        if (Atomics.load(control, 0) === seen) Atomics.wait(control, 0, seen);
        Atomics.store(control, 5, 0);
        spins = init.spins;
      }
    }
    if (job < 0) return;
    seen = job;
    if (Atomics.compareExchange(control, 4, -job, job) !== -job) continue; // taken back, or a newer job is up
    let result: number;
    try {
      result = kernels[control[2]](a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
        a[13], a[14], a[15]) | 0;
    } catch {
      result = -2;
    }
    control[3] = result;
    Atomics.store(control, 1, job);
    if (Atomics.load(control, 6) === 1) Atomics.notify(control, 1);
  }
}

/** Starts the worker's body: Node's worker_threads (eval'd CommonJS) or a Web Worker from a Blob URL. */
const NODE_BOOT = `const { parentPort } = require('node:worker_threads');
parentPort.once('message', (init) => (${workerMain.toString()})(init, () => parentPort.postMessage('ready')));`;
const WEB_BOOT = `self.onmessage = (event) => (${workerMain.toString()})(event.data, () => self.postMessage('ready'));`;

/** The kernels workers run, by index. */
export const THREAD_KERNELS = ['forward', 'backpropDelta', 'weightGradientRows', 'sgdDenseRows', 'sgd', 'momentum',
  'adam'] as const;
type ThreadKernel = (typeof THREAD_KERNELS)[number];

interface Thread {
  control: Int32Array;
  args: Float64Array;
  terminate(): void;
}

const WORKER_THREADS = 'node:worker_threads'; // a variable: bundlers leave the import alone

async function startThread(init: Omit<WorkerInit, 'control'>): Promise<Thread> {
  const control = new SharedArrayBuffer(32 + 16 * 8);
  const message: WorkerInit = { ...init, control };
  const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';
  let terminate: () => void;
  if (isNode) {
    const { Worker } = await import(/* @vite-ignore */ WORKER_THREADS) as typeof import('node:worker_threads');
    const worker = new Worker(NODE_BOOT, { eval: true, name: 'simdnet-kernels' });
    worker.unref(); // an idle pool never keeps a process alive
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
      worker.postMessage(message);
    });
    terminate = () => void worker.terminate();
  } else if (typeof Worker === 'function' && typeof Blob === 'function') {
    const url = URL.createObjectURL(new Blob([WEB_BOOT], { type: 'text/javascript' }));
    const worker = new Worker(url, { name: 'simdnet-kernels' });
    await new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage(message);
    });
    URL.revokeObjectURL(url);
    terminate = () => worker.terminate();
  } else {
    throw new SimdnetError('UNSUPPORTED_RUNTIME', 'threads: needs worker_threads (Node) or Web Workers; use threads: 1');
  }
  return { control: new Int32Array(control, 0, 8), args: new Float64Array(control, 32, 16), terminate };
}

/** Whether this thread may block in Atomics.wait (Node's main thread may; a browser's main thread may not). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Workers waiting for parts of kernel calls. */
export class ThreadPool {
  private job = 0;
  private readonly blocking = canBlock();

  private constructor(private readonly threads: Thread[]) {}

  static async create(module: WebAssembly.Module, memory: WebAssembly.Memory, workers: number): Promise<ThreadPool> {
    const init = { module, memory, names: [...THREAD_KERNELS], spins: threadTuning.spins };
    const threads = await Promise.all(Array.from({ length: workers }, () => startThread(init)));
    return new ThreadPool(threads);
  }

  get workers(): number {
    return this.threads.length;
  }

  /**
   * Runs `kernel` once per part: parts[0] on this thread (by `here`), the others on workers, concurrently; a part
   * no worker has started by the time this thread is done with its own, this thread runs too (so a busy machine,
   * where a worker may wait long for a core, costs little more than one thread). Returns every part's result.
   */
  run(kernel: ThreadKernel, parts: number[][], here: (args: number[]) => number): number[] {
    const id = THREAD_KERNELS.indexOf(kernel);
    const job = ++this.job;
    for (let i = 1; i < parts.length; i++) {
      const { control, args } = this.threads[i - 1];
      args.fill(0);
      args.set(parts[i]);
      control[2] = id;
      Atomics.store(control, 4, -job);
      Atomics.store(control, 0, job);
      if (Atomics.load(control, 5) === 1) Atomics.notify(control, 0);
    }
    const results = [here(parts[0])];
    for (let i = 1; i < parts.length; i++) {
      const { control } = this.threads[i - 1];
      if (Atomics.compareExchange(control, 4, -job, 0) === -job) {
        results.push(here(parts[i]));
        continue;
      }
      let done = Atomics.load(control, 1);
      for (let spins = threadTuning.spins; done !== job; done = Atomics.load(control, 1)) {
        if (--spins <= 0 && this.blocking) {
          Atomics.store(control, 6, 1);
          if (Atomics.load(control, 1) === done) Atomics.wait(control, 1, done);
          Atomics.store(control, 6, 0);
          spins = threadTuning.spins;
        }
      }
      results.push(control[3]);
    }
    if (results.includes(-2)) throw new Error(`simdnet: kernel ${kernel} failed on a worker thread`);
    return results;
  }

  dispose(): void {
    for (const thread of this.threads) {
      Atomics.store(thread.control, 0, -1);
      Atomics.notify(thread.control, 0); // whether or not it sleeps
      thread.terminate();
    }
    this.threads.length = 0;
  }
}

/** Boundaries splitting [0, count) into at most `parts` ranges whose inner boundaries are multiples of `step`. */
function split(count: number, parts: number, step: number): number[] {
  const bounds = [0];
  for (let i = 1; i < parts; i++) {
    const at = Math.round((count * i) / parts / step) * step;
    if (at > bounds[bounds.length - 1] && at < count) bounds.push(at);
  }
  bounds.push(count);
  return bounds;
}

/**
 * Whether splitting pays, learnt per kernel and shape: the first calls alternate between split and whole and are
 * timed, then the faster way is kept, and tried again against the other every `RECHECK` calls (another process may
 * have taken or freed a core). Either way computes the same bits, so only speed depends on it.
 */
class Chooser {
  private readonly stats = new Map<string, { calls: number; split: number[]; whole: number[]; splitting: boolean }>();

  run<T>(key: string, call: (split: boolean) => T): T {
    if (!threadTuning.adaptive) return call(true);
    let stat = this.stats.get(key);
    if (!stat) this.stats.set(key, stat = { calls: 0, split: [], whole: [], splitting: true });
    const calls = stat.calls++;
    const phase = calls % RECHECK;
    if (phase >= TRIALS) return call(stat.splitting);
    if (phase === 0) stat.split.length = stat.whole.length = 0;
    const split = phase % 2 === 0;
    const start = performance.now();
    const result = call(split);
    (split ? stat.split : stat.whole).push(performance.now() - start);
    if (phase === TRIALS - 1) stat.splitting = median(stat.split) <= median(stat.whole);
    return result;
  }
}

/** Calls timed each way per check, and calls between checks. */
const TRIALS = 8;
const RECHECK = 256;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];

/** Byte address of a slot offset, with a negative offset ("no buffer") as the null pointer. */
const ptr = (offset: number): number => (offset < 0 ? 0 : offset * 4);

/**
 * The kernels of a Wasm backend with threads: large products and optimiser passes are split across the pool,
 * everything else (and anything small) goes to the single-threaded kernels unchanged.
 */
export class ThreadedKernels implements Kernels {
  private readonly chooser = new Chooser();

  constructor(private readonly base: Kernels, private readonly core: CoreExports, private readonly pool: ThreadPool) {}

  private get threads(): number {
    return this.pool.workers + 1;
  }

  /** How many parts a product of this size is worth, given `units` rows to split in steps of `step`. */
  private productParts(rows: number, inner: number, cols: number, units: number, step: number): number {
    if (2 * rows * inner * cols < threadTuning.minimumFlops) return 1;
    return Math.max(1, Math.min(this.threads, Math.floor(units / step)));
  }

  forward(x: number, w: number, bias: number, out: number, rows: number, inner: number, cols: number): void {
    const parts = this.productParts(rows, inner, cols, rows, 4);
    if (parts < 2) return this.base.forward(x, w, bias, out, rows, inner, cols);
    const bounds = split(rows, parts, 4);
    this.chooser.run(`forward ${rows} ${inner} ${cols}`, (split) => {
      if (!split) return this.base.forward(x, w, bias, out, rows, inner, cols);
      this.pool.run('forward', bounds.slice(1).map((end, i) => [ptr(x + bounds[i] * inner), ptr(w), ptr(bias),
        ptr(out + bounds[i] * cols), end - bounds[i], inner, cols]),
      (a) => (this.core.forward(a[0], a[1], a[2], a[3], a[4], a[5], a[6]), 0));
    });
  }

  backpropDelta(delta: number, w: number, dx: number, rows: number, cols: number, inner: number): void {
    const parts = this.productParts(rows, inner, cols, rows, 2);
    if (parts < 2) return this.base.backpropDelta(delta, w, dx, rows, cols, inner);
    const bounds = split(rows, parts, 2);
    this.chooser.run(`backpropDelta ${rows} ${inner} ${cols}`, (split) => {
      if (!split) return this.base.backpropDelta(delta, w, dx, rows, cols, inner);
      this.pool.run('backpropDelta', bounds.slice(1).map((end, i) => [ptr(delta + bounds[i] * cols), ptr(w),
        ptr(dx + bounds[i] * inner), end - bounds[i], cols, inner]),
      (a) => (this.core.backpropDelta(a[0], a[1], a[2], a[3], a[4], a[5]), 0));
    });
  }

  weightGradient(x: number, delta: number, dw: number, db: number, rows: number, inner: number, cols: number): void {
    const parts = this.productParts(rows, inner, cols, inner, 4);
    if (parts < 2) return this.base.weightGradient(x, delta, dw, db, rows, inner, cols);
    const bounds = split(inner, parts, 4);
    this.chooser.run(`weightGradient ${rows} ${inner} ${cols}`, (split) => {
      if (!split) return this.base.weightGradient(x, delta, dw, db, rows, inner, cols);
      this.pool.run('weightGradientRows', bounds.slice(1).map((end, i) => [ptr(x), ptr(delta), ptr(dw),
        i === 0 ? ptr(db) : 0, rows, inner, cols, bounds[i], end]),
      (a) => (this.core.weightGradientRows(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]), 0));
    });
  }

  sgdDense(x: number, delta: number, wIn: number, wOut: number, bIn: number, bOut: number,
    rows: number, inner: number, cols: number, learningRate: number, scale: number): boolean {
    const parts = this.productParts(rows, inner, cols, inner, 4);
    if (parts < 2) return this.base.sgdDense(x, delta, wIn, wOut, bIn, bOut, rows, inner, cols, learningRate, scale);
    const bounds = split(inner, parts, 4);
    return this.chooser.run(`sgdDense ${rows} ${inner} ${cols}`, (split) => {
      if (!split) return this.base.sgdDense(x, delta, wIn, wOut, bIn, bOut, rows, inner, cols, learningRate, scale);
      return this.pool.run('sgdDenseRows', bounds.slice(1).map((end, i) => [ptr(x), ptr(delta), ptr(wIn), ptr(wOut),
        i === 0 ? ptr(bIn) : 0, i === 0 ? ptr(bOut) : 0, rows, inner, cols, learningRate, scale, bounds[i], end]),
      (a) => this.core.sgdDenseRows(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12]))
        .every((finite) => finite !== 0);
    });
  }

  /** Parts of an optimiser pass over `count` parameters: ranges in multiples of 4 slots (16-byte aligned). */
  private passBounds(count: number): number[] | undefined {
    if (count < threadTuning.minimumParameters) return undefined;
    const bounds = split(count, this.threads, 4);
    return bounds.length > 2 ? bounds : undefined;
  }

  sgd(paramIn: number, paramOut: number, grad: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number): boolean {
    const bounds = this.passBounds(count);
    if (!bounds) return this.base.sgd(paramIn, paramOut, grad, count, learningRate, scale, l1, l2);
    return this.chooser.run(`sgd ${count}`, (split) => {
      if (!split) return this.base.sgd(paramIn, paramOut, grad, count, learningRate, scale, l1, l2);
      return this.pool.run('sgd', bounds.slice(1).map((end, i) => [ptr(paramIn + bounds[i]), ptr(paramOut + bounds[i]),
        ptr(grad + bounds[i]), end - bounds[i], learningRate, scale, l1, l2]),
      (a) => this.core.sgd(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7])).every((finite) => finite !== 0);
    });
  }

  momentum(paramIn: number, paramOut: number, grad: number, velocity: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number, momentum: number, nesterov: boolean): boolean {
    const bounds = this.passBounds(count);
    const whole = () =>
      this.base.momentum(paramIn, paramOut, grad, velocity, count, learningRate, scale, l1, l2, momentum, nesterov);
    if (!bounds) return whole();
    return this.chooser.run(`momentum ${count}`, (split) => {
      if (!split) return whole();
      return this.pool.run('momentum', bounds.slice(1).map((end, i) => [ptr(paramIn + bounds[i]),
        ptr(paramOut + bounds[i]), ptr(grad + bounds[i]), ptr(velocity + bounds[i]), end - bounds[i], learningRate,
        scale, l1, l2, momentum, nesterov ? 1 : 0]),
      (a) => this.core.momentum(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]))
        .every((finite) => finite !== 0);
    });
  }

  adam(paramIn: number, paramOut: number, grad: number, m: number, v: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number,
    beta1: number, beta2: number, epsilon: number, correction1: number, correction2: number): boolean {
    const bounds = this.passBounds(count);
    const whole = () => this.base.adam(paramIn, paramOut, grad, m, v, count, learningRate, scale, l1, l2, beta1, beta2,
      epsilon, correction1, correction2);
    if (!bounds) return whole();
    return this.chooser.run(`adam ${count}`, (split) => {
      if (!split) return whole();
      return this.pool.run('adam', bounds.slice(1).map((end, i) => [ptr(paramIn + bounds[i]), ptr(paramOut + bounds[i]),
        ptr(grad + bounds[i]), ptr(m + bounds[i]), ptr(v + bounds[i]), end - bounds[i], learningRate, scale, l1, l2,
        beta1, beta2, epsilon, correction1, correction2]),
      (a) => this.core.adam(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13],
        a[14])).every((finite) => finite !== 0);
    });
  }

  activate(activation: number, alpha: number, z: number, rows: number, cols: number): void {
    this.base.activate(activation, alpha, z, rows, cols);
  }

  activationBackward(activation: number, alpha: number, a: number, g: number, rows: number, cols: number): void {
    this.base.activationBackward(activation, alpha, a, g, rows, cols);
  }

  outputDelta(loss: number, activation: number, alpha: number, a: number, y: number, delta: number, rows: number,
    cols: number): number {
    return this.base.outputDelta(loss, activation, alpha, a, y, delta, rows, cols);
  }

  loss(loss: number, a: number, y: number, rows: number, cols: number): number {
    return this.base.loss(loss, a, y, rows, cols);
  }

  gatherRows(src: number, index: number, start: number, count: number, rowLen: number, dst: number): void {
    this.base.gatherRows(src, index, start, count, rowLen, dst);
  }
}
