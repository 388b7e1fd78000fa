// The files a command reads and writes. Inputs that cannot be read are INVALID_FILE errors naming the path; output
// paths are made ready (their folders created, their folder writable) before any work, so that a finished
// training run is never lost to a path problem at the end.

import { constants } from 'node:fs';
import { access, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SimdnetError } from '../core/errors.js';
import type { CliIO } from './io.js';

const reasonOf = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
};

export async function readInput(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new SimdnetError('INVALID_FILE', `${path}: cannot read the ${what} (${reasonOf(error)})`, { cause: error });
  }
}

/**
 * Makes `file` (relative to the working directory) ready to be written by `flag`: creates its folder, checks that
 * the folder is writable and that `file` is not a folder. Returns the absolute path.
 */
export async function prepareOutput(flag: string, file: string, io: CliIO): Promise<string> {
  const path = resolve(io.cwd, file);
  const fail = (problem: string, cause?: unknown) =>
    new SimdnetError('INVALID_FILE', `${flag} ${file}: ${problem}`, cause ? { cause } : undefined);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw fail('is a folder, not a file');
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    throw fail(`cannot create its folder ${dirname(path)} (${reasonOf(error)})`, error);
  }
  try {
    await access(dirname(path), constants.W_OK);
  } catch (error) {
    throw fail(`its folder ${dirname(path)} is not writable`, error);
  }
  return path;
}
