// The kernel table (src/core/kernels.ts) against what it describes: the functions the compiled core exports, with
// their Wasm parameter and result types read from the module's type section; the export list of assembly/index.ts;
// and the two backends' kernels. A kernel added, renamed, or given another argument or return type on one side only
// fails here.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JsBackend } from '../src/backends/js.js';
import { WasmBackend } from '../src/backends/wasm/backend.js';
import { CORE_EXTRAS, coreBytes } from '../src/backends/wasm/module.js';
import { readLeb } from '../src/backends/wasm/threads/patch.js';
import { type ArgKind, KERNELS, type KernelSpec, type ReturnKind, parseArg } from '../src/core/kernels.js';

/** A function's Wasm signature, as text: `(i32 i32 f64) -> i32`. */
type Signatures = Map<string, string>;

const VALUE_TYPES: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128' };

/** The exported functions of a module and their signatures, from its type, import, function and export sections. */
function exportedSignatures(bytes: Uint8Array): Signatures {
  const types: string[] = [];
  const functionTypes: number[] = []; // by function index: imported functions first
  const exports: [string, number][] = [];
  let at = 8;
  const name = (p: number): [string, number] => {
    const [length, start] = readLeb(bytes, p);
    return [new TextDecoder().decode(bytes.subarray(start, start + length)), start + length];
  };
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, body] = readLeb(bytes, at + 1);
    let p = body;
    const count = (): number => {
      const [n, next] = readLeb(bytes, p);
      p = next;
      return n;
    };
    if (id === 1) {
      for (let i = count(); i > 0; i--) {
        p++; // 0x60: a function type
        const params = Array.from({ length: count() }, () => VALUE_TYPES[bytes[p++]]);
        const results = Array.from({ length: count() }, () => VALUE_TYPES[bytes[p++]]);
        types.push(`(${params.join(' ')}) -> ${results.join(' ') || 'void'}`);
      }
    } else if (id === 2) {
      for (let i = count(); i > 0; i--) {
        [, p] = name(p);
        [, p] = name(p);
        const kind = bytes[p++];
        if (kind === 0) functionTypes.push(count());
        else if (kind === 2) { // memory: limits
          const flags = bytes[p++];
          count();
          if (flags & 1) count();
        } else throw new Error(`unexpected import kind ${kind}`);
      }
    } else if (id === 3) {
      for (let i = count(); i > 0; i--) functionTypes.push(count());
    } else if (id === 7) {
      for (let i = count(); i > 0; i--) {
        let exported: string;
        [exported, p] = name(p);
        const kind = bytes[p++];
        const index = count();
        if (kind === 0) exports.push([exported, index]);
      }
    }
    at = body + size;
  }
  return new Map(exports.map(([exported, index]) => [exported, types[functionTypes[index]]]));
}

const WASM_TYPE: Record<ArgKind, string> = { ptr: 'i32', 'ptr?': 'i32', int: 'i32', bool: 'i32', f32: 'f32', f64: 'f64' };
const WASM_RESULT: Record<ReturnKind, string> = { void: 'void', f64: 'f64', i32: 'i32', finite: 'i32' };

/** The signature every export of the core should have, by the table. */
function expectedSignatures(kernels: Record<string, KernelSpec>, extras: Record<string, KernelSpec>): Signatures {
  const expected: Signatures = new Map();
  const signature = (kinds: string[], returns: ReturnKind) => `(${kinds.join(' ')}) -> ${WASM_RESULT[returns]}`;
  for (const [name, spec] of [...Object.entries(kernels), ...Object.entries(extras)]) {
    const kinds = spec.args.map((arg) => WASM_TYPE[parseArg(arg).kind]);
    expected.set(name, signature(kinds, spec.returns));
    if (spec.split?.ranged) expected.set(spec.split.ranged, signature([...kinds, 'i32', 'i32'], spec.returns));
  }
  return expected;
}

/** Every disagreement between two sets of signatures, as text. */
function differences(expected: Signatures, actual: Signatures): string[] {
  const names = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  return names.flatMap((name) => {
    if (!actual.has(name)) return [`${name}: in the table, not exported`];
    if (!expected.has(name)) return [`${name}: exported, not in the table`];
    return expected.get(name) === actual.get(name) ? [] : [`${name}: table ${expected.get(name)}, core ${actual.get(name)}`];
  });
}

/** The names assembly/index.ts exports: `export function name` and `export { a, b } from`. */
function assemblyExports(): string[] {
  const source = readFileSync(new URL('../assembly/index.ts', import.meta.url), 'utf8');
  const functions = [...source.matchAll(/^export function (\w+)/gm)].map((m) => m[1]);
  const reexported = [...source.matchAll(/^export \{([^}]*)\} from/gm)]
    .flatMap((m) => m[1].split(',').map((s) => s.trim()).filter(Boolean));
  return [...functions, ...reexported].sort();
}

/** The start function the compiler exports (asconfig.json's exportStart), which no kernel table lists. */
const COMPILER_EXPORTS = ['_start'];
const actual = exportedSignatures(await coreBytes());
for (const name of COMPILER_EXPORTS) actual.delete(name);
const expected = expectedSignatures(KERNELS, CORE_EXTRAS);

describe('the kernel table', () => {
  it('describes every function the compiled core exports: names, argument types, return types', () => {
    expect(actual.size).toBeGreaterThan(15);
    expect(differences(expected, actual)).toEqual([]);
  });

  it('names what assembly/index.ts exports (so the compiled core is not stale)', () => {
    expect(assemblyExports()).toEqual([...actual.keys()].sort());
  });

  it('fails on a kernel missing, renamed, or with an argument or return type changed', () => {
    const { forward, loss, sgd, ...rest } = KERNELS;
    const changed = {
      ...rest,
      forwardPass: forward,
      loss: { ...loss, returns: 'i32' as ReturnKind },
      sgd: { ...sgd, args: sgd.args.slice(0, -1) },
    } as Record<string, KernelSpec>;
    expect(differences(expectedSignatures(changed, CORE_EXTRAS), actual)).toEqual([
      'forward: exported, not in the table',
      'forwardPass: in the table, not exported',
      'loss: table (i32 i32 i32 i32 i32) -> i32, core (i32 i32 i32 i32 i32) -> f64',
      'sgd: table (i32 i32 i32 i32 f64 f64 f64) -> i32, core (i32 i32 i32 i32 f64 f64 f64 f64) -> i32',
    ]);
    const swapped = { ...KERNELS, activate: { ...KERNELS.activate, args: ['int:activation', 'f64:alpha', 'ptr:z', 'int:rows', 'int:cols'] } };
    expect(differences(expectedSignatures(swapped as Record<string, KernelSpec>, CORE_EXTRAS), actual))
      .toEqual(['activate: table (i32 f64 i32 i32 i32) -> void, core (i32 f32 i32 i32 i32) -> void']);
  });

  it('is what both backends implement, each kernel taking the table\'s arguments', async () => {
    const wasm = await WasmBackend.create();
    const backends = { js: new JsBackend(), wasm };
    for (const [backend, { kernels }] of Object.entries(backends)) {
      for (const [name, spec] of Object.entries(KERNELS)) {
        const kernel = (kernels as unknown as Record<string, unknown>)[name];
        expect(typeof kernel, `${backend} ${name}`).toBe('function');
        expect((kernel as (...a: unknown[]) => unknown).length, `${backend} ${name}`).toBe(spec.args.length);
      }
    }
    wasm.dispose();
  });
});
