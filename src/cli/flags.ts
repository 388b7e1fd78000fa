// The checks every command-line parser shares: each turns one flag's text into a value or throws a UsageError
// naming the flag and what it got.

/** A mistake in the command line: printed with a pointer to --help, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`unknown ${flag} ${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function integer(flag: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`;
    throw new UsageError(`${flag} must be ${range}, got ${JSON.stringify(value)}`);
  }
  return n;
}

export function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${flag} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** A fraction in [0, 1): a share of rows held out, a dropout rate. */
export function fraction(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n < 0 || n >= 1) {
    throw new UsageError(`${flag} must be a number from 0 up to (not including) 1, got ${JSON.stringify(value)}`);
  }
  return n;
}

export function layerSizes(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '' || value.trim() === 'none') return [];
  return value.split(',').map((part) => {
    const n = /^\s*\d+\s*$/.test(part) ? Number(part) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new UsageError(`--hidden must be layer sizes separated by commas, like 100,50 (or 'none'), got ${JSON.stringify(value)}`);
    }
    return n;
  });
}

/** Names separated by commas (column names): "a,b" → ["a", "b"]; spaces around a name are kept out. */
export function nameList(flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) {
    throw new UsageError(`${flag} must be column names separated by commas, like id,notes, got ${JSON.stringify(value)}`);
  }
  return names;
}

export function nonEmpty(flag: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${flag} needs a file name, got an empty string`);
  return value;
}
