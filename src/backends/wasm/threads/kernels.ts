// The kernels of a Wasm backend with threads, made from the kernel table (src/core/kernels.ts): a kernel with a
// `split` runs in parts on the pool, the others are the single-thread wrappers themselves, with nothing in between.
//
// Results are bit-identical to one thread: every element of a product is one sum, in one order, whichever tile
// computes it; so splitting the output of forward and backpropDelta by rows of samples, and the weight gradient
// (or the fused SGD step) by rows of weights, gives the very same numbers, as does splitting an elementwise
// optimiser pass by ranges of parameters, or a minibatch's gather by its rows. Nothing is reduced across threads
// except the finite flags (an AND). Work below `threadTuning`'s thresholds stays on the calling thread; above them,
// each kernel and shape is timed both ways now and then and runs the faster way (Chooser), so splitting never makes
// it slower.

import { KERNELS, type KernelName, type KernelSpec, type Kernels, type Split, parseArg } from '../../../core/kernels.js';
import { type KernelFunction, ptr } from '../kernels.js';
import type { CoreExports } from '../module.js';
import { Chooser, split } from './chooser.js';
import type { ThreadPool } from './pool.js';
import { ARGS_PER_CHUNK, MAX_CHUNKS } from './protocol.js';
import { threadTuning } from './tuning.js';

/** The kernels with a `split` in the table. */
const SPLIT = (Object.keys(KERNELS) as KernelName[]).flatMap((name) => {
  const spec: KernelSpec = KERNELS[name];
  return spec.split ? [{ name, spec, split: spec.split }] : [];
});

/** The core's exports workers run: each split kernel's ranged export, or the kernel itself. */
export const THREAD_KERNELS = SPLIT.map(({ name, split: { ranged } }) => (ranged ?? name) as keyof CoreExports);

/** A core instance's single-thread kernels (`whole`), those with a split sharing their work with `pool`. */
export function threadedKernels(whole: Kernels, pool: ThreadPool): Kernels {
  const single = whole as unknown as Record<KernelName, KernelFunction>;
  const kernels = { ...single };
  const chooser = new Chooser();
  for (const { name, spec, split: how } of SPLIT) {
    kernels[name] = threadedKernel(name, spec, how, single[name], pool, chooser);
  }
  return kernels as unknown as Kernels;
}

/**
 * How many chunks a job of `work` (FLOPs, or elements of a pass) is cut into, given `units` rows to split in steps
 * of `step`: up to chunksPerThread per thread, each worth at least `chunkWork`, so that a small job is one chunk per
 * thread (1: do not split).
 */
function chunkCount(pool: ThreadPool, units: number, step: number, work: number, chunkWork: number): number {
  const threads = pool.workers + 1;
  const perThread = Math.max(1, Math.min(threadTuning.chunksPerThread, Math.floor(work / (threads * chunkWork))));
  return Math.max(1, Math.min(threads * perThread, Math.floor(units / step), MAX_CHUNKS));
}

/**
 * Kernel `name` split across the pool when large enough, else `whole` (the single-thread wrapper). Its arguments
 * are kept in a scratch array (`given`) and a split call's parts are written straight into the pool's argument
 * block, so that no call allocates.
 */
function threadedKernel(name: KernelName, spec: KernelSpec, how: Split, whole: KernelFunction, pool: ThreadPool,
  chooser: Chooser): KernelFunction {
  const args = spec.args.map(parseArg);
  const index = (argument: string): number => {
    const i = args.findIndex((a) => a.name === argument);
    if (i < 0) throw new Error(`simdnet: kernel ${name} has no argument ${argument}`);
    return i;
  };
  const along = index(how.along);
  const [rows, inner, cols] = how.size === 'product' ? ['rows', 'inner', 'cols'].map(index) : [along, along, along];
  const per = how.per === undefined ? -1 : index(how.per);
  /** Per argument: −1 if it is no pointer, else what its offset advances by per unit of `along` (0: not at all). */
  const strides = args.map((a) => {
    if (!a.kind.startsWith('ptr')) return -1;
    const stride = how.advance?.[a.name];
    return stride === undefined ? 0 : stride === 1 ? 1 : -2 - index(stride); // −2 − i: the value of argument i
  });
  const firstOnly = args.map((_, i) => (how.firstOnly ?? []).map(index).includes(i));
  const kernel = pool.kernel(how.ranged ?? name);
  const given = new Float64Array(ARGS_PER_CHUNK);
  const bounds = new Int32Array(MAX_CHUNKS + 1);
  let parts = 0;

  /** Writes the arguments of each part, as the core takes them (pointers as byte addresses), into the pool's block. */
  const write = (): void => {
    const out = pool.args;
    for (let part = 0; part < parts; part++) {
      const first = bounds[part];
      const end = bounds[part + 1];
      const at = part * ARGS_PER_CHUNK;
      for (let i = 0; i < args.length; i++) {
        const value = given[i];
        const stride = strides[i];
        out[at + i] = stride === -1 ? (i === along && !how.ranged ? end - first : value)
          : (part > 0 && firstOnly[i]) || value < 0 ? 0
            : ptr(value + first * (stride >= 0 ? stride : given[-2 - stride]));
      }
      if (how.ranged) {
        out[at + args.length] = first;
        out[at + args.length + 1] = end;
      }
    }
  };

  /** Whether the call whose arguments are in `given` is large enough to split; if so, its parts are in `bounds`. */
  const splits = (): boolean => {
    const units = given[along];
    const product = how.size === 'product';
    const work = product ? 2 * given[rows] * given[inner] * given[cols] : per < 0 ? units : units * given[per];
    if (work < (product ? threadTuning.minimumFlops : threadTuning.minimumParameters)) return false;
    const chunks = chunkCount(pool, units, how.step, work, product ? threadTuning.chunkFlops : threadTuning.chunkParameters);
    parts = split(units, chunks, how.step, bounds);
    return parts > 1;
  };
  /** The call whose arguments are in `given` (and parts in `bounds`), split or whole. */
  const call = (splitting: boolean): unknown => {
    if (!splitting) {
      return whole(given[0], given[1], given[2], given[3], given[4], given[5], given[6], given[7], given[8], given[9],
        given[10], given[11], given[12], given[13], given[14]);
    }
    write();
    return pool.run(kernel, parts);
  };
  /** The same, split or whole as the chooser finds faster for its shape. */
  const shared = (): unknown => chooser.run(how.size === 'product'
    ? `${name} ${given[rows]} ${given[inner]} ${given[cols]}` : `${name} ${given[along]} ${per < 0 ? 1 : given[per]}`, call);

  // A closure of the kernel's own arity, as in wasmKernel: a call that stays whole passes its arguments on as given.
  switch (spec.args.length) {
    case 6: return (a0, a1, a2, a3, a4, a5) => {
      given[0] = a0; given[1] = a1; given[2] = a2; given[3] = a3; given[4] = a4; given[5] = a5;
      return splits() ? shared() : whole(a0, a1, a2, a3, a4, a5);
    };
    case 7: return (a0, a1, a2, a3, a4, a5, a6) => {
      given[0] = a0; given[1] = a1; given[2] = a2; given[3] = a3; given[4] = a4; given[5] = a5; given[6] = a6;
      return splits() ? shared() : whole(a0, a1, a2, a3, a4, a5, a6);
    };
    case 8: return (a0, a1, a2, a3, a4, a5, a6, a7) => {
      given[0] = a0; given[1] = a1; given[2] = a2; given[3] = a3; given[4] = a4; given[5] = a5; given[6] = a6;
      given[7] = a7;
      return splits() ? shared() : whole(a0, a1, a2, a3, a4, a5, a6, a7);
    };
    case 11: return (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10) => {
      given[0] = a0; given[1] = a1; given[2] = a2; given[3] = a3; given[4] = a4; given[5] = a5; given[6] = a6;
      given[7] = a7; given[8] = a8; given[9] = a9; given[10] = a10;
      return splits() ? shared() : whole(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
    };
    case 15: return (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14) => {
      given[0] = a0; given[1] = a1; given[2] = a2; given[3] = a3; given[4] = a4; given[5] = a5; given[6] = a6;
      given[7] = a7; given[8] = a8; given[9] = a9; given[10] = a10; given[11] = a11; given[12] = a12; given[13] = a13;
      given[14] = a14;
      return splits() ? shared() : whole(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14);
    };
    default: throw new Error(`simdnet: no threaded shape for a kernel of ${spec.args.length} arguments (add one here)`);
  }
}
