// CSV text → Table, parsed by Papa Parse (quoted fields with separators, quotes and line breaks; CRLF; any of the
// three separators). This module checks what a parser leaves to its caller: one header row, the same number of
// fields on every line, and a line number for every row so that later messages can point into the file.

import Papa from 'papaparse';
import { SimdnetError, describe } from '../../core/errors.js';
import { type Cell, type ReadOptions, Table, checkColumnNames, dataError, listNames, plural } from './table.js';

export type Separator = ',' | ';' | '\t';
const SEPARATORS: readonly Separator[] = [',', ';', '\t'];

export interface CsvOptions extends ReadOptions {
  /** Default: detected among `,` `;` and tab from the first lines. */
  separator?: Separator;
  /** Longer text is refused before parsing. Default DEFAULT_MAX_LENGTH characters. */
  maxLength?: number;
}

/** 64 Mi characters: a large table for a browser tab, and far beyond what a dense network needs. */
export const DEFAULT_MAX_LENGTH = 2 ** 26;

/** Line number (from 1) of each offset asked for in increasing order, counting `linebreak` characters as it goes. */
function lineCounter(text: string, linebreak: string) {
  let offset = 0;
  let line = 1;
  return (to: number): number => {
    for (let i = text.indexOf(linebreak, offset); i >= 0 && i < to; i = text.indexOf(linebreak, i + linebreak.length)) {
      line++;
      offset = i + linebreak.length;
    }
    offset = Math.max(offset, to);
    return line;
  };
}

/**
 * Reads CSV text with a header row. Every problem is an INVALID_DATA SimdnetError naming `options.name` (the file)
 * and the line: no header, a line with more or fewer fields than the header, an unterminated quote, a repeated
 * column name, no data rows, text over maxLength.
 */
export function readCsv(text: string, options?: CsvOptions): Table {
  const name = options?.name ?? 'data';
  if (typeof name !== 'string') throw new SimdnetError('INVALID_OPTIONS', `options.name: expected a string, got ${describe(name)}`);
  const maxLength = options?.maxLength ?? DEFAULT_MAX_LENGTH;
  if (typeof maxLength !== 'number' || !(maxLength >= 1)) {
    throw new SimdnetError('INVALID_OPTIONS', `options.maxLength: expected a positive number, got ${describe(maxLength)}`);
  }
  const separator = options?.separator;
  if (separator !== undefined && !SEPARATORS.includes(separator)) {
    throw new SimdnetError('INVALID_OPTIONS', `options.separator: expected ",", ";" or "\\t", got ${describe(separator)}`);
  }
  if (typeof text !== 'string') throw dataError(`${name}: expected CSV text, got ${describe(text)}`);
  if (text.length > maxLength) {
    throw dataError(`${name}: ${text.length} characters, more than maxLength (${maxLength}); pass a larger maxLength ` +
      'to read it');
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 byte-order mark, as Excel writes
  if (body.trim() === '') throw dataError(`${name}: empty file (expected a header row, then one row per line)`);

  const rows: string[][] = [];
  const lines: number[] = [];
  let lineOf: ((offset: number) => number) | undefined;
  let start = 0;
  let problem: SimdnetError | undefined;
  // Guessed from the first lines without the blank ones (which would count as one-field rows against a separator).
  const delimiter = separator ??
    Papa.parse<string[]>(body, { preview: 20, delimitersToGuess: [...SEPARATORS], skipEmptyLines: true }).meta.delimiter;
  Papa.parse<string[]>(body, {
    delimiter,
    step(result, parser) {
      // Counting \n counts \r\n too, and the bare \n a quoted field may hold in a \r\n file.
      lineOf ??= lineCounter(body, result.meta.linebreak === '\r' ? '\r' : '\n');
      const line = lineOf(start);
      const raw = body.slice(start, result.meta.cursor);
      start = result.meta.cursor;
      const quote = result.errors.find((e) => e.type === 'Quotes');
      if (quote) {
        problem = dataError(`${name} line ${line}: ${quote.message.toLowerCase()} (a field that starts with " ` +
          'must end with "; a quote inside it is written "")');
        parser.abort();
        return;
      }
      // A blank line is no row; a line holding "" is a row with one empty field (Papa Parse's skipEmptyLines drops
      // both, which would lose the empty cells of a one-column file).
      if (raw.replace(/\r?\n$|\r$/, '') === '') return;
      rows.push(result.data);
      lines.push(line);
    },
  });
  if (problem) throw problem;
  if (rows.length === 0) throw dataError(`${name}: no header row (only blank lines)`);

  const header = rows[0];
  checkColumnNames(header, `${name} line ${lines[0]} (the header)`);
  if (rows.length === 1) throw dataError(`${name}: a header row but no data rows`);
  const cells: Cell[][] = header.map(() => []);
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (row.length !== header.length) {
      throw dataError(`${name} line ${lines[r]}: ${plural(row.length, 'field')}, but the header ` +
        `has ${plural(header.length, 'column')} (${listNames(header)}); a field with the ` +
        'separator in it needs quotes');
    }
    row.forEach((field, c) => cells[c].push(field));
  }
  return new Table(name, header, cells, { lines: lines.slice(1) }, options);
}
