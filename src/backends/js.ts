// The float64 reference backend: the same kernels as assembly/, written as plain loops over one Float64Array.
// It is what the Wasm backend is tested against and the "pure JS" line in the benchmarks, so it stays simple.

import { FLOAT32_MAX, LOG_EPSILON, activationId, lossId } from '../core/constants.js';
import { outOfMemory } from '../core/errors.js';
import type { Backend, DrawKind, Kernels } from '../core/kernels.js';
import type { NumpyRandom } from '../core/random.js';

const LINEAR = activationId('linear');
const SIGMOID = activationId('sigmoid');
const TANH = activationId('tanh');
const RELU = activationId('relu');
const LEAKY_RELU = activationId('leakyRelu');
const SOFTMAX = activationId('softmax');

const QUADRATIC = lossId('quadratic');
const MSE = lossId('mse');
const BINARY_CROSS_ENTROPY = lossId('binaryCrossEntropy');
const CATEGORICAL_CROSS_ENTROPY = lossId('categoricalCrossEntropy');

const clampProbability = (a: number): number => Math.min(Math.max(a, LOG_EPSILON), 1 - LOG_EPSILON);

/** The regularised gradient of one parameter (see Kernels.sgd). */
function regularised(g: number, p: number, scale: number, l1: number, l2: number): number {
  return scale * g + l1 * Math.sign(p) + 2 * l2 * p;
}

export class JsKernels implements Kernels {
  private row = new Float64Array(0);

  constructor(private readonly heap: () => Float64Array) {}

  /** A scratch row of `length` numbers, kept between calls (sgdDense's gradient row). */
  private scratch(length: number): Float64Array {
    if (this.row.length < length) this.row = new Float64Array(length);
    return this.row.subarray(0, length);
  }

  // The products run their loops in i-k-j order, so that the innermost loop walks rows of w (or δ) contiguously;
  // each element's sum still adds its terms in the same order, from 0, as a plain dot product would.

  forward(x: number, w: number, bias: number, out: number, rows: number, inner: number, cols: number): void {
    const h = this.heap();
    for (let r = 0; r < rows; r++) {
      const o = out + r * cols;
      h.fill(0, o, o + cols);
      for (let k = 0; k < inner; k++) {
        const xk = h[x + r * inner + k];
        const wk = w + k * cols;
        for (let c = 0; c < cols; c++) h[o + c] += xk * h[wk + c];
      }
      if (bias >= 0) for (let c = 0; c < cols; c++) h[o + c] += h[bias + c];
    }
  }

  backpropDelta(delta: number, w: number, dx: number, rows: number, cols: number, inner: number): void {
    const h = this.heap();
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < inner; k++) {
        let sum = 0;
        for (let c = 0; c < cols; c++) sum += h[delta + r * cols + c] * h[w + k * cols + c];
        h[dx + r * inner + k] = sum;
      }
    }
  }

  weightGradient(x: number, delta: number, dw: number, db: number, rows: number, inner: number, cols: number): void {
    const h = this.heap();
    h.fill(0, dw, dw + inner * cols);
    for (let r = 0; r < rows; r++) {
      const d = delta + r * cols;
      for (let k = 0; k < inner; k++) {
        const xk = h[x + r * inner + k];
        const g = dw + k * cols;
        for (let c = 0; c < cols; c++) h[g + c] += xk * h[d + c];
      }
    }
    if (db < 0) return;
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += h[delta + r * cols + c];
      h[db + c] = sum;
    }
  }

  sgdDense(x: number, delta: number, wIn: number, wOut: number, bIn: number, bOut: number,
    rows: number, inner: number, cols: number, learningRate: number, scale: number): boolean {
    const h = this.heap();
    const g = this.scratch(cols); // one row of ∂C/∂w, summed over the batch
    let finite = true;
    for (let k = 0; k < inner; k++) {
      g.fill(0);
      for (let r = 0; r < rows; r++) {
        const xk = h[x + r * inner + k];
        const d = delta + r * cols;
        for (let c = 0; c < cols; c++) g[c] += xk * h[d + c];
      }
      for (let c = 0; c < cols; c++) {
        const next = h[wIn + k * cols + c] - learningRate * (scale * g[c]);
        h[wOut + k * cols + c] = next;
        finite &&= Math.abs(next) <= FLOAT32_MAX;
      }
    }
    if (bIn < 0) return finite;
    for (let c = 0; c < cols; c++) {
      let g = 0; // ∂C/∂b[c] summed over the batch
      for (let r = 0; r < rows; r++) g += h[delta + r * cols + c];
      const next = h[bIn + c] - learningRate * (scale * g);
      h[bOut + c] = next;
      finite &&= Math.abs(next) <= FLOAT32_MAX;
    }
    return finite;
  }

  activate(activation: number, alpha: number, z: number, rows: number, cols: number): void {
    const h = this.heap();
    const n = rows * cols;
    switch (activation) {
      case LINEAR:
        return;
      case SIGMOID:
        for (let i = z; i < z + n; i++) h[i] = 1 / (1 + Math.exp(-h[i]));
        return;
      case TANH:
        for (let i = z; i < z + n; i++) h[i] = Math.tanh(h[i]);
        return;
      case RELU:
        for (let i = z; i < z + n; i++) h[i] = h[i] > 0 ? h[i] : 0;
        return;
      case LEAKY_RELU:
        for (let i = z; i < z + n; i++) h[i] = h[i] > 0 ? h[i] : alpha * h[i];
        return;
      case SOFTMAX:
        for (let row = z; row < z + n; row += cols) {
          let max = -Infinity;
          for (let c = 0; c < cols; c++) max = Math.max(max, h[row + c]);
          let sum = 0;
          for (let c = 0; c < cols; c++) sum += h[row + c] = Math.exp(h[row + c] - max);
          for (let c = 0; c < cols; c++) h[row + c] /= sum;
        }
        return;
    }
    throw new RangeError(`unknown activation id ${activation}`);
  }

  activationBackward(activation: number, alpha: number, a: number, g: number, rows: number, cols: number): void {
    const h = this.heap();
    const n = rows * cols;
    switch (activation) {
      case LINEAR:
        return;
      case SIGMOID: // σ′ = σ(1 − σ)
        for (let i = 0; i < n; i++) h[g + i] *= h[a + i] * (1 - h[a + i]);
        return;
      case TANH: // tanh′ = 1 − tanh²
        for (let i = 0; i < n; i++) h[g + i] *= 1 - h[a + i] * h[a + i];
        return;
      case RELU:
        for (let i = 0; i < n; i++) if (!(h[a + i] > 0)) h[g + i] = 0;
        return;
      case LEAKY_RELU:
        for (let i = 0; i < n; i++) if (!(h[a + i] > 0)) h[g + i] *= alpha;
        return;
      case SOFTMAX: // ∂C/∂z_j = a_j (g_j − Σ_k g_k a_k)
        for (let row = 0; row < n; row += cols) {
          let dot = 0;
          for (let c = 0; c < cols; c++) dot += h[g + row + c] * h[a + row + c];
          for (let c = 0; c < cols; c++) h[g + row + c] = h[a + row + c] * (h[g + row + c] - dot);
        }
        return;
    }
    throw new RangeError(`unknown activation id ${activation}`);
  }

  outputDelta(
    loss: number, activation: number, alpha: number, a: number, y: number, delta: number, rows: number, cols: number,
  ): number {
    const h = this.heap();
    const n = rows * cols;
    if (loss === CATEGORICAL_CROSS_ENTROPY && activation === SOFTMAX) {
      // ∂C/∂z_j = a_j Σ_k y_k − y_j, which is a − y for one-hot targets.
      for (let row = 0; row < n; row += cols) {
        let targetSum = 0;
        for (let c = 0; c < cols; c++) targetSum += h[y + row + c];
        for (let c = 0; c < cols; c++) h[delta + row + c] = h[a + row + c] * targetSum - h[y + row + c];
      }
      return this.loss(loss, a, y, rows, cols);
    }
    if (loss === BINARY_CROSS_ENTROPY && activation === SIGMOID) {
      for (let i = 0; i < n; i++) h[delta + i] = h[a + i] - h[y + i];
      return this.loss(loss, a, y, rows, cols);
    }
    for (let i = 0; i < n; i++) {
      const ai = h[a + i];
      const yi = h[y + i];
      switch (loss) {
        case QUADRATIC: h[delta + i] = ai - yi; break;
        case MSE: h[delta + i] = (2 / cols) * (ai - yi); break;
        case BINARY_CROSS_ENTROPY: {
          const p = clampProbability(ai);
          h[delta + i] = (p - yi) / (p * (1 - p));
          break;
        }
        case CATEGORICAL_CROSS_ENTROPY: h[delta + i] = -yi / clampProbability(ai); break;
        default: throw new RangeError(`unknown loss id ${loss}`);
      }
    }
    this.activationBackward(activation, alpha, a, delta, rows, cols);
    return this.loss(loss, a, y, rows, cols);
  }

  loss(loss: number, a: number, y: number, rows: number, cols: number): number {
    const h = this.heap();
    const n = rows * cols;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const ai = h[a + i];
      const yi = h[y + i];
      switch (loss) {
        case QUADRATIC: sum += 0.5 * (ai - yi) * (ai - yi); break;
        case MSE: sum += ((ai - yi) * (ai - yi)) / cols; break;
        case BINARY_CROSS_ENTROPY: {
          const p = clampProbability(ai);
          sum -= yi * Math.log(p) + (1 - yi) * Math.log(1 - p);
          break;
        }
        case CATEGORICAL_CROSS_ENTROPY: sum -= yi * Math.log(clampProbability(ai)); break;
        default: throw new RangeError(`unknown loss id ${loss}`);
      }
    }
    return sum;
  }

  countCorrect(a: number, y: number, rows: number, cols: number): number {
    const h = this.heap();
    let correct = 0;
    for (let r = 0; r < rows; r++) {
      const at = r * cols;
      if (cols === 1) {
        if (h[a + at] >= 0.5 === h[y + at] >= 0.5) correct++;
        continue;
      }
      let predicted = 0;
      let expected = 0;
      for (let c = 1; c < cols; c++) {
        if (h[a + at + c] > h[a + at + predicted]) predicted = c;
        if (h[y + at + c] > h[y + at + expected]) expected = c;
      }
      if (predicted === expected) correct++;
    }
    return correct;
  }

  gatherRows(src: number, index: number, start: number, count: number, rowLen: number, dst: number): void {
    const h = this.heap();
    for (let r = 0; r < count; r++) {
      const from = src + h[index + start + r] * rowLen;
      h.copyWithin(dst + r * rowLen, from, from + rowLen);
    }
  }

  sgd(paramIn: number, paramOut: number, grad: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number): boolean {
    const h = this.heap();
    let finite = true;
    for (let i = 0; i < count; i++) {
      const p = h[paramIn + i];
      const next = p - learningRate * regularised(h[grad + i], p, scale, l1, l2);
      h[paramOut + i] = next;
      finite &&= Math.abs(next) <= FLOAT32_MAX;
    }
    return finite;
  }

  applyMask(x: number, mask: number, out: number, count: number): void {
    const h = this.heap();
    for (let i = 0; i < count; i++) h[out + i] = h[x + i] * h[mask + i];
  }

  scale(x: number, count: number, factor: number): void {
    const h = this.heap();
    for (let i = 0; i < count; i++) h[x + i] *= factor;
  }

  momentum(paramIn: number, paramOut: number, grad: number, velocity: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number, momentum: number, nesterov: boolean): boolean {
    const h = this.heap();
    let finite = true;
    for (let i = 0; i < count; i++) {
      const p = h[paramIn + i];
      const g = regularised(h[grad + i], p, scale, l1, l2);
      const v = momentum * h[velocity + i] - learningRate * g;
      h[velocity + i] = v;
      const next = nesterov ? p + momentum * v - learningRate * g : p + v;
      h[paramOut + i] = next;
      finite &&= Math.abs(next) <= FLOAT32_MAX && Number.isFinite(v);
    }
    return finite;
  }

  adam(paramIn: number, paramOut: number, grad: number, m: number, v: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number,
    beta1: number, beta2: number, epsilon: number, correction1: number, correction2: number): boolean {
    const h = this.heap();
    let finite = true;
    for (let i = 0; i < count; i++) {
      const p = h[paramIn + i];
      const g = regularised(h[grad + i], p, scale, l1, l2);
      const mi = beta1 * h[m + i] + (1 - beta1) * g;
      const vi = beta2 * h[v + i] + (1 - beta2) * g * g;
      h[m + i] = mi;
      h[v + i] = vi;
      const next = p - (learningRate * mi * correction1) / (Math.sqrt(vi * correction2) + epsilon);
      h[paramOut + i] = next;
      finite &&= Math.abs(next) <= FLOAT32_MAX && Number.isFinite(mi) && Number.isFinite(vi);
    }
    return finite;
  }
}

export class JsBackend implements Backend {
  readonly float64 = true;
  readonly baseSlot = 0;
  readonly kernels: JsKernels;
  private heap = new Float64Array(1024);

  constructor() {
    this.kernels = new JsKernels(() => this.heap);
  }

  ensureCapacity(slots: number): void {
    if (slots <= this.heap.length) return;
    let grown: Float64Array<ArrayBuffer>;
    try {
      grown = new Float64Array(Math.max(slots, this.heap.length * 2));
    } catch (error) {
      throw outOfMemory(slots * 8, error);
    }
    grown.set(this.heap);
    this.heap = grown;
  }

  view(offset: number, count: number): Float64Array {
    return this.heap.subarray(offset, offset + count);
  }

  read(offset: number, count: number): Float64Array {
    // The constructor copies a view several times faster than slice() does (V8 11).
    return new Float64Array(this.heap.subarray(offset, offset + count));
  }

  write(offset: number, source: ArrayLike<number>, sourceStart = 0, count = source.length - sourceStart): void {
    const h = this.heap;
    for (let i = 0; i < count; i++) h[offset + i] = source[sourceStart + i];
  }

  writeIndices(offset: number, indices: Int32Array): void {
    this.heap.set(indices, offset);
  }

  fill(offset: number, count: number, value: number): void {
    this.heap.fill(value, offset, offset + count);
  }

  draw(kind: DrawKind, rng: NumpyRandom, offset: number, count: number, scale: number): void {
    const h = this.heap;
    if (kind === 'mask') {
      const r = rng.random(count);
      const kept = 1 / (1 - scale);
      for (let i = 0; i < count; i++) h[offset + i] = r[i] >= scale ? kept : 0;
    } else if (kind === 'uniform') {
      const r = rng.random(count);
      for (let i = 0; i < count; i++) h[offset + i] = scale * (2 * r[i] - 1);
    } else {
      const g = rng.randn(count);
      for (let i = 0; i < count; i++) h[offset + i] = scale * g[i];
    }
  }

  dispose(): void {
    this.heap = new Float64Array(0);
  }
}
