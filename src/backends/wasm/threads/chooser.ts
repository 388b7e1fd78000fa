// How a job is shared out, and whether sharing it pays. Splitting never changes a result (each output element is
// computed whole by one thread), so these decide speed only.

import { threadTuning } from './tuning.js';

/** Boundaries splitting [0, count) into at most `parts` ranges whose inner boundaries are multiples of `step`. */
export function split(count: number, parts: number, step: number): number[] {
  const bounds = [0];
  for (let i = 1; i < parts; i++) {
    const at = Math.round((count * i) / parts / step) * step;
    if (at > bounds[bounds.length - 1] && at < count) bounds.push(at);
  }
  bounds.push(count);
  return bounds;
}

/**
 * Whether splitting pays, learnt per kernel and shape: the first calls alternate between split and whole and are
 * timed, then the faster way is kept, and tried again against the other every `RECHECK` calls (another process may
 * have taken or freed a core). Either way computes the same bits, so only speed depends on it.
 */
export class Chooser {
  private readonly stats = new Map<string, { calls: number; split: number[]; whole: number[]; splitting: boolean }>();

  run<T>(key: string, call: (split: boolean) => T): T {
    if (!threadTuning.adaptive) return call(true);
    let stat = this.stats.get(key);
    if (!stat) this.stats.set(key, stat = { calls: 0, split: [], whole: [], splitting: true });
    const calls = stat.calls++;
    const phase = calls % RECHECK;
    if (phase >= TRIALS) return call(stat.splitting);
    if (phase === 0) stat.split.length = stat.whole.length = 0;
    const split = phase % 2 === 0;
    const start = performance.now();
    const result = call(split);
    (split ? stat.split : stat.whole).push(performance.now() - start);
    if (phase === TRIALS - 1) stat.splitting = median(stat.split) <= median(stat.whole);
    return result;
  }
}

/** Calls timed each way per check, and calls between checks. */
const TRIALS = 8;
const RECHECK = 256;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];

