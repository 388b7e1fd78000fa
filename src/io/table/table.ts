// Tables: named columns of raw cells, as read from CSV text, JSON records or column arrays, each column given a kind
// (number or category), its missing-cell count and, for categories, its values with their counts. Cells stay raw
// (strings from CSV, whatever records held) and are read through one function, readCell, here and when a fitted
// schema encodes rows later, so a value means the same thing at training and at prediction time.

import { FLOAT32_MAX } from '../../core/constants.js';
import { SimdnetError, describe } from '../../core/errors.js';

/** One cell as users may give it; null and undefined are missing. */
export type Cell = string | number | boolean | null | undefined;
/** One row as a plain object: column name → cell. */
export type TableRecord = Record<string, Cell>;

export type ColumnKind = 'number' | 'category';

/** The cells that mean "missing" unless `missing` says otherwise (compared after trimming spaces). */
export const DEFAULT_MISSING: readonly string[] = ['', 'NA', 'NaN', 'null', '?'];

export interface ReadOptions {
  /** Names the data in messages, e.g. the file name. Default 'data'. */
  name?: string;
  /** Cells (after trimming spaces) that are missing; default DEFAULT_MISSING. An empty cell is always missing. */
  missing?: readonly string[];
  /** A column's kind, instead of the inferred one. */
  kinds?: Record<string, ColumnKind>;
  /**
   * A word in a numeric column (e.g. "n/a" among numbers): 'error' (default) stops with the line and column,
   * 'missing' counts it as a missing cell.
   */
  invalidNumbers?: 'error' | 'missing';
}

export interface CategoryCount {
  value: string;
  count: number;
}

export interface ColumnSummary {
  name: string;
  kind: ColumnKind;
  /** Missing cells, including words in a numeric column read with invalidNumbers: 'missing'. */
  missing: number;
  /** Of those, the words in a numeric column. */
  invalid: number;
  /** Category columns: every value with its count, sorted by value (code-unit order). */
  categories?: CategoryCount[];
}

/** How cells are read: the missing markers and what a word in a numeric column is. Stored in a fitted schema. */
export interface CellRules {
  missing: readonly string[];
  invalidNumbers: 'error' | 'missing';
}

/** A cell as a column reads it: missing, a number, or a word (trimmed text). */
export type CellValue = { missing: true } | { number: number; text: string } | { word: string };

const MISSING: CellValue = { missing: true };
/** Decimal numbers as CSV writes them: sign, digits with an optional point, an optional exponent. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export const dataError = (message: string) => new SimdnetError('INVALID_DATA', message);

/**
 * Reads one cell. `where` names it for the one error this can raise: a value that is no cell at all (an object or
 * an array in a record).
 */
export function readCell(cell: unknown, missing: ReadonlySet<string>, where: () => string): CellValue {
  if (cell === null || cell === undefined) return MISSING;
  if (typeof cell === 'number') {
    if (Number.isNaN(cell)) return MISSING;
    if (Math.abs(cell) > FLOAT32_MAX) return { word: String(cell) };
    return { number: cell, text: String(cell) };
  }
  if (typeof cell === 'boolean') return { word: String(cell) };
  if (typeof cell !== 'string') {
    throw dataError(`${where()}: ${describe(cell)} is not a cell (expected a string, a number, a boolean or null)`);
  }
  const text = cell.trim();
  if (text === '' || missing.has(text)) return MISSING;
  if (NUMBER.test(text)) {
    const number = Number(text);
    if (Math.abs(number) <= FLOAT32_MAX) return { number, text };
  }
  return { word: text };
}

/** The rules with defaults filled in and checked. */
export function resolveCellRules(options: ReadOptions | undefined): CellRules {
  const missing = options?.missing ?? DEFAULT_MISSING;
  if (!Array.isArray(missing) || missing.some((m) => typeof m !== 'string')) {
    throw new SimdnetError('INVALID_OPTIONS', `options.missing: expected an array of strings, got ${describe(missing)}`);
  }
  const invalidNumbers = options?.invalidNumbers ?? 'error';
  if (invalidNumbers !== 'error' && invalidNumbers !== 'missing') {
    throw new SimdnetError('INVALID_OPTIONS', `options.invalidNumbers: expected "error" or "missing", got ` +
      describe(invalidNumbers));
  }
  return { missing: [...new Set(missing.map((m) => m.trim()))], invalidNumbers };
}

/** Where a row came from: a line of a file, or an index into records. */
export type RowPlaces = { lines: readonly number[] } | { records: string };

/** Code-unit order: the same on every machine and locale. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A word counts as a stray in a numeric column while numbers outnumber words ten to one (or the kind is forced). */
const STRAY_RATIO = 10;

export class Table {
  readonly name: string;
  readonly columnNames: readonly string[];
  readonly rowCount: number;
  readonly columns: readonly ColumnSummary[];
  readonly rules: CellRules;
  readonly #cells: readonly (readonly Cell[])[];
  readonly #places: RowPlaces;
  readonly #missingSet: ReadonlySet<string>;

  /** Internal: use readCsv, fromRecords or fromColumns. `cells` holds one array of rowCount cells per column. */
  constructor(name: string, columnNames: readonly string[], cells: readonly (readonly Cell[])[], places: RowPlaces,
    options: ReadOptions | undefined) {
    this.name = name;
    this.columnNames = columnNames;
    this.rowCount = cells[0]?.length ?? 0;
    this.#cells = cells;
    this.#places = places;
    this.rules = resolveCellRules(options);
    this.#missingSet = new Set(this.rules.missing);
    const kinds = options?.kinds ?? {};
    if (typeof kinds !== 'object' || kinds === null) {
      throw new SimdnetError('INVALID_OPTIONS', `options.kinds: expected an object, got ${describe(kinds)}`);
    }
    for (const [column, kind] of Object.entries(kinds)) {
      if (!columnNames.includes(column)) {
        throw new SimdnetError('INVALID_OPTIONS', `options.kinds.${column}: ${name} has no column ${describe(column)} ` +
          `(columns: ${listNames(columnNames)})`);
      }
      if (kind !== 'number' && kind !== 'category') {
        throw new SimdnetError('INVALID_OPTIONS', `options.kinds.${column}: expected "number" or "category", got ` +
          describe(kind));
      }
    }
    this.columns = columnNames.map((column, c) => this.#summarise(column, c, Object.hasOwn(kinds, column)
      ? kinds[column] : undefined));
  }

  /** The summary of a column, or undefined. */
  column(name: string): ColumnSummary | undefined {
    return this.columns.find((c) => c.name === name);
  }

  /** The raw cell at a row of a column. */
  cell(row: number, column: string): Cell {
    const c = this.columnNames.indexOf(column);
    return c < 0 ? undefined : this.#cells[c][row];
  }

  /** Names a row in messages: `iris.csv line 12` or `data row 3` (rows count from 0). */
  where(row: number): string {
    return 'lines' in this.#places ? `${this.name} line ${this.#places.lines[row]}` : `${this.#places.records} row ${row}`;
  }

  /** Every row as a plain object (raw cells; missing cells as read). */
  toRecords(): TableRecord[] {
    const records: TableRecord[] = [];
    for (let r = 0; r < this.rowCount; r++) {
      records.push(Object.fromEntries(this.columnNames.map((name, c) => [name, this.#cells[c][r]])));
    }
    return records;
  }

  /** The rows at `indices`, in that order, with this table's kinds and rules (counts recomputed). */
  select(indices: ArrayLike<number>): Table {
    const rows = Array.from(indices);
    for (const r of rows) {
      if (!Number.isInteger(r) || r < 0 || r >= this.rowCount) {
        throw new SimdnetError('INVALID_OPTIONS', `row index ${describe(r)} is outside 0…${this.rowCount - 1}`);
      }
    }
    const places: RowPlaces = 'lines' in this.#places
      ? { lines: rows.map((r) => (this.#places as { lines: readonly number[] }).lines[r]) }
      : this.#places;
    const kinds = Object.fromEntries(this.columns.map((c) => [c.name, c.kind]));
    return new Table(this.name, this.columnNames, this.#cells.map((cells) => rows.map((r) => cells[r])), places,
      { ...this.rules, kinds });
  }

  #summarise(name: string, c: number, forced: ColumnKind | undefined): ColumnSummary {
    const cells = this.#cells[c];
    const values = cells.map((cell, r) => readCell(cell, this.#missingSet, () => `${this.where(r)}, column ${describe(name)}`));
    let numbers = 0;
    let words = 0;
    for (const v of values) {
      if ('number' in v) numbers++;
      else if ('word' in v) words++;
    }
    const kind = forced ?? (numbers > 0 && words * STRAY_RATIO <= numbers ? 'number' : 'category');
    if (kind === 'number') {
      const stray = values.findIndex((v) => 'word' in v);
      if (stray >= 0 && this.rules.invalidNumbers === 'error') {
        throw dataError(`${this.where(stray)}, column ${describe(name)}: ${describe((values[stray] as { word: string })
          .word)} is not a number, in a column of numbers (${numbers} numbers, ${plural(words, 'other word')}); correct the ` +
          'cell, mark it missing, or read with invalidNumbers: "missing"');
      }
      return { name, kind, missing: values.length - numbers, invalid: words };
    }
    const counts = new Map<string, number>();
    for (const v of values) {
      const text = 'number' in v ? v.text : 'word' in v ? v.word : undefined;
      if (text !== undefined) counts.set(text, (counts.get(text) ?? 0) + 1);
    }
    const categories = [...counts].map(([value, count]) => ({ value, count }))
      .sort((a, b) => compareText(a.value, b.value));
    return { name, kind, missing: values.length - numbers - words, invalid: 0, categories };
  }
}

/** "3 rows", "1 row". */
export const plural = (count: number, noun: string, nouns = `${noun}s`): string => `${count} ${count === 1 ? noun : nouns}`;

/** "a", "b", "c" — for messages that list the columns there are. */
export function listNames(names: readonly string[]): string {
  return names.map((n) => JSON.stringify(n)).join(', ');
}

function checkName(name: unknown): string {
  if (name === undefined) return 'data';
  if (typeof name !== 'string') throw new SimdnetError('INVALID_OPTIONS', `options.name: expected a string, got ${describe(name)}`);
  return name;
}

/** A column name must be unique: the schema and every message refer to columns by name. */
export function checkColumnNames(names: readonly string[], where: string): void {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw dataError(`${where}: column ${describe(name)} appears twice (columns ${first + 1} and ${i + 1}); ` +
        'every column needs a name of its own');
    }
    seen.set(name, i);
  });
}

/**
 * A table from an array of plain objects (JSON records). The columns are every key in order of first appearance;
 * a key a record lacks, null and undefined are missing cells.
 */
export function fromRecords(records: readonly TableRecord[], options?: ReadOptions): Table {
  const name = checkName(options?.name);
  if (!Array.isArray(records)) throw dataError(`${name}: expected an array of records (objects), got ${describe(records)}`);
  if (records.length === 0) throw dataError(`${name}: no records`);
  const names: string[] = [];
  const known = new Set<string>();
  records.forEach((record, r) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw dataError(`${name} row ${r}: expected an object, got ${describe(record)}`);
    }
    for (const key of Object.keys(record)) {
      if (!known.has(key)) {
        known.add(key);
        names.push(key);
      }
    }
  });
  const cells = names.map((key) => records.map((record) => (Object.hasOwn(record, key) ? record[key] : undefined)));
  return new Table(name, names, cells, { records: name }, options);
}

/** A table from column arrays of equal length: `{ sepal: [5.1, 4.9], species: ['setosa', 'setosa'] }`. */
export function fromColumns(columns: Record<string, readonly Cell[]>, options?: ReadOptions): Table {
  const name = checkName(options?.name);
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) {
    throw dataError(`${name}: expected an object of column arrays, got ${describe(columns)}`);
  }
  const names = Object.keys(columns);
  if (names.length === 0) throw dataError(`${name}: no columns`);
  const cells = names.map((key) => {
    const values = columns[key];
    if (!Array.isArray(values)) throw dataError(`${name}, column ${describe(key)}: expected an array, got ${describe(values)}`);
    return values;
  });
  cells.forEach((values, c) => {
    if (values.length !== cells[0].length) {
      throw dataError(`${name}, column ${describe(names[c])}: ${values.length} values, but column ` +
        `${describe(names[0])} has ${cells[0].length}; every column needs one value per row`);
    }
  });
  if (cells[0].length === 0) throw dataError(`${name}: no rows`);
  return new Table(name, names, cells, { records: name }, options);
}
