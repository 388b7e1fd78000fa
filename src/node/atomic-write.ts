// Atomic file replacement: the data goes to a temporary file in the target's directory, which is flushed to disk
// (fsync) and then renamed over the target. rename() within one file system is atomic, so a reader, or a crash at
// any moment, sees either the whole old file or the whole new one, never a half-written one.

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SimdnetError } from '../core/errors.js';

/** What can be written: one string or byte array, or chunks of them (e.g. a generator), written in order. */
export type AtomicWriteData =
  | string
  | Uint8Array
  | Iterable<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>;

/** The temporary file's name: hidden, in the same directory (so rename never crosses file systems), unique. */
export function temporaryPathFor(path: string): string {
  const target = resolve(path);
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

function isChunk(value: unknown): value is string | Uint8Array {
  return typeof value === 'string' || value instanceof Uint8Array;
}

/** Why a file could not be written, in words, without the temporary file's name that Node's message carries. */
function reason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOTDIR': return 'a part of the path is a file, not a folder';
    case 'EISDIR': return 'it is a folder';
    case 'ENOSPC': return 'no space left on the device';
    case 'EROFS': return 'read-only file system';
    default: return error.code ?? error.message;
  }
}

/**
 * File-system failures (errors with a syscall) become INVALID_FILE naming `path`; anything else, such as an error
 * thrown by the data's own iterator, passes through unchanged.
 */
function fileError(path: string, error: unknown): unknown {
  const errno = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || errno.syscall === undefined) return error;
  return new SimdnetError('INVALID_FILE', `${path}: cannot be written (${reason(errno)})`, { cause: error });
}

/** Flushes the directory entry after a rename, where the platform allows opening a directory (not Windows). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort: the rename itself has already happened.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Replaces `path` with `data` atomically (temporary file, fsync, rename), creating missing folders. If anything
 * fails, the temporary file is removed and `path` is left as it was; file-system failures are
 * SimdnetError('INVALID_FILE') naming `path`. A process killed outright (SIGKILL, power loss) may leave the hidden
 * temporary file behind, but never a partial `path`.
 */
export async function writeFileAtomic(path: string, data: AtomicWriteData): Promise<void> {
  try {
    await writeAtomically(path, data);
  } catch (error) {
    throw fileError(path, error);
  }
}

async function writeAtomically(path: string, data: AtomicWriteData): Promise<void> {
  const target = resolve(path);
  const temporary = temporaryPathFor(target);
  await mkdir(dirname(target), { recursive: true });
  const handle = await open(temporary, 'wx', 0o644);
  let renamed = false;
  try {
    try {
      if (isChunk(data)) {
        await handle.writeFile(data);
      } else {
        for await (const chunk of data) await handle.writeFile(chunk);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    renamed = true;
  } finally {
    if (!renamed) await unlink(temporary).catch(() => undefined);
  }
  syncDirectory(dirname(target));
}

/** The synchronous twin of writeFileAtomic, for string or byte data. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  try {
    writeAtomicallySync(path, data);
  } catch (error) {
    throw fileError(path, error);
  }
}

function writeAtomicallySync(path: string, data: string | Uint8Array): void {
  const target = resolve(path);
  const temporary = temporaryPathFor(target);
  mkdirSync(dirname(target), { recursive: true });
  const fd = openSync(temporary, 'wx', 0o644);
  let renamed = false;
  try {
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
    renamed = true;
  } finally {
    if (!renamed) {
      try {
        unlinkSync(temporary);
      } catch {
        // already gone
      }
    }
  }
  syncDirectory(dirname(target));
}
