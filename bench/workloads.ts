// The workloads of `npm run bench`, shared by the suite (bench/plans.ts) and the contender processes
// (bench/agent.ts): their shapes, hyperparameters and data, so that every library trains the same thing.

import { FEATURES, featureRows, makeData } from '../web/src/datasets.js';
import { GRID, gridPoints as playgroundGrid } from '../web/src/heatmap.js';

/** W1: Nielsen's MNIST network (network.py, chapter 1): sigmoid everywhere, quadratic cost, batch 10, η = 3. */
export const W1 = { sizes: [784, 30, 10], batchSize: 10, learningRate: 3, epochsForAccuracy: 30 } as const;

/** W2: a modern MNIST classifier: relu hidden layer, softmax output, cross-entropy. */
export const W2 = { sizes: [784, 128, 10], batchSizes: [32, 128], learningRate: 0.1 } as const;

/** W3: TensorFlow Playground's default-sized network on its spiral data set, drawn on the Playground's grid. */
export const W3 = { sizes: [2, 8, 8, 1], points: 500, batchSize: 10, learningRate: 0.03, grid: GRID } as const;

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

/** The features x₁, x₂: the network's inputs are the points' coordinates, as in the Playground by default. */
const XY = FEATURES.filter((f) => f.id === 'x' || f.id === 'y');

/**
 * The Playground's two-armed spiral without noise (web/src/datasets.ts, in its seeded order): inputs (n×2) and
 * targets (n×1), row-major, the classes 1 and 0 as the tanh output's +1 and −1.
 */
export function spiral(n: number, seed = 1): { inputs: Float32Array; targets: Float32Array } {
  const { train } = makeData({ dataset: 'spiral', points: n, noise: 0, classes: 2, seed, ratio: 100, custom: [] });
  return {
    inputs: Float32Array.from(train.flatMap((p) => [p.x, p.y])),
    targets: Float32Array.from(train, (p) => (p.label === 1 ? 1 : -1)),
  };
}

/** The points of the Playground's heat maps (W3.grid² cell centres over [−6, 6]²), row-major, as (x₁, x₂) rows. */
export function gridPoints(): Float32Array {
  const { xs, ys } = playgroundGrid();
  return Float32Array.from(featureRows(xs, ys, XY));
}
