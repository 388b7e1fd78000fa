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

/** A batch of samples as users may give it: rows of numbers, or one flat row-major array. */
export type MatrixInput = ArrayLike<number>[] | readonly number[] | Float32Array | Float64Array;

export interface Dataset {
  inputs: MatrixInput;
  targets: MatrixInput;
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

/** Checks a data set against a network's sizes; cross-entropy targets must lie in [0, 1]. */
export function toDataset(data: unknown, inputSize: number, outputSize: number, probabilityTargets: boolean,
  field = 'data'): { inputs: Matrix; targets: Matrix } {
  if (typeof data !== 'object' || data === null) {
    throw shapeError(field, `expected { inputs, targets }, got ${describe(data)}`);
  }
  const { inputs, targets } = data as Partial<Dataset>;
  const x = toMatrix(inputs, inputSize, `${field}.inputs`);
  const y = toMatrix(targets, outputSize, `${field}.targets`);
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
