// Reading tables (CSV text, records, columns), their column summaries, the seeded split, the schema's decisions,
// and every bad-input error naming the file, the line or row, and the column.
import { describe, expect, it } from 'vitest';
import { fitSchema, fromColumns, fromRecords, readCsv, split } from '../src/io/table/index.js';
import { expectSimdnetError, failure } from './helpers.js';

describe('readCsv', () => {
  it('reads quoted fields with separators, quotes and line breaks, CRLF and a byte-order mark', () => {
    const table = readCsv('\ufeffname,"size (cm)",note\r\n"Smith, J",12.5,"said ""hi""\r\non two lines"\r\nLee,7,\r\n',
      { name: 'people.csv' });
    expect(table.columnNames).toEqual(['name', 'size (cm)', 'note']);
    expect(table.toRecords()).toEqual([
      { name: 'Smith, J', 'size (cm)': '12.5', note: 'said "hi"\r\non two lines' },
      { name: 'Lee', 'size (cm)': '7', note: '' },
    ]);
    expect(table.where(0)).toBe('people.csv line 2');
    expect(table.where(1)).toBe('people.csv line 4'); // the quoted line break counts as a line of the file
    expect(table.column('size (cm)')).toEqual({ name: 'size (cm)', kind: 'number', missing: 0, invalid: 0 });
    expect(table.column('note')).toMatchObject({ kind: 'category', missing: 1 });
  });

  it('detects ; and tab as separators, or takes the one given', () => {
    expect(readCsv('a;b\n1,5;2\n').toRecords()).toEqual([{ a: '1,5', b: '2' }]);
    expect(readCsv('a\tb\n1\t2\n').toRecords()).toEqual([{ a: '1', b: '2' }]);
    expect(readCsv('a;b,c\n1;2,3\n', { separator: ',' }).columnNames).toEqual(['a;b', 'c']);
    expect(readCsv('only\n1\n2\n').column('only')).toMatchObject({ kind: 'number', missing: 0 });
  });

  it('counts empty, NA, NaN, null and ? as missing by default, and what `missing` lists when given', () => {
    const text = 'x,y\n1,a\n,b\nNA,c\nNaN,d\nnull,e\n?,f\n-,g\n2,h\n3,i\n4,j\n5,k\n6,l\n7,m\n8,n\n9,o\n10,p\n11,q\n';
    expect(readCsv(text, { invalidNumbers: 'missing' }).column('x')).toEqual({ name: 'x', kind: 'number', missing: 6, invalid: 1 });
    expect(readCsv(text, { missing: ['-'] }).column('x')).toMatchObject({ kind: 'category', missing: 2 });
  });

  it('infers categories with their counts, sorted', () => {
    const table = readCsv('c\nb\na\nb\n10\n');
    expect(table.column('c')).toEqual({ name: 'c', kind: 'category', missing: 0, invalid: 0,
      categories: [{ value: '10', count: 1 }, { value: 'a', count: 1 }, { value: 'b', count: 2 }] });
    expect(readCsv('c\n1\n2\n', { kinds: { c: 'category' } }).column('c')?.kind).toBe('category');
  });

  it('keeps a quoted empty field of a one-column file as a missing cell, and skips blank lines', () => {
    const table = readCsv('v\n1\n""\n\n2\n', { name: 'one.csv' });
    expect(table.toRecords()).toEqual([{ v: '1' }, { v: '' }, { v: '2' }]);
    expect(table.where(2)).toBe('one.csv line 5');
    expect(table.column('v')).toMatchObject({ kind: 'number', missing: 1 });
  });

  it('names the file, the line and the column of every problem', () => {
    const numbers = ['v,w', ...Array.from({ length: 12 }, (_, i) => `${i},x`)];
    numbers[9] = 'seven,x';
    expectSimdnetError(failure(() => readCsv(numbers.join('\n'), { name: 'm.csv' })), 'INVALID_DATA',
      'm.csv line 10, column "v": "seven" is not a number, in a column of numbers (11 numbers, 1 other word)',
      'invalidNumbers: "missing"');
    expect(readCsv(numbers.join('\n'), { invalidNumbers: 'missing' }).column('v')).toMatchObject({ missing: 1, invalid: 1 });
    expectSimdnetError(failure(() => readCsv('a,b,c\n1,2,3\n4,5\n', { name: 'r.csv' })), 'INVALID_DATA',
      'r.csv line 3: 2 fields, but the header has 3 columns ("a", "b", "c")');
    expectSimdnetError(failure(() => readCsv('a,b\n1,2\n3,"4\n5,6\n', { name: 'q.csv' })), 'INVALID_DATA',
      'q.csv line 3: quoted field unterminated');
    expectSimdnetError(failure(() => readCsv('', { name: 'e.csv' })), 'INVALID_DATA', 'e.csv: empty file');
    expectSimdnetError(failure(() => readCsv('"', { name: 'e.csv' })), 'INVALID_DATA', 'e.csv line 1: quoted field unterminated');
    expectSimdnetError(failure(() => readCsv('\ufeff \r\n\n', { name: 'e.csv' })), 'INVALID_DATA', 'e.csv: empty file');
    expectSimdnetError(failure(() => readCsv('a,b\n', { name: 'h.csv' })), 'INVALID_DATA', 'h.csv: a header row but no data rows');
    expectSimdnetError(failure(() => readCsv('a,b,a\n1,2,3\n', { name: 'd.csv' })), 'INVALID_DATA',
      'd.csv line 1 (the header): column "a" appears twice (columns 1 and 3)');
    expectSimdnetError(failure(() => readCsv('a\n1\n', { name: 'big.csv', maxLength: 3 })), 'INVALID_DATA',
      'big.csv: 4 characters, more than maxLength (3)');
    expectSimdnetError(failure(() => readCsv('a\n1\n', { separator: '|' as ',' })), 'INVALID_OPTIONS', 'options.separator');
    expectSimdnetError(failure(() => readCsv('a\n1\n', { kinds: { b: 'number' } })), 'INVALID_OPTIONS',
      'options.kinds.b: data has no column "b" (columns: "a")');
  });
});

describe('fromRecords and fromColumns', () => {
  it('takes the union of keys; null, undefined and absent keys are missing', () => {
    const table = fromRecords([{ a: 1, b: 'x' }, { a: null, c: true }, { a: undefined, b: 'y' }], { name: 'rec' });
    expect(table.columnNames).toEqual(['a', 'b', 'c']);
    expect(table.columns.map((c) => [c.kind, c.missing])).toEqual([['number', 2], ['category', 1], ['category', 2]]);
    expect(table.where(2)).toBe('rec row 2');
    expect(fromColumns({ a: [1, 2], b: ['u', null] }).toRecords()).toEqual([{ a: 1, b: 'u' }, { a: 2, b: null }]);
  });

  it('refuses what is not a table', () => {
    expectSimdnetError(failure(() => fromRecords([{ a: 1 }, [2]] as never, { name: 'j.json' })), 'INVALID_DATA',
      'j.json row 1: expected an object');
    expectSimdnetError(failure(() => fromRecords([{ a: { nested: 1 } }] as never)), 'INVALID_DATA',
      'data row 0, column "a": a object is not a cell');
    expectSimdnetError(failure(() => fromRecords([])), 'INVALID_DATA', 'data: no records');
    expectSimdnetError(failure(() => fromColumns({ a: [1, 2], b: [1] })), 'INVALID_DATA',
      'column "b": 1 values, but column "a" has 2');
  });
});

describe('split', () => {
  const table = fromColumns({
    id: Array.from({ length: 100 }, (_, i) => i),
    label: Array.from({ length: 100 }, (_, i) => (i < 80 ? 'common' : 'rare')),
  });
  const ids = (t: { toRecords(): Record<string, unknown>[] }) => t.toRecords().map((r) => r.id as number);

  it('is seeded: the same seed gives the same parts, which cover every row once', () => {
    const a = split(table, { test: 0.2, validation: 0.1, seed: 4 });
    const b = split(table, { test: 0.2, validation: 0.1, seed: 4 });
    const c = split(table, { test: 0.2, validation: 0.1, seed: 5 });
    expect(ids(a.test)).toEqual(ids(b.test));
    expect(ids(a.test)).not.toEqual(ids(c.test));
    expect([a.train.rowCount, a.test.rowCount, a.validation!.rowCount]).toEqual([70, 20, 10]);
    expect([...ids(a.train), ...ids(a.test), ...ids(a.validation!)].sort((x, y) => x - y)).toEqual(ids(table));
  });

  it('stratified, keeps each class in proportion in every part', () => {
    const parts = split(table, { test: 0.25, seed: 1, stratify: 'label' });
    expect(parts.test.column('label')?.categories).toEqual([{ value: 'common', count: 20 }, { value: 'rare', count: 5 }]);
    expect(parts.train.column('label')?.categories).toEqual([{ value: 'common', count: 60 }, { value: 'rare', count: 15 }]);
  });

  it('refuses fractions out of range and unknown columns', () => {
    expectSimdnetError(failure(() => split(table, { test: 0 })), 'INVALID_OPTIONS', 'options.test');
    expectSimdnetError(failure(() => split(table, { test: 0.6, validation: 0.4 })), 'INVALID_OPTIONS', 'must be less than 1');
    expectSimdnetError(failure(() => split(table, { test: 0.2, stratify: 'nope' })), 'INVALID_OPTIONS',
      'data has no column "nope" (columns: "id", "label")');
  });
});

describe('fitSchema', () => {
  it('standardises or min-max scales numbers with the training rows\' statistics', () => {
    const table = fromColumns({ x: [1, 2, 3, 4, null], y: ['a', 'b', 'a', 'b', 'a'] });
    const standard = fitSchema(table, { target: 'y' });
    expect(standard.inputs).toEqual([{ name: 'x', kind: 'number', scaling: 'standard', offset: 2.5,
      scale: Math.sqrt(1.25), fill: 2.5 }]);
    const minmax = fitSchema(table, { target: 'y', scaling: 'minmax' });
    expect(minmax.inputs[0]).toMatchObject({ scaling: 'minmax', offset: 1, scale: 3, fill: 2.5 });
    expect(standard.target).toEqual({ name: 'y', task: 'classification', labels: ['a', 'b'], output: 'sigmoid' });
  });

  it('leaves out identifiers and empty columns with a notice, and infers the task', () => {
    const table = fromColumns({
      key: ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'], blank: [null, null, null, null, null, null],
      colour: ['red', 'blue', 'red', 'red', 'blue', 'red'], grade: [1, 2, 3, 1, 2, 3], price: [1.5, 2, 3, 4, 5, 6.5],
    });
    const classes = fitSchema(table, { target: 'grade' });
    expect(classes.target).toEqual({ name: 'grade', task: 'classification', labels: [1, 2, 3], output: 'softmax' });
    expect(classes.report.notices).toEqual([
      'task: classification, because target "grade" holds 3 distinct integers (pass task: "regression" to predict it as a number)',
      'column "key" left out: every value is different (an identifier, not a feature)',
      'column "blank" left out: every cell is missing',
    ]);
    expect(classes.inputs.map((i) => i.name)).toEqual(['colour', 'price']);
    expect(classes.inputSize).toBe(3);
    const regression = fitSchema(table, { target: 'price', ignore: ['colour'] });
    expect(regression.target).toMatchObject({ task: 'regression', mean: 22 / 6 });
    expect(regression.report.columns.map((c) => c.role)).toEqual(['identifier', 'empty', 'ignored', 'input', 'target']);
    expect(fitSchema(table, { target: 'grade', task: 'regression' }).target.task).toBe('regression');
  });

  it('leaves out a column whose only values are in rows without a target', () => {
    const schema = fitSchema(fromColumns({ x: [1, 2, 3], c: ['u', null, null], y: [null, 'a', 'b'] }), { target: 'y' });
    expect(schema.inputs.map((i) => i.name)).toEqual(['x']);
    expect(schema.report.notices).toContain('column "c" left out: every cell is missing in the rows with a target');
    expect(schema.report.notices).toContain('1 row left out: target "y" is missing');
  });

  it('refuses a target with one class or one value, words for regression, and no inputs', () => {
    const table = fromColumns({ x: [1, 2, 3], y: ['a', 'a', null], z: [5, 5, 5] }, { name: 't.csv' });
    expectSimdnetError(failure(() => fitSchema(table, { target: 'y' })), 'INVALID_DATA',
      't.csv, column "y": the target has one class ("a") in 2 training rows; a classifier needs at least two');
    expectSimdnetError(failure(() => fitSchema(table, { target: 'z', task: 'regression' })), 'INVALID_DATA',
      'the target has one value (5)');
    expectSimdnetError(failure(() => fitSchema(table, { target: 'y', task: 'regression' })), 'INVALID_DATA',
      'regression needs a column of numbers');
    expectSimdnetError(failure(() => fitSchema(fromColumns({ y: ['a', 'b'] }), { target: 'y' })), 'INVALID_DATA',
      'no input columns left');
    expectSimdnetError(failure(() => fitSchema(table, { target: 'x', ignore: ['w'] })), 'INVALID_OPTIONS',
      'options.ignore: t.csv has no column "w"');
  });
});
