// The knobs of `threads: n`, in one object so that tests and benchmarks can lower the thresholds or switch the
// timing off.

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

