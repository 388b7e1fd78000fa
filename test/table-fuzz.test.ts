// Properties of simdnet/table, over random tables: random unicode column names, numbers, words with separators,
// quotes and line breaks, missing cells, any of the three separators, CRLF, a byte-order mark. fast-check draws
// from the run's seed (test/setup/seed-each-file.ts prints it on failure; SIMDNET_SEED replays it).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type Separator, TabularModel, type TableRecord, fitSchema, fromRecords, readCsv } from '../src/io/table/index.js';
import { expectCoded } from './fuzz/harness.js';

const separator = fc.constantFrom<Separator>(',', ';', '\t');
const cell = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.constantFrom('', 'NA', 'NaN', 'null', '?', ' ', '1e5', '-.5', 'Infinity', '__proto__', 'constructor'),
  fc.string({ unit: fc.constantFrom('a', 'é', '漢', '😀', ',', ';', '\t', '"', '\n', '\r\n', ' ', '1', '.') , maxLength: 6 }),
  fc.string({ unit: 'grapheme', maxLength: 5 }),
);
const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 });
const table = fc.uniqueArray(name, { minLength: 1, maxLength: 5 }).chain((names) => fc.record({
  names: fc.constant(names),
  rows: fc.array(fc.array(cell, { minLength: names.length, maxLength: names.length }), { minLength: 1, maxLength: 12 }),
}));

/** CSV as a careful writer writes it: fields with a separator, a quote, a line break or nothing at all quoted. */
function toCsv(names: string[], rows: string[][], sep: string, eol: string, bom: boolean, quoteAll: boolean): string {
  const field = (value: string) => quoteAll || value === '' || /[",;\t\r\n]/.test(value) || value.trim() !== value
    ? `"${value.replaceAll('"', '""')}"` : value;
  return (bom ? '\ufeff' : '') + [names, ...rows].map((row) => row.map(field).join(sep)).join(eol) + eol;
}

describe('fuzz: readCsv', () => {
  it('reads back exactly what a careful writer wrote, for any cells, names and separator', () => {
    fc.assert(fc.property(table, separator, fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.boolean(),
      ({ names, rows }, sep, eol, bom, quoteAll) => {
        const text = toCsv(names, rows, sep, eol, bom, quoteAll);
        const read = readCsv(text, { separator: sep, invalidNumbers: 'missing' });
        const expected = rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]])));
        if (JSON.stringify(read.columnNames) !== JSON.stringify(names)) throw new Error(`names ${JSON.stringify(read.columnNames)}`);
        if (JSON.stringify(read.toRecords()) !== JSON.stringify(expected)) {
          throw new Error(`cells differ: ${JSON.stringify(read.toRecords())}`);
        }
        for (const column of read.columns) {
          if (column.missing < 0 || column.missing > rows.length) throw new Error(`missing count ${column.missing}`);
        }
      }), { numRuns: 300 });
  });

  it('on any text, with or without a separator given, reads a table or throws INVALID_DATA', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', '1', ',', ';', '\t', '"', '\n', '\r', ' ', '?', '\ufeff', '漢'), maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.tuple(table, separator).map(([{ names, rows }, sep]) => toCsv(names, rows, sep, '\n', false, false)),
    );
    fc.assert(fc.property(text, fc.option(separator, { nil: undefined }), fc.constantFrom<'error' | 'missing'>('error', 'missing'),
      (csv, sep, invalidNumbers) => {
        try {
          const read = readCsv(csv, { separator: sep, invalidNumbers, name: 'fuzz.csv' });
          if (read.rowCount < 1) throw new Error('a table without rows');
        } catch (error) {
          const coded = expectCoded(error, ['INVALID_DATA']);
          if (!coded.message.startsWith('fuzz.csv')) throw new Error(`message does not name the file: ${coded.message}`);
        }
      }), { numRuns: 400 });
  });
});

describe('fuzz: schema and model', () => {
  it('fits a schema or throws INVALID_DATA / INVALID_OPTIONS; a fitted model predicts finite numbers for every row', async () => {
    await fc.assert(fc.asyncProperty(table, fc.nat(), fc.constantFrom<'standard' | 'minmax'>('standard', 'minmax'),
      fc.constantFrom<'impute' | 'drop'>('impute', 'drop'), async ({ names, rows }, pick, scaling, missingInputs) => {
        const records: TableRecord[] = rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]])));
        let model: TabularModel;
        try {
          const t = fromRecords(records, { invalidNumbers: 'missing' });
          fitSchema(t, { target: names[pick % names.length], scaling, missingInputs });
          model = await TabularModel.create(t, { target: names[pick % names.length], scaling, missingInputs,
            hidden: [3], backend: 'js', seed: 1 });
        } catch (error) {
          expectCoded(error, ['INVALID_DATA', 'INVALID_OPTIONS']);
          return;
        }
        try {
          try {
            model.trainSync(records, { epochs: 2 });
          } catch (error) {
            expectCoded(error, ['INVALID_DATA']); // e.g. 'drop' leaving no row
          }
          // A row whose number lies so far outside the training rows' spread that it scales past float32 (a spread
          // of 5e-324 and a value of 2e-99) is refused with a message saying so; every other row is predicted.
          const readable = records.filter((record) => {
            try {
              model.predictRows([record]);
              return true;
            } catch (error) {
              expectCoded(error, ['INVALID_DATA']);
              if (!(error as Error).message.includes('beyond float32\'s range')) throw error;
              return false;
            }
          });
          for (const prediction of model.predictRows(readable)) {
            const numbers = 'value' in prediction ? [prediction.value] : Object.values(prediction.probabilities);
            if (!numbers.every(Number.isFinite)) throw new Error(`prediction ${JSON.stringify(prediction)}`);
          }
          const again = await TabularModel.fromJSON(JSON.stringify(model.toJSON()));
          if (JSON.stringify(again.predictRows(readable)) !== JSON.stringify(model.predictRows(readable))) {
            throw new Error('a reloaded model predicts differently');
          }
          again.dispose();
        } finally {
          model.dispose();
        }
      }), { numRuns: 60 });
  });
});
