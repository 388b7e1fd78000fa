// Multi-threaded kernels (`threads: n`): n − 1 workers (worker_threads in Node, Web Workers on cross-origin isolated
// pages) instantiate the core module over the network's memory, shared; the calling thread posts the large
// products and optimiser passes to them and works on them too.
//
// Results are bit-identical to one thread. Every element of a product is one sum, in one order, whichever tile
// computes it; so splitting the output of forward and backpropDelta by rows of samples, and the weight gradient
// (or the fused SGD step) by rows of weights, gives the very same numbers, as does splitting an elementwise
// optimiser pass by ranges of parameters. Nothing is reduced across threads except the finite flags (an AND).
//
// A split job is cut into a few chunks per thread, which the threads claim one at a time (an atomic counter): a
// worker that starts late, or shares its core with another process, takes fewer chunks and delays no one. Waiting
// threads spin for a while before they sleep, since waking a sleeper costs a system call and tens of
// microseconds. Work below `threadTuning`'s thresholds stays on the calling thread; above them, each kernel and
// shape is timed both ways now and then and runs the faster way (Chooser), so splitting never makes it slower.

import { SimdnetError } from '../../core/errors.js';
import { WasmKernels, ptr } from './kernels.js';
import type { CoreExports } from './module.js';

export const threadTuning = {
  /** Products below this many FLOPs (2·rows·inner·cols) run on the calling thread alone. */
  minimumFlops: 2 ** 21,
  /** Optimiser passes over fewer parameters run on the calling thread alone. */
  minimumParameters: 2 ** 17,
  /**
   * How long a waiting thread spins before it sleeps in Atomics.wait (ms): long enough to stay awake between the
   * kernel calls of a training step, short enough to cost nothing once training stops.
   */
  spinMs: 2,
  /** Chunks per thread a split job is cut into (fewer where the rows run out). */
  chunksPerThread: 4,
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

/** Float64 arguments per chunk, and the most chunks a job may have. */
const ARGS_PER_CHUNK = 16;
const MAX_CHUNKS = 64;

/**
 * Slots of the control block (Int32), shared by the calling thread and every worker; the chunks' arguments follow
 * from byte ARGS_AT. NEXT is CLOSED between jobs, so that a worker which wakes late claims nothing: the caller
 * writes a job, then opens NEXT, then raises JOB.
 */
const SLOTS = {
  /** The job number: raised to post a job; −1 stops the workers. */
  JOB: 0,
  /** The next chunk to claim (Atomics.add). */
  NEXT: 1,
  KERNEL: 2,
  CHUNKS: 3,
  /** Chunks finished. */
  DONE: 4,
  /** 1 until a chunk's kernel returns 0 (a step that is not finite). */
  ALL: 5,
  /** 1 once a chunk threw. */
  FAILED: 6,
  /** Workers blocked in Atomics.wait on JOB (only then is notify, a system call, needed). */
  SLEEPERS: 7,
  /** 1 while the caller blocks on DONE. */
  CALLER_SLEEPS: 8,
} as const;
type Slots = typeof SLOTS;
const CONTROL_INTS = 16;
const ARGS_AT = CONTROL_INTS * 4;
const CLOSED = 2 ** 30;

/** What a worker receives once: the module, the shared memory, the control block, the kernels' names. */
interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  names: string[];
  slots: Slots;
  controlInts: number;
  argsAt: number;
  argsPerChunk: number;
  spinMs: number;
}

/**
 * Claims and runs chunks of the posted job until none is left; the caller and the workers all run this. The job's
 * kernel and chunk count are read after each claim: a claim that succeeds pins the job (the caller posts no other
 * until every chunk is done). Part of every worker's source text, so it refers to nothing outside itself.
 */
function runChunks(control: Int32Array, args: Float64Array, kernels: ((...a: number[]) => number)[], s: Slots,
  argsPerChunk: number): void {
  for (;;) {
    const i = Atomics.add(control, s.NEXT, 1);
    const chunks = Atomics.load(control, s.CHUNKS);
    if (i >= chunks) return;
    const a = i * argsPerChunk;
    try {
      const result = kernels[Atomics.load(control, s.KERNEL)](args[a], args[a + 1], args[a + 2], args[a + 3],
        args[a + 4], args[a + 5], args[a + 6], args[a + 7], args[a + 8], args[a + 9], args[a + 10], args[a + 11],
        args[a + 12], args[a + 13], args[a + 14], args[a + 15]);
      if (result === 0) Atomics.store(control, s.ALL, 0);
    } catch {
      Atomics.store(control, s.FAILED, 1);
    }
    if (Atomics.add(control, s.DONE, 1) + 1 === chunks && Atomics.load(control, s.CALLER_SLEEPS) === 1) {
      Atomics.notify(control, s.DONE);
    }
  }
}

/** The body of every worker, run from its source text (with runChunks'), so it refers to nothing else. */
function workerMain(init: WorkerInit, ready: () => void): void {
  const instance = new WebAssembly.Instance(init.module, {
    env: {
      memory: init.memory,
      abort: (_message: number, _file: number, line: number, column: number) => {
        throw new Error(`simdnet kernel assertion failed (line ${line}, column ${column})`);
      },
    },
  });
  const s = init.slots;
  const control = new Int32Array(init.control, 0, init.controlInts);
  const args = new Float64Array(init.control, init.argsAt);
  const kernels = init.names.map((name) => instance.exports[name] as (...a: number[]) => number);
  ready();
  let seen = 0;
  for (;;) {
    let job = Atomics.load(control, s.JOB);
    const deadline = performance.now() + init.spinMs;
    for (let spins = 1; job === seen; job = Atomics.load(control, s.JOB), spins++) {
      if ((spins & 1023) === 0 && performance.now() > deadline) {
        Atomics.add(control, s.SLEEPERS, 1);
        Atomics.wait(control, s.JOB, seen); // returns at once if JOB has moved on
        Atomics.sub(control, s.SLEEPERS, 1);
      }
    }
    if (job < 0) return;
    seen = job;
    runChunks(control, args, kernels, s, init.argsPerChunk);
  }
}

/** Starts the worker's body: Node's worker_threads (eval'd CommonJS) or a Web Worker from a Blob URL. */
const BODY = `${runChunks.toString()}\n${workerMain.toString()}`;
const NODE_BOOT = `const { parentPort } = require('node:worker_threads');
${BODY}
parentPort.once('message', (init) => ${workerMain.name}(init, () => parentPort.postMessage('ready')));`;
const WEB_BOOT = `${BODY}
self.onmessage = (event) => ${workerMain.name}(event.data, () => self.postMessage('ready'));`;

/** The kernels workers run, by index. */
export const THREAD_KERNELS = ['forward', 'backpropDelta', 'weightGradientRows', 'sgdDenseRows', 'sgd', 'momentum',
  'adam'] as const;
type ThreadKernel = (typeof THREAD_KERNELS)[number];

const WORKER_THREADS = 'node:worker_threads'; // a variable: bundlers leave the import alone

/** Starts one worker over the shared module, memory and control block; resolves to how to stop it. */
async function startWorker(init: WorkerInit): Promise<() => void> {
  const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';
  if (isNode) {
    const { Worker } = await import(/* @vite-ignore */ WORKER_THREADS) as typeof import('node:worker_threads');
    const worker = new Worker(NODE_BOOT, { eval: true, name: 'simdnet-kernels' });
    worker.unref(); // an idle pool never keeps a process alive
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
      worker.postMessage(init);
    });
    return () => void worker.terminate();
  }
  if (typeof Worker === 'function' && typeof Blob === 'function') {
    const url = URL.createObjectURL(new Blob([WEB_BOOT], { type: 'text/javascript' }));
    const worker = new Worker(url, { name: 'simdnet-kernels' });
    await new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage(init);
    });
    URL.revokeObjectURL(url);
    return () => worker.terminate();
  }
  throw new SimdnetError('UNSUPPORTED_RUNTIME', 'threads: needs worker_threads (Node) or Web Workers; use threads: 1');
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

/** Workers waiting for chunks of kernel calls. */
export class ThreadPool {
  private job = 0;
  private readonly blocking = canBlock();

  private constructor(private readonly control: Int32Array, private readonly args: Float64Array,
    private readonly kernels: ((...a: number[]) => number)[], private readonly stops: (() => void)[]) {}

  static async create(module: WebAssembly.Module, memory: WebAssembly.Memory, core: CoreExports,
    workers: number): Promise<ThreadPool> {
    const buffer = new SharedArrayBuffer(ARGS_AT + MAX_CHUNKS * ARGS_PER_CHUNK * 8);
    const control = new Int32Array(buffer, 0, CONTROL_INTS);
    control[SLOTS.NEXT] = CLOSED;
    const init: WorkerInit = { module, memory, control: buffer, names: [...THREAD_KERNELS], slots: SLOTS,
      controlInts: CONTROL_INTS, argsAt: ARGS_AT, argsPerChunk: ARGS_PER_CHUNK, spinMs: threadTuning.spinMs };
    const stops = await Promise.all(Array.from({ length: workers }, () => startWorker(init)));
    const kernels = THREAD_KERNELS.map((name) => core[name] as unknown as (...a: number[]) => number);
    return new ThreadPool(control, new Float64Array(buffer, ARGS_AT), kernels, stops);
  }

  get workers(): number {
    return this.stops.length;
  }

  /**
   * Runs `kernel` once per chunk (each an argument list), the chunks shared out between this thread and the
   * workers as each is free; returns whether every chunk's kernel returned non-zero (for the kernels that report a
   * finite step).
   */
  run(kernel: ThreadKernel, chunks: number[][]): boolean {
    const { control, args } = this;
    if (chunks.length > MAX_CHUNKS) throw new Error(`simdnet: ${chunks.length} chunks, more than ${MAX_CHUNKS}`);
    args.fill(0, 0, chunks.length * ARGS_PER_CHUNK);
    chunks.forEach((chunk, i) => args.set(chunk, i * ARGS_PER_CHUNK));
    control[SLOTS.KERNEL] = THREAD_KERNELS.indexOf(kernel);
    control[SLOTS.CHUNKS] = chunks.length;
    control[SLOTS.DONE] = 0;
    control[SLOTS.ALL] = 1;
    control[SLOTS.FAILED] = 0;
    Atomics.store(control, SLOTS.NEXT, 0);
    Atomics.store(control, SLOTS.JOB, ++this.job);
    if (Atomics.load(control, SLOTS.SLEEPERS) > 0) Atomics.notify(control, SLOTS.JOB);
    runChunks(control, args, this.kernels, SLOTS, ARGS_PER_CHUNK);
    const deadline = performance.now() + threadTuning.spinMs;
    for (let done = Atomics.load(control, SLOTS.DONE), spins = 1; done < chunks.length;
      done = Atomics.load(control, SLOTS.DONE), spins++) {
      if (this.blocking && (spins & 1023) === 0 && performance.now() > deadline) {
        Atomics.store(control, SLOTS.CALLER_SLEEPS, 1);
        Atomics.wait(control, SLOTS.DONE, done); // returns at once if DONE has moved on
        Atomics.store(control, SLOTS.CALLER_SLEEPS, 0);
      }
    }
    Atomics.store(control, SLOTS.NEXT, CLOSED);
    if (control[SLOTS.FAILED]) throw new Error(`simdnet: kernel ${kernel} failed on a thread`);
    return control[SLOTS.ALL] === 1;
  }

  dispose(): void {
    Atomics.store(this.control, SLOTS.JOB, -1);
    Atomics.notify(this.control, SLOTS.JOB); // whether or not they sleep
    for (const stop of this.stops) stop();
    this.stops.length = 0;
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

/**
 * The kernels of a Wasm backend with threads: large products and optimiser passes are split across the pool;
 * everything else (and anything small) is WasmKernels' own, with no call in between.
 */
export class ThreadedKernels extends WasmKernels {
  private readonly chooser = new Chooser();

  constructor(core: CoreExports, private readonly pool: ThreadPool) {
    super(core);
  }

  /** How many chunks a job is worth, given `units` rows to split in steps of `step` (1: do not split). */
  private chunks(units: number, step: number): number {
    const threads = this.pool.workers + 1;
    return Math.max(1, Math.min(threads * threadTuning.chunksPerThread, Math.floor(units / step), MAX_CHUNKS));
  }

  /** Chunks of a product of this size, split along `units` rows in steps of `step`. */
  private productChunks(rows: number, inner: number, cols: number, units: number, step: number): number {
    return 2 * rows * inner * cols < threadTuning.minimumFlops ? 1 : this.chunks(units, step);
  }

  override forward(x: number, w: number, bias: number, out: number, rows: number, inner: number, cols: number): void {
    const chunks = this.productChunks(rows, inner, cols, rows, 4);
    if (chunks < 2) return super.forward(x, w, bias, out, rows, inner, cols);
    const bounds = split(rows, chunks, 4);
    this.chooser.run(`forward ${rows} ${inner} ${cols}`, (split) => {
      if (!split) return super.forward(x, w, bias, out, rows, inner, cols);
      this.pool.run('forward', bounds.slice(1).map((end, i) => [ptr(x + bounds[i] * inner), ptr(w), ptr(bias),
        ptr(out + bounds[i] * cols), end - bounds[i], inner, cols]));
    });
  }

  override backpropDelta(delta: number, w: number, dx: number, rows: number, cols: number, inner: number): void {
    const chunks = this.productChunks(rows, inner, cols, rows, 2);
    if (chunks < 2) return super.backpropDelta(delta, w, dx, rows, cols, inner);
    const bounds = split(rows, chunks, 2);
    this.chooser.run(`backpropDelta ${rows} ${inner} ${cols}`, (split) => {
      if (!split) return super.backpropDelta(delta, w, dx, rows, cols, inner);
      this.pool.run('backpropDelta', bounds.slice(1).map((end, i) => [ptr(delta + bounds[i] * cols), ptr(w),
        ptr(dx + bounds[i] * inner), end - bounds[i], cols, inner]));
    });
  }

  override weightGradient(x: number, delta: number, dw: number, db: number, rows: number, inner: number, cols: number): void {
    const chunks = this.productChunks(rows, inner, cols, inner, 4);
    if (chunks < 2) return super.weightGradient(x, delta, dw, db, rows, inner, cols);
    const bounds = split(inner, chunks, 4);
    this.chooser.run(`weightGradient ${rows} ${inner} ${cols}`, (split) => {
      if (!split) return super.weightGradient(x, delta, dw, db, rows, inner, cols);
      this.pool.run('weightGradientRows', bounds.slice(1).map((end, i) => [ptr(x), ptr(delta), ptr(dw),
        i === 0 ? ptr(db) : 0, rows, inner, cols, bounds[i], end]));
    });
  }

  override sgdDense(x: number, delta: number, wIn: number, wOut: number, bIn: number, bOut: number,
    rows: number, inner: number, cols: number, learningRate: number, scale: number): boolean {
    const chunks = this.productChunks(rows, inner, cols, inner, 4);
    if (chunks < 2) return super.sgdDense(x, delta, wIn, wOut, bIn, bOut, rows, inner, cols, learningRate, scale);
    const bounds = split(inner, chunks, 4);
    return this.chooser.run(`sgdDense ${rows} ${inner} ${cols}`, (split) => {
      if (!split) return super.sgdDense(x, delta, wIn, wOut, bIn, bOut, rows, inner, cols, learningRate, scale);
      return this.pool.run('sgdDenseRows', bounds.slice(1).map((end, i) => [ptr(x), ptr(delta), ptr(wIn), ptr(wOut),
        i === 0 ? ptr(bIn) : 0, i === 0 ? ptr(bOut) : 0, rows, inner, cols, learningRate, scale, bounds[i], end]));
    });
  }

  /** Chunks of an optimiser pass over `count` parameters: ranges in multiples of 4 slots (16-byte aligned). */
  private passBounds(count: number): number[] | undefined {
    if (count < threadTuning.minimumParameters) return undefined;
    const bounds = split(count, this.chunks(count, 4), 4);
    return bounds.length > 2 ? bounds : undefined;
  }

  override sgd(paramIn: number, paramOut: number, grad: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number): boolean {
    const bounds = this.passBounds(count);
    if (!bounds) return super.sgd(paramIn, paramOut, grad, count, learningRate, scale, l1, l2);
    return this.chooser.run(`sgd ${count}`, (split) => {
      if (!split) return super.sgd(paramIn, paramOut, grad, count, learningRate, scale, l1, l2);
      return this.pool.run('sgd', bounds.slice(1).map((end, i) => [ptr(paramIn + bounds[i]), ptr(paramOut + bounds[i]),
        ptr(grad + bounds[i]), end - bounds[i], learningRate, scale, l1, l2]));
    });
  }

  override momentum(paramIn: number, paramOut: number, grad: number, velocity: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number, momentum: number, nesterov: boolean): boolean {
    const bounds = this.passBounds(count);
    const whole = () =>
      super.momentum(paramIn, paramOut, grad, velocity, count, learningRate, scale, l1, l2, momentum, nesterov);
    if (!bounds) return whole();
    return this.chooser.run(`momentum ${count}`, (split) => {
      if (!split) return whole();
      return this.pool.run('momentum', bounds.slice(1).map((end, i) => [ptr(paramIn + bounds[i]),
        ptr(paramOut + bounds[i]), ptr(grad + bounds[i]), ptr(velocity + bounds[i]), end - bounds[i], learningRate,
        scale, l1, l2, momentum, nesterov ? 1 : 0]));
    });
  }

  override adam(paramIn: number, paramOut: number, grad: number, m: number, v: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number,
    beta1: number, beta2: number, epsilon: number, correction1: number, correction2: number): boolean {
    const bounds = this.passBounds(count);
    const whole = () => super.adam(paramIn, paramOut, grad, m, v, count, learningRate, scale, l1, l2, beta1, beta2,
      epsilon, correction1, correction2);
    if (!bounds) return whole();
    return this.chooser.run(`adam ${count}`, (split) => {
      if (!split) return whole();
      return this.pool.run('adam', bounds.slice(1).map((end, i) => [ptr(paramIn + bounds[i]), ptr(paramOut + bounds[i]),
        ptr(grad + bounds[i]), ptr(m + bounds[i]), ptr(v + bounds[i]), end - bounds[i], learningRate, scale, l1, l2,
        beta1, beta2, epsilon, correction1, correction2]));
    });
  }
}
