// The protocol between the calling thread and the workers: a control block of Int32 slots and the chunks' Float64
// arguments in one SharedArrayBuffer, the loop every thread runs to claim chunks, and the workers' source text.

/** Float64 arguments per chunk, and the most chunks a job may have. */
export const ARGS_PER_CHUNK = 16;
export const MAX_CHUNKS = 64;

/**
 * Slots of the control block (Int32), shared by the calling thread and every worker; the chunks' arguments follow
 * from byte ARGS_AT. NEXT is CLOSED between jobs, so that a worker which wakes late claims nothing: the caller
 * writes a job, then opens NEXT, then raises JOB.
 */
export const SLOTS = {
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
export type Slots = typeof SLOTS;
export const CONTROL_INTS = 16;
export const ARGS_AT = CONTROL_INTS * 4;
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
  spinMs: number;
  /** This worker's thread number, 1…: its packing area (assembly/matmul.ts) is the one after the caller's. */
  thread: number;
}

/**
 * Claims and runs chunks of the posted job until none is left; the caller and the workers all run this. The job's
 * kernel and chunk count are read after each claim: a claim that succeeds pins the job (the caller posts no other
 * until every chunk is done). Part of every worker's source text, so it refers to nothing outside itself.
 */
export function runChunks(control: Int32Array, args: Float64Array, kernels: ((...a: number[]) => number)[], s: Slots,
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
  (instance.exports.setThread as (index: number) => void)(init.thread);
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
export const NODE_BOOT = `const { parentPort } = require('node:worker_threads');
${BODY}
parentPort.once('message', (init) => ${workerMain.name}(init, () => parentPort.postMessage('ready')));`;
export const WEB_BOOT = `${BODY}
self.onmessage = (event) => ${workerMain.name}(event.data, () => self.postMessage('ready'));`;

