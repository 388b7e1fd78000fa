// The suite's workloads W1–W5 as measurement plans: what each table runs, with which parameters and contenders,
// and which figure it reports. (W6, cold start, runs fresh processes instead: bench/cold-start.ts. The targets the
// figures are held to: bench/targets.ts.)

import type { AgentPool } from './harness/agents.js';
import type { Measure, Row } from './harness/rounds.js';
import type { UnitResult } from './harness/protocol.js';
import { median } from './harness/stats.js';
import type { ContenderName } from './contenders/roster.js';
import { type SuiteOptions, wanted } from './options.js';
import { PRODUCTS, W1, W2, W3, productFlops, w5Shapes } from './workloads.js';

export interface Plan extends Omit<Measure, 'contenders'> {
  /** The table's id, which --only matches and the targets look up. */
  id: string;
  title: string;
  metric: string;
  higherIsBetter: boolean;
  contenders: ContenderName[];
  /** Figures derived from the whole table once it is measured. */
  finish?: (rows: Row[]) => void;
  notes?: string[];
}

const TRAINERS: ContenderName[] = ['simdnet', 'simdnet-relaxed', 'simdnet-threads', 'pure-js', 'tfjs-wasm', 'tfjs-cpu', 'brain.js'];

const perSample = (result: UnitResult): number => (result.count / result.ms) * 1000;
const secondsPerEpoch = (result: UnitResult): number => (result.ms / 1000) * (60_000 / result.count);

/** Each contender's GFLOP/s as a percentage of the peak loop's, measured in the same rounds. */
function percentOfPeak(rows: Row[]): void {
  const peak = rows.find((r) => r.contender === 'peak')?.median;
  if (peak === undefined) return;
  for (const row of rows) {
    if (row.median !== undefined && !row.contender.startsWith('peak')) row.extra['% of peak'] = (100 * row.median) / peak;
  }
}

export function plans(options: SuiteOptions): Plan[] {
  const { rounds, w1Rounds, w1Samples } = options;
  const list: Plan[] = [];
  list.push({
    id: 'W1', title: `W1 Nielsen [784,30,10], batch 10`, workload: 'W1', params: { samples: w1Samples },
    contenders: TRAINERS, metric: 's per 60,000-sample epoch', higherIsBetter: false, value: secondsPerEpoch,
    rounds: w1Rounds, evaluate: true,
    firstUnit: (result) => {
      const setup = result.extra?.['setup ms'];
      return { 'first epoch s': secondsPerEpoch(result), ...(setup === undefined ? {} : { 'train() setup s': setup / 1000 }) };
    },
    notes: [
      `Each contender trains ${1 + w1Rounds} epochs on ${w1Samples.toLocaleString('en-US')} training images ` +
      `(the first, reported on its own, then the measured ones); accuracy is on the 10,000 test images after them. ` +
      'simdnet\'s epochs are timed by its own EpochLogs.elapsedMs (all in one train() call); what that call spends ' +
      'once before its first epoch (checking and staging the data set) is the column train() setup.',
      'brain.js learns online (no minibatches): η/10 = 0.3 per sample. tfjs: model.fit with Nielsen\'s cost ½Σ(a−y)² and N(0,1) initialisation.',
    ],
  });
  for (const batchSize of W2.batchSizes) {
    list.push({
      id: `W2 batch ${batchSize}`, title: `W2 784-128-10 relu/softmax CE, batch ${batchSize}`, workload: 'W2',
      params: { samples: 4096, batchSize }, contenders: TRAINERS, metric: 'samples/s', higherIsBetter: true,
      value: perSample, rounds, scale: { key: 'samples', min: 512, max: 60_000, multiple: 512 },
      notes: batchSize === W2.batchSizes[0]
        ? ['brain.js has neither softmax nor minibatches: relu on every layer, quadratic cost, one sample per update.']
        : [],
    });
  }
  list.push({
    id: 'W3 train', title: `W3 Playground 2-8-8-1 tanh, ${W3.points} spiral points, batch 10`, workload: 'W3-train',
    params: { units: 4 }, contenders: TRAINERS, metric: 'samples/s', higherIsBetter: true, value: perSample,
    rounds, scale: { key: 'units', min: 1, max: 100_000, multiple: 1 },
    notes: ['A unit is a number of epochs over the 500 points (column `units`).'],
  });
  list.push({
    id: 'W3 grid', title: `W3 every neuron's output on a ${W3.grid}×${W3.grid} grid`, workload: 'W3-grid',
    params: { units: 4 }, contenders: TRAINERS, metric: 'ms per grid', higherIsBetter: false,
    value: (result) => result.ms / result.count, rounds,
    scale: { key: 'units', min: 1, max: 100_000, multiple: 1 },
    notes: ['simdnet: network.activations(grid); tfjs: one model with every layer as an output, predict + dataSync; ' +
      'brain.js: run() per point, then its per-layer outputs.'],
  });
  list.push({
    id: 'W4', title: 'W4 online learning [784,100,10], batch 1', workload: 'W4', params: { samples: 1000 },
    contenders: TRAINERS, metric: 'samples/s', higherIsBetter: true, value: perSample, rounds,
    scale: { key: 'samples', min: 100, max: 60_000, multiple: 100 },
    notes: ['sigmoid, quadratic cost, plain SGD η = 0.3 for every contender (brain.js: momentum 0).'],
  });
  list.push({
    id: 'W5 peak', title: 'W5 single-core SIMD peak', workload: 'W5-peak', params: { units: 1e8 },
    contenders: ['peak', 'peak-relaxed'], metric: 'GFLOP/s', higherIsBetter: true,
    value: (result) => result.count / result.ms / 1e6, rounds, unitExtras: true,
    scale: { key: 'units', min: 1e6, max: 1e12, multiple: 1e6 },
    notes: ['Independent f32x4 multiply-adds: into 8 accumulators with operands in registers only, and with operands ' +
      'loaded from one L1 cache line (a GEMM micro-kernel step) into 8 accumulators with mul + add (as the ' +
      'deterministic core computes) and 12 with relaxed_madd (a fused multiply-add waits longer for its ' +
      'accumulator, so it needs more chains in flight); the peak is the faster of the two loops. Every W5 product ' +
      'table measures the peak again in its own rounds, and its "% of peak" uses that.'],
  });
  for (const { label, shape } of w5Shapes()) {
    // pure JS and tfjs-cpu (about 1 and 0.5 GFLOP/s) stop at 256³: one 1024³ product would take them seconds.
    const small = shape.rows * shape.inner * shape.cols <= 256 ** 3;
    for (const product of PRODUCTS) {
      list.push({
        id: `W5 ${label} ${product}`, title: `W5 ${product} ${label}`, workload: 'W5',
        params: { ...shape, product, units: 1 },
        contenders: ['simdnet', 'simdnet-relaxed', 'simdnet-threads', 'tfjs-wasm', ...(small ? ['pure-js', 'tfjs-cpu'] as const : []),
          'peak', 'peak-relaxed'],
        metric: 'GFLOP/s', higherIsBetter: true,
        value: (result) => (productFlops(shape) * result.count) / result.ms / 1e6,
        rounds, scale: { key: 'units', min: 1, max: 1_000_000, multiple: 1 }, finish: percentOfPeak,
      });
    }
  }
  return list.filter((plan) => wanted(options, plan.id));
}

/** W1's accuracy run: what simdnet reaches in W1.epochsForAccuracy epochs, and what its epochs take. */
export interface NielsenRun {
  accuracy: number;
  firstEpochMs: number;
  /** The median of the epochs after the first. */
  medianEpochMs: number;
  totalMs: number;
}

/**
 * W1's accuracy phase: simdnet alone trains W1.epochsForAccuracy epochs in a fresh process, so that its first epoch
 * (against the median of the others) shows what a cold start costs.
 */
export async function nielsenAccuracy(pool: AgentPool, samples: number): Promise<NielsenRun> {
  const agent = pool.fresh('simdnet');
  await agent.request({ type: 'setup', workload: 'W1', params: { samples } });
  const times: number[] = [];
  for (let epoch = 0; epoch < W1.epochsForAccuracy; epoch++) {
    const answer = await agent.request({ type: 'run' });
    if (answer.type === 'result') times.push(answer.result.ms);
  }
  const evaluation = await agent.request({ type: 'evaluate' });
  await agent.request({ type: 'teardown' });
  return {
    accuracy: evaluation.type === 'evaluation' ? evaluation.extra.accuracy : Number.NaN,
    firstEpochMs: times[0],
    medianEpochMs: median(times.slice(1)),
    totalMs: times.reduce((s, t) => s + t, 0),
  };
}
