// The protocol between the calling thread and the workers: a control block of Int32 slots and the chunks' Float64
// arguments in one SharedArrayBuffer, the loop every thread runs to claim chunks, and the workers' source text.

import { MAX_THREADS } from '../../../core/spec.js';

/** Float64 arguments per chunk, and the most chunks a job may have. */
export const ARGS_PER_CHUNK = 16;
export const MAX_CHUNKS = 64;

/**
 * Slots of the control block (Int32), shared by the calling thread and every worker; the chunks' arguments follow
 * from byte ARGS_AT. A job's chunks are dealt out in one contiguous range per thread (thread t's: chunks
 * [⌊C·t/T⌋, ⌊C·(t+1)/T⌋) of C, T threads), each range with its counter of claims at NEXT + t; a counter is CLOSED
 * between jobs, so that a worker which wakes late claims nothing: the caller writes a job, then opens the
 * counters, then raises JOB.
 */
export const SLOTS = {
  /** The job number: raised to post a job; −1 stops the workers. */
  JOB: 0,
  KERNEL: 1,
  CHUNKS: 2,
  /** Chunks finished. */
  DONE: 3,
  /** 1 until a chunk's kernel returns 0 (a step that is not finite). */
  ALL: 4,
  /** 1 once a chunk threw. */
  FAILED: 5,
  /** Workers blocked in Atomics.wait on JOB (only then is notify, a system call, needed). */
  SLEEPERS: 6,
  /** 1 while the caller blocks on DONE. */
  CALLER_SLEEPS: 7,
  /** 1 while every chunk's thread and times are recorded (see Thread.trace). */
  TRACING: 8,
  /** The next chunk to claim in thread t's range is at NEXT + t (Atomics.add), for every t < MAX_THREADS. */
  NEXT: 16,
} as const;
export type Slots = typeof SLOTS;
export const CONTROL_INTS = SLOTS.NEXT + MAX_THREADS;
export const ARGS_AT = CONTROL_INTS * 4;
/** Where the trace (three Float64 per chunk: thread, start, end) starts, after the chunks' arguments. */
export const TRACE_AT = ARGS_AT + MAX_CHUNKS * ARGS_PER_CHUNK * 8;
export const BUFFER_BYTES = TRACE_AT + MAX_CHUNKS * 3 * 8;
export const CLOSED = 2 ** 30;

/** What a worker receives once: the module, the shared memory, the control block, the kernels' names. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  names: string[];
  slots: Slots;
  controlInts: number;
  argsAt: number;
  argsPerChunk: number;
  maxChunks: number;
  traceAt: number;
  spinMs: number;
  /** The caller's performance.timeOrigin: trace times are on its clock. */
  origin: number;
  /** Threads in the pool, the caller included. */
  threads: number;
  /** This worker's thread number, 1…: its packing area (assembly/matmul.ts) is the one after the caller's. */
  thread: number;
}

/** What runChunks works with, made once per thread. */
export interface Thread {
  control: Int32Array;
  args: Float64Array;
  /** Per chunk: the thread that ran it, when it started and ended (ms on the caller's clock), while TRACING. */
  trace: Float64Array;
  kernels: ((...a: number[]) => number)[];
  slots: Slots;
  argsPerChunk: number;
  /** This thread's number (0: the caller), and how many there are. */
  thread: number;
  threads: number;
  /** What turns this thread's performance.now() into the caller's. */
  shift: number;
}

/**
 * Claims and runs chunks of the posted job until none is left; the caller (thread 0) and the workers all run this.
 * A thread takes the chunks of its own range first, in order, then helps with what is left of the others': so that
 * the same thread computes the same rows in every job of one shape (the caller the first ones), and the data one job
 * writes is mostly in the cache of the core whose thread reads it in the next; a thread that starts late, or shares
 * its core with another process, takes fewer chunks and delays no one. The job's kernel and chunk count are read
 * after each claim: a claim that succeeds pins the job (the caller posts no other until every chunk is done). Part
 * of every worker's source text, so it refers to nothing outside itself.
 */
export function runChunks(t: Thread): void {
  const { control, args, slots: s, argsPerChunk, threads } = t;
  for (let k = 0; k < threads; k++) {
    const range = (t.thread + k) % threads;
    for (;;) {
      const i = Atomics.add(control, s.NEXT + range, 1);
      const chunks = Atomics.load(control, s.CHUNKS);
      if (i >= Math.floor((chunks * (range + 1)) / threads)) break;
      const a = i * argsPerChunk;
      const tracing = control[s.TRACING] === 1;
      const start = tracing ? performance.now() + t.shift : 0;
      try {
        const result = t.kernels[Atomics.load(control, s.KERNEL)](args[a], args[a + 1], args[a + 2], args[a + 3],
          args[a + 4], args[a + 5], args[a + 6], args[a + 7], args[a + 8], args[a + 9], args[a + 10], args[a + 11],
          args[a + 12], args[a + 13], args[a + 14], args[a + 15]);
        if (result === 0) Atomics.store(control, s.ALL, 0);
      } catch {
        Atomics.store(control, s.FAILED, 1);
      }
      if (tracing) {
        t.trace[i * 3] = t.thread;
        t.trace[i * 3 + 1] = start;
        t.trace[i * 3 + 2] = performance.now() + t.shift;
      }
      if (Atomics.add(control, s.DONE, 1) + 1 === chunks && Atomics.load(control, s.CALLER_SLEEPS) === 1) {
        Atomics.notify(control, s.DONE);
      }
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
  (instance.exports.setThread as (index: number) => void)(init.thread);
  const s = init.slots;
  const control = new Int32Array(init.control, 0, init.controlInts);
  const t: Thread = {
    control, args: new Float64Array(init.control, init.argsAt, init.argsPerChunk * init.maxChunks),
    trace: new Float64Array(init.control, init.traceAt, 3 * init.maxChunks),
    kernels: init.names.map((name) => instance.exports[name] as (...a: number[]) => number),
    slots: s, argsPerChunk: init.argsPerChunk, thread: init.thread, threads: init.threads,
    shift: performance.timeOrigin - init.origin,
  };
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
    runChunks(t);
  }
}

/** Starts the worker's body: Node's worker_threads (eval'd CommonJS) or a Web Worker from a Blob URL. */
const BODY = `${runChunks.toString()}\n${workerMain.toString()}`;
export const NODE_BOOT = `const { parentPort } = require('node:worker_threads');
${BODY}
parentPort.once('message', (init) => ${workerMain.name}(init, () => parentPort.postMessage('ready')));`;
export const WEB_BOOT = `${BODY}
self.onmessage = (event) => ${workerMain.name}(event.data, () => self.postMessage('ready'));`;

