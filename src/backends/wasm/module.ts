// The compiled Wasm core: decoded from the bytes build.mjs embeds, checked for SIMD support, compiled once per
// process and shared by every network (each instantiates it over its own memory). Two builds: the deterministic
// default, and the opt-in relaxed-SIMD one (`simd: 'relaxed'`), whose multiply-adds may fuse.

import { decodeBase64 } from '../../core/base64.js';
import { SimdnetError } from '../../core/errors.js';
import { coreWasmBase64 } from './generated/core-wasm.js';
import type { SimdMode } from '../../core/spec.js';

/** The exports of assembly/index.ts. Pointers are byte addresses; counts are elements; 0 means "no buffer". */
export interface CoreExports {
  heapBase(): number;
  forward(xPtr: number, wPtr: number, biasPtr: number, outPtr: number, rows: number, inner: number, cols: number): void;
  backpropDelta(deltaPtr: number, wPtr: number, dxPtr: number, rows: number, cols: number, inner: number): void;
  weightGradient(xPtr: number, deltaPtr: number, dwPtr: number, dbPtr: number, rows: number, inner: number, cols: number): void;
  /** Rows [first, end) of weightGradient's dw (how threads share it). */
  weightGradientRows(xPtr: number, deltaPtr: number, dwPtr: number, dbPtr: number, rows: number, inner: number,
    cols: number, first: number, end: number): void;
  sgdDense(xPtr: number, deltaPtr: number, wInPtr: number, wOutPtr: number, bInPtr: number, bOutPtr: number,
    rows: number, inner: number, cols: number, learningRate: number, scale: number): number;
  /** Weight rows [first, end) of sgdDense (how threads share it). */
  sgdDenseRows(xPtr: number, deltaPtr: number, wInPtr: number, wOutPtr: number, bInPtr: number, bOutPtr: number,
    rows: number, inner: number, cols: number, learningRate: number, scale: number, first: number, end: number): number;
  activate(activation: number, alpha: number, zPtr: number, rows: number, cols: number): void;
  activationBackward(activation: number, alpha: number, aPtr: number, gPtr: number, rows: number, cols: number): void;
  outputDelta(loss: number, activation: number, alpha: number, aPtr: number, yPtr: number, deltaPtr: number,
    rows: number, cols: number): number;
  loss(loss: number, aPtr: number, yPtr: number, rows: number, cols: number): number;
  countCorrect(aPtr: number, yPtr: number, rows: number, cols: number): number;
  gatherRows(srcPtr: number, indexPtr: number, start: number, count: number, rowLen: number, dstPtr: number): void;
  sgd(paramInPtr: number, paramOutPtr: number, gradPtr: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number): number;
  scale(xPtr: number, count: number, factor: number): void;
  momentum(paramInPtr: number, paramOutPtr: number, gradPtr: number, velocityPtr: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number, momentum: number, nesterov: number): number;
  adam(paramInPtr: number, paramOutPtr: number, gradPtr: number, mPtr: number, vPtr: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number,
    beta1: number, beta2: number, epsilon: number, correction1: number, correction2: number): number;
  /** The generator state block the draws use (assembly/random.ts: 624 words, position, has-gauss, gauss). */
  randomState(): number;
  drawUniform(outPtr: number, count: number, scale: number): void;
  drawNormal(outPtr: number, count: number, scale: number): void;
}

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
