// What every contender implements: for a workload and its parameters, a session whose `run` does one measured unit
// of work (an epoch over a slice of the data, a number of kernel calls, …) and reports it.

import { argmax } from '../../src/core/argmax.js';
import type { Params, UnitResult } from '../harness/protocol.js';

export interface Session {
  run(): Promise<UnitResult> | UnitResult;
  /** Figures about the state after the units run so far (test accuracy, say), measured outside any unit. */
  evaluate?(): Promise<Record<string, number>> | Record<string, number>;
  dispose(): Promise<void> | void;
}

/** A contender: a session for a workload, or the reason it cannot run it. */
export type Contender = (workload: string, params: Params) => Promise<Session | string>;

export const num = (params: Params, key: string): number => {
  const value = params[key];
  if (typeof value !== 'number') throw new Error(`bench: parameter ${key} missing`);
  return value;
};

/** Times `calls` calls of a kernel-like function. */
export function timeCalls(calls: number, run: () => void): UnitResult {
  const start = performance.now();
  for (let i = 0; i < calls; i++) run();
  return { ms: performance.now() - start, count: calls };
}

/** Fraction of rows whose output argmax matches the label. */
export function accuracy(outputs: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number {
  let correct = 0;
  for (let r = 0; r < labels.length; r++) if (argmax(outputs, r * classes, classes) === labels[r]) correct++;
  return correct / labels.length;
}
