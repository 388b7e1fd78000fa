// Damage to JSON-like values for the fuzz properties: every path into a value, and mutations of the value at a path
// (replaced, re-typed, deleted, given an extra or `__proto__` key, buried under nesting, set to an edge number).
import fc from 'fast-check';
import { anything } from './arbitraries.js';

export type Path = (string | number)[];

/** Every path into `value` (the root first). */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => paths.push(...pathsOf(v, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) paths.push(...pathsOf(v, [...prefix, k]));
  }
  return paths;
}

function setAt(root: unknown, path: (string | number)[], value: unknown, kind: 'set' | 'delete'): unknown {
  if (path.length === 0) return kind === 'delete' ? undefined : value;
  let target = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const key = path[path.length - 1];
  if (kind === 'delete') delete target[key];
  else Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return root;
}

/** What can be done to one value of a model file. */
export const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), value: fc.oneof(anything, fc.jsonValue({ maxDepth: 2 })) }),
  fc.record({ kind: fc.constant('retype' as const) }),
  fc.record({ kind: fc.constant('delete' as const) }),
  fc.record({ kind: fc.constant('addKey' as const), key: fc.constantFrom('__proto__', 'constructor', 'prototype',
    'polluted', 'toString', 'valueOf', 'hasOwnProperty', 'extra'), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('nest' as const), depth: fc.oneof(fc.integer({ min: 1, max: 20 }),
    fc.constantFrom(1000, 100_000)), asObject: fc.boolean() }),
  fc.record({ kind: fc.constant('number' as const), value: fc.constantFrom(Number.NaN, Infinity, -1, 0, 0.5, 1e308,
    2 ** 53, -0, 2 ** 31, 1 + 2 ** -52) }),
);

function retype(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return Number(value) || [value];
  if (typeof value === 'boolean') return Number(value);
  if (Array.isArray(value)) return Object.assign({}, value);
  if (typeof value === 'object' && value !== null) return Object.values(value);
  return { value };
}

export type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

/**
 * A deep copy of `original` with `mutations` applied, the i-th at path number (start + i·7919) of `paths`. A
 * mutation whose path an earlier one removed is skipped.
 */
export function mutate(original: unknown, paths: Path[], start: number, mutations: Mutation[]): unknown {
  let model: unknown = structuredClone(original);
  for (const [i, m] of mutations.entries()) {
    const path = paths[(start + i * 7919) % paths.length];
    let current: unknown = model;
    try {
      for (const key of path) current = (current as Record<string | number, unknown>)[key];
    } catch {
      continue; // an earlier mutation removed this path
    }
    if (path.length > 0 && (typeof model !== 'object' || model === null)) continue;
    try {
      switch (m.kind) {
        case 'replace': model = setAt(model, path, m.value, 'set'); break;
        case 'retype': model = setAt(model, path, retype(current), 'set'); break;
        case 'delete': model = setAt(model, path, undefined, 'delete'); break;
        case 'number': model = setAt(model, path, m.value, 'set'); break;
        case 'addKey':
          if (typeof current === 'object' && current !== null) {
            Object.defineProperty(current, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
          }
          break;
        case 'nest': {
          let nested = current;
          for (let d = 0; d < m.depth; d++) nested = m.asObject ? { value: nested } : [nested];
          model = setAt(model, path, nested, 'set');
          break;
        }
      }
    } catch {
      continue; // the path went through a value that is no longer an object
    }
  }
  return model;
}
