// The schema: which columns feed the network and how, fitted on the training rows and stored in the model file, so
// that a saved model reads raw rows (objects or a table) in any later process exactly as it read them in training.
// Numbers are centred and scaled, categories one-hot encoded, missing inputs filled (or their rows dropped while
// fitting), and the target becomes classes or a standardised number. Every decision is written into `report`.

import { FLOAT32_MAX } from '../../core/constants.js';
import { SimdnetError, describe } from '../../core/errors.js';
import type { FloatArray } from '../../core/data.js';
import {
  type CellRules, type CellValue, type ColumnKind, type Table, type TableRecord, compareText, dataError, listNames,
  plural, readCell,
} from './table.js';

export type Task = 'classification' | 'regression';
export type Scaling = 'standard' | 'minmax';

export interface SchemaOptions {
  /** The column to predict. */
  target: string;
  /** Default: classification for a column of words, or of at most MAX_INFERRED_CLASSES distinct integers. */
  task?: Task;
  /** Columns left out of the inputs. */
  ignore?: readonly string[];
  /** 'standard' (default): (x − mean) / std; 'minmax': (x − min) / (max − min); both from the training rows. */
  scaling?: Scaling;
  /** 'impute' (default): a missing input is the training rows' mean or most frequent value; 'drop': rows with a
   * missing input are left out of fitting and training (prediction still imputes). */
  missingInputs?: 'impute' | 'drop';
}

/** A numeric input: (x − offset) / scale; a missing cell counts as `fill` (in the column's own units). */
export interface NumberInput {
  name: string;
  kind: 'number';
  scaling: Scaling;
  offset: number;
  scale: number;
  fill: number;
}

/** A category input: one column per category (one-hot); a missing cell counts as `fill`, an unseen one as none. */
export interface CategoryInput {
  name: string;
  kind: 'category';
  categories: string[];
  fill: string;
}

export type InputEncoding = NumberInput | CategoryInput;

/** Classes: softmax over `labels` with categorical cross-entropy, or for two classes one sigmoid output (the
 * probability of labels[1]) with binary cross-entropy. Numbers when the column held integers. */
export interface ClassesTarget {
  name: string;
  task: 'classification';
  labels: string[] | number[];
  output: 'softmax' | 'sigmoid';
}

/** A number, standardised for training; predictions are turned back into the column's units. */
export interface NumberTarget {
  name: string;
  task: 'regression';
  mean: number;
  std: number;
}

export type TargetEncoding = ClassesTarget | NumberTarget;

export type ColumnRole = 'input' | 'target' | 'ignored' | 'identifier' | 'empty';

export interface ColumnReport {
  name: string;
  kind: ColumnKind;
  role: ColumnRole;
  /** Missing cells among the training rows given (before any row was dropped). */
  missing: number;
  /** How an input or the target is encoded, in words: "standardised (mean 5.84, std 0.828)", "one-hot (3)". */
  encoding?: string;
  /** Category inputs and classes: each value and its count among the rows used. */
  counts?: { value: string; count: number }[];
}

export interface SchemaReport {
  /** Training rows given. */
  rows: number;
  /** Rows used to fit the schema (and to train on): rows minus the dropped ones. */
  used: number;
  droppedMissingTarget: number;
  droppedMissingInputs: number;
  columns: ColumnReport[];
  /** Every decision worth telling, one sentence each. */
  notices: string[];
}

export interface TableSchema {
  version: 1;
  /** How cells are read (the table's rules when fitted). */
  rules: CellRules;
  /** What training does with a row missing an input (prediction always imputes). */
  missingInputs: 'impute' | 'drop';
  inputs: InputEncoding[];
  target: TargetEncoding;
  /** Network inputs: one per numeric column, one per category of each category column. */
  inputSize: number;
  report: SchemaReport;
}

export const SCHEMA_VERSION = 1;
/** A numeric target with at most this many distinct integer values is taken for classes unless `task` says not. */
export const MAX_INFERRED_CLASSES = 10;

const optionError = (field: string, problem: string) => new SimdnetError('INVALID_OPTIONS', `options.${field}: ${problem}`);

/** Four significant digits, for messages. */
const short = (x: number): string => String(Number(x.toPrecision(4)));

/** Mean and population standard deviation, scaled by the largest magnitude first so that squares cannot overflow. */
function moments(values: readonly number[]): { mean: number; std: number } {
  const largest = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  if (largest === 0) return { mean: 0, std: 0 };
  let sum = 0;
  for (const v of values) sum += v / largest;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v / largest - mean) ** 2;
  return { mean: mean * largest, std: Math.sqrt(squares / values.length) * largest };
}

/** The most frequent value; ties go to the first in code-unit order. */
function mostFrequent(counts: Map<string, number>): string {
  let best = '';
  let bestCount = -1;
  for (const value of [...counts.keys()].sort(compareText)) {
    if (counts.get(value)! > bestCount) {
      best = value;
      bestCount = counts.get(value)!;
    }
  }
  return best;
}

/**
 * A cell's value in a column of `kind`: a number, a category's text, or undefined when missing. In a numeric column
 * a word counts as missing here: a table read with invalidNumbers: 'error' has none.
 */
function valueIn(v: CellValue, kind: ColumnKind): number | string | undefined {
  if (kind === 'number') return 'number' in v ? v.number : undefined;
  return 'number' in v ? v.text : 'word' in v ? v.word : undefined;
}

const countsOf = (counts: Map<string, number>) =>
  [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => compareText(a.value, b.value));

function checkOptions(table: Table, options: SchemaOptions): Required<Omit<SchemaOptions, 'task'>> & { task?: Task } {
  if (typeof options !== 'object' || options === null) throw optionError('', `expected an object, got ${describe(options)}`);
  const { target, task, ignore = [], scaling = 'standard', missingInputs = 'impute' } = options;
  if (typeof target !== 'string') throw optionError('target', `expected a column name, got ${describe(target)}`);
  if (!table.columnNames.includes(target)) {
    throw optionError('target', `${table.name} has no column ${describe(target)} (columns: ${listNames(table.columnNames)})`);
  }
  if (task !== undefined && task !== 'classification' && task !== 'regression') {
    throw optionError('task', `expected "classification" or "regression", got ${describe(task)}`);
  }
  if (!Array.isArray(ignore)) throw optionError('ignore', `expected an array of column names, got ${describe(ignore)}`);
  for (const name of ignore) {
    if (typeof name !== 'string' || !table.columnNames.includes(name)) {
      throw optionError('ignore', `${table.name} has no column ${describe(name)} (columns: ${listNames(table.columnNames)})`);
    }
    if (name === target) throw optionError('ignore', `${describe(name)} is the target`);
  }
  if (scaling !== 'standard' && scaling !== 'minmax') {
    throw optionError('scaling', `expected "standard" or "minmax", got ${describe(scaling)}`);
  }
  if (missingInputs !== 'impute' && missingInputs !== 'drop') {
    throw optionError('missingInputs', `expected "impute" or "drop", got ${describe(missingInputs)}`);
  }
  return { target, task, ignore, scaling, missingInputs };
}

/** A table or records, as the encoder reads them. */
export interface RowSource {
  count: number;
  /** Whether the rows have this column at all. */
  has(column: string): boolean;
  cell(row: number, column: string): unknown;
  where(row: number): string;
}

export function tableSource(table: Table): RowSource {
  return {
    count: table.rowCount,
    has: (column) => table.columnNames.includes(column),
    cell: (row, column) => table.cell(row, column),
    where: (row) => table.where(row),
  };
}

/** Records as rows; a column is there when any record has it as an own key. */
export function recordSource(records: readonly TableRecord[], name = 'rows'): RowSource {
  if (!Array.isArray(records)) throw dataError(`${name}: expected an array of records (objects), got ${describe(records)}`);
  records.forEach((record, r) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw dataError(`${name} row ${r}: expected an object, got ${describe(record)}`);
    }
  });
  const columns = new Set(records.flatMap((record) => Object.keys(record)));
  return {
    count: records.length,
    has: (column) => columns.has(column),
    cell: (row, column) => (Object.hasOwn(records[row], column) ? records[row][column] : undefined),
    where: (row) => `${name} row ${row}`,
  };
}

/**
 * Fits a schema on `table` (the training rows). Throws INVALID_OPTIONS for options naming no column, and
 * INVALID_DATA when there is nothing to learn: a target with one class or one value, no rows left, no inputs left.
 */
export function fitSchema(table: Table, options: SchemaOptions): TableSchema {
  const { target, task: askedTask, ignore, scaling, missingInputs } = checkOptions(table, options);
  const rules = table.rules;
  const missingSet = new Set(rules.missing);
  const notices: string[] = [];
  const targetColumn = table.column(target)!;
  const read = (r: number, column: string): CellValue =>
    readCell(table.cell(r, column), missingSet, () => `${table.where(r)}, column ${describe(column)}`);

  let task: Task;
  if (targetColumn.kind === 'category') {
    if (askedTask === 'regression') {
      throw dataError(`${table.name}, column ${describe(target)}: regression needs a column of numbers, but this one ` +
        `holds words (${listNames(targetColumn.categories!.slice(0, 3).map((c) => c.value))}…)`);
    }
    task = 'classification';
  } else {
    const values = new Set<number>();
    for (let r = 0; r < table.rowCount; r++) {
      const v = read(r, target);
      if ('number' in v) values.add(v.number);
    }
    const integers = [...values].every(Number.isInteger);
    task = askedTask ?? (integers && values.size <= MAX_INFERRED_CLASSES ? 'classification' : 'regression');
    if (askedTask === undefined) {
      notices.push(task === 'classification'
        ? `task: classification, because target ${describe(target)} holds ${values.size} distinct integers (pass ` +
          `task: "regression" to predict it as a number)`
        : `task: regression, because target ${describe(target)} holds numbers` +
          (integers ? ` (${values.size} distinct values)` : ''));
    }
  }
  if (askedTask === undefined && targetColumn.kind === 'category') {
    notices.push(`task: classification, because target ${describe(target)} holds words`);
  }

  // Rows without a target teach nothing: they are left out before anything is measured.
  const withTarget: number[] = [];
  for (let r = 0; r < table.rowCount; r++) {
    if (valueIn(read(r, target), targetColumn.kind) !== undefined) withTarget.push(r);
  }
  const droppedMissingTarget = table.rowCount - withTarget.length;

  // Which columns feed the network.
  const roles = new Map<string, ColumnRole>();
  for (const column of table.columns) {
    if (column.name === target) roles.set(column.name, 'target');
    else if (ignore.includes(column.name)) roles.set(column.name, 'ignored');
    else if (withTarget.every((r) => valueIn(read(r, column.name), column.kind) === undefined)) {
      roles.set(column.name, 'empty');
      notices.push(`column ${describe(column.name)} left out: every cell is missing` +
        (column.missing < table.rowCount ? ' in the rows with a target' : ''));
    } else if (column.kind === 'category' && column.categories!.length >= 2 &&
      column.categories!.every((c) => c.count === 1)) {
      roles.set(column.name, 'identifier');
      notices.push(`column ${describe(column.name)} left out: every value is different (an identifier, not a feature)`);
    } else roles.set(column.name, 'input');
  }
  const inputColumns = table.columns.filter((c) => roles.get(c.name) === 'input');
  if (inputColumns.length === 0) {
    throw dataError(`${table.name}: no input columns left (target ${describe(target)}; ` +
      `${table.columns.filter((c) => c.name !== target).map((c) => `${JSON.stringify(c.name)}: ${roles.get(c.name)}`)
        .join(', ') || 'no other columns'})`);
  }

  // The rows used: with 'drop', only those with every input.
  const used = missingInputs === 'drop'
    ? withTarget.filter((r) => inputColumns.every((c) => valueIn(read(r, c.name), c.kind) !== undefined))
    : withTarget;
  const droppedMissingInputs = withTarget.length - used.length;
  if (droppedMissingTarget > 0) {
    notices.push(`${plural(droppedMissingTarget, 'row')} left out: target ${describe(target)} is missing`);
  }
  if (droppedMissingInputs > 0) notices.push(`${plural(droppedMissingInputs, 'row')} left out: a missing input`);
  if (used.length === 0) {
    throw dataError(`${table.name}: no rows left to learn from (${plural(droppedMissingTarget, 'row')} without ` +
      `target, ${plural(droppedMissingInputs, 'row')} with a missing input)`);
  }

  const reports = new Map<string, ColumnReport>(table.columns.map((c) => [c.name, {
    name: c.name, kind: c.kind, role: roles.get(c.name)!, missing: c.missing,
  }]));

  const inputs: InputEncoding[] = inputColumns.map((column) => {
    const report = reports.get(column.name)!;
    if (column.kind === 'number') {
      const values: number[] = [];
      for (const r of used) {
        const v = valueIn(read(r, column.name), 'number');
        if (v !== undefined) values.push(v as number);
      }
      const { mean, std } = moments(values);
      const min = values.reduce((m, v) => Math.min(m, v), Infinity);
      const max = values.reduce((m, v) => Math.max(m, v), -Infinity);
      const standard = scaling === 'standard';
      const spread = standard ? std : max - min;
      if (!(spread > 0)) notices.push(`column ${describe(column.name)} is constant in the training rows: it adds nothing`);
      const encoding: NumberInput = {
        name: column.name, kind: 'number', scaling, offset: standard ? mean : min, scale: spread > 0 ? spread : 1,
        fill: mean,
      };
      report.encoding = standard ? `standardised (mean ${short(mean)}, std ${short(std)})`
        : `min-max scaled (min ${short(min)}, max ${short(max)})`;
      if (column.missing > 0) {
        report.encoding += `; ${plural(column.missing, 'missing cell')} ` +
          (missingInputs === 'impute' ? `imputed with the mean ${short(mean)}` : 'dropped with their rows');
      }
      return encoding;
    }
    const counts = new Map<string, number>();
    for (const r of used) {
      const text = valueIn(read(r, column.name), 'category') as string | undefined;
      if (text !== undefined) counts.set(text, (counts.get(text) ?? 0) + 1);
    }
    const categories = [...counts.keys()].sort(compareText);
    const fill = mostFrequent(counts);
    report.encoding = `one-hot (${plural(categories.length, 'category', 'categories')})`;
    report.counts = countsOf(counts);
    if (column.missing > 0) {
      report.encoding += `; ${plural(column.missing, 'missing cell')} ` +
        (missingInputs === 'impute' ? `imputed with the most frequent value ${JSON.stringify(fill)}` : 'dropped with their rows');
    }
    if (categories.length > used.length / 2 && categories.length > MAX_INFERRED_CLASSES) {
      notices.push(`column ${describe(column.name)} has ${categories.length} categories in ${used.length} rows: ` +
        'one input each; consider ignoring it');
    }
    return { name: column.name, kind: 'category', categories, fill };
  });

  const targetReport = reports.get(target)!;
  let targetEncoding: TargetEncoding;
  if (task === 'classification') {
    const counts = new Map<string, number>();
    const numbers = new Set<number>();
    for (const r of used) {
      const value = valueIn(read(r, target), targetColumn.kind)!;
      if (typeof value === 'number') numbers.add(value);
      counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
    }
    const labels = targetColumn.kind === 'number'
      ? [...numbers].sort((a, b) => a - b)
      : [...counts.keys()].sort(compareText);
    if (labels.length < 2) {
      throw dataError(`${table.name}, column ${describe(target)}: the target has one class (${JSON.stringify(labels[0])}) ` +
        `in ${plural(used.length, 'training row')}; a classifier needs at least two`);
    }
    const output = labels.length === 2 ? 'sigmoid' : 'softmax';
    targetEncoding = { name: target, task, labels, output } as ClassesTarget;
    targetReport.encoding = output === 'sigmoid'
      ? `2 classes: one sigmoid output, the probability of ${JSON.stringify(labels[1])}`
      : `${labels.length} classes: softmax`;
    targetReport.counts = labels.map((label) => ({ value: String(label), count: counts.get(String(label))! }));
  } else {
    const values: number[] = [];
    for (const r of used) values.push(valueIn(read(r, target), 'number') as number);
    const { mean, std } = moments(values);
    if (!(std > 0)) {
      throw dataError(`${table.name}, column ${describe(target)}: the target has one value (${values[0]}) in ` +
        `${plural(used.length, 'training row')}; there is nothing to learn`);
    }
    targetEncoding = { name: target, task, mean, std };
    targetReport.encoding = `standardised (mean ${short(mean)}, std ${short(std)}); predictions in its own units`;
  }

  return {
    version: SCHEMA_VERSION,
    rules: { missing: [...rules.missing], invalidNumbers: rules.invalidNumbers },
    missingInputs,
    inputs,
    target: targetEncoding,
    inputSize: inputs.reduce((n, input) => n + (input.kind === 'number' ? 1 : input.categories.length), 0),
    report: {
      rows: table.rowCount, used: used.length, droppedMissingTarget, droppedMissingInputs,
      columns: table.columns.map((c) => reports.get(c.name)!), notices,
    },
  };
}

/** One prediction: for classes the label and every class's probability; for regression the value. Warnings say
 * what was assumed about the row (an unseen category, an imputed cell). */
export type Prediction =
  | { label: string | number; probabilities: Record<string, number>; warnings?: string[] }
  | { value: number; warnings?: string[] };

/** A schema ready to encode rows: lookups built once. */
export class Encoder {
  readonly schema: TableSchema;
  readonly #missing: ReadonlySet<string>;
  readonly #categories: Map<string, number>[];
  readonly #labels: Map<string, number> | undefined;

  constructor(schema: TableSchema) {
    this.schema = schema;
    this.#missing = new Set(schema.rules.missing);
    this.#categories = schema.inputs.map((input) =>
      new Map(input.kind === 'category' ? input.categories.map((c, i) => [c, i]) : []));
    const target = schema.target;
    this.#labels = target.task === 'classification'
      ? new Map((target.labels as (string | number)[]).map((label, i) => [String(label), i])) : undefined;
  }

  get outputSize(): number {
    const target = this.schema.target;
    return target.task === 'classification' && target.output === 'softmax' ? target.labels.length : 1;
  }

  /** Throws INVALID_DATA listing the schema's input columns that `rows` lack (and the target, if `withTarget`). */
  checkColumns(rows: RowSource, withTarget: boolean, name: string): void {
    const needed = this.schema.inputs.map((i) => i.name).concat(withTarget ? [this.schema.target.name] : []);
    const absent = needed.filter((column) => !rows.has(column));
    if (absent.length > 0) {
      throw dataError(`${name}: the model needs column${absent.length === 1 ? '' : 's'} ${listNames(absent)}, ` +
        `missing from the rows given (the model's columns: ${listNames(needed)})`);
    }
  }

  #read(rows: RowSource, r: number, column: string): CellValue {
    return readCell(rows.cell(r, column), this.#missing, () => `${rows.where(r)}, column ${describe(column)}`);
  }

  /**
   * Writes row r's inputs at `out[at…]`. Returns false when an input is missing and `dropMissing` is set (the row is
   * to be skipped); `warnings`, when given, collects what was assumed.
   */
  encodeInputs(rows: RowSource, r: number, out: FloatArray, at: number, dropMissing: boolean,
    warnings?: string[]): boolean {
    let k = at;
    for (let i = 0; i < this.schema.inputs.length; i++) {
      const input = this.schema.inputs[i];
      const v = this.#read(rows, r, input.name);
      if (input.kind === 'number') {
        let x: number;
        if ('number' in v) x = v.number;
        else {
          if ('word' in v && this.schema.rules.invalidNumbers === 'error') {
            throw dataError(`${rows.where(r)}, column ${describe(input.name)}: ${describe(v.word)} is not a number ` +
              '(the model reads this column as numbers)');
          }
          if (dropMissing) return false;
          x = input.fill;
          warnings?.push(`${input.name}: missing, imputed with ${short(input.fill)}`);
        }
        const scaled = (x - input.offset) / input.scale;
        // A value far outside the training rows' spread scales past what the network's float32 inputs hold.
        if (!(Math.abs(scaled) <= FLOAT32_MAX)) {
          throw dataError(`${rows.where(r)}, column ${describe(input.name)}: ${x} scales to ${short(scaled)} ` +
            `((x − ${short(input.offset)}) / ${short(input.scale)}, from the training rows), beyond float32's range ` +
            '(±3.4e38); the model cannot read it');
        }
        out[k++] = scaled;
      } else {
        let text = valueIn(v, 'category') as string | undefined;
        if (text === undefined) {
          if (dropMissing) return false;
          text = input.fill;
          warnings?.push(`${input.name}: missing, imputed with ${JSON.stringify(input.fill)}`);
        }
        const index = this.#categories[i].get(text);
        for (let c = 0; c < input.categories.length; c++) out[k + c] = c === index ? 1 : 0;
        if (index === undefined) warnings?.push(`${input.name}: ${JSON.stringify(text)} was not seen in training (no category set)`);
        k += input.categories.length;
      }
    }
    return true;
  }

  /** Row r's target as network outputs at `out[at…]`; false when it is missing. */
  encodeTarget(rows: RowSource, r: number, out: FloatArray, at: number): boolean {
    const target = this.schema.target;
    const v = this.#read(rows, r, target.name);
    if ('missing' in v) return false;
    if (target.task === 'regression') {
      if (!('number' in v)) {
        if (this.schema.rules.invalidNumbers === 'error') {
          throw dataError(`${rows.where(r)}, column ${describe(target.name)}: ${describe(v.word)} is not a number ` +
            '(the target of a regression)');
        }
        return false;
      }
      out[at] = (v.number - target.mean) / target.std;
      return true;
    }
    const numeric = typeof target.labels[0] === 'number';
    if (numeric && !('number' in v)) {
      if (this.schema.rules.invalidNumbers === 'error') {
        throw dataError(`${rows.where(r)}, column ${describe(target.name)}: ${describe(v.word)} is not a number ` +
          '(the classes are numbers)');
      }
      return false;
    }
    const key = String(valueIn(v, numeric ? 'number' : 'category'));
    const index = this.#labels!.get(key);
    if (index === undefined) {
      throw dataError(`${rows.where(r)}, column ${describe(target.name)}: class ${JSON.stringify(key)} is not one the ` +
        `model knows (${listNames(target.labels.map(String))})`);
    }
    if (target.output === 'sigmoid') out[at] = index;
    else for (let c = 0; c < target.labels.length; c++) out[at + c] = c === index ? 1 : 0;
    return true;
  }

  /**
   * Every usable row of `rows` as network data: rows without a target are skipped, and with `dropMissing` rows with
   * a missing input too. Returns the data and the number of rows skipped.
   */
  encodeData(rows: RowSource, dropMissing: boolean): { inputs: Float64Array; targets: Float64Array; count: number;
    skipped: number; rowsUsed: number[] } {
    const width = this.schema.inputSize;
    const outputs = this.outputSize;
    const inputs = new Float64Array(rows.count * width);
    const targets = new Float64Array(rows.count * outputs);
    const rowsUsed: number[] = [];
    for (let r = 0; r < rows.count; r++) {
      const n = rowsUsed.length;
      if (!this.encodeTarget(rows, r, targets, n * outputs)) continue;
      if (!this.encodeInputs(rows, r, inputs, n * width, dropMissing)) continue;
      rowsUsed.push(r);
    }
    const count = rowsUsed.length;
    return {
      inputs: inputs.slice(0, count * width), targets: targets.slice(0, count * outputs), count,
      skipped: rows.count - count, rowsUsed,
    };
  }

  /** The class an output row stands for (an index into the labels): the most probable one, the first on a tie. */
  classOf(output: ArrayLike<number>): number {
    const target = this.schema.target as ClassesTarget;
    if (target.output === 'sigmoid') return output[0] > 0.5 ? 1 : 0;
    let best = 0;
    for (let c = 1; c < output.length; c++) if (output[c] > output[best]) best = c;
    return best;
  }

  /** Row r's target, in its own units (regression; the row is known to have one). */
  targetNumber(rows: RowSource, r: number): number {
    return (this.#read(rows, r, this.schema.target.name) as { number: number }).number;
  }

  /** A network output (one row's) as a prediction. */
  decode(output: ArrayLike<number>, warnings: string[]): Prediction {
    const target = this.schema.target;
    const extra = warnings.length > 0 ? { warnings } : {};
    if (target.task === 'regression') return { value: output[0] * target.std + target.mean, ...extra };
    const labels = target.labels as (string | number)[];
    const p = target.output === 'sigmoid' ? [1 - output[0], output[0]] : Array.from(output);
    return {
      label: labels[this.classOf(output)],
      probabilities: Object.fromEntries(labels.map((label, c) => [String(label), p[c]])),
      ...extra,
    };
  }
}
