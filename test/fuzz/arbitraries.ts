// Generators for the fuzz properties: specs (valid, nearly valid and garbage), numbers chosen to hurt float32
// kernels, data sets in every shape users pass (and a few they should not), and training options.
import fc from 'fast-check';
import type { MatrixInput, NetworkSpec, TrainOptions } from '../../src/index.js';

export const FLOAT32_MAX = 3.4028234663852886e38;

/** Values that look like numbers but break things: NaN, infinities, the edges of float32 and float64, denormals. */
export const EDGE_NUMBERS = [
  Number.NaN, Infinity, -Infinity, 0, -0, 1e38, -1e38, FLOAT32_MAX, -FLOAT32_MAX, 3.5e38, 1e39, -1e39, 1e308,
  -Number.MAX_VALUE, Number.MAX_VALUE, 5e-324, -5e-324, 1e-45, 1.4e-45, 1e-40, 1.1754943508222875e-38, 2 ** 53,
  -(2 ** 31), 2 ** 32, 0.1, 1 / 3,
];

/** Mostly ordinary magnitudes, sometimes an edge value, sometimes any double at all. */
export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 10, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
  { weight: 1, arbitrary: fc.double() },
);

/** Things that are not numbers at all, found in real data: strings, null, holes, booleans, objects, BigInts. */
export const notANumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('1', '', 'NaN', null, undefined, true, false, {}, [], [1], 1n),
  fc.string({ maxLength: 3 }),
);

/** A cell of a data set: almost always a number, rarely garbage. */
export const cell: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 40, arbitrary: nastyNumber },
  { weight: 1, arbitrary: notANumber },
);

/** A "probability" cell, for cross-entropy targets: mostly in [0, 1], sometimes out of range or broken. */
export const probabilityCell: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 30, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 3, arbitrary: fc.constantFrom(0, 1, -0, 5e-324, 1 - 2 ** -53, 1 + 2 ** -52, -1e-300, 2) },
  { weight: 2, arbitrary: cell },
);

export type MatrixForm = 'rows' | 'flat' | 'float32' | 'float64' | 'typedRows' | 'notAnArray';

/**
 * A matrix of about `rows` × `cols` cells in one of the forms users pass, sometimes ragged, sometimes with a wrong
 * column count, sometimes not an array at all.
 */
export function matrix(rows: fc.Arbitrary<number>, cols: number, cells = cell): fc.Arbitrary<MatrixInput> {
  return fc.record({
    rows,
    width: fc.oneof({ weight: 12, arbitrary: fc.constant(cols) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: cols + 2 }) }),
    form: fc.constantFrom<MatrixForm>('rows', 'rows', 'flat', 'float32', 'float64', 'typedRows', 'notAnArray'),
    ragged: fc.option(fc.record({ row: fc.nat(), delta: fc.constantFrom(-1, 1) }), { freq: 12 }),
    seedCells: fc.array(cells, { minLength: 1, maxLength: 64 }),
  }).map(({ rows: r, width, form, ragged, seedCells }) => {
    const grid: unknown[][] = Array.from({ length: r }, (_, i) =>
      Array.from({ length: width }, (_, j) => seedCells[(i * width + j) % seedCells.length]));
    if (ragged && r > 0) {
      const row = grid[ragged.row % r];
      if (ragged.delta < 0) row.pop();
      else row.push(0.5);
    }
    const numbers = (values: unknown[]) => values.map((v) => (typeof v === 'number' ? v : Number.NaN));
    switch (form) {
      case 'rows': return grid as number[][];
      case 'flat': return grid.flat() as number[];
      case 'float32': return Float32Array.from(numbers(grid.flat()));
      case 'float64': return Float64Array.from(numbers(grid.flat()));
      case 'typedRows': return grid.map((row) => Float64Array.from(numbers(row))) as unknown as number[][];
      case 'notAnArray': return ({ length: r, 0: grid[0] }) as unknown as MatrixInput;
    }
  });
}

/** A small valid architecture: input size, layers (softmax only last), loss compatible with the output. */
export const smallSpec = (backend: 'wasm' | 'js'): fc.Arbitrary<NetworkSpec> => fc.record({
  inputSize: fc.integer({ min: 1, max: 6 }),
  hidden: fc.array(fc.record({
    units: fc.integer({ min: 1, max: 7 }),
    activation: fc.constantFrom('sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear') as fc.Arbitrary<string>,
    useBias: fc.boolean(),
  }), { maxLength: 2 }),
  output: fc.record({ units: fc.integer({ min: 1, max: 4 }), head: fc.constantFrom('sigmoid', 'softmax', 'linear', 'tanh', 'relu') }),
  lossChoice: fc.nat(3),
  optimizer: fc.oneof(
    fc.record({ type: fc.constant('sgd' as const), learningRate: fc.constantFrom(0.01, 0.5, 3, 1e4, 1e6),
      momentum: fc.constantFrom(0, 0.5, 0.9, 0.99), nesterov: fc.boolean() }),
    fc.record({ type: fc.constant('adam' as const), learningRate: fc.constantFrom(1e-3, 0.1, 10, 1e6),
      beta1: fc.constantFrom(0, 0.5, 0.9), beta2: fc.constantFrom(0, 0.9, 0.999), epsilon: fc.constantFrom(1e-7, 1e-30, 1) }),
  ),
  regularization: fc.record({ l1: fc.constantFrom(0, 0, 1e-3, 10), l2: fc.constantFrom(0, 0, 1e-3, 1e6) }),
  initializer: fc.constantFrom('uniform', 'normal', 'glorotUniform', 'heNormal', 'zeros'),
  seed: fc.nat(),
}).map(({ inputSize, hidden, output, lossChoice, optimizer, regularization, initializer, seed }) => {
  const probabilistic = output.head === 'sigmoid' || output.head === 'softmax';
  const losses = probabilistic
    ? ['quadratic', 'mse', 'binaryCrossEntropy', 'categoricalCrossEntropy']
    : ['quadratic', 'mse'];
  return {
    inputSize,
    layers: [...hidden, { units: output.units, activation: output.head }],
    loss: losses[lossChoice % losses.length],
    optimizer,
    regularization,
    initializer,
    seed,
    backend,
  } as NetworkSpec;
});

/** Any value at all, including deep and odd objects. */
export const anything = fc.anything({ maxDepth: 3, withBigInt: true, withBoxedValues: true, withNullPrototype: true,
  withObjectString: true, withSparseArray: true, withTypedArray: true, withDate: true, withMap: true, withSet: true });

const sizeLike = fc.constantFrom(0, -1, 1.5, Number.NaN, Infinity, -Infinity, '3', null, 2 ** 20 + 1, 2 ** 31, 2 ** 53,
  1e300, -0, 5e-324, true);

/** A valid spec, small unless `huge` (then one or two sizes are 2²⁰, the largest accepted). */
const validSpec = fc.record({
  inputSize: fc.integer({ min: 1, max: 9 }),
  layers: fc.array(fc.record({
    units: fc.integer({ min: 1, max: 9 }),
    activation: fc.constantFrom('sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'),
    alpha: fc.double({ min: 0, max: 1, noNaN: true }),
    useBias: fc.boolean(),
  }, { requiredKeys: ['units'] }), { minLength: 1, maxLength: 4 }),
  softmaxHead: fc.boolean(),
  loss: fc.constantFrom('quadratic', 'mse', 'binaryCrossEntropy', 'categoricalCrossEntropy'),
  optimizer: fc.oneof(
    fc.record({ type: fc.constant('sgd'), learningRate: fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
      momentum: fc.double({ min: 0, max: 1, noNaN: true }), nesterov: fc.boolean() }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('adam'), learningRate: fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
      beta1: fc.double({ min: 0, max: 0.999, noNaN: true }), beta2: fc.double({ min: 0, max: 0.999, noNaN: true }),
      epsilon: fc.double({ min: 1e-12, max: 1, noNaN: true }) }, { requiredKeys: ['type'] })),
  regularization: fc.record({ l1: fc.double({ min: 0, max: 1e6, noNaN: true }), l2: fc.double({ min: 0, max: 1e6, noNaN: true }) },
    { requiredKeys: [] }),
  initializer: fc.constantFrom('uniform', 'normal', 'glorotUniform', 'heNormal', 'zeros'),
  biasInitializer: fc.constantFrom('uniform', 'normal', 'glorotUniform', 'heNormal', 'zeros'),
  seed: fc.nat(),
  backend: fc.constantFrom('wasm', 'js'),
}, { requiredKeys: ['inputSize', 'layers'] }).map((parts) => {
  const { softmaxHead, ...spec } = parts as Record<string, unknown> & { softmaxHead: boolean;
    layers: Record<string, unknown>[] };
  spec.layers = spec.layers.map((layer) => {
    const copy = { ...layer };
    if (copy.activation !== 'leakyRelu') delete copy.alpha;
    return copy;
  });
  const last = spec.layers[spec.layers.length - 1];
  if (softmaxHead) {
    last.activation = 'softmax';
  } else if (spec.loss === 'binaryCrossEntropy' || spec.loss === 'categoricalCrossEntropy') {
    last.activation = 'sigmoid';
  }
  if (last.activation !== 'leakyRelu') delete last.alpha;
  return spec;
});

/** One way to damage a spec: a field replaced (by a near miss or anything), deleted, or an extra key added. */
const specMutation = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('replace' as const), path: fc.constantFrom('inputSize', 'layers', 'loss', 'optimizer',
    'regularization', 'initializer', 'biasInitializer', 'seed', 'backend', 'layers.0', 'layers.0.units',
    'layers.last.units', 'layers.0.activation', 'layers.last.activation', 'layers.0.alpha', 'layers.0.useBias',
    'optimizer.type', 'optimizer.learningRate', 'optimizer.momentum', 'optimizer.beta1', 'optimizer.beta2',
    'optimizer.epsilon', 'regularization.l1', 'regularization.l2', 'layers.constructor', 'layers.length'),
  value: fc.oneof(sizeLike, fc.constantFrom('Sigmoid', 'swish', '', 'leaky-relu', 'constructor', '__proto__',
    'toString', 'rmsprop', 'MSE', 'webgl', 1, 0.5, 1 + 2 ** -52, -0.1, [], {}, [null], { units: 1 }), anything) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom('inputSize', 'layers',
    'seed', 'layers.0.units', 'optimizer.type', 'layers.0', 'layers.last') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('extra' as const), path: fc.constantFrom('__proto__',
    'constructor', 'prototype', 'learningRate', 'toString', 'layers.0.__proto__', 'optimizer.__proto__', 'optimizer.lr',
    'regularization.l3') }) },
  // A network of 2²⁰ × 2²⁰ weights: far beyond any memory, so it must be refused quickly. (One size of 2²⁰ next to
  // small ones is a legal network of a few million weights: valid, but slow to build, so rare here.)
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), path: fc.constant('inputSize') }) },
);

function applyMutation(spec: Record<string, unknown>, mutation: { kind: string; path: string; value?: unknown }): void {
  const keys = mutation.path.split('.');
  let target: Record<string, unknown> = spec;
  for (const key of keys.slice(0, -1)) {
    const next = key === 'last' && Array.isArray(target) ? target[target.length - 1] : target[key];
    if (typeof next !== 'object' || next === null) return;
    target = next as Record<string, unknown>;
  }
  let key = keys[keys.length - 1];
  if (key === 'last' && Array.isArray(target)) key = String(target.length - 1);
  const define = (value: unknown) => {
    try {
      // An array's length resizes it (to a sparse array when longer). Up to 2²⁴: a mutated model is also given as
      // JSON text, where a sparse array of length 2³¹ would become 2³¹ nulls (10 GB of text).
      if (key === 'length') {
        if (typeof value === 'number' && value <= 2 ** 24) target[key] = value;
      } else {
        Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
      }
    } catch {
      // e.g. an array's length set to -1: that damage cannot be done
    }
  };
  if (mutation.kind === 'delete') {
    try {
      delete target[key];
    } catch {
      // a typed array's element cannot be deleted
    }
  }
  else if (mutation.kind === 'extra') define({ polluted: true });
  else if (mutation.kind === 'huge') {
    define(2 ** 20);
    const layers = spec.layers as Record<string, unknown>[] | undefined;
    if (Array.isArray(layers) && typeof layers[0] === 'object' && layers[0] !== null) layers[0].units = 2 ** 20;
  }
  else define(mutation.value);
}

/**
 * Specs for Network.create: valid ones (both backends, every activation, loss and optimiser), the same with one to
 * three defects (a near-miss value, garbage, a missing field, an unknown or `__proto__` key, a size of 2²⁰), and now
 * and then anything at all.
 */
export const fuzzSpec: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: anything },
  {
    weight: 15,
    arbitrary: fc.tuple(validSpec, fc.array(specMutation, { maxLength: 3 })).map(([spec, mutations]) => {
      const copy = structuredClone(spec);
      for (const mutation of mutations) applyMutation(copy, mutation);
      return copy;
    }),
  },
);

/** Training options: valid most of the time, with every kind of invalid value and a few callbacks. */
export function fuzzOptions(validationData: fc.Arbitrary<unknown>): fc.Arbitrary<TrainOptions> {
  const count = (valid: fc.Arbitrary<number>) => fc.oneof({ weight: 8, arbitrary: valid },
    { weight: 2, arbitrary: fc.constantFrom(0, -1, 0.5, 1.5, Number.NaN, Infinity, -Infinity, '2', null, 2 ** 31, 1e300) });
  return fc.record({
    epochs: count(fc.integer({ min: 1, max: 3 })).filter((e) => typeof e !== 'number' || !Number.isInteger(e) || e <= 3),
    batchSize: count(fc.integer({ min: 1, max: 12 })),
    shuffle: fc.oneof({ weight: 8, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom(0, 'yes', null) }),
    errorThreshold: fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.constantFrom(-1, Number.NaN, Infinity)),
    timeoutMs: fc.oneof(fc.constantFrom(0, 5, 1000, Infinity), fc.constantFrom(-1, Number.NaN)),
    validationData,
    signal: fc.constantFrom('fresh', 'aborted', 'string'),
    callbacks: fc.record({
      onBatchEnd: fc.constantFrom('none', 'true', 'false', 'stopAt1', 'throw', 'notAFunction'),
      onEpochEnd: fc.constantFrom('none', 'true', 'false', 'throw', 'async'),
    }),
    unknown: fc.option(fc.constantFrom('epoch', 'learningRate', '__proto__'), { freq: 10 }),
  }, { requiredKeys: ['callbacks', 'signal'] }).map((o) => {
    const { signal, callbacks, unknown, ...rest } = o as Record<string, unknown> & {
      signal: string; callbacks: { onBatchEnd: string; onEpochEnd: string }; unknown?: string | null };
    const options: Record<string, unknown> = { ...rest };
    if (signal === 'aborted') options.signal = AbortSignal.abort();
    else if (signal === 'string') options.signal = 'stop';
    const onBatchEnd: Record<string, unknown> = {
      none: undefined, true: () => true, false: () => false, stopAt1: (b: number) => b < 1,
      throw: (b: number) => { if (b === 1) throw new CallbackError(); }, notAFunction: 'log',
    };
    const onEpochEnd: Record<string, unknown> = {
      none: undefined, true: () => true, false: () => false,
      throw: () => { throw new CallbackError(); }, async: async () => true,
    };
    options.callbacks = { onBatchEnd: onBatchEnd[callbacks.onBatchEnd], onEpochEnd: onEpochEnd[callbacks.onEpochEnd] };
    if (unknown) Object.defineProperty(options, unknown, { value: 1, enumerable: true, configurable: true, writable: true });
    return options as TrainOptions;
  });
}

/** What the fuzzed callbacks throw: it must come back out of trainSync/train unchanged. */
export class CallbackError extends Error {
  constructor() {
    super('thrown by a fuzzed callback');
  }
}
