// A table file for the command line: .csv (separator detected), .tsv or .json (an array of records), refused
// before reading when larger than the table reader's limit. Messages name the file as it was typed.

import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SimdnetError } from '../core/errors.js';
import { DEFAULT_MAX_LENGTH, type ReadOptions, type Table, fromRecords, readCsv } from '../io/table/index.js';
import { readInput } from './files.js';
import type { CliIO } from './io.js';

/** The largest file read: the CSV reader's limit in characters, as bytes (UTF-8 text has at least a byte each). */
export const MAX_FILE_BYTES = DEFAULT_MAX_LENGTH;

const dataError = (message: string) => new SimdnetError('INVALID_DATA', message);

/** "line 3, column 7" of a character offset, for a JSON syntax error. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const where = position ? ` at ${lineAndColumn(text, Number(position[1]))}` : '';
    throw dataError(`${file}: not valid JSON${where} (${message})`);
  }
}

export async function readTableFile(file: string, io: CliIO, options: Omit<ReadOptions, 'name'> = {}): Promise<Table> {
  const path = resolve(io.cwd, file);
  const size = (await stat(path).catch(() => undefined))?.size;
  if (size !== undefined && size > MAX_FILE_BYTES) {
    throw dataError(`${file}: ${(size / 2 ** 20).toFixed(1)} MiB, more than the limit of ${MAX_FILE_BYTES / 2 ** 20} MiB ` +
      'for a table file');
  }
  const text = (await readInput(path, 'data')).toString('utf8');
  const read = { ...options, name: file };
  if (file.toLowerCase().endsWith('.json')) {
    if (text.trim() === '') throw dataError(`${file}: empty file (expected an array of records)`);
    const records = parseJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file);
    return fromRecords(records as never, read);
  }
  return readCsv(text, { ...read, ...(file.toLowerCase().endsWith('.tsv') ? { separator: '\t' as const } : {}) });
}
