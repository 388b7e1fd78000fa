// Comparing functions in one process (the bench/*.bench.ts files): contenders run interleaved (A B C A B C …) so
// that drift on a shared machine hits all of them alike; each sample times a batch of calls long enough to dwarf the
// timer's resolution; reported are medians with min–max and ratios against the first contender.

import { format } from './format.js';
import { type Summary, summarize } from './stats.js';

/** Milliseconds per call: median, min and max over the samples. */
export interface Measurement extends Summary {
  name: string;
}

export interface CompareOptions {
  /** Samples per contender. */
  samples?: number;
  /** Target duration of one sample. */
  sampleMs?: number;
  warmupMs?: number;
}

/** How many calls fill about `ms` milliseconds. */
function calibrate(run: () => void, ms: number): number {
  let calls = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) run();
    const elapsed = performance.now() - start;
    if (elapsed >= ms) return Math.max(1, Math.round((calls * ms) / elapsed));
    calls *= elapsed < ms / 10 ? 10 : 2;
  }
}

export function compare(contenders: Record<string, () => void>, options: CompareOptions = {}): Measurement[] {
  const { samples = 11, sampleMs = 100, warmupMs = 300 } = options;
  const names = Object.keys(contenders);
  // The first calibration only warms the contender up; the second sizes its samples.
  const calls = names.map((name) => calibrate(contenders[name], warmupMs) && calibrate(contenders[name], sampleMs));
  const times: number[][] = names.map(() => []);
  for (let s = 0; s < samples; s++) {
    names.forEach((name, i) => {
      const run = contenders[name];
      const start = performance.now();
      for (let c = 0; c < calls[i]; c++) run();
      times[i].push((performance.now() - start) / calls[i]);
    });
  }
  return names.map((name, i) => ({ name, ...summarize(times[i]) }));
}

/** A markdown table: one row per contender, times and the ratio of each to the first (how many times slower). */
export function table(title: string, measurements: Measurement[], extra?: (m: Measurement) => string,
  extraHeader?: string): string {
  const base = measurements[0].median;
  const head = `| ${title} | median ms | min–max ms | × ${measurements[0].name} |${extraHeader ? ` ${extraHeader} |` : ''}`;
  const rule = `|---|---:|---:|---:|${extraHeader ? '---:|' : ''}`;
  const rows = measurements.map((m) =>
    `| ${m.name} | ${format(m.median)} | ${format(m.min)}–${format(m.max)} | ${(m.median / base).toFixed(2)} |` +
    (extra ? ` ${extra(m)} |` : ''));
  return [head, rule, ...rows].join('\n');
}
