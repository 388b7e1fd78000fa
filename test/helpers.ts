// What the tests share: the run's seed, one closeness check, one way to capture a failure, and the small data sets
// that several files train on.
import { expect, inject } from 'vitest';
import { type Dataset, SimdnetError } from '../src/index.js';
import type { Backend, Kernels } from '../src/core/kernels.js';

/**
 * The seed of this test run, for every test that draws random data (fast-check is configured with it too, in
 * test/setup/seed-each-file.ts). test/setup/seed.ts prints it at the start of the run and after a failing test;
 * `SIMDNET_SEED=<seed> npm test` replays it.
 */
export const SEED: number = inject('seed');

/** Allowed difference between a value `a` and its reference `b`: |a − b| ≤ abs + rel · |b|. */
export interface Tolerance {
  abs?: number;
  rel?: number;
}

/**
 * Fails unless `actual` has the length of `expected` and every element is close to its reference:
 * |a − b| ≤ abs + rel · |b| (both default to 0). Where the reference is NaN or ±Infinity the element must be the
 * same value. The message names the worst element.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, { abs = 0, rel = 0 }: Tolerance,
  label = ''): void {
  const where = label ? `${label}: ` : '';
  expect(actual.length, `${where}length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (!Number.isFinite(b)) {
      if (!Object.is(a, b)) expect.fail(`${where}element ${i} is ${a}, reference ${b}`);
      continue;
    }
    const allowed = abs + rel * Math.abs(b);
    const difference = Math.abs(a - b);
    if (!(difference <= allowed)) {
      const excess = Number.isNaN(difference) ? Infinity : difference - allowed;
      if (worst < 0 || excess > worstExcess) [worst, worstExcess] = [i, excess];
    }
  }
  if (worst >= 0) {
    const b = expected[worst];
    expect.fail(`${where}element ${worst} is ${actual[worst]}, reference ${b}: |difference| ` +
      `${Math.abs(actual[worst] - b)} > ${abs} + ${rel}·|${b}| = ${abs + rel * Math.abs(b)}`);
  }
}

/**
 * The error `action` throws; when it returns a promise, the reason that promise rejects with. A call that succeeds
 * fails the test. A synchronous call gives its error synchronously, so it can be used inside callbacks.
 */
export function failure(action: () => PromiseLike<unknown>): Promise<unknown>;
export function failure(action: () => unknown): unknown;
export function failure(action: () => unknown): unknown {
  let result: unknown;
  try {
    result = action();
  } catch (error) {
    return error;
  }
  if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
    return Promise.resolve(result).then(() => {
      throw new Error('expected the call to reject');
    }, (error: unknown) => error);
  }
  throw new Error('expected the call to throw');
}

/** Asserts that `error` is a SimdnetError with `code` whose message contains each string and matches each pattern. */
export function expectSimdnetError(error: unknown, code: string, ...named: (string | RegExp)[]):
  asserts error is SimdnetError {
  expect(error).toBeInstanceOf(SimdnetError);
  const { code: actual, message } = error as SimdnetError;
  expect(actual, message).toBe(code);
  for (const part of named) {
    if (typeof part === 'string') expect(message).toContain(part);
    else expect(message).toMatch(part);
  }
}

/** Exclusive-or of two inputs, as rows. */
export const XOR = {
  inputs: [[0, 0], [0, 1], [1, 0], [1, 1]],
  targets: [[0], [1], [1], [0]],
} satisfies Dataset;

/**
 * `backend` with one kernel replaced: `replace` receives the original (bound) and the call's arguments. How tests
 * give a backend a deliberately wrong kernel, to show that a check catches it.
 */
export function withKernel<K extends keyof Kernels>(backend: Backend, name: K,
  replace: (original: Kernels[K], ...args: Parameters<Kernels[K]>) => ReturnType<Kernels[K]>): Backend {
  const bound = <T extends object>(target: T, key: string | symbol) => {
    const value = Reflect.get(target, key) as unknown;
    return typeof value === 'function' ? value.bind(target) : value;
  };
  const inner = backend.kernels;
  const original = (inner[name] as (...args: unknown[]) => unknown).bind(inner) as Kernels[K];
  const kernels = new Proxy(inner, {
    get: (target, key) => key !== name ? bound(target, key)
      : (...args: Parameters<Kernels[K]>) => replace(original, ...args),
  });
  return new Proxy(backend, { get: (target, key) => key === 'kernels' ? kernels : bound(target, key) });
}
