// The kernels of a Wasm backend with threads. Results are bit-identical to one thread: every element of a product is
// one sum, in one order, whichever tile computes it; so splitting the output of forward and backpropDelta by rows of
// samples, and the weight gradient (or the fused SGD step) by rows of weights, gives the very same numbers, as does
// splitting an elementwise optimiser pass by ranges of parameters. Nothing is reduced across threads except the
// finite flags (an AND). Work below `threadTuning`'s thresholds stays on the calling thread; above them, each kernel
// and shape is timed both ways now and then and runs the faster way (Chooser), so splitting never makes it slower.

import { WasmKernels, ptr } from '../kernels.js';
import type { CoreExports } from '../module.js';
import { Chooser, split } from './chooser.js';
import type { ThreadPool } from './pool.js';
import { MAX_CHUNKS } from './protocol.js';
import { threadTuning } from './tuning.js';

/** The core's exports workers run. */
export const THREAD_KERNELS = ['forward', 'backpropDelta', 'weightGradientRows', 'sgdDenseRows', 'sgd', 'momentum',
  'adam'] as const;

/**
 * The kernels of a Wasm backend with threads: large products and optimiser passes are split across the pool;
 * everything else (and anything small) is WasmKernels' own, with no call in between.
 */
export class ThreadedKernels extends WasmKernels {
  private readonly chooser = new Chooser();

  constructor(core: CoreExports, private readonly pool: ThreadPool) {
    super(core);
  }

  /** How many chunks a job is worth, given `units` rows to split in steps of `step` (1: do not split). */
  private chunks(units: number, step: number): number {
    const threads = this.pool.workers + 1;
    return Math.max(1, Math.min(threads * threadTuning.chunksPerThread, Math.floor(units / step), MAX_CHUNKS));
  }

  /** Chunks of a product of this size, split along `units` rows in steps of `step`. */
  private productChunks(rows: number, inner: number, cols: number, units: number, step: number): number {
    return 2 * rows * inner * cols < threadTuning.minimumFlops ? 1 : this.chunks(units, step);
  }

  override forward(x: number, w: number, bias: number, out: number, rows: number, inner: number, cols: number): void {
    const chunks = this.productChunks(rows, inner, cols, rows, 4);
    if (chunks < 2) return super.forward(x, w, bias, out, rows, inner, cols);
    const bounds = split(rows, chunks, 4);
    this.chooser.run(`forward ${rows} ${inner} ${cols}`, (split) => {
      if (!split) return super.forward(x, w, bias, out, rows, inner, cols);
      this.pool.run('forward', bounds.slice(1).map((end, i) => [ptr(x + bounds[i] * inner), ptr(w), ptr(bias),
        ptr(out + bounds[i] * cols), end - bounds[i], inner, cols]));
    });
  }

  override backpropDelta(delta: number, w: number, dx: number, rows: number, cols: number, inner: number): void {
    const chunks = this.productChunks(rows, inner, cols, rows, 2);
    if (chunks < 2) return super.backpropDelta(delta, w, dx, rows, cols, inner);
    const bounds = split(rows, chunks, 2);
    this.chooser.run(`backpropDelta ${rows} ${inner} ${cols}`, (split) => {
      if (!split) return super.backpropDelta(delta, w, dx, rows, cols, inner);
      this.pool.run('backpropDelta', bounds.slice(1).map((end, i) => [ptr(delta + bounds[i] * cols), ptr(w),
        ptr(dx + bounds[i] * inner), end - bounds[i], cols, inner]));
    });
  }

  override weightGradient(x: number, delta: number, dw: number, db: number, rows: number, inner: number, cols: number): void {
    const chunks = this.productChunks(rows, inner, cols, inner, 4);
    if (chunks < 2) return super.weightGradient(x, delta, dw, db, rows, inner, cols);
    const bounds = split(inner, chunks, 4);
    this.chooser.run(`weightGradient ${rows} ${inner} ${cols}`, (split) => {
      if (!split) return super.weightGradient(x, delta, dw, db, rows, inner, cols);
      this.pool.run('weightGradientRows', bounds.slice(1).map((end, i) => [ptr(x), ptr(delta), ptr(dw),
        i === 0 ? ptr(db) : 0, rows, inner, cols, bounds[i], end]));
    });
  }

  override sgdDense(x: number, delta: number, wIn: number, wOut: number, bIn: number, bOut: number,
    rows: number, inner: number, cols: number, learningRate: number, scale: number): boolean {
    const chunks = this.productChunks(rows, inner, cols, inner, 4);
    if (chunks < 2) return super.sgdDense(x, delta, wIn, wOut, bIn, bOut, rows, inner, cols, learningRate, scale);
    const bounds = split(inner, chunks, 4);
    return this.chooser.run(`sgdDense ${rows} ${inner} ${cols}`, (split) => {
      if (!split) return super.sgdDense(x, delta, wIn, wOut, bIn, bOut, rows, inner, cols, learningRate, scale);
      return this.pool.run('sgdDenseRows', bounds.slice(1).map((end, i) => [ptr(x), ptr(delta), ptr(wIn), ptr(wOut),
        i === 0 ? ptr(bIn) : 0, i === 0 ? ptr(bOut) : 0, rows, inner, cols, learningRate, scale, bounds[i], end]));
    });
  }

  /** Chunks of an optimiser pass over `count` parameters: ranges in multiples of 4 slots (16-byte aligned). */
  private passBounds(count: number): number[] | undefined {
    if (count < threadTuning.minimumParameters) return undefined;
    const bounds = split(count, this.chunks(count, 4), 4);
    return bounds.length > 2 ? bounds : undefined;
  }

  override sgd(paramIn: number, paramOut: number, grad: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number): boolean {
    const bounds = this.passBounds(count);
    if (!bounds) return super.sgd(paramIn, paramOut, grad, count, learningRate, scale, l1, l2);
    return this.chooser.run(`sgd ${count}`, (split) => {
      if (!split) return super.sgd(paramIn, paramOut, grad, count, learningRate, scale, l1, l2);
      return this.pool.run('sgd', bounds.slice(1).map((end, i) => [ptr(paramIn + bounds[i]), ptr(paramOut + bounds[i]),
        ptr(grad + bounds[i]), end - bounds[i], learningRate, scale, l1, l2]));
    });
  }

  override momentum(paramIn: number, paramOut: number, grad: number, velocity: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number, momentum: number, nesterov: boolean): boolean {
    const bounds = this.passBounds(count);
    const whole = () =>
      super.momentum(paramIn, paramOut, grad, velocity, count, learningRate, scale, l1, l2, momentum, nesterov);
    if (!bounds) return whole();
    return this.chooser.run(`momentum ${count}`, (split) => {
      if (!split) return whole();
      return this.pool.run('momentum', bounds.slice(1).map((end, i) => [ptr(paramIn + bounds[i]),
        ptr(paramOut + bounds[i]), ptr(grad + bounds[i]), ptr(velocity + bounds[i]), end - bounds[i], learningRate,
        scale, l1, l2, momentum, nesterov ? 1 : 0]));
    });
  }

  override adam(paramIn: number, paramOut: number, grad: number, m: number, v: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number,
    beta1: number, beta2: number, epsilon: number, correction1: number, correction2: number): boolean {
    const bounds = this.passBounds(count);
    const whole = () => super.adam(paramIn, paramOut, grad, m, v, count, learningRate, scale, l1, l2, beta1, beta2,
      epsilon, correction1, correction2);
    if (!bounds) return whole();
    return this.chooser.run(`adam ${count}`, (split) => {
      if (!split) return whole();
      return this.pool.run('adam', bounds.slice(1).map((end, i) => [ptr(paramIn + bounds[i]), ptr(paramOut + bounds[i]),
        ptr(grad + bounds[i]), ptr(m + bounds[i]), ptr(v + bounds[i]), end - bounds[i], learningRate, scale, l1, l2,
        beta1, beta2, epsilon, correction1, correction2]));
    });
  }
}
