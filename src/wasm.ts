// The compiled Wasm core: decoded from the bytes build.mjs embeds, checked for SIMD support, compiled once per
// process and shared by every network (each instantiates it over its own memory).

import { decodeBase64 } from './base64.js';
import { SimdnetError } from './errors.js';
import { coreWasmBase64 } from './generated/core-wasm.js';

/** The exports of assembly/index.ts. Pointers are byte addresses; counts are elements; 0 means "no buffer". */
export interface CoreExports {
  heapBase(): number;
  forward(xPtr: number, wPtr: number, biasPtr: number, outPtr: number, rows: number, inner: number, cols: number): void;
  backpropDelta(deltaPtr: number, wPtr: number, dxPtr: number, rows: number, cols: number, inner: number): void;
  weightGradient(xPtr: number, deltaPtr: number, dwPtr: number, dbPtr: number, rows: number, inner: number, cols: number): void;
  activate(activation: number, alpha: number, zPtr: number, rows: number, cols: number): void;
  activationBackward(activation: number, alpha: number, aPtr: number, gPtr: number, rows: number, cols: number): void;
  outputDelta(loss: number, activation: number, alpha: number, aPtr: number, yPtr: number, deltaPtr: number,
    rows: number, cols: number): number;
  loss(loss: number, aPtr: number, yPtr: number, rows: number, cols: number): number;
  gatherRows(srcPtr: number, indexPtr: number, start: number, count: number, rowLen: number, dstPtr: number): void;
  sgd(paramInPtr: number, paramOutPtr: number, gradPtr: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number): number;
  momentum(paramInPtr: number, paramOutPtr: number, gradPtr: number, velocityPtr: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number, momentum: number, nesterov: number): number;
  adam(paramInPtr: number, paramOutPtr: number, gradPtr: number, mPtr: number, vPtr: number, count: number,
    learningRate: number, scale: number, l1: number, l2: number,
    beta1: number, beta2: number, epsilon: number, correction1: number, correction2: number): number;
}

// The smallest module that uses a v128 value: validating it tells whether this runtime has Wasm SIMD.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01,
  0x00, 0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b,
]);

let compiled: Promise<WebAssembly.Module> | undefined;

export function hasWasmSimd(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

/** The core module, compiled on first use. */
export function coreModule(): Promise<WebAssembly.Module> {
  if (!hasWasmSimd()) {
    return Promise.reject(new SimdnetError('UNSUPPORTED_RUNTIME',
      "this runtime has no WebAssembly SIMD; use backend: 'js' (Node ≥ 16.4, Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4 have it)"));
  }
  compiled ??= WebAssembly.compile(decodeBase64(coreWasmBase64));
  return compiled;
}
