// The compiled Wasm core: decoded from the bytes build.mjs embeds, checked for SIMD support, compiled once per
// process and shared by every network (each instantiates it over its own memory). Two builds: the deterministic
// default, and the opt-in relaxed-SIMD one (`simd: 'relaxed'`), whose multiply-adds may fuse.

import { decodeBase64 } from '../../core/base64.js';
import { SimdnetError } from '../../core/errors.js';
import { coreWasmBase64 } from './generated/core-wasm.js';
import type { SimdMode } from '../../core/spec.js';
import type { KERNELS, KernelName, KernelSpec } from '../../core/kernels.js';

/**
 * The core's exports besides the table's kernels: where its static data ends, the random generator's state
 * block and draws (assembly/random.ts; the state is 624 words, position, has-gauss, gauss: initial weights and
 * dropout masks), and the packing areas of large products (assembly/matmul.ts: the size of one, the operand size
 * past which products use them, where they start, and which thread's area an instance packs into).
 */
export const CORE_EXTRAS = {
  heapBase: { args: [], returns: 'i32' },
  packAreaBytes: { args: [], returns: 'i32' },
  packThreshold: { args: [], returns: 'i32' },
  setPackArea: { args: ['ptr:areas'], returns: 'void' },
  setThread: { args: ['int:index'], returns: 'void' },
  randomState: { args: [], returns: 'i32' },
  drawUniform: { args: ['ptr:out', 'int:count', 'f64:scale'], returns: 'void' },
  drawNormal: { args: ['ptr:out', 'int:count', 'f64:scale'], returns: 'void' },
  drawMask: { args: ['ptr:out', 'int:count', 'f64:rate'], returns: 'void' },
} as const satisfies Record<string, KernelSpec>;

type Numbers<T extends readonly unknown[]> = { -readonly [I in keyof T]: number };
type WasmArgs<S extends KernelSpec> = Numbers<S['args']>;
type WasmResult<S extends KernelSpec> = S['returns'] extends 'void' ? void : number;
type Exported<Table extends Record<string, KernelSpec>> =
  { [K in keyof Table]: (...args: WasmArgs<Table[K]>) => WasmResult<Table[K]> };
/** The exports threads run: a split kernel's `ranged` export takes its arguments and then a part's [first, end). */
type Ranged = {
  [K in KernelName as (typeof KERNELS)[K] extends { split: { ranged: infer R extends string } } ? R : never]:
    (...args: [...WasmArgs<(typeof KERNELS)[K]>, first: number, end: number]) => WasmResult<(typeof KERNELS)[K]>
};

/**
 * The exports of assembly/index.ts, from the kernel table: pointers are byte addresses, 0 meaning "no buffer";
 * counts are elements; booleans and finite flags are 0 or 1.
 */
export type CoreExports = Exported<typeof KERNELS> & Ranged & Exported<typeof CORE_EXTRAS>;

// The smallest module that uses a v128 value: validating it tells whether this runtime has Wasm SIMD.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01,
  0x00, 0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b,
]);

/**
 * The core's imports: its memory, and `abort`, which the debug build calls when an assert fails: it throws an Error
 * saying which (as @assemblyscript/loader's would; the loader itself is not used, since its `instantiate` looks for
 * a global `Response`, and touching that in Node 20 loads undici, a quarter of a cold start).
 */
export function coreImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  // An AssemblyScript string is UTF-16 at its address, its length in bytes in the four bytes before.
  const text = (address: number): string => {
    if (!address) return '';
    const length = new DataView(memory.buffer).getUint32(address - 4, true);
    return String.fromCharCode(...new Uint16Array(memory.buffer.slice(address, address + length)));
  };
  const abort = (message: number, file: number, line: number, column: number): never => {
    throw new Error(`abort: ${text(message)} at ${text(file)}:${line}:${column}`);
  };
  return { env: { memory, abort } };
}

/** The smallest module that uses relaxed SIMD: a function returning f32x4.relaxed_madd of three zero vectors. */
function relaxedProbe(): Uint8Array<ArrayBuffer> {
  const zeros = (): number[] => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]; // v128.const 0
  const body = [0x00, ...zeros(), ...zeros(), ...zeros(), 0xfd, 0x85, 0x02, 0x0b]; // f32x4.relaxed_madd; end
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b,
    0x03, 0x02, 0x01, 0x00, 0x0a, body.length + 2, 0x01, body.length, ...body]);
}

const compiled: Partial<Record<SimdMode, Promise<WebAssembly.Module>>> = {};

export function hasWasmSimd(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

/** Whether this runtime has relaxed SIMD (Chrome ≥ 114, Firefox ≥ 120; Node 20 with a flag). */
export function hasRelaxedSimd(): boolean {
  return hasWasmSimd() && WebAssembly.validate(relaxedProbe());
}

/** The core module of the given build, compiled on first use. */
export function coreModule(simd: SimdMode = 'default'): Promise<WebAssembly.Module> {
  if (!hasWasmSimd()) {
    return Promise.reject(new SimdnetError('UNSUPPORTED_RUNTIME',
      "this runtime has no WebAssembly SIMD; use backend: 'js' (Node ≥ 16.4, Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4 have it)"));
  }
  if (simd === 'relaxed' && !hasRelaxedSimd()) {
    return Promise.reject(new SimdnetError('UNSUPPORTED_RUNTIME',
      "simd: \"relaxed\" needs WebAssembly relaxed SIMD, which this runtime lacks (Chrome ≥ 114 and Firefox ≥ 120 " +
      "have it; Node 20 needs --experimental-wasm-relaxed-simd); use simd: \"default\""));
  }
  // A Content-Security-Policy without 'wasm-unsafe-eval' forbids compiling: say so, rather than a CompileError.
  compiled[simd] ??= coreBytes(simd).then((bytes) => WebAssembly.compile(bytes).catch((error: unknown) => {
    throw new SimdnetError('UNSUPPORTED_RUNTIME', "WebAssembly may not be compiled here: a Content-Security-Policy " +
      `must allow 'wasm-unsafe-eval', or use backend: 'js' (${(error as Error).message})`, { cause: error });
  })).catch((error: unknown) => {
    delete compiled[simd]; // a later call tries again
    throw error;
  });
  return compiled[simd]!;
}

/**
 * The bytes of a build of the core. The relaxed build is a module of its own, imported on first use: bundles that
 * split chunks (the ESM one) then load and parse it only for `simd: 'relaxed'`.
 */
export async function coreBytes(simd: SimdMode = 'default'): Promise<Uint8Array<ArrayBuffer>> {
  if (simd === 'relaxed') return decodeBase64((await import('./generated/core-wasm-relaxed.js')).coreWasmBase64);
  return decodeBase64(coreWasmBase64);
}
