// The worker pool: n − 1 workers (worker_threads in Node, Web Workers on cross-origin isolated pages) that
// instantiate the core module over the network's shared memory and wait for chunks of kernel calls. A split job is
// cut into a few chunks per thread, which the threads claim one at a time (an atomic counter): a worker that starts
// late, or shares its core with another process, takes fewer chunks and delays no one. Waiting threads spin for a
// while before they sleep, since waking a sleeper costs a system call and tens of microseconds.
//
// Node's worker_threads is imported dynamically, by a name held in a variable, and only when a pool starts in Node:
// bundles for the browser keep no static `node:` import.

import { SimdnetError } from '../../../core/errors.js';
import { MAX_THREADS } from '../../../core/spec.js';
import { ARGS_AT, ARGS_PER_CHUNK, BUFFER_BYTES, CLOSED, CONTROL_INTS, MAX_CHUNKS, NODE_BOOT, SLOTS, TRACE_AT,
  type Thread, WEB_BOOT, type WorkerInit, runChunks } from './protocol.js';
import type { CoreExports } from '../module.js';
import { type JobTrace, threadTuning } from './tuning.js';

const WORKER_THREADS = 'node:worker_threads'; // a variable (and the comments below): bundlers leave the import alone

/** Starts one worker over the shared module, memory and control block; resolves to how to stop it. */
async function startWorker(init: WorkerInit): Promise<() => void> {
  const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';
  if (isNode) {
    const { Worker } = await import(/* @vite-ignore */ /* webpackIgnore: true */ WORKER_THREADS) as typeof import('node:worker_threads');
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

  /**
   * @param args Each chunk's arguments, ARGS_PER_CHUNK apart, as the core takes them: the caller writes a job's
   *   chunks here, then runs it.
   */
  private constructor(private readonly caller: Thread, private readonly names: readonly string[],
    private readonly stops: (() => void)[]) {}

  /** `workers` workers over `module` and `memory`, running the core's exports `names` (as `core` does here). */
  static async create(module: WebAssembly.Module, memory: WebAssembly.Memory, core: CoreExports,
    names: readonly (keyof CoreExports)[], workers: number): Promise<ThreadPool> {
    const buffer = new SharedArrayBuffer(BUFFER_BYTES);
    const control = new Int32Array(buffer, 0, CONTROL_INTS);
    if (workers + 1 > MAX_THREADS) throw new Error(`simdnet: ${workers + 1} threads, more than ${MAX_THREADS}`);
    control.fill(CLOSED, SLOTS.NEXT, SLOTS.NEXT + MAX_THREADS);
    const init: Omit<WorkerInit, 'thread'> = { module, memory, control: buffer, names: [...names], slots: SLOTS,
      controlInts: CONTROL_INTS, argsAt: ARGS_AT, argsPerChunk: ARGS_PER_CHUNK, maxChunks: MAX_CHUNKS, traceAt: TRACE_AT,
      spinMs: threadTuning.spinMs, origin: performance.timeOrigin, threads: workers + 1 };
    const stops = await Promise.all(Array.from({ length: workers }, (_, i) => startWorker({ ...init, thread: i + 1 })));
    const caller: Thread = {
      control, args: new Float64Array(buffer, ARGS_AT, ARGS_PER_CHUNK * MAX_CHUNKS),
      trace: new Float64Array(buffer, TRACE_AT, 3 * MAX_CHUNKS),
      kernels: names.map((name) => core[name] as unknown as (...a: number[]) => number),
      slots: SLOTS, argsPerChunk: ARGS_PER_CHUNK, thread: 0, threads: workers + 1, shift: 0,
    };
    return new ThreadPool(caller, names, stops);
  }

  /** Each chunk's arguments, ARGS_PER_CHUNK apart, as the core takes them: the caller writes a job's chunks here. */
  get args(): Float64Array {
    return this.caller.args;
  }

  get workers(): number {
    return this.stops.length;
  }

  /** The number by which `run` knows the core's export `name`. */
  kernel(name: string): number {
    const index = this.names.indexOf(name);
    if (index < 0) throw new Error(`simdnet: the thread pool does not run ${name}`);
    return index;
  }

  /**
   * Runs kernel number `kernel` once per chunk, on the arguments of chunks [0, chunks) in `args`, the chunks shared
   * out between this thread and the workers as each is free; returns whether every chunk's kernel returned non-zero
   * (for the kernels that report a finite step).
   */
  run(kernel: number, chunks: number): boolean {
    const { caller, caller: { control, threads } } = this;
    if (chunks > MAX_CHUNKS) throw new Error(`simdnet: ${chunks} chunks, more than ${MAX_CHUNKS}`);
    const { trace } = threadTuning;
    control[SLOTS.TRACING] = trace ? 1 : 0;
    if (trace) caller.trace.fill(NaN, 0, 3 * chunks); // a chunk left unrecorded shows
    const posted = trace ? performance.now() : 0;
    control[SLOTS.KERNEL] = kernel;
    control[SLOTS.CHUNKS] = chunks;
    control[SLOTS.DONE] = 0;
    control[SLOTS.ALL] = 1;
    control[SLOTS.FAILED] = 0;
    for (let t = 0; t < threads; t++) Atomics.store(control, SLOTS.NEXT + t, Math.floor((chunks * t) / threads));
    Atomics.store(control, SLOTS.JOB, ++this.job);
    if (Atomics.load(control, SLOTS.SLEEPERS) > 0) Atomics.notify(control, SLOTS.JOB);
    runChunks(caller);
    const deadline = performance.now() + threadTuning.spinMs;
    for (let done = Atomics.load(control, SLOTS.DONE), spins = 1; done < chunks;
      done = Atomics.load(control, SLOTS.DONE), spins++) {
      if (this.blocking && (spins & 1023) === 0 && performance.now() > deadline) {
        Atomics.store(control, SLOTS.CALLER_SLEEPS, 1);
        Atomics.wait(control, SLOTS.DONE, done); // returns at once if DONE has moved on
        Atomics.store(control, SLOTS.CALLER_SLEEPS, 0);
      }
    }
    for (let t = 0; t < threads; t++) Atomics.store(control, SLOTS.NEXT + t, CLOSED);
    if (trace) trace(this.jobTrace(kernel, chunks, posted));
    if (control[SLOTS.FAILED]) throw new Error(`simdnet: kernel ${this.names[kernel]} failed on a thread`);
    return control[SLOTS.ALL] === 1;
  }

  /** The job just done, from the chunks' records in the trace. */
  private jobTrace(kernel: number, chunks: number, posted: number): JobTrace {
    const done = performance.now();
    const t = this.caller.trace;
    return {
      kernel: this.names[kernel], posted, done,
      chunks: Array.from({ length: chunks }, (_, i) => ({ thread: t[i * 3], start: t[i * 3 + 1], end: t[i * 3 + 2] })),
    };
  }

  dispose(): void {
    const { control } = this.caller;
    Atomics.store(control, SLOTS.JOB, -1);
    Atomics.notify(control, SLOTS.JOB); // whether or not they sleep
    for (const stop of this.stops) stop();
    this.stops.length = 0;
  }
}

