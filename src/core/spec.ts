// The network specification: its types, its defaults, and its validation. Every message names the field and the
// value, and a spec that passes here is complete: nothing downstream guesses a default.

import { ACTIVATIONS, type ActivationName, LOSSES, type LossName } from './constants.js';
import { SimdnetError, describe } from './errors.js';

export const INITIALIZERS = ['uniform', 'normal', 'glorotUniform', 'heNormal', 'zeros'] as const;
export type InitializerName = (typeof INITIALIZERS)[number];
export const BACKENDS = ['wasm', 'js'] as const;
export type BackendName = (typeof BACKENDS)[number];
export const SIMD_MODES = ['default', 'relaxed'] as const;
export type SimdMode = (typeof SIMD_MODES)[number];
/** The most worker threads a network may train with. */
export const MAX_THREADS = 16;

/**
 * Other libraries' spellings of simdnet's names, accepted where they mean exactly one thing: TensorFlow.js' and
 * Keras' losses, Keras' and brain.js' leaky ReLU. A network's resolved `spec` holds simdnet's own name.
 */
export const LOSS_ALIASES = {
  meanSquaredError: 'mse', mean_squared_error: 'mse', binaryCrossentropy: 'binaryCrossEntropy',
  binary_crossentropy: 'binaryCrossEntropy', categoricalCrossentropy: 'categoricalCrossEntropy',
  categorical_crossentropy: 'categoricalCrossEntropy',
} as const satisfies Record<string, LossName>;
export type LossAlias = keyof typeof LOSS_ALIASES;
export const ACTIVATION_ALIASES = {
  leakyReLU: 'leakyRelu', leaky_relu: 'leakyRelu', 'leaky-relu': 'leakyRelu',
} as const satisfies Record<string, ActivationName>;
export type ActivationAlias = keyof typeof ACTIVATION_ALIASES;

export interface LayerSpec {
  units: number;
  /** Defaults to 'sigmoid', the classic programs' choice. Keras' and brain.js' `leaky_relu`/`leaky-relu` work too. */
  activation?: ActivationName | ActivationAlias;
  /** leakyRelu's slope for negative inputs (default 0.01). */
  alpha?: number;
  useBias?: boolean;
  /**
   * Dropout rate in [0, 1) on this layer's outputs while training (inverted: kept outputs are scaled by
   * 1/(1 − rate)); no effect in predict, evaluate or trace. Hidden layers only. Default 0 (none).
   */
  dropout?: number;
}

export interface SgdSpec {
  type: 'sgd';
  learningRate?: number;
  momentum?: number;
  nesterov?: boolean;
}

export interface AdamSpec {
  type: 'adam';
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export type OptimizerSpec = SgdSpec | AdamSpec;

export interface NetworkSpec {
  inputSize: number;
  layers: readonly LayerSpec[];
  /** simdnet's names, or TensorFlow.js' (`meanSquaredError`, `binaryCrossentropy`, `categoricalCrossentropy`). */
  loss?: LossName | LossAlias;
  /** An optimiser with its settings, or its name alone for its defaults ('sgd': rate 0.1; 'adam': rate 0.001). */
  optimizer?: OptimizerSpec | OptimizerSpec['type'];
  /** Penalties added to the loss for weights (not biases): l1·Σ|w| + l2·Σw². */
  regularization?: { l1?: number; l2?: number };
  initializer?: InitializerName;
  /** How biases start; 'zeros' unless set ('normal' is Nielsen's network.py). */
  biasInitializer?: InitializerName;
  /** Drives initialisation and shuffling. When absent, one is drawn from crypto and recorded in `spec`. */
  seed?: number;
  backend?: BackendName;
  /**
   * 'relaxed' runs the Wasm kernels built with relaxed SIMD's fused multiply-add: faster where the machine fuses,
   * but results then differ in the last bits between machines (not bit-reproducible). Needs a runtime with relaxed
   * SIMD (Chrome ≥ 114, Firefox ≥ 120; Node 20 only with --experimental-wasm-relaxed-simd). Default 'default'.
   */
  simd?: SimdMode;
  /**
   * Worker threads sharing the network's Wasm memory for large layers (Node: worker_threads; browsers: Web Workers
   * on cross-origin isolated pages). Results are bit-identical to one thread. Default 1.
   */
  threads?: number;
}

/** A spec with every default filled in: what `network.spec` returns and what a model file stores. */
/** A layer with its defaults; `alpha` is present exactly on leakyRelu layers, `dropout` exactly when above 0. */
export type ResolvedLayer = Required<Omit<LayerSpec, 'alpha' | 'activation' | 'dropout'>> &
  { activation: ActivationName; alpha?: number; dropout?: number };

export interface ResolvedSpec {
  inputSize: number;
  layers: ResolvedLayer[];
  loss: LossName;
  optimizer: Required<SgdSpec> | Required<AdamSpec>;
  regularization: { l1: number; l2: number };
  initializer: InitializerName;
  biasInitializer: InitializerName;
  seed: number;
  backend: BackendName;
  /** Present only when 'relaxed'. */
  simd?: 'relaxed';
  /** Present only when more than 1. */
  threads?: number;
}

const invalid = (field: string, problem: string): SimdnetError =>
  new SimdnetError('INVALID_SPEC', `${field}: ${problem}`);

function checkObject(value: unknown, field: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(field, `expected an object, got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw invalid(`${field}.${key}`, `unknown field (known: ${allowed.join(', ')})`);
  }
  return value as Record<string, unknown>;
}

function checkNumber(value: unknown, field: string, fallback: number, min: number, max: number,
  { integer = false, minExclusive = false, maxExclusive = false } = {}): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value)) &&
    (minExclusive ? value > min : value >= min) && (maxExclusive ? value < max : value <= max);
  if (!ok) {
    const range = `${minExclusive ? '(' : '['}${min}, ${max}${maxExclusive ? ')' : ']'}`;
    throw invalid(field, `expected ${integer ? 'an integer' : 'a number'} in ${range}, got ${describe(value)}`);
  }
  return value as number;
}

/** A name folded so that spellings differing only in case, '_' or '-' meet. */
const fold = (name: string): string => name.toLowerCase().replace(/[_-]/g, '');

/**
 * One of `choices`, or an alias of one (`aliases` maps other libraries' names to simdnet's). Anything else is
 * refused; when it is a near miss in case or separators, the message says which name to write.
 */
function checkChoice<T extends string>(value: unknown, field: string, fallback: T, choices: readonly T[],
  aliases: Readonly<Record<string, T>> = {}): T {
  if (value === undefined) return fallback;
  if (choices.includes(value as T)) return value as T;
  if (typeof value === 'string' && Object.hasOwn(aliases, value)) return aliases[value];
  const near = typeof value === 'string'
    ? [...choices, ...Object.keys(aliases)].find((name) => fold(name) === fold(value)) : undefined;
  const hint = near === undefined ? '' : `; write ${JSON.stringify(near in aliases ? aliases[near] : near)}`;
  throw invalid(field, `unknown value ${describe(value)} (expected one of ${choices.join(', ')})${hint}`);
}

function checkBoolean(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(field, `expected true or false, got ${describe(value)}`);
  return value;
}

/** The largest layer width and input size accepted: far beyond any dense network that fits in Wasm memory. */
export const MAX_UNITS = 1 << 20;
/**
 * The most parameters a network may have: 2²⁷ float32 values are 512 MiB per block, and training keeps three to
 * five such blocks (two of parameters, gradients, optimiser state) within Wasm's 4 GiB.
 */
export const MAX_PARAMETERS = 2 ** 27;

/** Weights and biases of a network, from its sizes alone. */
export function countParameters(spec: { inputSize: number; layers: { units: number; useBias: boolean }[] }): number {
  let inputs = spec.inputSize;
  let total = 0;
  for (const layer of spec.layers) {
    total += inputs * layer.units + (layer.useBias ? layer.units : 0);
    inputs = layer.units;
  }
  return total;
}

function resolveLayer(value: unknown, index: number, last: boolean): ResolvedLayer {
  const field = `layers[${index}]`;
  const layer = checkObject(value, field, ['units', 'activation', 'alpha', 'useBias', 'dropout']);
  if (layer.units === undefined) throw invalid(`${field}.units`, 'is required');
  const units = checkNumber(layer.units, `${field}.units`, 0, 1, MAX_UNITS, { integer: true });
  const activation = checkChoice(layer.activation, `${field}.activation`, 'sigmoid', ACTIVATIONS, ACTIVATION_ALIASES);
  if (activation === 'softmax' && !last) {
    throw invalid(`${field}.activation`, `"softmax" is allowed only on the last layer (layer ${index} is hidden)`);
  }
  if (layer.alpha !== undefined && activation !== 'leakyRelu') {
    throw invalid(`${field}.alpha`, `${describe(layer.alpha)} given, but alpha applies only to leakyRelu (this layer ` +
      `is ${activation})`);
  }
  const resolved: ResolvedLayer = { units, activation, useBias: checkBoolean(layer.useBias, `${field}.useBias`, true) };
  if (activation === 'leakyRelu') resolved.alpha = checkNumber(layer.alpha, `${field}.alpha`, 0.01, 0, 1);
  const dropout = checkNumber(layer.dropout, `${field}.dropout`, 0, 0, 1, { maxExclusive: true });
  // On the output layer, dropout would zero outputs the loss compares with targets: noise in the loss, not a
  // regulariser of what the network learns (Keras puts Dropout between layers, never after the last one).
  if (dropout > 0 && last) {
    throw invalid(`${field}.dropout`, `${describe(dropout)} given, but dropout applies only to hidden layers ` +
      `(layer ${index} is the output layer)`);
  }
  // Rate 0 is no dropout, and resolves to the same spec as leaving it out.
  if (dropout > 0) resolved.dropout = dropout;
  return resolved;
}

const OPTIMIZERS = ['sgd', 'adam'] as const;

function resolveOptimizer(given: unknown): ResolvedSpec['optimizer'] {
  if (given === undefined) return { type: 'sgd', learningRate: 0.1, momentum: 0, nesterov: false };
  // A name alone means that optimiser with its defaults, as in Keras' compile({ optimizer: 'adam' }).
  const value = typeof given === 'string' ? { type: checkChoice(given, 'optimizer', 'sgd', OPTIMIZERS) } : given;
  const type = checkChoice((value as { type?: unknown })?.type, 'optimizer.type', 'sgd', OPTIMIZERS);
  if (type === 'sgd') {
    const o = checkObject(value, 'optimizer', ['type', 'learningRate', 'momentum', 'nesterov']);
    return {
      type,
      learningRate: checkNumber(o.learningRate, 'optimizer.learningRate', 0.1, 0, 1e6, { minExclusive: true }),
      momentum: checkNumber(o.momentum, 'optimizer.momentum', 0, 0, 1, { maxExclusive: true }),
      nesterov: checkBoolean(o.nesterov, 'optimizer.nesterov', false),
    };
  }
  const o = checkObject(value, 'optimizer', ['type', 'learningRate', 'beta1', 'beta2', 'epsilon']);
  return {
    type,
    learningRate: checkNumber(o.learningRate, 'optimizer.learningRate', 0.001, 0, 1e6, { minExclusive: true }),
    beta1: checkNumber(o.beta1, 'optimizer.beta1', 0.9, 0, 1, { maxExclusive: true }),
    beta2: checkNumber(o.beta2, 'optimizer.beta2', 0.999, 0, 1, { maxExclusive: true }),
    epsilon: checkNumber(o.epsilon, 'optimizer.epsilon', 1e-7, 0, 1, { minExclusive: true }),
  };
}

function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

/** Validates a user's spec and fills in every default. Throws SimdnetError('INVALID_SPEC') naming the field. */
export function resolveSpec(value: unknown): ResolvedSpec {
  const spec = checkObject(value, 'spec', [
    'inputSize', 'layers', 'loss', 'optimizer', 'regularization', 'initializer', 'biasInitializer', 'seed', 'backend',
    'simd', 'threads',
  ]);
  if (spec.inputSize === undefined) throw invalid('inputSize', 'is required');
  const inputSize = checkNumber(spec.inputSize, 'inputSize', 0, 1, MAX_UNITS, { integer: true });
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) {
    throw invalid('layers', `expected a non-empty array of layers, got ${describe(spec.layers)}`);
  }
  // An index loop, not map: a sparse or hostile array is read entry by entry and stops at the first bad one.
  const layers: ResolvedLayer[] = [];
  for (let i = 0; i < spec.layers.length; i++) layers.push(resolveLayer(spec.layers[i], i, i === spec.layers.length - 1));
  const parameters = countParameters({ inputSize, layers });
  if (parameters > MAX_PARAMETERS) {
    throw invalid('layers', `${parameters} parameters is more than the ${MAX_PARAMETERS} a network may have`);
  }
  const loss = checkChoice(spec.loss, 'loss', 'quadratic', LOSSES, LOSS_ALIASES);
  const output = layers[layers.length - 1].activation;
  if ((loss === 'binaryCrossEntropy' || loss === 'categoricalCrossEntropy') &&
    output !== 'sigmoid' && output !== 'softmax') {
    throw invalid('loss', `${describe(loss)} needs outputs in (0, 1): the last layer's activation must be sigmoid or ` +
      `softmax, got ${describe(output)}`);
  }
  const regularization = spec.regularization === undefined
    ? {}
    : checkObject(spec.regularization, 'regularization', ['l1', 'l2']);
  const backend = checkChoice(spec.backend, 'backend', 'wasm', BACKENDS);
  const simd = checkChoice(spec.simd, 'simd', 'default', SIMD_MODES);
  const threads = checkNumber(spec.threads, 'threads', 1, 1, MAX_THREADS, { integer: true });
  if (backend === 'js' && simd !== 'default') {
    throw invalid('simd', `${describe(simd)} applies to the wasm backend only (backend is "js")`);
  }
  if (backend === 'js' && threads !== 1) {
    throw invalid('threads', `${describe(threads)} applies to the wasm backend only (backend is "js")`);
  }
  const execution: Pick<ResolvedSpec, 'simd' | 'threads'> = {};
  if (simd === 'relaxed') execution.simd = simd;
  if (threads > 1) execution.threads = threads;
  return {
    inputSize,
    layers,
    loss,
    optimizer: resolveOptimizer(spec.optimizer),
    regularization: {
      l1: checkNumber(regularization.l1, 'regularization.l1', 0, 0, 1e6),
      l2: checkNumber(regularization.l2, 'regularization.l2', 0, 0, 1e6),
    },
    initializer: checkChoice(spec.initializer, 'initializer', 'glorotUniform', INITIALIZERS),
    biasInitializer: checkChoice(spec.biasInitializer, 'biasInitializer', 'zeros', INITIALIZERS),
    seed: spec.seed === undefined ? randomSeed() : checkNumber(spec.seed, 'seed', 0, 0, 0xffffffff, { integer: true }),
    backend,
    ...execution,
  };
}

/** A deep copy, so that callers can never change a network's spec through the object they were given. */
export function copySpec(spec: ResolvedSpec): ResolvedSpec {
  return structuredClone(spec);
}
