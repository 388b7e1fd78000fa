// The Playground's "Yours" data set from a CSV file of any shape: the file is read by simdnet/table's readCsv (the
// library's one CSV reader), then a small chooser under the Data card's buttons picks the x₁ and x₂ columns (numbers)
// and the label column. Defaults: columns named x, y and label if there are, else the first two numeric columns and
// the last column. Every change of choice turns the rows into points again.

import { type Table, readCsv } from '../../../src/io/table/index.js';
import { DOMAIN, type Point } from '../datasets.js';
import { $ } from '../dom.js';
import { MAX_CLASSES } from '../state.js';

export interface CsvPoints {
  points: Point[];
  regression: boolean;
  classes: number;
  /** What was done to the columns, in a sentence or two. */
  note: string;
}

/** Features outside the map are scaled to this half-width, leaving a margin inside ±DOMAIN. */
const SPREAD = DOMAIN - 1;

const quoted = (name: string) => JSON.stringify(name);

/** The number in a cell, or undefined when it is missing (a table's numeric column holds nothing else). */
function numberAt(table: Table, row: number, column: string): number | undefined {
  const cell = table.cell(row, column);
  const text = typeof cell === 'string' ? cell.trim() : cell;
  if (text === '' || text === null || text === undefined || table.rules.missing.includes(String(text))) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Maps values onto [−half, half] when any lies outside [−limit, limit]; else leaves them as they are. */
function fitInto(values: number[], limit: number, half = limit): { map: (v: number) => number; scaled: boolean } {
  const low = Math.min(...values);
  const high = Math.max(...values);
  if (low >= -limit && high <= limit) return { map: (v) => v, scaled: false };
  if (high === low) return { map: () => 0, scaled: true };
  return { map: (v) => ((v - low) / (high - low)) * 2 * half - half, scaled: true };
}

/**
 * The points of three columns. Labels: words are classes in sorted order; integers 0–9 are the classes themselves,
 * −1 and 1 are classes 0 and 1, other integers (at most MAX_CLASSES values) classes in increasing order; other
 * numbers are regression targets, scaled into [−1, 1] when outside it. Rows missing any of the three are skipped.
 */
export function csvPoints(table: Table, x1: string, x2: string, label: string): CsvPoints {
  const labelColumn = table.column(label)!;
  const xs: number[] = [];
  const ys: number[] = [];
  const raw: (number | string)[] = [];
  for (let r = 0; r < table.rowCount; r++) {
    const x = numberAt(table, r, x1);
    const y = numberAt(table, r, x2);
    const cell = table.cell(r, label);
    const text = cell === null || cell === undefined ? '' : String(cell).trim();
    if (x === undefined || y === undefined || text === '' || table.rules.missing.includes(text)) continue;
    xs.push(x);
    ys.push(y);
    raw.push(labelColumn.kind === 'number' ? Number(text) : text);
  }
  if (raw.length === 0) throw new Error(`no row has all of ${quoted(x1)}, ${quoted(x2)} and ${quoted(label)}`);
  const notes: string[] = [];
  const fx = fitInto(xs, DOMAIN, SPREAD);
  const fy = fitInto(ys, DOMAIN, SPREAD);
  if (fx.scaled || fy.scaled) notes.push(`${[fx.scaled ? 'x₁' : '', fy.scaled ? 'x₂' : ''].filter(Boolean).join(' and ')} scaled into the map`);

  let labels: number[];
  let regression = false;
  const numbers = raw.filter((v): v is number => typeof v === 'number');
  if (numbers.length < raw.length) {
    const names = [...new Set(raw.map(String))].sort();
    labels = raw.map((v) => names.indexOf(String(v)));
    if (names.length <= MAX_CLASSES) notes.push(names.map((n, c) => `${n} = class ${c}`).join(', '));
  } else if (numbers.every(Number.isInteger)) {
    const distinct = [...new Set(numbers)].sort((a, b) => a - b);
    if (numbers.every((v) => v >= 0 && v <= 9)) labels = numbers;
    else if (distinct.every((v) => v === -1 || v === 1)) labels = numbers.map((v) => (v > 0 ? 1 : 0));
    else if (distinct.length <= MAX_CLASSES) {
      labels = numbers.map((v) => distinct.indexOf(v));
      notes.push(distinct.map((v, c) => `${v} = class ${c}`).join(', '));
    } else {
      regression = true;
      labels = numbers;
    }
  } else {
    regression = true;
    labels = numbers;
  }
  if (regression) {
    const fit = fitInto(labels, 1);
    labels = labels.map(fit.map);
    notes.push(`${quoted(label)} is a number to estimate${fit.scaled ? ', scaled into −1…1' : ''}`);
  }
  const classes = regression ? 2 : Math.max(2, ...labels.map((l) => l + 1));
  if (classes > MAX_CLASSES) {
    throw new Error(`column ${quoted(label)} has ${classes} classes; the Playground shows at most ${MAX_CLASSES}`);
  }
  const skipped = table.rowCount - raw.length;
  if (skipped) notes.push(`${skipped} row${skipped === 1 ? '' : 's'} with a missing cell skipped`);
  const points = xs.map((x, i) => ({ x: fx.map(x), y: fy.map(ys[i]), label: labels[i] }));
  return { points, regression, classes, note: notes.length ? `${notes.join('; ')}.` : '' };
}

/** The chooser: three menus under the Data card's buttons, shown once a file is read. */
export class CsvColumns {
  readonly #use: (data: CsvPoints, file: string) => void;
  readonly #box: HTMLFieldSetElement;
  readonly #menus: Record<'x1' | 'x2' | 'label', HTMLSelectElement>;
  #table: Table | undefined;

  /** `use` receives the points of every choice that works. */
  constructor(use: (data: CsvPoints, file: string) => void) {
    this.#use = use;
    this.#box = document.createElement('fieldset');
    this.#box.className = 'csv-columns';
    this.#box.id = 'csv-columns';
    this.#box.hidden = true;
    const legend = document.createElement('legend');
    this.#box.append(legend);
    const menu = (key: string, text: string) => {
      const label = document.createElement('label');
      label.className = 'field';
      const span = document.createElement('span');
      span.textContent = text;
      const select = document.createElement('select');
      select.id = `csv-${key}`;
      select.addEventListener('change', () => this.#apply());
      label.append(span, select);
      this.#box.append(label);
      return select;
    };
    this.#menus = { x1: menu('x1', 'x₁'), x2: menu('x2', 'x₂'), label: menu('label', 'Label') };
    const note = document.createElement('p');
    note.className = 'hint';
    note.id = 'csv-columns-note';
    this.#box.append(note);
    $('csv-error').after(this.#box);
  }

  /** Reads a file's text and offers its columns, applying the defaults at once. */
  load(name: string, text: string): void {
    let table: Table;
    try {
      table = readCsv(text, { name });
      const numeric = table.columns.filter((c) => c.kind === 'number').map((c) => c.name);
      if (numeric.length < 2) {
        throw new Error(`${name}: two numeric columns are needed for x₁ and x₂ (numeric: ` +
          `${numeric.map(quoted).join(', ') || 'none'}; columns: ${table.columnNames.map(quoted).join(', ')})`);
      }
      const has = (column: string, among: readonly string[]) => (among.includes(column) ? column : undefined);
      const fill = (select: HTMLSelectElement, names: readonly string[], chosen: string) => {
        select.replaceChildren(...names.map((n) => new Option(n, n)));
        select.value = chosen;
      };
      fill(this.#menus.x1, numeric, has('x', numeric) ?? numeric[0]);
      fill(this.#menus.x2, numeric, has('y', numeric) ?? numeric.find((n) => n !== this.#menus.x1.value)!);
      fill(this.#menus.label, table.columnNames, has('label', table.columnNames) ?? table.columnNames[table.columnNames.length - 1]);
    } catch (error) {
      this.#fail(error);
      this.#table = undefined;
      this.#box.hidden = true;
      return;
    }
    this.#table = table;
    this.#box.querySelector('legend')!.textContent = `Columns of ${name}`;
    this.#box.hidden = false;
    this.#apply();
  }

  #fail(error: unknown): void {
    const box = $('csv-error');
    box.textContent = (error as Error).message;
    box.hidden = false;
  }

  #apply(): void {
    const table = this.#table;
    if (!table) return;
    const note = $('csv-columns-note');
    try {
      const data = csvPoints(table, this.#menus.x1.value, this.#menus.x2.value, this.#menus.label.value);
      $('csv-error').hidden = true;
      note.textContent = data.note;
      this.#use(data, table.name);
    } catch (error) {
      note.textContent = '';
      this.#fail(error instanceof Error && error.name !== 'SimdnetError' ? new Error(`${table.name}: ${error.message}`) : error);
    }
  }
}
