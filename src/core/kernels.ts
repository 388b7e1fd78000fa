// The kernel set a backend provides, written once as a table: each kernel's arguments with their kinds, what it
// returns, and how its work divides between threads. The `Kernels` type, the Wasm backend's wrappers
// (src/backends/wasm/kernels.ts), the Wasm core's export types (src/backends/wasm/module.ts) and the threaded kernels
// (src/backends/wasm/threads/kernels.ts) all come from it; test/kernel-table.test.ts keeps it in parity with the
// exports of assembly/index.ts.
//
// Offsets are element indices into the backend's heap (4-byte slots of the Wasm memory, or entries of the JS
// backend's Float64Array); counts are elements. Matrices are row-major. Kernels are pure: they read and write only
// the regions they are given and never allocate.

import type { NumpyRandom } from './random.js';

/**
 * How an argument crosses to a kernel:
 * - `ptr`: the offset of a buffer (the Wasm core takes its byte address, offset × 4);
 * - `ptr?`: the same, or −1 for "no buffer" (the Wasm core takes 0);
 * - `int`: a count, an index or an id (i32);
 * - `f32`, `f64`: a scalar, at the precision the Wasm core takes it;
 * - `bool`: a flag (the Wasm core takes 0 or 1).
 */
export type ArgKind = 'ptr' | 'ptr?' | 'int' | 'f32' | 'f64' | 'bool';
/** An argument: its kind and name, as `kind:name`. */
export type Arg = `${ArgKind}:${string}`;
/**
 * What a kernel returns: nothing, a number (an f64 sum or an i32 count), or `finite`: whether every value it wrote
 * is finite (the Wasm core returns 0 or 1).
 */
export type ReturnKind = 'void' | 'f64' | 'i32' | 'finite';

/**
 * How a kernel's work divides between threads without changing a bit: its outputs are cut along the int argument
 * `along` (samples, rows of weights or parameters) into parts whose boundaries are multiples of `step` (the rows of
 * the core's tiles, so that no part ends in a short one: 5 for a stored product, 4 for a stepped one, as
 * assembly/matmul.ts tiles them); each output element is still computed whole, by one thread.
 */
export interface Split {
  along: string;
  step: number;
  /**
   * What decides whether splitting pays: a product's FLOPs (2·rows·inner·cols) or the length of a pass (`along`
   * times the int argument `per` when given: the elements of a pass over rows).
   */
  size: 'product' | 'pass';
  per?: string;
  /**
   * Either `advance`: a part is the same kernel on moved pointers, each pointer named here advancing by the part's
   * first index times its stride (an int argument's value, or 1), with `along` set to the part's length ...
   */
  advance?: Readonly<Record<string, string | 1>>;
  /**
   * ... or `ranged`: a part is this export of the Wasm core, which takes the kernel's arguments unchanged followed
   * by the part's [first, end).
   */
  ranged?: string;
  /** Pointers given to the first part only (the others get "no buffer"): outputs not indexed by `along`. */
  firstOnly?: readonly string[];
}

export interface KernelSpec {
  readonly args: readonly Arg[];
  readonly returns: ReturnKind;
  readonly split?: Split;
}

export const KERNELS = {
  /** out[rows×cols] = x[rows×inner] · w[inner×cols], plus bias[cols] on every row when `bias` ≥ 0. */
  forward: {
    args: ['ptr:x', 'ptr:w', 'ptr?:bias', 'ptr:out', 'int:rows', 'int:inner', 'int:cols'],
    returns: 'void',
    split: { along: 'rows', step: 5, size: 'product', advance: { x: 'inner', out: 'cols' } },
  },

  /** dx[rows×inner] = delta[rows×cols] · wᵀ, w being inner×cols: the error sent back to the layer below. */
  backpropDelta: {
    args: ['ptr:delta', 'ptr:w', 'ptr:dx', 'int:rows', 'int:cols', 'int:inner'],
    returns: 'void',
    split: { along: 'rows', step: 2, size: 'product', advance: { delta: 'cols', dx: 'inner' } },
  },

  /** dw[inner×cols] = xᵀ · delta (overwritten), and db[cols] = Σ over rows of delta when `db` ≥ 0. */
  weightGradient: {
    args: ['ptr:x', 'ptr:delta', 'ptr:dw', 'ptr?:db', 'int:rows', 'int:inner', 'int:cols'],
    returns: 'void',
    split: { along: 'inner', step: 5, size: 'product', ranged: 'weightGradientRows', firstOnly: ['db'] },
  },

  /** a = f(z) in place over rows×cols; softmax works row by row. `alpha` is leakyRelu's slope. */
  activate: {
    args: ['int:activation', 'f32:alpha', 'ptr:z', 'int:rows', 'int:cols'],
    returns: 'void',
  },

  /** g ← g ⊙ f′, in place, with f′ taken from the cached output `a` (softmax: the row's Jacobian times g). */
  activationBackward: {
    args: ['int:activation', 'f32:alpha', 'ptr:a', 'ptr:g', 'int:rows', 'int:cols'],
    returns: 'void',
  },

  /**
   * The output layer's delta = ∂C/∂z for each row into `delta`, from its output `a` and target `y`;
   * returns the loss summed over the rows. Softmax + categorical and sigmoid + binary cross-entropy are fused
   * (delta = a − y); other pairs take ∂C/∂a through activationBackward.
   */
  outputDelta: {
    args: ['int:loss', 'int:activation', 'f32:alpha', 'ptr:a', 'ptr:y', 'ptr:delta', 'int:rows', 'int:cols'],
    returns: 'f64',
  },

  /**
   * One layer's plain gradient descent step fused with its weight gradient (no momentum, no penalties):
   * wOut = wIn − learningRate·(scale·xᵀ·delta), and bOut = bIn − learningRate·(scale·Σ_rows delta) when bIn ≥ 0.
   * The same numbers as weightGradient then sgd with l1 = l2 = 0, without storing the gradient. True when every
   * new value is finite.
   */
  sgdDense: {
    args: ['ptr:x', 'ptr:delta', 'ptr:wIn', 'ptr:wOut', 'ptr?:bIn', 'ptr?:bOut', 'int:rows', 'int:inner', 'int:cols',
      'f64:learningRate', 'f64:scale'],
    returns: 'finite',
    split: { along: 'inner', step: 4, size: 'product', ranged: 'sgdDenseRows', firstOnly: ['bIn', 'bOut'] },
  },

  /** The loss summed over rows (no delta). */
  loss: {
    args: ['int:loss', 'ptr:a', 'ptr:y', 'int:rows', 'int:cols'],
    returns: 'f64',
  },

  /**
   * How many rows the output `a` gets right against the target `y`. For cols > 1 the first index of the row's
   * largest a must equal the first index of its largest y (strict >: ties go to the first, and a NaN is never
   * larger); for cols = 1, a ≥ 0.5 exactly when y ≥ 0.5.
   */
  countCorrect: {
    args: ['ptr:a', 'ptr:y', 'int:rows', 'int:cols'],
    returns: 'i32',
  },

  /** dst row r = src row index[start + r], for r < count; rows are rowLen long. */
  gatherRows: {
    args: ['ptr:src', 'ptr:index', 'int:start', 'int:count', 'int:rowLen', 'ptr:dst'],
    returns: 'void',
    split: { along: 'count', step: 8, size: 'pass', per: 'rowLen', advance: { index: 1, dst: 'rowLen' } },
  },

  /**
   * out[i] = x[i]·mask[i] over `count` elements (out may be x): dropout's kept outputs in the forward pass, and the
   * delta through the same mask in the backward pass.
   */
  applyMask: {
    args: ['ptr:x', 'ptr:mask', 'ptr:out', 'int:count'],
    returns: 'void',
  },

  /**
   * Optimiser steps over `count` parameters. The gradient used is g = scale·grad + l1·sign(p) + 2·l2·p
   * (grad holds sums over the batch; scale = 1/batch). New values go to `paramOut` so that `paramIn` still
   * holds the last good values if the step overflows. Each returns true when every new value is finite, the
   * optimiser state (velocity, m, v) included: a state overflowed to ∞ would otherwise freeze its parameter.
   */
  sgd: {
    args: ['ptr:paramIn', 'ptr:paramOut', 'ptr:grad', 'int:count', 'f64:learningRate', 'f64:scale', 'f64:l1',
      'f64:l2'],
    returns: 'finite',
    split: { along: 'count', step: 4, size: 'pass', advance: { paramIn: 1, paramOut: 1, grad: 1 } },
  },

  /** x ← factor·x in place over `count` elements (factor taken at the heap's precision, as `scale` above is). */
  scale: {
    args: ['ptr:x', 'int:count', 'f64:factor'],
    returns: 'void',
  },

  /** velocity ← μ·velocity − η·g; p ← p + velocity (Nesterov: p ← p + μ·velocity − η·g). */
  momentum: {
    args: ['ptr:paramIn', 'ptr:paramOut', 'ptr:grad', 'ptr:velocity', 'int:count', 'f64:learningRate', 'f64:scale',
      'f64:l1', 'f64:l2', 'f64:momentum', 'bool:nesterov'],
    returns: 'finite',
    split: { along: 'count', step: 4, size: 'pass', advance: { paramIn: 1, paramOut: 1, grad: 1, velocity: 1 } },
  },

  /** Adam with bias correction: correction1 = 1/(1 − β1ᵗ), correction2 = 1/(1 − β2ᵗ). */
  adam: {
    args: ['ptr:paramIn', 'ptr:paramOut', 'ptr:grad', 'ptr:m', 'ptr:v', 'int:count', 'f64:learningRate',
      'f64:scale', 'f64:l1', 'f64:l2', 'f64:beta1', 'f64:beta2', 'f64:epsilon', 'f64:correction1', 'f64:correction2'],
    returns: 'finite',
    split: { along: 'count', step: 4, size: 'pass', advance: { paramIn: 1, paramOut: 1, grad: 1, m: 1, v: 1 } },
  },
} as const satisfies Record<string, KernelSpec>;

export type KernelName = keyof typeof KERNELS;

/** The kind and the name of an argument. */
export function parseArg(arg: Arg): { kind: ArgKind; name: string } {
  const colon = arg.indexOf(':');
  return { kind: arg.slice(0, colon) as ArgKind, name: arg.slice(colon + 1) };
}

type ArgType<A> = A extends `bool:${string}` ? boolean : number;
type Returned<R> = R extends 'void' ? void : R extends 'finite' ? boolean : number;
type ArgTypes<T extends readonly Arg[]> = { -readonly [I in keyof T]: ArgType<T[I]> };
type Signature<S extends KernelSpec> = (...args: ArgTypes<S['args']>) => Returned<S['returns']>;

/**
 * The kernels as a backend provides them: one function per entry of KERNELS, its arguments in the table's order.
 * (Mapped over `keyof typeof KERNELS` itself, so that editors show each kernel's doc comment from the table.)
 */
export type Kernels = { [K in keyof typeof KERNELS]: Signature<(typeof KERNELS)[K]> };

/**
 * What Backend.draw draws: initial weights (uniform, normal), or an inverted-dropout mask (`mask`: its scale is the
 * rate, and each element is 1/(1 − rate) when random_sample() ≥ rate, else 0).
 */
export type DrawKind = 'uniform' | 'normal' | 'mask';

/** A backend: a heap of numbers, grown on demand, and the kernels that work on it. */
export interface Backend {
  readonly kernels: Kernels;
  /**
   * The kernels for a phase whose largest product is `flops` FLOPs and whose largest pass is `elements` numbers: a
   * backend with threads gives its single-thread kernels when it would split none of them, since their calls cost
   * less (W3's step of 2–3 µs ran at 0.81× one thread's speed through the splitting wrappers). Absent: `kernels`.
   */
  kernelsFor?(flops: number, elements: number): Kernels;
  readonly float64: boolean;
  /** Makes the heap hold at least `slots` elements; keeps the contents. */
  ensureCapacity(slots: number): void;
  /** A live view for reading within one call; never kept across a heap growth nor handed to users. */
  view(offset: number, count: number): Float32Array | Float64Array;
  /** A copy of `count` elements from `offset`. */
  read(offset: number, count: number): Float32Array | Float64Array;
  /** Copies `count` numbers from source[sourceStart…] to the heap at `offset`. */
  write(offset: number, source: ArrayLike<number>, sourceStart?: number, count?: number): void;
  /** Writes integers (row indices) where gatherRows expects them. */
  writeIndices(offset: number, indices: Int32Array): void;
  fill(offset: number, count: number, value: number): void;
  /**
   * Initial weights: `count` draws from rng into the heap at `offset`, scale·(2r − 1) for uniform r in [0, 1)
   * (numpy's random_sample) or scale·g for gaussian g (numpy's gauss), computed in float64. rng advances as its
   * own random(count) or randn(count) would advance it, so both backends start from the same weights. A `mask`
   * draw takes random(count) too, and `scale` is the dropout rate.
   */
  draw(kind: DrawKind, rng: NumpyRandom, offset: number, count: number, scale: number): void;
  /** The first slot the layout may use (the Wasm module's static data lies below it). */
  readonly baseSlot: number;
  /**
   * A backend whose large products pack their operands (the Wasm core) has a packing area planned for it:
   * `slots` long, worth planning when a product's right-hand operand has more than `threshold` slots; `use` says
   * where the layout put it. Absent in backends that do not pack.
   */
  readonly packing?: { readonly slots: number; readonly threshold: number; use(offset: number): void };
  dispose(): void;
}
