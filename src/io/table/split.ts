// A seeded split of a table's rows into train / test (/ validation), optionally stratified: each value of a column
// (the classes of a classification target) is split in the same proportions, so a rare class is not left out of
// the test rows by chance.

import { SimdnetError, describe } from '../../core/errors.js';
import { NumpyRandom } from '../../core/random.js';
import { type Table, compareText, listNames } from './table.js';

export interface SplitOptions {
  /** Fraction of the rows for testing, in (0, 1). */
  test: number;
  /** Fraction of the rows for validation, in [0, 1); test + validation < 1. Default 0 (no validation part). */
  validation?: number;
  /** Seeds numpy's generator, which shuffles the rows: the same seed gives the same split. Default 0. */
  seed?: number;
  /** A column whose values are split in equal proportions (missing cells form a group of their own). */
  stratify?: string;
}

export interface TableSplit {
  train: Table;
  test: Table;
  /** Present when options.validation > 0. */
  validation?: Table;
}

const optionError = (field: string, problem: string) => new SimdnetError('INVALID_OPTIONS', `options.${field}: ${problem}`);

function fraction(value: unknown, field: string, allowZero: boolean): number {
  if (typeof value !== 'number' || !(allowZero ? value >= 0 : value > 0) || !(value < 1)) {
    throw optionError(field, `expected a fraction in ${allowZero ? '[0' : '(0'}, 1), got ${describe(value)}`);
  }
  return value;
}

/**
 * Splits `table` into train, test and (when asked) validation tables. Each part keeps the rows in their original
 * order; which rows go where is drawn from NumpyRandom(seed), group by group when stratified. Every part gets at
 * least one row (an INVALID_OPTIONS error when the table is too small for that).
 */
export function split(table: Table, options: SplitOptions): TableSplit {
  if (typeof options !== 'object' || options === null) throw optionError('', `expected an object, got ${describe(options)}`);
  const test = fraction(options.test, 'test', false);
  const validation = options.validation === undefined ? 0 : fraction(options.validation, 'validation', true);
  if (test + validation >= 1) {
    throw optionError('validation', `test (${test}) + validation (${validation}) must be less than 1`);
  }
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw optionError('seed', `expected an integer in [0, 2³² − 1], got ${describe(seed)}`);
  }
  const groups = new Map<string, number[]>();
  const stratify = options.stratify;
  if (stratify !== undefined && !table.columnNames.includes(stratify)) {
    throw optionError('stratify', `${table.name} has no column ${describe(stratify)} (columns: ` +
      `${listNames(table.columnNames)})`);
  }
  for (let r = 0; r < table.rowCount; r++) {
    // A key that no cell's text can equal stands for missing cells; everything else groups by the cell's text.
    const cell = stratify === undefined ? '' : table.cell(r, stratify);
    const key = cell === null || cell === undefined ? '\u0000missing' : String(cell).trim();
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const rng = new NumpyRandom(seed);
  const parts: number[][] = [[], [], []]; // train, test, validation
  for (const key of [...groups.keys()].sort(compareText)) {
    const rows = Int32Array.from(groups.get(key)!);
    rng.shuffle(rows);
    const testCount = Math.round(test * rows.length);
    const validationCount = Math.round(validation * rows.length);
    parts[1].push(...rows.subarray(0, testCount));
    parts[2].push(...rows.subarray(testCount, testCount + validationCount));
    parts[0].push(...rows.subarray(testCount + validationCount));
  }
  const names = ['train', 'test', 'validation'];
  parts.forEach((rows, i) => {
    if (rows.length === 0 && (i < 2 || validation > 0)) {
      throw optionError(names[i === 0 ? 1 : i], `${table.name} has ${table.rowCount} rows: too few for a ` +
        `${names[i]} part with test ${test}${validation > 0 ? ` and validation ${validation}` : ''}`);
    }
    rows.sort((a, b) => a - b);
  });
  return {
    train: table.select(parts[0]),
    test: table.select(parts[1]),
    ...(validation > 0 ? { validation: table.select(parts[2]) } : {}),
  };
}
