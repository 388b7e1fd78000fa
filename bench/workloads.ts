// The workloads of `npm run bench` (issue 5), shared by the orchestrator (bench/suite.ts) and the contender
// processes (bench/agent.ts): their shapes, hyperparameters and data, so that every library trains the same thing.

import { NumpyRandom } from '../src/core/random.js';

/** W1: Nielsen's MNIST network (network.py, chapter 1): sigmoid everywhere, quadratic cost, batch 10, η = 3. */
export const W1 = { sizes: [784, 30, 10], batchSize: 10, learningRate: 3, epochsForAccuracy: 30 } as const;

/** W2: a modern MNIST classifier: relu hidden layer, softmax output, cross-entropy. */
export const W2 = { sizes: [784, 128, 10], batchSizes: [32, 128], learningRate: 0.1 } as const;

/** W3: TensorFlow Playground's default-sized network on its spiral data set. */
export const W3 = { sizes: [2, 8, 8, 1], points: 500, batchSize: 10, learningRate: 0.03, grid: 100, extent: 6 } as const;

/** W4: online learning (one sample per step). */
export const W4 = { sizes: [784, 100, 10], learningRate: 0.3 } as const;

/** W5: the three products of a dense layer: training's shape, then square ones. */
export const W5 = {
  training: { rows: 32, inner: 784, cols: 128 },
  squares: [64, 128, 256, 512, 1024],
} as const;

export type ProductName = 'forward' | 'backprop' | 'weightGradient';
export const PRODUCTS: ProductName[] = ['forward', 'backprop', 'weightGradient'];

/** One dense layer's products at rows × inner → cols: forward X·W, backprop δ·Wᵀ, weight gradient Xᵀ·δ. */
export interface ProductShape {
  rows: number;
  inner: number;
  cols: number;
}

export const productFlops = (s: ProductShape): number => 2 * s.rows * s.inner * s.cols;

export function w5Shapes(): { label: string; shape: ProductShape }[] {
  const { rows, inner, cols } = W5.training;
  return [
    { label: `${rows}×${inner}·${inner}×${cols}`, shape: W5.training },
    ...W5.squares.map((n) => ({ label: `${n}³`, shape: { rows: n, inner: n, cols: n } })),
  ];
}

/**
 * The Playground's spiral (dataset.ts, classifySpiralData): two arms of n/2 points each, labels +1 and −1, noise
 * 0 here. Returns inputs (n×2) and targets (n×1), row-major, in a seeded shuffled order.
 */
export function spiral(n: number, seed = 1): { inputs: Float32Array; targets: Float32Array } {
  const inputs = new Float32Array(n * 2);
  const targets = new Float32Array(n);
  const half = n / 2;
  let at = 0;
  for (const [deltaT, label] of [[0, 1], [Math.PI, -1]] as const) {
    for (let i = 0; i < half; i++, at++) {
      const r = (i / half) * 5;
      const t = (1.75 * i / half) * 2 * Math.PI + deltaT;
      inputs[at * 2] = r * Math.sin(t);
      inputs[at * 2 + 1] = r * Math.cos(t);
      targets[at] = label;
    }
  }
  const order = Int32Array.from({ length: n }, (_, i) => i);
  new NumpyRandom(seed).shuffle(order);
  const shuffledInputs = new Float32Array(n * 2);
  const shuffledTargets = new Float32Array(n);
  order.forEach((from, to) => {
    shuffledInputs[to * 2] = inputs[from * 2];
    shuffledInputs[to * 2 + 1] = inputs[from * 2 + 1];
    shuffledTargets[to] = targets[from];
  });
  return { inputs: shuffledInputs, targets: shuffledTargets };
}

/** The Playground's heat-map grid: grid × grid points over [−extent, extent]², row-major (x fastest). */
export function gridPoints(grid: number = W3.grid, extent: number = W3.extent): Float32Array {
  const points = new Float32Array(grid * grid * 2);
  for (let row = 0; row < grid; row++) {
    for (let col = 0; col < grid; col++) {
      const at = (row * grid + col) * 2;
      points[at] = -extent + (2 * extent * col) / (grid - 1);
      points[at + 1] = extent - (2 * extent * row) / (grid - 1);
    }
  }
  return points;
}

/** What one measured unit of a workload did, for the report. */
export interface UnitResult {
  /** Milliseconds of the unit, timed inside the contender's process. */
  ms: number;
  /** Work done in the unit: samples trained, grids drawn, kernel calls. */
  count: number;
  /** Anything else worth reporting (accuracy, loss). */
  extra?: Record<string, number>;
}

/** Messages from the orchestrator to a contender process, and its answers. */
export type Command =
  | { type: 'setup'; workload: string; params: Record<string, number | string> }
  | { type: 'run' }
  | { type: 'evaluate' }
  | { type: 'teardown' }
  | { type: 'exit' };

export type Answer =
  | { type: 'ready'; info?: Record<string, unknown> }
  | { type: 'result'; result: UnitResult }
  | { type: 'evaluation'; extra: Record<string, number> }
  | { type: 'unsupported'; reason: string }
  | { type: 'error'; message: string };
