// The IDX format of Yann LeCun's MNIST files (http://yann.lecun.com/exdb/mnist/): a 4-byte magic number
// [0, 0, type, ndim] (type 0x08 = unsigned bytes), then ndim big-endian uint32 dimension sizes, then the data,
// row-major. Runtime-neutral: the Node loader (src/node/mnist.ts) and the digits page read IDX bytes through here.

import { SimdnetError } from '../core/errors.js';

/** A parsed IDX file: its dimension sizes and its data as bytes, row-major. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

const hex = (value: number): string => '0x' + value.toString(16).padStart(8, '0');

export function invalidIdx(name: string, problem: string): SimdnetError {
  return new SimdnetError('INVALID_FILE', `${name}: ${problem}`);
}

/**
 * Parses an IDX file of unsigned bytes. `name` (the file's path) starts every error message; `ndim`, when given,
 * is the number of dimensions the caller expects (the magic number's last byte). Errors are SimdnetErrors with
 * code 'INVALID_FILE'. The returned data is a view into `bytes`, not a copy.
 */
export function parseIdx(bytes: Uint8Array, name: string, ndim?: number): IdxArray {
  if (bytes.length < 4) {
    throw invalidIdx(name, `truncated: ${bytes.length} bytes, too short for the 4-byte IDX magic number`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const actualDims = bytes[3]!;
  const expectedMagic = (UNSIGNED_BYTE << 8) | (ndim ?? actualDims);
  if (magic !== expectedMagic || actualDims === 0) {
    throw invalidIdx(name, `magic number ${hex(magic)}, expected ${ndim === undefined ? 'an unsigned-byte IDX file (0x0000080n, n ≥ 1)' : hex(expectedMagic)}`);
  }
  const headerBytes = 4 + 4 * actualDims;
  if (bytes.length < headerBytes) {
    throw invalidIdx(name, `truncated: ${bytes.length} bytes, shorter than the ${headerBytes}-byte header of a ${actualDims}-dimensional IDX file`);
  }
  const dims: number[] = [];
  let size = 1;
  for (let d = 0; d < actualDims; d++) {
    const n = view.getUint32(4 + 4 * d);
    dims.push(n);
    size *= n;
  }
  const expectedLength = headerBytes + size;
  if (bytes.length < expectedLength) {
    throw invalidIdx(name, `truncated: ${bytes.length} bytes, expected ${expectedLength} for dimensions ${dims.join('×')}`);
  }
  if (bytes.length > expectedLength) {
    throw invalidIdx(name, `${bytes.length} bytes, expected ${expectedLength} for dimensions ${dims.join('×')} (${bytes.length - expectedLength} extra bytes)`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}
