// User data in, row-major float matrices out, checked on the way: shapes, finiteness, target ranges. Bad data is
// stopped here with a message naming the row and column, so it never reaches a kernel.

import { SimdnetError, describe } from './errors.js';
import { FLOAT32_MAX } from './constants.js';

export type FloatArray = Float32Array | Float64Array;

/** rows × cols numbers, row-major. */
export interface Matrix {
  rows: number;
  cols: number;
  values: FloatArray;
}

/** A batch of samples as users may give it: rows of numbers, or one flat row-major array. Readonly arrays too. */
export type MatrixInput = readonly ArrayLike<number>[] | readonly number[] | Float32Array | Float64Array;

/** Integer class labels in a typed array (MNIST's Uint8Array, say): one per sample. */
export type LabelArray = Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array;

export interface Dataset {
  inputs: MatrixInput;
  /**
   * One row of outputSize numbers per sample, or, for a network of several outputs, one class index per sample
   * (an integer in [0, outputSize)), which becomes that class's one-hot row.
   */
  targets: MatrixInput | LabelArray;
}

/**
 * A sample's features as numbers in order, or by name (brain.js' objects with named keys; a key that is absent or
 * undefined is 0).
 */
export type Features = ArrayLike<number> | Readonly<Record<string, number | undefined>>;

/** brain.js' training sample. `output` may also be a class index (several outputs) or the value (one output). */
export interface Sample {
  input: Features;
  output: Features | number;
}

/** Every shape of training data simdnet takes: `{ inputs, targets }` or brain.js' `[{ input, output }, …]`. */
export type TrainingData = Dataset | readonly Sample[];

/**
 * The key names of a network trained on samples with named keys, in input (output) order. The first such data
 * set fixes them in order of first appearance (brain.js' rule); later data sets are read with the same order.
 */
export interface KeyNames {
  inputs?: readonly string[];
  outputs?: readonly string[];
}

const shapeError = (field: string, problem: string) => new SimdnetError('SHAPE_MISMATCH', `${field}: ${problem}`);

/** Checks that every value is a number within float32's range; `firstRow` numbers the rows in the message. */
function checkFinite(values: ArrayLike<number>, cols: number, field: string, firstRow = 0): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !(Math.abs(v) <= FLOAT32_MAX)) {
      throw new SimdnetError('NON_FINITE_INPUT', `${field}[${firstRow + Math.floor(i / cols)}][${i % cols}] is ` +
        `${describe(v)}; every value must be a finite number within float32's range (±3.4e38)`);
    }
  }
}

function isRow(value: unknown): value is ArrayLike<number> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** Reads `value` as rows of `cols` numbers. */
export function toMatrix(value: unknown, cols: number, field: string): Matrix {
  if (value instanceof Float32Array || value instanceof Float64Array) {
    if (value.length % cols !== 0) {
      throw shapeError(field, `a flat ${value.constructor.name} of length ${value.length} is not a whole number ` +
        `of rows of ${cols}`);
    }
    checkFinite(value, cols, field);
    return { rows: value.length / cols, cols, values: value };
  }
  if (!Array.isArray(value)) {
    throw shapeError(field, `expected number[][] or a flat Float32Array/Float64Array, got ${describe(value)}`);
  }
  if (value.length > 0 && isRow(value[0])) {
    const values = new Float64Array(value.length * cols);
    value.forEach((row: unknown, r) => {
      if (!isRow(row) || row.length !== cols) {
        throw shapeError(`${field}[${r}]`, `expected a row of ${cols} numbers, got ${describe(row)}`);
      }
      checkFinite(row, cols, field, r);
      values.set(row, r * cols);
    });
    return { rows: value.length, cols, values };
  }
  if (value.length % cols !== 0) {
    throw shapeError(field, `a flat array of length ${value.length} is not a whole number of rows of ${cols}`);
  }
  checkFinite(value, cols, field);
  return { rows: value.length / cols, cols, values: Float64Array.from(value as number[]) };
}

const isLabelArray = (value: unknown): value is LabelArray => ArrayBuffer.isView(value) &&
  !(value instanceof DataView) && !(value instanceof Float32Array) && !(value instanceof Float64Array) &&
  !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array) && !(value instanceof Uint8ClampedArray);

/**
 * Reads targets for `rows` samples: rows of `outputSize`, or, when there are several outputs and exactly one
 * number per sample (or an integer typed array), class indices turned into one-hot rows.
 */
function toTargets(value: unknown, rows: number, outputSize: number, field: string): Matrix {
  const flat = isLabelArray(value) || value instanceof Float32Array || value instanceof Float64Array ||
    (Array.isArray(value) && !isRow(value[0]));
  const labels = isLabelArray(value) ||
    (outputSize > 1 && flat && (value as ArrayLike<number>).length === rows);
  if (!labels) return toMatrix(value, outputSize, field);
  const given = value as ArrayLike<number>;
  if (given.length !== rows) throw shapeError(field, `${given.length} class labels for ${rows} samples`);
  const values = new Float64Array(rows * outputSize);
  for (let r = 0; r < rows; r++) {
    const label = given[r];
    if (!Number.isInteger(label) || label < 0 || label >= outputSize) {
      throw new SimdnetError('TARGET_OUT_OF_RANGE', `${field}[${r}] is ${describe(label)}: read as a class index ` +
        `(one number per sample), which must be an integer in [0, ${outputSize}); otherwise give rows of ` +
        `${outputSize} numbers`);
    }
    values[r * outputSize + label] = 1;
  }
  return { rows, cols: outputSize, values };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !isRow(value);

/** The names of keyed features in order of first appearance, checked against the network's size. */
function keyOrder(features: unknown[], cols: number, field: string, known: readonly string[] | undefined):
  readonly string[] {
  if (known) return known;
  const names = new Set<string>();
  for (const value of features) for (const key of Object.keys(value as object)) names.add(key);
  if (names.size !== cols) {
    throw shapeError(field, `the samples name ${names.size} keys (${[...names].join(', ')}), but the network has ` +
      `${cols}`);
  }
  return [...names];
}

/** One sample's features as `cols` numbers: a row, or an object read in `names`' order (absent keys are 0). */
function featureRow(value: unknown, cols: number, field: string, names: readonly string[] | undefined,
  out: Float64Array, at: number): void {
  if (isRow(value)) {
    if (value.length !== cols) throw shapeError(field, `expected ${cols} numbers, got ${describe(value)}`);
    checkFinite(value, cols, field);
    out.set(value, at);
    return;
  }
  if (!isRecord(value) || !names) {
    throw shapeError(field, `expected an array of ${cols} numbers or an object of named numbers, got ` +
      describe(value));
  }
  for (const key of Object.keys(value)) {
    const index = names.indexOf(key);
    if (index < 0) {
      throw shapeError(`${field}.${key}`, `not a key this network knows (it reads ${names.join(', ')}, in that order)`);
    }
    const v = value[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(Math.abs(v) <= FLOAT32_MAX)) {
      throw new SimdnetError('NON_FINITE_INPUT', `${field}.${key} is ${describe(v)}; every value must be a finite ` +
        "number within float32's range (±3.4e38)");
    }
    out[at + index] = v;
  }
}

/** brain.js' `[{ input, output }, …]` as matrices; keyed features use (and first fix) `names`. */
function fromSamples(samples: readonly unknown[], inputSize: number, outputSize: number, field: string,
  names: KeyNames): { inputs: Matrix; targets: Matrix } {
  const rows = samples.length;
  samples.forEach((sample, r) => {
    if (!isRecord(sample) || !('input' in sample) || !('output' in sample)) {
      throw shapeError(`${field}[${r}]`, isRow(sample)
        ? 'a row of numbers with no targets: pass { inputs, targets }, or (inputs, targets) to train, trainSync ' +
          'and evaluate, or samples [{ input, output }, …]'
        : `expected a sample { input, output } (brain.js' shape), got ${describe(sample)}`);
    }
  });
  const records = samples as { input: unknown; output: unknown }[];
  const keyed = (side: 'input' | 'output') => records.some((sample) => isRecord(sample[side]));
  if (keyed('input')) {
    names.inputs = keyOrder(records.map((s) => s.input).filter(isRecord), inputSize, `${field}[…].input`, names.inputs);
  }
  const x = new Float64Array(rows * inputSize);
  records.forEach((sample, r) => featureRow(sample.input, inputSize, `${field}[${r}].input`, names.inputs, x,
    r * inputSize));
  const inputs = { rows, cols: inputSize, values: x };
  if (records.every((sample) => typeof sample.output === 'number')) {
    return { inputs, targets: toTargets(records.map((s) => s.output), rows, outputSize, `${field}[…].output`) };
  }
  if (keyed('output')) {
    names.outputs = keyOrder(records.map((s) => s.output).filter(isRecord), outputSize, `${field}[…].output`,
      names.outputs);
  }
  const y = new Float64Array(rows * outputSize);
  records.forEach((sample, r) => featureRow(sample.output, outputSize, `${field}[${r}].output`, names.outputs, y,
    r * outputSize));
  return { inputs, targets: { rows, cols: outputSize, values: y } };
}

/** One sample's input for predict: numbers, or an object read in the order of the network's input keys. */
export function toInputRow(value: unknown, inputSize: number, field: string, names: KeyNames): Matrix {
  if (!isRecord(value)) return toMatrix(value, inputSize, field);
  if (!names.inputs) {
    throw shapeError(field, 'an object of named inputs, but this network has not been trained on named keys; ' +
      `give an array of ${inputSize} numbers`);
  }
  const values = new Float64Array(inputSize);
  featureRow(value, inputSize, field, names.inputs, values, 0);
  return { rows: 1, cols: inputSize, values };
}

/** Checks a data set against a network's sizes; cross-entropy targets must lie in [0, 1]. */
export function toDataset(data: unknown, inputSize: number, outputSize: number, probabilityTargets: boolean,
  field = 'data', names: KeyNames = {}): { inputs: Matrix; targets: Matrix } {
  if (Array.isArray(data) && data.length === 0) throw shapeError(field, 'has no samples');
  let x: Matrix;
  let y: Matrix;
  if (Array.isArray(data)) {
    ({ inputs: x, targets: y } = fromSamples(data, inputSize, outputSize, field, names));
  } else if (isRecord(data) && ('inputs' in data || 'targets' in data)) {
    x = toMatrix(data.inputs, inputSize, `${field}.inputs`);
    y = toTargets(data.targets, x.rows, outputSize, `${field}.targets`);
  } else {
    throw shapeError(field, `expected { inputs, targets } or samples [{ input, output }, …], got ${describe(data)}` +
      (isRecord(data) && 'input' in data ? ' (one sample: put it in an array)' : ''));
  }
  if (x.rows !== y.rows) {
    throw shapeError(field, `${x.rows} input rows but ${y.rows} target rows`);
  }
  if (x.rows === 0) throw shapeError(field, 'has no samples');
  if (probabilityTargets) {
    const v = y.values;
    for (let i = 0; i < v.length; i++) {
      if (v[i] < 0 || v[i] > 1) {
        throw new SimdnetError('TARGET_OUT_OF_RANGE', `${field}.targets[${Math.floor(i / outputSize)}]` +
          `[${i % outputSize}] is ${v[i]}; cross-entropy targets must lie in [0, 1]`);
      }
    }
  }
  return { inputs: x, targets: y };
}
