// How a job is shared out, and whether sharing it pays. Splitting never changes a result (each output element is
// computed whole by one thread), so these decide speed only.

import { threadTuning } from './tuning.js';

/**
 * Writes into `bounds` the boundaries splitting [0, count) into at most `parts` nearly equal ranges whose inner
 * boundaries are multiples of `step`; returns how many ranges there are (bounds[0 … ranges]).
 */
export function split(count: number, parts: number, step: number, bounds: Int32Array): number {
  let ranges = 0;
  bounds[0] = 0;
  for (let i = 1; i < parts; i++) {
    const at = Math.round((count * i) / parts / step) * step;
    if (at > bounds[ranges] && at < count) bounds[++ranges] = at;
  }
  bounds[++ranges] = count;
  return ranges;
}

/** One kernel and shape's timings and verdict. */
interface Verdict {
  calls: number;
  /** The call at which the next check's trials begin. */
  checkAt: number;
  /** Calls between the end of one check and the start of the next. */
  interval: number;
  split: number[];
  whole: number[];
  /** The last check's verdict (undefined before the first). */
  splitting: boolean | undefined;
}

/**
 * Whether splitting pays, learnt per kernel and shape: after some untimed calls each way (compilation tiers up,
 * a sleeping worker wakes), a check makes TRIALS calls, a block split then a block whole, each timed but the first
 * of its block, and keeps the faster way by median (split only when clearly faster; once splitting, whole again as
 * soon as whole is faster) until the next check. Blocks, because a call pays for how the calls before it ran: a split
 * weight step leaves half the weights in the other core's cache for the next forward pass, so trials alternating
 * one by one timed every split forward pass after a whole step (1.5–2 times as slow) and chose whole; and since a
 * step's kernels are checked at the same calls, in blocks they run each way together, as they will after the check.
 * A check that agrees with the last doubles the time to the next (up to LONGEST calls), since each check runs the
 * slower way half the time; one that disagrees (another process took or freed a core) brings it back to RECHECK.
 * Either way computes the same bits, so only speed depends on it.
 */
export class Chooser {
  private readonly verdicts = new Map<string, Verdict>();

  run<T>(key: string, call: (split: boolean) => T): T {
    if (!threadTuning.adaptive) return call(true);
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      verdict = { calls: 0, checkAt: WARM, interval: RECHECK, split: [], whole: [], splitting: undefined };
      this.verdicts.set(key, verdict);
    }
    const phase = verdict.calls++ - verdict.checkAt;
    if (phase < 0 && verdict.splitting === undefined) return call(phase % 2 === 0);
    if (phase < 0 || phase >= TRIALS) return call(verdict.splitting!);
    const splitting = phase < TRIALS / 2;
    if (phase % (TRIALS / 2) === 0) return call(splitting); // the first of a block still pays for the way before
    const start = performance.now();
    const result = call(splitting);
    (splitting ? verdict.split : verdict.whole).push(performance.now() - start);
    if (phase === TRIALS - 1) this.decide(key, verdict);
    return result;
  }

  private decide(key: string, verdict: Verdict): void {
    // Splitting starts only when clearly faster, but stops only when slower: a check whose split calls lost a
    // little to a preempted worker does not send a split that pays back to whole calls, and one that is slower
    // than whole calls is never kept.
    const split = median(verdict.split);
    const whole = median(verdict.whole);
    const splitting = split / whole < (verdict.splitting === true ? 1 : MARGIN);
    threadTuning.verdict?.({ key, split, whole, splitting });
    verdict.interval = splitting === verdict.splitting ? Math.min(verdict.interval * 2, LONGEST) : RECHECK;
    verdict.splitting = splitting;
    verdict.checkAt = verdict.calls + verdict.interval;
    verdict.split.length = verdict.whole.length = 0;
  }
}

/**
 * How much faster splitting must be to be chosen: a split call waits for its slowest thread, so where another
 * process may take a worker's core mid-chunk, a gain within the noise is not worth that risk.
 */
const MARGIN = 0.9;
/**
 * Untimed calls before the first check (W2's first check at call 4 timed split weight steps at 2.3 ms, against
 * 0.3 ms once the workers' code was optimised); calls per check (half each way); calls to the next check after a
 * first verdict or a changed one, few so that a verdict misled by a slow start is soon put right.
 */
const WARM = 16;
const TRIALS = 10;
const RECHECK = 32;
const LONGEST = 4096;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
};
