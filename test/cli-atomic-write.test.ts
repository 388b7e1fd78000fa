import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryPathFor, writeFileAtomic, writeFileAtomicSync } from '../src/node/atomic-write.js';

const OLD = '{"model": "old"}\n';
const NEW = '{"model": "new", "weights": [1, 2, 3]}\n';

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'simdnet-atomic-'));
  // Node 20 cannot run TypeScript: the child imports the module bundled to plain JavaScript.
  bundle = join(dir, 'atomic-write.mjs');
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('../src/node/atomic-write.ts', import.meta.url))],
    outfile: bundle, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const temporaries = (name: string) => readdirSync(dir).filter((file) => file.startsWith(`.${name}.`) && file.endsWith('.tmp'));

/** Runs the writer child; resolves with its stdout once it exits, killing it with SIGKILL on "partial" if asked. */
function runWriter(target: string, mode: 'stall' | 'finish', onPartial?: () => void): Promise<{ stdout: string; signal: NodeJS.Signals | null; code: number | null }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/atomic-writer.mjs', import.meta.url)), bundle, target, mode],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    if (text.includes('partial') && onPartial) {
      onPartial();
      child.kill('SIGKILL');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr += text; });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => (stderr && code !== 0 && !signal ? reject(new Error(stderr)) : resolve({ stdout, signal, code })));
  });
}

describe('writeFileAtomic', () => {
  it('creates a file, then replaces it, leaving no temporary file', async () => {
    const target = join(dir, 'plain.json');
    await writeFileAtomic(target, OLD);
    expect(readFileSync(target, 'utf8')).toBe(OLD);
    await writeFileAtomic(target, new TextEncoder().encode(NEW));
    expect(readFileSync(target, 'utf8')).toBe(NEW);
    expect(temporaries('plain.json')).toEqual([]);
  });

  it('writes chunks in order, from a generator', async () => {
    const target = join(dir, 'chunks.txt');
    await writeFileAtomic(target, (function* () {
      for (let i = 0; i < 1000; i++) yield `${i},`;
    })());
    expect(readFileSync(target, 'utf8')).toBe(Array.from({ length: 1000 }, (_, i) => `${i},`).join(''));
  });

  it('keeps the old file and removes its temporary file when producing the data fails', async () => {
    const target = join(dir, 'failing.json');
    writeFileSync(target, OLD);
    const failing = (async function* () {
      yield '{"model": "new", ';
      throw new Error('serialisation failed');
    })();
    await expect(writeFileAtomic(target, failing)).rejects.toThrow('serialisation failed');
    expect(readFileSync(target, 'utf8')).toBe(OLD);
    expect(temporaries('failing.json')).toEqual([]);
  });

  it('has a synchronous twin', () => {
    const target = join(dir, 'sync.json');
    writeFileSync(target, OLD);
    writeFileAtomicSync(target, NEW);
    expect(readFileSync(target, 'utf8')).toBe(NEW);
    expect(temporaries('sync.json')).toEqual([]);
  });

  it('puts the temporary file next to the target, hidden and unique', () => {
    const a = temporaryPathFor(join(dir, 'model.json'));
    const b = temporaryPathFor(join(dir, 'model.json'));
    expect(a).not.toBe(b);
    expect(a.startsWith(join(dir, '.model.json.'))).toBe(true);
  });

  it('leaves the old file intact when the writer is killed mid-write', async () => {
    const target = join(dir, 'killed.json');
    writeFileSync(target, OLD);
    let partialOnDisk: string[] = [];
    const { stdout, signal } = await runWriter(target, 'stall', () => {
      // At this moment the first chunk has been written to the temporary file, and the target is untouched.
      partialOnDisk = temporaries('killed.json').map((file) => readFileSync(join(dir, file), 'utf8'));
    });
    expect(signal).toBe('SIGKILL');
    expect(stdout).not.toContain('done');
    expect(partialOnDisk).toEqual(['{"model": "new", "weights": [']);
    expect(readFileSync(target, 'utf8')).toBe(OLD);
  });

  it('replaces the file when the same writer is not killed (the killed case is not vacuous)', async () => {
    const target = join(dir, 'finished.json');
    writeFileSync(target, OLD);
    const { stdout, code } = await runWriter(target, 'finish');
    expect(code).toBe(0);
    expect(stdout).toBe('partial\ndone\n');
    expect(readFileSync(target, 'utf8')).toBe(NEW);
    expect(temporaries('finished.json')).toEqual([]);
    expect(existsSync(target)).toBe(true);
  });
});
