// The figures the suite holds simdnet to, checked against the measured tables: issue 15's (the large products at
// the peak, relaxed SIMD, threads, W1's epoch) and issue 5's that it left standing (the peers, the W3 grid, the
// training-shape products, the first epoch, W6). Each target names its workload, its issue, the bar and what was
// measured; `met` is undefined for reference figures and for targets whose tables were not run.

import { format } from './harness/format.js';
import { speedup } from './harness/stats.js';
import type { NielsenRun } from './plans.js';
import { type Table, advantage } from './report.js';
import { PRODUCTS, W1, W2, w5Shapes } from './workloads.js';

export interface Target {
  workload: string;
  /** The issue that set the bar. */
  issue: 5 | 15;
  target: string;
  measured: string;
  met: boolean | undefined;
}

/**
 * Two threads count as "not slower" down to this ratio: on this shared machine, runs of one build differ by about
 * 5% in their medians (bench/RESULTS.md, the restructure check), so a smaller gap cannot be told from noise.
 */
export const THREAD_NOISE = 0.95;

/** The squares whose products issue 15 holds to the peak and to relaxed SIMD's gain. */
const LARGE = /^(256|512|1024)³$/;
/** The workloads two threads must never slow down. */
const THREADED_WORKLOADS = /^W[1-5]( |$)/;

export function targets(tables: Table[], nielsen: NielsenRun | undefined, w1Samples: number): Target[] {
  const find = (id: string) => tables.find((t) => t.id === id);
  const value = (id: string, contender: string) => find(id)?.rows.find((r) => r.contender === contender)?.median;
  const out: Target[] = [];
  /** simdnet at least `need` times faster than `peer` in table `id`. */
  const faster = (id: string, peer: string, need: number, what: string) => {
    const table = find(id);
    const row = table?.rows.find((r) => r.contender === peer);
    const times = table && row ? advantage(table, row) : undefined;
    out.push({
      workload: id, issue: 5, target: `≥ ${need}× ${what}`,
      measured: times === undefined ? 'not measured' : `${format(times)}×`,
      met: times === undefined ? undefined : times >= need,
    });
  };

  const w1 = value('W1', 'simdnet');
  if (w1 !== undefined) {
    // Beside the table's median, the accuracy run's (29 epochs after the first, in a process of its own) for scale.
    // and the core's speed then: the epoch scales with the SIMD peak loop, which a neighbour on the host can slow.
    const peak = find('W1')?.peak;
    const context = [
      ...(nielsen ? [`accuracy run's median epoch: ${format(nielsen.medianEpochMs / 1000)} s`] : []),
      ...(peak ? [`SIMD peak loop ${peak.map((p) => format(p)).join(' → ')} GFLOP/s`] : []),
    ];
    const measured = `${format(w1)} s${context.length ? ` (${context.join('; ')})` : ''}`;
    out.push({ workload: 'W1', issue: 15, target: '≤ 0.25 s per epoch', measured, met: w1 <= 0.25 });
    faster('W1', 'pure-js', 15, 'pure JS');
    faster('W1', 'tfjs-wasm', 25, 'tfjs-wasm');
  }
  if (nielsen) {
    const ratio = nielsen.firstEpochMs / nielsen.medianEpochMs;
    out.push({
      workload: 'W1', issue: 5, target: 'first epoch not much slower (≤ 1.25× the median; fresh process, 30 epochs)',
      measured: `${format(nielsen.firstEpochMs / 1000)} s vs ${format(nielsen.medianEpochMs / 1000)} s (${format(ratio)}×)`,
      met: ratio <= 1.25,
    });
    out.push({
      workload: 'W1', issue: 5, target: `≥ 94.5% test accuracy after ${W1.epochsForAccuracy} epochs`,
      measured: `${(nielsen.accuracy * 100).toFixed(2)}% (${format(nielsen.totalMs / 1000)} s for ${W1.epochsForAccuracy} epochs${w1Samples < 60_000 ? `, on ${w1Samples} samples` : ''})`,
      met: nielsen.accuracy >= 0.945,
    });
  }
  faster(`W2 batch ${W2.batchSizes[0]}`, 'tfjs-wasm', 5, 'tfjs-wasm');
  faster('W3 train', 'brain.js', 3, 'brain.js');
  const grid = value('W3 grid', 'simdnet');
  if (grid !== undefined) {
    out.push({ workload: 'W3 grid', issue: 5, target: '≤ 1 ms per all-neuron grid', measured: `${format(grid)} ms`, met: grid <= 1 });
  }
  faster('W4', 'brain.js', 10, 'brain.js');

  // W5: the large squares at 90% of the peak measured in the same rounds (issue 15), the training shape at 70%
  // (issue 5); both at least tfjs-wasm's matMul. Relaxed SIMD's gain: 1.3× on the large squares (issue 15), 1.35×
  // on the training shape (issue 5); beside it, what the two peak loops of the same rounds allow.
  const peakAlone = value('W5 peak', 'peak');
  const relaxedPeakAlone = value('W5 peak', 'peak-relaxed');
  for (const { label, shape } of w5Shapes()) {
    const large = LARGE.test(label);
    const training = shape.rows !== shape.inner;
    if (!large && !training) continue;
    const issue = large ? 15 : 5;
    const need = large ? 0.9 : 0.7;
    const relaxedNeed = large ? 1.3 : 1.35;
    for (const product of PRODUCTS) {
      const id = `W5 ${label} ${product}`;
      const v = value(id, 'simdnet');
      // The peak loops measured in the same rounds as the product (falling back to the separate peak table).
      const peak = value(id, 'peak') ?? peakAlone;
      if (v === undefined || peak === undefined) continue;
      // The two peak loops' ratio, both from the product's rounds or both from the peak table.
      const peaks = value(id, 'peak') !== undefined && value(id, 'peak-relaxed') !== undefined
        ? [value(id, 'peak')!, value(id, 'peak-relaxed')!] : [peakAlone, relaxedPeakAlone];
      out.push({
        workload: id, issue, target: `≥ ${need * 100}% of peak`,
        measured: `${format(v)} GFLOP/s = ${(100 * v / peak).toFixed(0)}% of ${format(peak)}`, met: v >= need * peak,
      });
      const tf = value(id, 'tfjs-wasm');
      if (tf !== undefined) out.push({ workload: id, issue: 5, target: '≥ tfjs-wasm matMul', measured: `${format(v / tf)}×`, met: v >= tf });
      const relaxed = value(id, 'simdnet-relaxed');
      if (relaxed !== undefined) {
        const [plainPeak, relaxedPeak] = peaks;
        const bound = plainPeak === undefined || relaxedPeak === undefined ? ''
          : ` (relaxed peak ÷ plain peak: ${format(relaxedPeak / plainPeak)}×)`;
        out.push({
          workload: id, issue, target: `relaxed ≥ ${relaxedNeed}× default`, measured: `${format(relaxed / v)}×${bound}`,
          met: relaxed >= relaxedNeed * v,
        });
      }
    }
  }
  if (relaxedPeakAlone !== undefined && peakAlone !== undefined) {
    out.push({
      workload: 'W5 peak', issue: 15, target: '(reference) relaxed peak ÷ plain peak',
      measured: `${format(relaxedPeakAlone / peakAlone)}×`, met: undefined,
    });
  }

  // Threads: ≥ 1.8× on W2 at batch 128 (issue 15) and on the W5 products of 128 rows and more (issue 5); never
  // slower than one thread on any W1–W5 table, down to THREAD_NOISE.
  const threadRatios: { id: string; ratio: number }[] = [];
  for (const table of tables) {
    if (!THREADED_WORKLOADS.test(table.id)) continue;
    const one = table.rows.find((r) => r.contender === 'simdnet')?.median;
    const two = table.rows.find((r) => r.contender === 'simdnet-threads')?.median;
    if (one === undefined || two === undefined) continue;
    threadRatios.push({ id: table.id, ratio: speedup(two, one, table.higherIsBetter) });
  }
  for (const { id, ratio } of threadRatios) {
    const issue = id === 'W2 batch 128' ? 15 : /^W5 (128|256|512|1024)³/.test(id) ? 5 : undefined;
    if (issue) out.push({ workload: id, issue, target: '2 threads ≥ 1.8× one thread', measured: `${format(ratio)}×`, met: ratio >= 1.8 });
  }
  if (threadRatios.length) {
    const worst = threadRatios.reduce((a, b) => (b.ratio < a.ratio ? b : a));
    const within = threadRatios.filter((t) => t.ratio < 1 && t.ratio >= THREAD_NOISE).length;
    out.push({
      workload: 'W1–W5', issue: 15,
      target: `2 threads never slower than one (≥ ${THREAD_NOISE}×: ${Math.round((1 - THREAD_NOISE) * 100)}% allowed for noise)`,
      measured: `worst ${format(worst.ratio)}× (${worst.id}) of ${threadRatios.length} table${threadRatios.length === 1 ? '' : 's'}` +
        (within ? `; ${within} below 1× within the allowance` : ''),
      met: worst.ratio >= THREAD_NOISE,
    });
  }

  const simdnetCold = find('W6')?.rows.find((r) => r.contender === 'simdnet');
  if (simdnetCold?.median !== undefined) {
    out.push({ workload: 'W6', issue: 5, target: 'first prediction ≤ 20 ms after import', measured: `${format(simdnetCold.median)} ms`, met: simdnetCold.median <= 20 });
    const kb = simdnetCold.extra['bundle KB gzipped'] as number;
    out.push({ workload: 'W6', issue: 5, target: 'core bundle ≤ 60 KB gzipped', measured: `${format(kb)} KB`, met: kb <= 60 });
  }
  return out;
}
