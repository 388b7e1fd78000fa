// The Playground's data: the TensorFlow Playground's four classification sets (circle, exclusive-or, gaussians,
// spiral — the last two for any number of classes) and two regression sets (plane, multi-gauss), all on the square
// [-6, 6]², drawn from a seeded generator so that a seed in the URL gives the same points; and the input features.

import { NumpyRandom } from '../../src/index.js';

export type DatasetName = 'circle' | 'xor' | 'gauss' | 'spiral' | 'plane' | 'multigauss' | 'custom';

/** A point: its class (classification, 0…k−1) or its value (regression, in [-1, 1]). */
export interface Point {
  x: number;
  y: number;
  label: number;
}

export interface DatasetInfo {
  name: DatasetName;
  title: string;
  regression: boolean;
  /** Whether the number of classes can be chosen (otherwise two). */
  anyClasses: boolean;
}

export const DATASETS: DatasetInfo[] = [
  { name: 'circle', title: 'Circle', regression: false, anyClasses: false },
  { name: 'xor', title: 'XOR', regression: false, anyClasses: false },
  { name: 'gauss', title: 'Gauss', regression: false, anyClasses: true },
  { name: 'spiral', title: 'Spiral', regression: false, anyClasses: true },
  { name: 'plane', title: 'Plane', regression: true, anyClasses: false },
  { name: 'multigauss', title: 'Multi-gauss', regression: true, anyClasses: false },
  { name: 'custom', title: 'Yours', regression: false, anyClasses: true },
];

export const datasetInfo = (name: DatasetName): DatasetInfo => DATASETS.find((d) => d.name === name)!;

/** Half the side of the square every data set lives in. */
export const DOMAIN = 6;

class Draw {
  readonly #rng: NumpyRandom;
  constructor(seed: number) {
    this.#rng = new NumpyRandom(seed);
  }
  uniform(low: number, high: number): number {
    return low + (high - low) * this.#rng.random(1)[0];
  }
  normal(mean: number, variance: number): number {
    return mean + Math.sqrt(variance) * this.#rng.randn(1)[0];
  }
  shuffle<T>(items: T[]): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.#rng.random(1)[0] * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
  }
}

const clamp = (v: number, low: number, high: number) => Math.min(high, Math.max(low, v));

function circle(n: number, noise: number, draw: Draw): Point[] {
  const radius = 5;
  const points: Point[] = [];
  const add = (rLow: number, rHigh: number) => {
    const r = draw.uniform(rLow, rHigh);
    const angle = draw.uniform(0, 2 * Math.PI);
    const x = r * Math.sin(angle);
    const y = r * Math.cos(angle);
    const nx = draw.uniform(-radius, radius) * noise;
    const ny = draw.uniform(-radius, radius) * noise;
    points.push({ x, y, label: Math.hypot(x + nx, y + ny) < radius * 0.5 ? 1 : 0 });
  };
  for (let i = 0; i < n / 2; i++) add(0, radius * 0.5);
  for (let i = 0; i < n / 2; i++) add(radius * 0.7, radius);
  return points;
}

function xor(n: number, noise: number, draw: Draw): Point[] {
  const padding = 0.3;
  const points: Point[] = [];
  for (let i = 0; i < n; i++) {
    let x = draw.uniform(-5, 5);
    x += x > 0 ? padding : -padding;
    let y = draw.uniform(-5, 5);
    y += y > 0 ? padding : -padding;
    const nx = draw.uniform(-5, 5) * noise;
    const ny = draw.uniform(-5, 5) * noise;
    points.push({ x, y, label: (x + nx) * (y + ny) >= 0 ? 1 : 0 });
  }
  return points;
}

function gauss(n: number, noise: number, classes: number, draw: Draw): Point[] {
  const variance = 0.5 + 7 * noise; // 0.5 … 4 as noise goes 0 … 0.5
  const points: Point[] = [];
  for (let c = 0; c < classes; c++) {
    // Two classes sit at (2, 2) and (-2, -2), as in the TensorFlow Playground; more go round a circle.
    const angle = Math.PI / 4 + Math.PI + (2 * Math.PI * c) / classes;
    const r = classes === 2 ? 2 * Math.SQRT2 : 3.5;
    const [cx, cy] = [r * Math.cos(angle), r * Math.sin(angle)];
    const label = classes === 2 ? 1 - c : c;
    for (let i = 0; i < n / classes; i++) points.push({ x: draw.normal(cx, variance), y: draw.normal(cy, variance), label });
  }
  return points;
}

function spiral(n: number, noise: number, classes: number, draw: Draw): Point[] {
  const points: Point[] = [];
  const perClass = Math.floor(n / classes);
  for (let c = 0; c < classes; c++) {
    const deltaT = (2 * Math.PI * c) / classes;
    const label = classes === 2 ? 1 - c : c;
    for (let i = 0; i < perClass; i++) {
      const r = (i / perClass) * 5;
      const t = ((1.75 * i) / perClass) * 2 * Math.PI + deltaT;
      points.push({
        x: r * Math.sin(t) + draw.uniform(-1, 1) * noise,
        y: r * Math.cos(t) + draw.uniform(-1, 1) * noise,
        label,
      });
    }
  }
  return points;
}

function regression(n: number, noise: number, draw: Draw, label: (x: number, y: number) => number): Point[] {
  const points: Point[] = [];
  for (let i = 0; i < n; i++) {
    const x = draw.uniform(-DOMAIN, DOMAIN);
    const y = draw.uniform(-DOMAIN, DOMAIN);
    const nx = draw.uniform(-DOMAIN, DOMAIN) * noise;
    const ny = draw.uniform(-DOMAIN, DOMAIN) * noise;
    points.push({ x, y, label: label(x + nx, y + ny) });
  }
  return points;
}

const plane = (x: number, y: number) => clamp((x + y) / 10, -1, 1);

const BUMPS: [number, number, number][] = [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]];
function multiGauss(x: number, y: number): number {
  let label = 0;
  for (const [cx, cy, sign] of BUMPS) {
    const value = sign * clamp(1 - Math.hypot(x - cx, y - cy) / 2, 0, 1);
    if (Math.abs(value) > Math.abs(label)) label = value;
  }
  return label;
}

export interface DataRequest {
  dataset: DatasetName;
  points: number;
  noise: number;
  classes: number;
  seed: number;
  /** Percentage of points used for training. */
  ratio: number;
  /** Points of a custom data set (clicked or from a CSV file): split like generated ones. */
  custom: Point[];
}

export interface DataSplit {
  train: Point[];
  test: Point[];
}

/** Draws the data set and splits it into training and test points; the same request gives the same points. */
export function makeData(request: DataRequest): DataSplit {
  const draw = new Draw(request.seed);
  const { points: n, noise, classes } = request;
  let points: Point[];
  switch (request.dataset) {
    case 'circle': points = circle(n, noise, draw); break;
    case 'xor': points = xor(n, noise, draw); break;
    case 'gauss': points = gauss(n, noise, classes, draw); break;
    case 'spiral': points = spiral(n, noise, classes, draw); break;
    case 'plane': points = regression(n, noise, draw, plane); break;
    case 'multigauss': points = regression(n, noise, draw, multiGauss); break;
    case 'custom': points = request.custom.map((p) => ({ ...p })); break;
  }
  draw.shuffle(points);
  const trainCount = Math.round((points.length * request.ratio) / 100);
  return { train: points.slice(0, trainCount), test: points.slice(trainCount) };
}

export interface FeatureInfo {
  id: string;
  /** As shown, with sub- and superscripts. */
  label: string;
  f: (x: number, y: number) => number;
}

export const FEATURES: FeatureInfo[] = [
  { id: 'x', label: 'x₁', f: (x) => x },
  { id: 'y', label: 'x₂', f: (_, y) => y },
  { id: 'xx', label: 'x₁²', f: (x) => x * x },
  { id: 'yy', label: 'x₂²', f: (_, y) => y * y },
  { id: 'xy', label: 'x₁x₂', f: (x, y) => x * y },
  { id: 'sinx', label: 'sin x₁', f: (x) => Math.sin(x) },
  { id: 'siny', label: 'sin x₂', f: (_, y) => Math.sin(y) },
];

/** The network's inputs for points (x, y): the chosen features, row-major. */
export function featureRows(xs: ArrayLike<number>, ys: ArrayLike<number>, features: FeatureInfo[]): Float64Array {
  const out = new Float64Array(xs.length * features.length);
  for (let i = 0; i < xs.length; i++) {
    for (let j = 0; j < features.length; j++) out[i * features.length + j] = features[j].f(xs[i], ys[i]);
  }
  return out;
}
