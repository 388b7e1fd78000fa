// The Wasm core's kernels behind the Kernels interface: slot offsets become byte pointers (offset × 4), flags
// become booleans. ThreadedKernels (src/backends/wasm/threads.ts) extends it with the split versions of the large kernels.

import type { Kernels } from '../../core/kernels.js';
import type { CoreExports } from './module.js';

/** Bytes per heap slot (an f32). */
export const SLOT_BYTES = 4;

/** Byte address of a slot offset, with a negative offset ("no buffer") as the null pointer. */
export const ptr = (offset: number): number => (offset < 0 ? 0 : offset * SLOT_BYTES);

export class WasmKernels implements Kernels {
  constructor(protected readonly core: CoreExports) {}

  forward(x: number, w: number, bias: number, out: number, rows: number, inner: number, cols: number): void {
    this.core.forward(ptr(x), ptr(w), ptr(bias), ptr(out), rows, inner, cols);
  }
  backpropDelta(delta: number, w: number, dx: number, rows: number, cols: number, inner: number): void {
    this.core.backpropDelta(ptr(delta), ptr(w), ptr(dx), rows, cols, inner);
  }
  weightGradient(x: number, delta: number, dw: number, db: number, rows: number, inner: number, cols: number): void {
    this.core.weightGradient(ptr(x), ptr(delta), ptr(dw), ptr(db), rows, inner, cols);
  }
  sgdDense(x: number, delta: number, wIn: number, wOut: number, bIn: number, bOut: number,
    rows: number, inner: number, cols: number, learningRate: number, scale: number): boolean {
    return this.core.sgdDense(ptr(x), ptr(delta), ptr(wIn), ptr(wOut), ptr(bIn), ptr(bOut), rows, inner, cols,
      learningRate, scale) !== 0;
  }
  activate(activation: number, alpha: number, z: number, rows: number, cols: number): void {
    this.core.activate(activation, alpha, ptr(z), rows, cols);
  }
  activationBackward(activation: number, alpha: number, a: number, g: number, rows: number, cols: number): void {
    this.core.activationBackward(activation, alpha, ptr(a), ptr(g), rows, cols);
  }
  outputDelta(loss: number, activation: number, alpha: number, a: number, y: number, delta: number,
    rows: number, cols: number): number {
    return this.core.outputDelta(loss, activation, alpha, ptr(a), ptr(y), ptr(delta), rows, cols);
  }
  loss(loss: number, a: number, y: number, rows: number, cols: number): number {
    return this.core.loss(loss, ptr(a), ptr(y), rows, cols);
  }
  countCorrect(a: number, y: number, rows: number, cols: number): number {
    return this.core.countCorrect(ptr(a), ptr(y), rows, cols);
  }
  gatherRows(src: number, index: number, start: number, count: number, rowLen: number, dst: number): void {
    this.core.gatherRows(ptr(src), ptr(index), start, count, rowLen, ptr(dst));
  }
  sgd(paramIn: number, paramOut: number, grad: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number): boolean {
    return this.core.sgd(ptr(paramIn), ptr(paramOut), ptr(grad), count, learningRate, scale, l1, l2) !== 0;
  }
  scale(x: number, count: number, factor: number): void {
    this.core.scale(ptr(x), count, factor);
  }
  momentum(paramIn: number, paramOut: number, grad: number, velocity: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number, momentum: number, nesterov: boolean): boolean {
    return this.core.momentum(ptr(paramIn), ptr(paramOut), ptr(grad), ptr(velocity), count,
      learningRate, scale, l1, l2, momentum, nesterov ? 1 : 0) !== 0;
  }
  adam(paramIn: number, paramOut: number, grad: number, m: number, v: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number,
    beta1: number, beta2: number, epsilon: number, correction1: number, correction2: number): boolean {
    return this.core.adam(ptr(paramIn), ptr(paramOut), ptr(grad), ptr(m), ptr(v), count,
      learningRate, scale, l1, l2, beta1, beta2, epsilon, correction1, correction2) !== 0;
  }
}
