// The kernel set a backend provides. Offsets are element indices into the backend's heap (4-byte slots of the
// Wasm memory, or entries of the JS backend's Float64Array); counts are elements. Matrices are row-major.
// Kernels are pure: they read and write only the regions they are given and never allocate.

import type { NumpyRandom } from './random.js';

export interface Kernels {
  /** out[rows×cols] = x[rows×inner] · w[inner×cols], plus bias[cols] on every row when `bias` ≥ 0. */
  forward(x: number, w: number, bias: number, out: number, rows: number, inner: number, cols: number): void;

  /** dx[rows×inner] = delta[rows×cols] · wᵀ, w being inner×cols: the error sent back to the layer below. */
  backpropDelta(delta: number, w: number, dx: number, rows: number, cols: number, inner: number): void;

  /** dw[inner×cols] = xᵀ · delta (overwritten), and db[cols] = Σ over rows of delta when `db` ≥ 0. */
  weightGradient(
    x: number, delta: number, dw: number, db: number, rows: number, inner: number, cols: number,
  ): void;

  /** a = f(z) in place over rows×cols; softmax works row by row. `alpha` is leakyRelu's slope. */
  activate(activation: number, alpha: number, z: number, rows: number, cols: number): void;

  /** g ← g ⊙ f′, in place, with f′ taken from the cached output `a` (softmax: the row's Jacobian times g). */
  activationBackward(activation: number, alpha: number, a: number, g: number, rows: number, cols: number): void;

  /**
   * The output layer's delta = ∂C/∂z for each row into `delta`, from its output `a` and target `y`;
   * returns the loss summed over the rows. Softmax + categorical and sigmoid + binary cross-entropy are fused
   * (delta = a − y); other pairs take ∂C/∂a through activationBackward.
   */
  outputDelta(
    loss: number, activation: number, alpha: number, a: number, y: number, delta: number, rows: number, cols: number,
  ): number;

  /**
   * One layer's plain gradient descent step fused with its weight gradient (no momentum, no penalties):
   * wOut = wIn − learningRate·(scale·xᵀ·delta), and bOut = bIn − learningRate·(scale·Σ_rows delta) when bIn ≥ 0.
   * The same numbers as weightGradient then sgd with l1 = l2 = 0, without storing the gradient. True when every
   * new value is finite.
   */
  sgdDense(x: number, delta: number, wIn: number, wOut: number, bIn: number, bOut: number,
    rows: number, inner: number, cols: number, learningRate: number, scale: number): boolean;

  /** The loss summed over rows (no delta). */
  loss(loss: number, a: number, y: number, rows: number, cols: number): number;

  /**
   * How many rows the output `a` gets right against the target `y`. For cols > 1 the first index of the row's
   * largest a must equal the first index of its largest y (strict >: ties go to the first, and a NaN is never
   * larger); for cols = 1, a ≥ 0.5 exactly when y ≥ 0.5.
   */
  countCorrect(a: number, y: number, rows: number, cols: number): number;

  /** dst row r = src row index[start + r], for r < count; rows are rowLen long. */
  gatherRows(src: number, index: number, start: number, count: number, rowLen: number, dst: number): void;

  /**
   * Optimiser steps over `count` parameters. The gradient used is g = scale·grad + l1·sign(p) + 2·l2·p
   * (grad holds sums over the batch; scale = 1/batch). New values go to `paramOut` so that `paramIn` still
   * holds the last good values if the step overflows. Each returns true when every new value is finite, the
   * optimiser state (velocity, m, v) included: a state overflowed to ∞ would otherwise freeze its parameter.
   */
  sgd(paramIn: number, paramOut: number, grad: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number): boolean;
  /** x ← factor·x in place over `count` elements (factor taken at the heap's precision, as `scale` above is). */
  scale(x: number, count: number, factor: number): void;
  /** velocity ← μ·velocity − η·g; p ← p + velocity (Nesterov: p ← p + μ·velocity − η·g). */
  momentum(paramIn: number, paramOut: number, grad: number, velocity: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number, momentum: number, nesterov: boolean): boolean;
  /** Adam with bias correction: correction1 = 1/(1 − β1ᵗ), correction2 = 1/(1 − β2ᵗ). */
  adam(paramIn: number, paramOut: number, grad: number, m: number, v: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number,
    beta1: number, beta2: number, epsilon: number, correction1: number, correction2: number): boolean;
}

export type DrawKind = 'uniform' | 'normal';

/** A backend: a heap of numbers, grown on demand, and the kernels that work on it. */
export interface Backend {
  readonly kernels: Kernels;
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
   * own random(count) or randn(count) would advance it, so both backends start from the same weights.
   */
  draw(kind: DrawKind, rng: NumpyRandom, offset: number, count: number, scale: number): void;
  /** The first slot the layout may use (the Wasm module's static data lies below it). */
  readonly baseSlot: number;
  dispose(): void;
}
