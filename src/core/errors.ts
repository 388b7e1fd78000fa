export type ErrorCode =
  | 'INVALID_SPEC'
  | 'INVALID_OPTIONS'
  | 'SHAPE_MISMATCH'
  | 'NON_FINITE_INPUT'
  | 'TARGET_OUT_OF_RANGE'
  | 'DIVERGED'
  | 'DISPOSED'
  | 'BUSY'
  | 'INVALID_MODEL'
  | 'INVALID_FILE'
  | 'INVALID_DATA'
  | 'UNSUPPORTED_RUNTIME'
  | 'OUT_OF_MEMORY'
  | 'ABORTED'
  | 'WORKER_FAILED';

/** Every error simdnet raises on purpose. `code` is stable; the message names the field and the value. */
export class SimdnetError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SimdnetError';
    this.code = code;
  }
}

/** Shows a user's value in a message: short, and unambiguous about its type. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return `a ${typeof value}`;
}

/** The error for memory a backend could not get. */
export function outOfMemory(bytes: number, cause: unknown): SimdnetError {
  return new SimdnetError('OUT_OF_MEMORY', `could not allocate ${(bytes / 2 ** 20).toFixed(1)} MiB for the network ` +
    'and its data; use a smaller network, batch or data set', { cause });
}

// Minifiers rename classes; what users see printed keeps the real name.
Object.defineProperty(SimdnetError, 'name', { value: 'SimdnetError' });
