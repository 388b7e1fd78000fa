// validationSplit: a seeded fraction of the training rows held out for validation, stratified by class when the
// targets are classes (one-hot rows, or one 0/1 output), so that every class keeps its share on both sides.

import type { Matrix } from './data.js';
import { SimdnetError } from './errors.js';
import type { NumpyRandom } from './random.js';

/** Each row's class, when the targets are one-hot rows or a single 0/1 column; undefined otherwise. */
export function classesOf(targets: Matrix): Int32Array | undefined {
  const { rows, cols, values } = targets;
  const classes = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let found = -1;
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      if (v !== 0 && v !== 1) return undefined;
      if (cols === 1) found = v;
      else if (v === 1) {
        if (found >= 0) return undefined;
        found = c;
      }
    }
    if (found < 0) return undefined;
    classes[r] = found;
  }
  return classes;
}

function pick(matrix: Matrix, rows: Int32Array): Matrix {
  const { cols, values } = matrix;
  const picked = new (values.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(rows.length * cols);
  rows.forEach((row, i) => picked.set(values.subarray(row * cols, (row + 1) * cols), i * cols));
  return { rows: rows.length, cols, values: picked };
}

/**
 * Splits the rows into training and validation sets: per class (or over all rows when the targets are not
 * classes) the class's rows are shuffled by `rng` and round(fraction × count) of them held out. Both sets keep
 * the rows' original order.
 */
export function splitValidation(inputs: Matrix, targets: Matrix, fraction: number, rng: NumpyRandom):
  { train: { inputs: Matrix; targets: Matrix }; validation: { inputs: Matrix; targets: Matrix } } {
  const classes = classesOf(targets) ?? new Int32Array(inputs.rows);
  const groups = new Map<number, number[]>();
  classes.forEach((c, row) => {
    const group = groups.get(c);
    if (group) group.push(row);
    else groups.set(c, [row]);
  });
  const held = new Uint8Array(inputs.rows);
  for (const c of [...groups.keys()].sort((a, b) => a - b)) {
    const rows = Int32Array.from(groups.get(c)!);
    rng.shuffle(rows);
    for (const row of rows.subarray(0, Math.round(fraction * rows.length))) held[row] = 1;
  }
  const validationRows = Int32Array.from(held.keys()).filter((row) => held[row] === 1);
  const trainingRows = Int32Array.from(held.keys()).filter((row) => held[row] === 0);
  if (validationRows.length === 0 || trainingRows.length === 0) {
    throw new SimdnetError('INVALID_OPTIONS', `options.validationSplit: ${fraction} of ${inputs.rows} rows leaves ` +
      `${validationRows.length} for validation and ${trainingRows.length} for training; each needs at least one`);
  }
  return {
    train: { inputs: pick(inputs, trainingRows), targets: pick(targets, trainingRows) },
    validation: { inputs: pick(inputs, validationRows), targets: pick(targets, validationRows) },
  };
}
