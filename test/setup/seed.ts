// Global setup: the seed of this test run. SIMDNET_SEED (or SIMDNET_FUZZ_SEED, which `npm run fuzz -- --seed` sets)
// replays a run; otherwise one is drawn and printed. It is kept in process.env so that every project of the run
// (vitest.config.ts) gets the same one. Tests read it with inject('seed') (test/helpers.ts exports it as SEED).
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    seed: number;
  }
}

const MAX_SEED = 2 ** 31 - 1; // fast-check and NumpyRandom both take every integer in [0, 2³¹)

export default function setup(project: TestProject): void {
  const given = process.env.SIMDNET_SEED ?? process.env.SIMDNET_FUZZ_SEED;
  const seed = given === undefined ? Math.floor(Math.random() * MAX_SEED) : Number(given);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new Error(`SIMDNET_SEED must be an integer from 0 to ${MAX_SEED}, got ${JSON.stringify(given)}`);
  }
  if (process.env.SIMDNET_SEED === undefined) {
    process.env.SIMDNET_SEED = String(seed);
    console.log(`test seed ${seed} (SIMDNET_SEED=${seed} replays this run)`);
  }
  project.provide('seed', seed);
}
