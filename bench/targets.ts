// The figures the suite holds simdnet to, checked against the measured tables. Each target names its workload,
// states the bar, and says what was measured; `met` is undefined for reference figures and for targets whose
// tables were not run.

import { format } from './harness/format.js';
import { speedup } from './harness/stats.js';
import type { NielsenRun } from './plans.js';
import { type Table, advantage } from './report.js';
import { PRODUCTS, W1, W2, w5Shapes } from './workloads.js';

export interface Target {
  workload: string;
  target: string;
  measured: string;
  met: boolean | undefined;
}

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
      workload: id, target: `≥ ${need}× ${what}`,
      measured: times === undefined ? 'not measured' : `${format(times)}×`,
      met: times === undefined ? undefined : times >= need,
    });
  };

  const w1 = value('W1', 'simdnet');
  if (w1 !== undefined) {
    out.push({ workload: 'W1', target: '≤ 0.3 s per epoch', measured: `${format(w1)} s`, met: w1 <= 0.3 });
    faster('W1', 'pure-js', 15, 'pure JS');
    faster('W1', 'tfjs-wasm', 25, 'tfjs-wasm');
  }
  if (nielsen) {
    const ratio = nielsen.firstEpochMs / nielsen.medianEpochMs;
    out.push({
      workload: 'W1', target: 'first epoch not much slower (≤ 1.25× the median; fresh process, 30 epochs)',
      measured: `${format(nielsen.firstEpochMs / 1000)} s vs ${format(nielsen.medianEpochMs / 1000)} s (${format(ratio)}×)`,
      met: ratio <= 1.25,
    });
    out.push({
      workload: 'W1', target: `≥ 94.5% test accuracy after ${W1.epochsForAccuracy} epochs`,
      measured: `${(nielsen.accuracy * 100).toFixed(2)}% (${format(nielsen.totalMs / 1000)} s for ${W1.epochsForAccuracy} epochs${w1Samples < 60_000 ? `, on ${w1Samples} samples` : ''})`,
      met: nielsen.accuracy >= 0.945,
    });
  }
  faster(`W2 batch ${W2.batchSizes[0]}`, 'tfjs-wasm', 5, 'tfjs-wasm');
  faster('W3 train', 'brain.js', 3, 'brain.js');
  const grid = value('W3 grid', 'simdnet');
  if (grid !== undefined) out.push({ workload: 'W3 grid', target: '≤ 1 ms per all-neuron grid', measured: `${format(grid)} ms`, met: grid <= 1 });
  faster('W4', 'brain.js', 10, 'brain.js');

  // W5: the square products from 256³ on near the SIMD peak, training's shape at 70% of it; at those sizes also
  // ahead of tfjs-wasm, and the relaxed build ahead of the default one.
  const peakAlone = value('W5 peak', 'peak');
  const relaxedPeak = value('W5 peak', 'peak-relaxed');
  for (const { label, shape } of w5Shapes()) {
    const need = shape.rows === shape.inner ? (shape.rows >= 256 ? 0.9 : undefined) : 0.7;
    if (need === undefined) continue;
    for (const product of PRODUCTS) {
      const id = `W5 ${label} ${product}`;
      const v = value(id, 'simdnet');
      // The peak loop measured in the same rounds as the product (falling back to the separate peak table).
      const peak = value(id, 'peak') ?? peakAlone;
      if (v === undefined || peak === undefined) continue;
      out.push({ workload: id, target: `≥ ${need * 100}% of peak`, measured: `${format(v)} GFLOP/s = ${(100 * v / peak).toFixed(0)}%`, met: v >= need * peak });
      const tf = value(id, 'tfjs-wasm');
      if (tf !== undefined) out.push({ workload: id, target: '≥ tfjs-wasm matMul', measured: `${format(v / tf)}×`, met: v >= tf });
      const relaxed = value(id, 'simdnet-relaxed');
      if (relaxed !== undefined) {
        out.push({ workload: id, target: 'relaxed ≥ 1.35× default', measured: `${format(relaxed / v)}×`, met: relaxed >= 1.35 * v });
      }
    }
  }
  if (relaxedPeak !== undefined && peakAlone !== undefined) {
    out.push({ workload: 'W5 peak', target: '(reference) relaxed peak ÷ plain peak', measured: `${format(relaxedPeak / peakAlone)}×`, met: undefined });
  }

  // Threads: ≥ 1.8× at 128 rows and more (W5 products, W2 batch 128); never slower than one thread anywhere.
  const threadRatios: { id: string; ratio: number }[] = [];
  for (const table of tables) {
    const one = table.rows.find((r) => r.contender === 'simdnet')?.median;
    const two = table.rows.find((r) => r.contender === 'simdnet-threads')?.median;
    if (one === undefined || two === undefined) continue;
    threadRatios.push({ id: table.id, ratio: speedup(two, one, table.higherIsBetter) });
  }
  for (const { id, ratio } of threadRatios) {
    const big = /^W5 (128|256|512|1024)³/.test(id) || id === 'W2 batch 128';
    if (big) out.push({ workload: id, target: '2 threads ≥ 1.8× one thread', measured: `${format(ratio)}×`, met: ratio >= 1.8 });
  }
  if (threadRatios.length) {
    const worst = threadRatios.reduce((a, b) => (b.ratio < a.ratio ? b : a));
    out.push({
      workload: 'all', target: '2 threads never slower than one (≥ 0.95×, allowing for noise)',
      measured: `worst ${format(worst.ratio)}× (${worst.id})`, met: worst.ratio >= 0.95,
    });
  }

  const simdnetCold = find('W6')?.rows.find((r) => r.contender === 'simdnet');
  if (simdnetCold?.median !== undefined) {
    out.push({ workload: 'W6', target: 'first prediction ≤ 20 ms after import', measured: `${format(simdnetCold.median)} ms`, met: simdnetCold.median <= 20 });
    const kb = simdnetCold.extra['bundle KB gzipped'] as number;
    out.push({ workload: 'W6', target: 'core bundle ≤ 60 KB gzipped', measured: `${format(kb)} KB`, met: kb <= 60 });
  }
  return out;
}
