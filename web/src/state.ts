// The Playground's whole state, and its text form in the URL's fragment (#dataset=spiral&layers=8,8,8&…), so that
// a link reproduces a run. Reading is forgiving: anything unknown or out of range falls back to its default.

import type { ActivationName } from '../../src/index.js';
import { DATASETS, FEATURES, type DatasetName, type Point } from './datasets.js';

export type OptimizerChoice = 'sgd' | 'momentum' | 'adam';
export type LossChoice = 'crossEntropy' | 'squared';
export type RegularizationChoice = 'none' | 'l1' | 'l2';
export type Speed = '1' | '10' | 'max';
export type HiddenActivation = Exclude<ActivationName, 'softmax'>;

/**
 * What a change of state invalidates: `data` new points and a new network, `network` a new network, `hyper` the
 * same weights under new settings, `view` the drawing only.
 */
export type ChangeKind = 'data' | 'network' | 'hyper' | 'view';

export interface State {
  dataset: DatasetName;
  points: number;
  /** Percent, 0–50. */
  noise: number;
  /** Percent of points used for training. */
  ratio: number;
  classes: number;
  seed: number;
  /** Feature ids, in FEATURES order. */
  features: string[];
  layers: number[];
  activations: HiddenActivation[];
  learningRate: number;
  optimizer: OptimizerChoice;
  /** 0 means all the training points. */
  batchSize: number;
  loss: LossChoice;
  regularization: RegularizationChoice;
  regRate: number;
  speed: Speed;
  showTest: boolean;
  discretize: boolean;
  /** The custom data set's points (from a CSV file), split like generated ones. */
  custom: Point[];
  /** Whether the custom set is regression (fractional labels). */
  customRegression: boolean;
  /** Points added by clicking: always training points. */
  added: Point[];
  /** Trained weights (base64url of float32), present only when asked for. */
  weights?: string;
  /** The epoch those weights had reached. */
  weightsEpoch?: number;
}

export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const REGULARIZATION_RATES = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const BATCH_SIZES = [1, 2, 5, 10, 20, 30, 50, 100, 0];
export const HIDDEN_ACTIVATIONS: HiddenActivation[] = ['tanh', 'relu', 'leakyRelu', 'sigmoid', 'linear'];
export const MAX_LAYERS = 8;
export const MAX_UNITS = 32;
export const MAX_CLASSES = 6;

export const DEFAULTS: State = {
  dataset: 'circle',
  points: 500,
  noise: 0,
  ratio: 50,
  classes: 2,
  seed: 1,
  features: ['x', 'y'],
  layers: [4, 2],
  activations: ['tanh', 'tanh'],
  learningRate: 0.03,
  optimizer: 'sgd',
  batchSize: 10,
  loss: 'crossEntropy',
  regularization: 'none',
  regRate: 0,
  speed: '1',
  showTest: false,
  discretize: false,
  custom: [],
  customRegression: false,
  added: [],
};

export const copyState = (s: State): State => ({
  ...s,
  features: [...s.features],
  layers: [...s.layers],
  activations: [...s.activations],
  custom: s.custom.map((p) => ({ ...p })),
  added: s.added.map((p) => ({ ...p })),
});

const round = (v: number, digits: number) => Number(v.toFixed(digits));

function encodePoints(points: Point[], regression: boolean): string {
  return points.map((p) => `${round(p.x, 2)},${round(p.y, 2)},${regression ? round(p.label, 3) : p.label}`).join(';');
}

function decodePoints(text: string | null): Point[] {
  if (!text) return [];
  const points: Point[] = [];
  for (const item of text.split(';')) {
    const [x, y, label] = item.split(',').map(Number);
    if ([x, y, label].every(Number.isFinite)) points.push({ x, y, label });
  }
  return points;
}

/** The URL fragment for a state: defaults included, so a link stays the same run if defaults ever change. */
export function encodeState(s: State): string {
  const params = new URLSearchParams();
  params.set('dataset', s.dataset);
  params.set('points', String(s.points));
  params.set('noise', String(s.noise));
  params.set('ratio', String(s.ratio));
  params.set('classes', String(s.classes));
  params.set('seed', String(s.seed));
  params.set('features', s.features.join(','));
  params.set('layers', s.layers.join(','));
  params.set('activations', s.activations.join(','));
  params.set('learningRate', String(s.learningRate));
  params.set('optimizer', s.optimizer);
  params.set('batchSize', String(s.batchSize));
  params.set('loss', s.loss);
  params.set('regularization', s.regularization);
  params.set('regRate', String(s.regRate));
  params.set('speed', s.speed);
  params.set('showTest', s.showTest ? '1' : '0');
  params.set('discretize', s.discretize ? '1' : '0');
  if (s.dataset === 'custom') {
    params.set('custom', encodePoints(s.custom, s.customRegression));
    if (s.customRegression) params.set('customRegression', '1');
  }
  if (s.added.length) params.set('added', encodePoints(s.added, true));
  if (s.weights) {
    params.set('weights', s.weights);
    params.set('weightsEpoch', String(s.weightsEpoch ?? 0));
  }
  // Commas, semicolons and base64url characters read fine unescaped.
  return params.toString().replace(/%2C/g, ',').replace(/%3B/g, ';');
}

function choice<T>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.find((a) => String(a) === value) ?? fallback;
}

function integer(value: string | null, low: number, high: number, fallback: number): number {
  const n = Number(value);
  return value !== null && value !== '' && Number.isInteger(n) && n >= low && n <= high ? n : fallback;
}

/** Reads a URL fragment (with or without '#'); anything missing or invalid takes its default. */
export function decodeState(fragment: string): State {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const d = DEFAULTS;
  const get = (key: string) => params.get(key);
  const layersText = get('layers');
  let layers = layersText === null ? d.layers
    : layersText === '' ? [] : layersText.split(',').map((u) => integer(u, 1, MAX_UNITS, 0));
  if (layers.length > MAX_LAYERS || layers.some((u) => u === 0)) layers = d.layers;
  const acts = (get('activations') ?? '').split(',');
  const activations = layers.map((_, i) =>
    choice(acts[i] ?? null, HIDDEN_ACTIVATIONS, layers === d.layers ? d.activations[i] : 'tanh'));
  const featureIds = (get('features') ?? d.features.join(',')).split(',');
  let features = FEATURES.map((f) => f.id).filter((id) => featureIds.includes(id));
  if (features.length === 0) features = [...d.features];
  const weights = get('weights');
  return {
    dataset: choice(get('dataset'), DATASETS.map((x) => x.name), d.dataset),
    points: integer(get('points'), 10, 5000, d.points),
    noise: integer(get('noise'), 0, 50, d.noise),
    ratio: integer(get('ratio'), 10, 90, d.ratio),
    classes: integer(get('classes'), 2, MAX_CLASSES, d.classes),
    seed: integer(get('seed'), 0, 2 ** 32 - 1, d.seed),
    features,
    layers,
    activations,
    learningRate: choice(get('learningRate'), LEARNING_RATES, d.learningRate),
    optimizer: choice(get('optimizer'), ['sgd', 'momentum', 'adam'] as const, d.optimizer),
    batchSize: choice(get('batchSize'), BATCH_SIZES, d.batchSize),
    loss: choice(get('loss'), ['crossEntropy', 'squared'] as const, d.loss),
    regularization: choice(get('regularization'), ['none', 'l1', 'l2'] as const, d.regularization),
    regRate: choice(get('regRate'), REGULARIZATION_RATES, d.regRate),
    speed: choice(get('speed'), ['1', '10', 'max'] as const, d.speed),
    showTest: get('showTest') === null ? d.showTest : get('showTest') === '1',
    discretize: get('discretize') === '1',
    custom: decodePoints(get('custom')),
    customRegression: get('customRegression') === '1',
    added: decodePoints(get('added')),
    weights: weights && /^[A-Za-z0-9_-]+$/.test(weights) ? weights : undefined,
    weightsEpoch: weights ? integer(get('weightsEpoch'), 0, Number.MAX_SAFE_INTEGER, 0) : undefined,
  };
}

/** Float32 values as base64url (the URL-safe alphabet, no padding). */
export function encodeFloats(values: number[]): string {
  const bytes = new Uint8Array(Float32Array.from(values).buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeFloats(text: string): Float32Array | undefined {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    if (binary.length % 4 !== 0) return undefined;
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  } catch {
    return undefined;
  }
}
