// The property-based test harness shared by test/fuzz-*.test.ts.
//
// Under `npm test` every property runs a CI-sized number of cases (a few seconds in all). `npm run fuzz -- --cases N`
// (scripts/fuzz.mjs) sets SIMDNET_FUZZ_CASES=N and shares the N cases among the properties by the weights below;
// a campaign does not stop at the first failing case: it records the shrunk counterexample and goes on with a new
// seed, so that its report counts every failure, and writes one JSON line per property to SIMDNET_FUZZ_REPORT.
//
// The universal property is the same everywhere: a public entry point, given anything, either succeeds with a
// result that makes sense or throws a SimdnetError with one of the codes expected there. Anything else (a
// TypeError, a RangeError, a Wasm trap or abort, a hang, a non-finite result from finite input) is a failure.
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import { SimdnetError } from '../../src/index.js';
import { SEED } from '../helpers.js';

/** Cases per property in a campaign = SIMDNET_FUZZ_CASES × weight (the weights add up to 1). */
export const WEIGHTS = {
  spec: 0.12,
  training: 0.22,
  trainingClean: 0.06,
  predict: 0.1,
  backendsAgree: 0.06,
  setWeights: 0.05,
  trainFor: 0.04,
  modelRandomJson: 0.07,
  modelMutated: 0.1,
  modelTextFlips: 0.06,
  mnist: 0.04,
  tfjsImport: 0.04,
  brainImport: 0.04,
} as const;

export type PropertyName = keyof typeof WEIGHTS;

const campaignCases = Number(process.env.SIMDNET_FUZZ_CASES ?? 0);
export const CAMPAIGN = Number.isFinite(campaignCases) && campaignCases > 0;

/** A test's time limit: generous in a campaign, where one property may run for many minutes. */
export const FUZZ_TIMEOUT = CAMPAIGN ? 24 * 3600_000 : 60_000;

/**
 * How many cases a property runs: its CI size under npm test, its share of the campaign otherwise (`share` splits
 * a property's weight among the tests that check it, e.g. one per backend).
 */
export function runsFor(name: PropertyName, ciRuns: number, share = 1): number {
  return CAMPAIGN ? Math.max(1, Math.round(campaignCases * WEIGHTS[name] * share)) : ciRuns;
}

/** Throws unless `error` is a SimdnetError whose code is one of `codes`; returns it typed. */
export function expectCoded(error: unknown, codes: readonly string[]): SimdnetError {
  if (!(error instanceof SimdnetError)) {
    const shown = error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
    throw new Error(`expected a SimdnetError (${codes.join(' | ')}), got ${shown}`, { cause: error });
  }
  if (!codes.includes(error.code)) {
    throw new Error(`expected a SimdnetError with code ${codes.join(' | ')}, got ${error.code}: ${error.message}`,
      { cause: error });
  }
  if (!error.message) throw new Error(`a SimdnetError ${error.code} without a message`);
  return error;
}

interface Failure {
  error: string;
  counterexample: string;
  seed: number;
  path?: string;
}

function describeError(error: unknown): string {
  if (error instanceof SimdnetError) return `SimdnetError(${error.code}): ${error.message}`;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (cause: ${error.cause.constructor.name}: ${error.cause.message})` : '';
    return `${error.constructor.name}: ${error.message}${cause}`;
  }
  return String(error);
}

/**
 * Checks a property, starting from the run's seed (test/helpers.ts). Under npm test: fc.assert (a failure throws
 * with the shrunk counterexample, the seed and the path that replay it). In a campaign: every case is run, failures
 * are collected, and a report line is written.
 */
export async function check<Ts extends [unknown, ...unknown[]]>(name: PropertyName,
  property: fc.IAsyncPropertyWithHooks<Ts> | fc.IPropertyWithHooks<Ts>, ciRuns: number, share = 1): Promise<void> {
  const runs = runsFor(name, ciRuns, share);
  if (!CAMPAIGN) {
    await fc.assert(property as fc.IAsyncProperty<Ts>, { numRuns: runs, seed: SEED, timeout: 20_000 });
    return;
  }
  const started = performance.now();
  const failures: Failure[] = [];
  let done = 0;
  let seed = SEED;
  while (done < runs) {
    const details = await fc.check(property as fc.IAsyncProperty<Ts>, { numRuns: runs - done, seed, timeout: 60_000 });
    if (!details.failed) {
      done += details.numRuns;
      break;
    }
    done += details.numRuns; // the runs until and including the failing one
    failures.push({
      error: describeError(details.errorInstance),
      counterexample: fc.stringify(details.counterexample).slice(0, 4000),
      seed: details.seed,
      path: details.counterexamplePath ?? undefined,
    });
    seed = (seed * 1103515245 + 12345) | 0;
    if (details.numRuns === 0 && failures.length > 50) break; // nothing but failures: stop
  }
  const report = {
    property: name, runs: done, failures: failures.length,
    seconds: Math.round((performance.now() - started) / 100) / 10, examples: failures.slice(0, 10),
  };
  if (process.env.SIMDNET_FUZZ_REPORT) appendFileSync(process.env.SIMDNET_FUZZ_REPORT, JSON.stringify(report) + '\n');
  expect(failures.map((f) => `${f.error}\n  counterexample: ${f.counterexample}\n  seed: ${f.seed}`)).toEqual([]);
}

/** Runs fn with console.warn/log/info silenced (tfjs greets Node users on stdout). */
export async function quietly<T>(fn: () => Promise<T> | T): Promise<T> {
  const saved = { warn: console.warn, log: console.log, info: console.info };
  console.warn = console.log = console.info = () => {};
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
}
