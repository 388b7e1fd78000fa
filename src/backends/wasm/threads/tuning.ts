// The knobs of `threads: n`, in one object so that tests and benchmarks can lower the thresholds or switch the
// timing off.

export const threadTuning = {
  /**
   * Products below this many FLOPs (2·rows·inner·cols) run on the calling thread alone; above it the chooser times
   * both ways. Not lower: the chooser times a kernel alone, and a split weight step leaves half the weights in the
   * other core's cache for the next forward pass, a cost it does not see. W1's layer (784×30 at batch 10, 4.7·10⁵
   * FLOPs per product) trained at 0.855× one thread's speed split from 2^18 in a full bench run.
   */
  minimumFlops: 2 ** 21,
  /** Passes (optimiser steps, a minibatch's gather) over fewer elements run on the calling thread alone. */
  minimumParameters: 2 ** 15,
  /**
   * How long a waiting thread spins before it sleeps in Atomics.wait (ms): long enough to stay awake between the
   * kernel calls of a training step, short enough to cost nothing once training stops.
   */
  spinMs: 2,
  /** Chunks per thread a split job is cut into at most (fewer where the rows or the work run out). */
  chunksPerThread: 4,
  /**
   * The least work worth a chunk of its own, in FLOPs for products and elements for passes: a chunk costs a
   * claim and a call into the core, so a job about this small per thread is one chunk per thread.
   */
  chunkFlops: 2 ** 19,
  chunkParameters: 2 ** 15,
  /** Time both ways now and then and keep the faster (false: always split what is above the thresholds). */
  adaptive: true,
  /** When set, sees every split job once it is done: which thread ran each chunk, and when (for benchmarks). */
  trace: undefined as ((job: JobTrace) => void) | undefined,
  /** When set, sees every check of the chooser: the kernel and shape, the trials' medians (ms), and the verdict. */
  verdict: undefined as ((check: Check) => void) | undefined,
};

/** One check of the chooser (see Chooser). */
export interface Check {
  key: string;
  split: number;
  whole: number;
  splitting: boolean;
}

/** A split job as run: times in ms of the calling thread's performance.now(). */
export interface JobTrace {
  /** The core's export run. */
  kernel: string;
  /** When the caller posted the job, and when it saw every chunk done. */
  posted: number;
  done: number;
  /** Each chunk in order: the thread that ran it (0: the caller) and when. */
  chunks: { thread: number; start: number; end: number }[];
}
