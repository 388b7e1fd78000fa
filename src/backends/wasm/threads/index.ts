// `threads: n` for the Wasm backend: what backend.ts imports, dynamically, only when n > 1 — so a bundle that splits
// chunks loads the pool, the worker source and the threaded kernels only for users who ask for threads.

import type { Kernels } from '../../../core/kernels.js';
import type { SimdMode } from '../../../core/spec.js';
import { wasmKernels } from '../kernels.js';
import { type CoreExports, coreImports } from '../module.js';
import { THREAD_KERNELS, threadedKernels } from './kernels.js';
import { sharedCoreModule, sharedMemory } from './memory.js';
import { ThreadPool } from './pool.js';
import { threadTuning } from './tuning.js';

export interface Threads {
  memory: WebAssembly.Memory;
  core: CoreExports;
  kernels: Kernels;
  /** Backend.kernelsFor: the single-thread kernels for phases too small for any split (threadTuning's thresholds). */
  kernelsFor(flops: number, elements: number): Kernels;
  /** Stops the workers. */
  stop(): void;
}

/** The core over a fresh shared memory, with `threads` − 1 workers running its large kernels beside this thread. */
export async function startThreads(simd: SimdMode, threads: number): Promise<Threads> {
  const { memory, maximumPages } = sharedMemory();
  const module = await sharedCoreModule(simd, maximumPages);
  const core = (await WebAssembly.instantiate(module, coreImports(memory))).exports as unknown as CoreExports;
  const pool = await ThreadPool.create(module, memory, core, THREAD_KERNELS, threads - 1);
  const whole = wasmKernels(core);
  const kernels = threadedKernels(whole, pool);
  const kernelsFor = (flops: number, elements: number): Kernels =>
    flops < threadTuning.minimumFlops && elements < threadTuning.minimumParameters ? whole : kernels;
  return { memory, core, kernels, kernelsFor, stop: () => pool.dispose() };
}
