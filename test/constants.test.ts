// The ids that cross the Wasm boundary are declared twice, in src/core/constants.ts (names → index) and in
// assembly/constants.ts (AssemblyScript constants): this reads the AssemblyScript file as text and checks that
// both sides agree, name for name.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, LOG_EPSILON, LOSSES, activationId, lossId } from '../src/core/constants.js';

const source = readFileSync(new URL('../assembly/constants.ts', import.meta.url), 'utf8');

/** `export const NAME: type = value;` declarations of assembly/constants.ts. */
const declared = new Map(
  Array.from(source.matchAll(/^export const (\w+): (\w+) = ([^;]+);$/gm), ([, name, type, value]) => [name, { type, value: Number(value) }]),
);

/** leakyRelu → LEAKY_RELU, the AssemblyScript spelling of a name. */
const constantName = (name: string): string => name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

describe('assembly/constants.ts', () => {
  it('declares every activation id as its index in ACTIVATIONS', () => {
    for (const name of ACTIVATIONS) {
      expect(declared.get(constantName(name)), name).toEqual({ type: 'i32', value: activationId(name) });
    }
  });

  it('declares every loss id as its index in LOSSES', () => {
    for (const name of LOSSES) expect(declared.get(constantName(name)), name).toEqual({ type: 'i32', value: lossId(name) });
  });

  it('declares LOG_EPSILON as src/core/constants.ts does', () => {
    expect(declared.get('LOG_EPSILON')).toEqual({ type: 'f64', value: LOG_EPSILON });
  });

  it('declares nothing else (a constant added on one side only fails here)', () => {
    const expected = [...ACTIVATIONS, ...LOSSES].map(constantName).concat('LOG_EPSILON').sort();
    expect([...declared.keys()].sort()).toEqual(expected);
    const exports = source.match(/^export /gm) ?? [];
    expect(exports.length, 'every export is a one-line `export const NAME: type = value;`').toBe(declared.size);
  });
});
