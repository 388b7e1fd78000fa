// `npm run bench`: every workload of issue 5 (W1–W6) with every contender, interleaved. Each contender lives in its
// own process (bench/agent.ts), started once with the V8 flags it needs; the orchestrator sets a workload up in
// every process, calibrates one unit of work per contender to about the same duration, warms up, then runs rounds
// in which each contender does one unit in turn (the order rotating each round), so that drift on a shared machine
// hits all alike. Reported: medians with min–max over the rounds, and ratios against simdnet.
//
//   node bench/run.mjs [-- options]      --quick              fewer rounds, shorter units, W1 on 10,000 samples
//                                        --only=W1,W5         some workloads
//                                        --contenders=a,b     some contenders (simdnet is always kept)
//                                        --rounds=N           measured rounds per workload (default 5; W1: 3)
//                                        --json[=file]        also write the results as JSON (default bench/results.json)
//                                        --results            write bench/RESULTS.md (a full run always does)

import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  type Answer, type Command, PRODUCTS, type UnitResult, W1, W2, W3, productFlops, w5Shapes,
} from './workloads.js';

type Params = Record<string, number | string>;

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const found = args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (!found) return undefined;
  return found.includes('=') ? found.slice(found.indexOf('=') + 1) : '';
};
const quick = option('quick') !== undefined;
const only = option('only')?.split(',').map((s) => s.trim().toUpperCase());
const chosenContenders = option('contenders')?.split(',');
const roundsOption = option('rounds');
const jsonFile = option('json');
const full = !quick && !only && !chosenContenders && !roundsOption;
const writeResults = full || option('results') !== undefined;
const buildDir = fileURLToPath(new URL('.', import.meta.url)); // the bundle lives in build/
const root = fileURLToPath(new URL('..', import.meta.url));

/** Contenders and the V8 flags their process needs. */
const CONTENDERS: { name: string; label: string; flags?: string[] }[] = [
  { name: 'simdnet', label: 'simdnet (wasm)' },
  { name: 'simdnet-relaxed', label: 'simdnet relaxed SIMD', flags: ['--experimental-wasm-relaxed-simd'] },
  { name: 'simdnet-threads', label: 'simdnet 2 threads' },
  { name: 'pure-js', label: 'pure JS (simdnet js backend)' },
  { name: 'tfjs-wasm', label: 'tfjs-wasm' },
  { name: 'tfjs-cpu', label: 'tfjs-cpu' },
  { name: 'brain.js', label: 'brain.js' },
  { name: 'peak', label: 'SIMD peak: f32x4 mul + add loop' },
  { name: 'peak-relaxed', label: 'SIMD peak: relaxed_madd loop', flags: ['--experimental-wasm-relaxed-simd'] },
];
const labelOf = (name: string): string => CONTENDERS.find((c) => c.name === name)?.label ?? name;
const enabled = (name: string): boolean =>
  name === 'simdnet' || !chosenContenders || chosenContenders.includes(name);

class Agent {
  private readonly child: ChildProcess;
  private waiting: ((answer: Answer) => void) | undefined;
  private readonly started: Promise<Answer>;

  constructor(readonly name: string, flags: string[]) {
    this.child = fork(`${buildDir}/bench-agent.mjs`, [name], {
      execArgv: [...flags, '--max-old-space-size=8192'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'], // stdout: library banners only
    });
    this.started = new Promise((resolve) => (this.waiting = resolve));
    this.child.on('message', (answer: Answer) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.(answer);
    });
    this.child.on('exit', (code) => {
      this.waiting?.({ type: 'error', message: `process exited with code ${code}` });
      this.waiting = undefined;
    });
  }

  async request(command: Command): Promise<Answer> {
    await this.started;
    const answer = new Promise<Answer>((resolve) => (this.waiting = resolve));
    this.child.send(command);
    return answer;
  }

  exit(): void {
    this.child.send({ type: 'exit' });
  }
}

const agents = new Map<string, Agent>();
function agent(name: string): Agent {
  let found = agents.get(name);
  if (!found) {
    const contender = CONTENDERS.find((c) => c.name === name)!;
    found = new Agent(name, contender.flags ?? []);
    agents.set(name, found);
  }
  return found;
}

interface Row {
  contender: string;
  label: string;
  /** The figure reported, per round; empty when the contender could not run the workload. */
  values: number[];
  median?: number;
  min?: number;
  max?: number;
  /** Anything else measured: first-epoch time, accuracy, the unit's size. */
  extra: Record<string, number | string>;
  unsupported?: string;
}

interface Table {
  id: string;
  title: string;
  metric: string;
  higherIsBetter: boolean;
  rows: Row[];
  load: [number, number];
  notes: string[];
}

interface Plan {
  id: string;
  title: string;
  workload: string;
  params: Params;
  contenders: string[];
  metric: string;
  higherIsBetter: boolean;
  value: (result: UnitResult, params: Params) => number;
  /** The parameter scaled so that one unit lasts about `unitMs`, with its bounds. */
  scale?: { key: string; min: number; max: number; multiple: number };
  rounds: number;
  /** W1: the first unit is reported on its own (the first epoch), and accuracy is measured after the rounds. */
  firstUnit?: string;
  evaluate?: boolean;
  /** Report the medians of the figures each unit returns besides its time. */
  unitExtras?: boolean;
  notes?: string[];
}

const unitMs = quick ? 300 : 1000;
const defaultRounds = roundsOption ? Number(roundsOption) : quick ? 3 : 5;
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const load1 = (): number => loadavg()[0];
const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

async function runPlan(plan: Plan): Promise<Table> {
  const loadStart = load1();
  log(`${plan.id}: ${plan.title}`);
  const rows: Row[] = [];
  const live: { row: Row; params: Params }[] = [];
  for (const name of plan.contenders.filter(enabled)) {
    const row: Row = { contender: name, label: labelOf(name), values: [], extra: {} };
    rows.push(row);
    let params = { ...plan.params };
    const setup = async (): Promise<boolean> => {
      const answer = await agent(name).request({ type: 'setup', workload: plan.workload, params });
      if (answer.type === 'unsupported') row.unsupported = answer.reason;
      else if (answer.type === 'error') row.unsupported = `failed: ${answer.message.split('\n')[0]}`;
      return answer.type === 'ready';
    };
    if (!(await setup())) {
      log(`  ${name}: ${row.unsupported}`);
      continue;
    }
    // The first unit warms up (and calibrates); when it is far from unitMs, the unit is resized and warmed again.
    let first = await agent(name).request({ type: 'run' });
    if (first.type !== 'result') {
      row.unsupported = `failed: ${first.type === 'error' ? first.message.split('\n')[0] : first.type}`;
      log(`  ${name}: ${row.unsupported}`);
      continue;
    }
    if (plan.firstUnit) {
      row.extra[plan.firstUnit] = plan.value(first.result, params);
      const setup = first.result.extra?.['setup ms'];
      if (setup !== undefined) row.extra['train() setup s'] = setup / 1000;
    }
    if (plan.scale) {
      const { key, min, max, multiple } = plan.scale;
      const current = params[key] as number;
      const wanted = Math.min(max, Math.max(min,
        Math.round((current * unitMs) / Math.max(first.result.ms, 0.01) / multiple) * multiple));
      if (wanted > current * 1.5 || wanted < current / 1.5) {
        params = { ...params, [key]: wanted };
        await agent(name).request({ type: 'teardown' });
        if (!(await setup())) continue;
        first = await agent(name).request({ type: 'run' });
        if (first.type !== 'result') {
          row.unsupported = `failed: ${first.type === 'error' ? first.message.split('\n')[0] : first.type}`;
          continue;
        }
      }
      row.extra[key] = params[key] as number;
    }
    live.push({ row, params });
  }
  const unitExtras = new Map<Row, Record<string, number[]>>();
  for (let round = 0; round < plan.rounds; round++) {
    for (let i = 0; i < live.length; i++) {
      const { row, params } = live[(i + round) % live.length];
      if (row.unsupported) continue;
      const answer = await agent(row.contender).request({ type: 'run' });
      if (answer.type === 'result') {
        row.values.push(plan.value(answer.result, params));
        if (plan.unitExtras) {
          for (const [key, v] of Object.entries(answer.result.extra ?? {})) (unitExtras.get(row) ?? unitExtras.set(row, {}).get(row)!)[key] = [...(unitExtras.get(row)?.[key] ?? []), v];
        }
      } else row.unsupported = `failed: ${answer.type === 'error' ? answer.message.split('\n')[0] : answer.type}`;
    }
    log(`  round ${round + 1}/${plan.rounds}: ${live.map(({ row }) => `${row.contender} ${format(row.values.at(-1) ?? NaN)}`).join(', ')}`);
  }
  for (const { row } of live) {
    if (plan.evaluate) {
      const answer = await agent(row.contender).request({ type: 'evaluate' });
      if (answer.type === 'evaluation') Object.assign(row.extra, answer.extra);
    }
    await agent(row.contender).request({ type: 'teardown' });
    for (const [key, values] of Object.entries(unitExtras.get(row) ?? {})) row.extra[key] = median(values);
    if (row.values.length) {
      row.median = median(row.values);
      row.min = Math.min(...row.values);
      row.max = Math.max(...row.values);
    }
  }
  return {
    id: plan.id, title: plan.title, metric: plan.metric, higherIsBetter: plan.higherIsBetter, rows,
    load: [loadStart, load1()], notes: plan.notes ?? [],
  };
}

/**
 * W1's extra phase: simdnet alone trains 30 epochs for the accuracy target, in a fresh process, so that its first
 * epoch (against the median of the other 29) shows what a cold start costs.
 */
async function nielsenAccuracy(samples: number): Promise<Record<string, number>> {
  agents.get('simdnet')?.exit();
  agents.delete('simdnet');
  const a = agent('simdnet');
  await a.request({ type: 'setup', workload: 'W1', params: { samples } });
  const times: number[] = [];
  for (let epoch = 0; epoch < W1.epochsForAccuracy; epoch++) {
    const answer = await a.request({ type: 'run' });
    if (answer.type === 'result') times.push(answer.result.ms);
  }
  const evaluation = await a.request({ type: 'evaluate' });
  await a.request({ type: 'teardown' });
  return {
    accuracy: evaluation.type === 'evaluation' ? evaluation.extra.accuracy : Number.NaN,
    firstEpochMs: times[0],
    medianEpochMs: median(times.slice(1)),
    totalMs: times.reduce((s, t) => s + t, 0),
  };
}

const format = (value: number): string => {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e5) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
};

/** How many times faster simdnet is than this row (by medians); < 1 means this row is faster. */
function simdnetAdvantage(table: Table, row: Row): number | undefined {
  const base = table.rows.find((r) => r.contender === 'simdnet')?.median;
  if (base === undefined || row.median === undefined) return undefined;
  return table.higherIsBetter ? base / row.median : row.median / base;
}

function markdown(table: Table): string {
  const extras = [...new Set(table.rows.flatMap((r) => Object.keys(r.extra)))];
  const head = `| ${table.title} | ${table.metric} (median) | min–max | simdnet ÷ this |${extras.map((e) => ` ${e} |`).join('')}`;
  const rule = `|---|---:|---:|---:|${extras.map(() => '---:|').join('')}`;
  const lines = table.rows.map((row) => {
    if (row.median === undefined) {
      return `| ${row.label} | — | ${row.unsupported ?? 'no result'} | |${extras.map(() => ' |').join('')}`;
    }
    const advantage = simdnetAdvantage(table, row);
    return `| ${row.label} | ${format(row.median)} | ${format(row.min!)}–${format(row.max!)} | ` +
      `${advantage === undefined ? '' : `${format(advantage)}×`} |` +
      extras.map((e) => ` ${row.extra[e] === undefined ? '' : typeof row.extra[e] === 'number' ? format(row.extra[e] as number) : row.extra[e]} |`).join('');
  });
  const notes = table.notes.map((n) => `\n_${n}_`).join('');
  return [head, rule, ...lines].join('\n') + `\n\n_load average (1 min) ${table.load[0].toFixed(2)} → ${table.load[1].toFixed(2)}_${notes}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The plans.

const w1Samples = quick ? 10_000 : 60_000;
const w1Rounds = roundsOption ? Number(roundsOption) : quick ? 2 : 3;
const perSample = (result: UnitResult): number => (result.count / result.ms) * 1000;
const TRAINERS = ['simdnet', 'simdnet-relaxed', 'simdnet-threads', 'pure-js', 'tfjs-wasm', 'tfjs-cpu', 'brain.js'];

function plans(): Plan[] {
  const list: Plan[] = [];
  const secondsPerEpoch = (result: UnitResult): number => (result.ms / 1000) * (60_000 / result.count);
  list.push({
    id: 'W1', title: `W1 Nielsen [784,30,10], batch 10`, workload: 'W1', params: { samples: w1Samples },
    contenders: TRAINERS, metric: 's per 60,000-sample epoch', higherIsBetter: false, value: secondsPerEpoch,
    rounds: w1Rounds, firstUnit: 'first epoch s', evaluate: true,
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
      value: perSample, rounds: defaultRounds, scale: { key: 'samples', min: 512, max: 60_000, multiple: 512 },
      notes: batchSize === W2.batchSizes[0]
        ? ['brain.js has neither softmax nor minibatches: relu on every layer, quadratic cost, one sample per update.']
        : [],
    });
  }
  list.push({
    id: 'W3 train', title: `W3 Playground 2-8-8-1 tanh, ${W3.points} spiral points, batch 10`, workload: 'W3-train',
    params: { units: 4 }, contenders: TRAINERS, metric: 'samples/s', higherIsBetter: true, value: perSample,
    rounds: defaultRounds, scale: { key: 'units', min: 1, max: 100_000, multiple: 1 },
    notes: ['A unit is a number of epochs over the 500 points (column `units`).'],
  });
  list.push({
    id: 'W3 grid', title: `W3 every neuron's output on a ${W3.grid}×${W3.grid} grid`, workload: 'W3-grid',
    params: { units: 4 }, contenders: TRAINERS, metric: 'ms per grid', higherIsBetter: false,
    value: (result) => result.ms / result.count, rounds: defaultRounds,
    scale: { key: 'units', min: 1, max: 100_000, multiple: 1 },
    notes: ['simdnet: network.activations(grid); tfjs: one model with every layer as an output, predict + dataSync; ' +
      'brain.js: run() per point, then its per-layer outputs.'],
  });
  list.push({
    id: 'W4', title: 'W4 online learning [784,100,10], batch 1', workload: 'W4', params: { samples: 1000 },
    contenders: TRAINERS, metric: 'samples/s', higherIsBetter: true, value: perSample, rounds: defaultRounds,
    scale: { key: 'samples', min: 100, max: 60_000, multiple: 100 },
    notes: ['sigmoid, quadratic cost, plain SGD η = 0.3 for every contender (brain.js: momentum 0).'],
  });
  list.push({
    id: 'W5 peak', title: 'W5 single-core SIMD peak', workload: 'W5-peak', params: { units: 1e8 },
    contenders: ['peak', 'peak-relaxed'], metric: 'GFLOP/s', higherIsBetter: true,
    value: (result) => result.count / result.ms / 1e6, rounds: defaultRounds, unitExtras: true,
    scale: { key: 'units', min: 1e6, max: 1e12, multiple: 1e6 },
    notes: ['Independent f32x4 multiply-adds into 8 accumulators: with operands in registers only, and with operands ' +
      'loaded from one L1 cache line (a GEMM micro-kernel step); the peak is the faster of the two. Each with ' +
      'mul + add (as the deterministic core computes) and with relaxed_madd. Every W5 product table measures the ' +
      'peak again in its own rounds, and its "% of peak" uses that.'],
  });
  for (const { label, shape } of w5Shapes()) {
    for (const product of PRODUCTS) {
      const small = shape.rows * shape.inner * shape.cols <= 256 ** 3;
      list.push({
        id: `W5 ${label} ${product}`, title: `W5 ${product} ${label}`, workload: 'W5',
        params: { ...shape, product, units: 1 },
        contenders: ['simdnet', 'simdnet-relaxed', 'simdnet-threads', 'tfjs-wasm', ...(small ? ['pure-js', 'tfjs-cpu'] : []),
          'peak', 'peak-relaxed'],
        metric: 'GFLOP/s', higherIsBetter: true,
        value: (result) => (productFlops(shape) * result.count) / result.ms / 1e6,
        rounds: defaultRounds, scale: { key: 'units', min: 1, max: 1_000_000, multiple: 1 },
      });
    }
  }
  return list.filter((plan) => !only || only.some((o) => plan.id.toUpperCase().startsWith(o)));
}

// ---------------------------------------------------------------------------------------------------------------
// W6: cold start in fresh processes, and bundle sizes.

const COLD_START: Record<string, string> = {
  simdnet: `
    const t0 = performance.now();
    const { Network } = await import(${JSON.stringify(`${buildDir}/bench-dist/simdnet.mjs`)});
    const net = await Network.create({ inputSize: 784, layers: [{ units: 30 }, { units: 10 }], seed: 1 });
    net.predict(new Float32Array(784));
    console.log(performance.now() - t0);`,
  'tfjs-wasm': `
    const t0 = performance.now();
    const { createRequire } = await import('node:module');
    const require = createRequire(${JSON.stringify(`${root}/package.json`)});
    const tf = require('@tensorflow/tfjs');
    require('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 30, activation: 'sigmoid', inputShape: [784] }),
      tf.layers.dense({ units: 10, activation: 'sigmoid' })] });
    model.predict(tf.zeros([1, 784])).dataSync();
    console.log(performance.now() - t0);`,
  'tfjs-cpu': `
    const t0 = performance.now();
    const { createRequire } = await import('node:module');
    const require = createRequire(${JSON.stringify(`${root}/package.json`)});
    const tf = require('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 30, activation: 'sigmoid', inputShape: [784] }),
      tf.layers.dense({ units: 10, activation: 'sigmoid' })] });
    model.predict(tf.zeros([1, 784])).dataSync();
    console.log(performance.now() - t0);`,
  'brain.js': `
    const t0 = performance.now();
    const { createRequire } = await import('node:module');
    const require = createRequire(${JSON.stringify(`${root}/package.json`)});
    const brain = require('brain.js');
    const net = new brain.NeuralNetwork({ hiddenLayers: [30] });
    net.train([{ input: new Array(784).fill(0), output: new Array(10).fill(0) }], { iterations: 1 });
    net.run(new Array(784).fill(0));
    console.log(performance.now() - t0);`,
};

function gzipKb(files: string[]): number {
  return files.reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0) / 1024;
}

function coldStart(): Table {
  const loadStart = load1();
  log('W6: cold start');
  const names = Object.keys(COLD_START).filter(enabled);
  const values = new Map<string, number[]>(names.map((n) => [n, []]));
  const runs = quick ? 3 : 7;
  for (let round = 0; round < runs + 1; round++) {
    for (const name of names) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', COLD_START[name]], {
        cwd: buildDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
      });
      if (round > 0) values.get(name)!.push(Number(out.trim().split('\n').at(-1))); // round 0 warms the disk cache
    }
  }
  const modules = `${root}/node_modules`;
  const relaxedChunks = readdirSync(`${buildDir}/bench-dist`).filter((f) => f !== 'simdnet.mjs')
    .map((f) => `${buildDir}/bench-dist/${f}`);
  const sizes: Record<string, { files: string[]; note: string }> = {
    simdnet: {
      files: [`${buildDir}/bench-dist/simdnet.mjs`],
      note: `ESM bundle, Wasm inlined; + ${gzipKb(relaxedChunks).toFixed(1)} KB for the relaxed-SIMD build, a chunk loaded only ` +
        "with simd: 'relaxed'",
    },
    'tfjs-wasm': {
      files: [`${modules}/@tensorflow/tfjs/dist/tf.min.js`, `${modules}/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js`,
        `${modules}/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm`],
      note: 'tf.min.js + tf-backend-wasm.min.js + tfjs-backend-wasm-simd.wasm',
    },
    'tfjs-cpu': { files: [`${modules}/@tensorflow/tfjs/dist/tf.min.js`], note: 'tf.min.js (cpu and webgl backends)' },
    'brain.js': { files: [`${modules}/brain.js/browser.min.js`], note: 'browser.min.js' },
  };
  const rows: Row[] = names.map((name) => {
    const v = values.get(name)!;
    return {
      contender: name, label: labelOf(name), values: v, median: median(v), min: Math.min(...v), max: Math.max(...v),
      extra: { 'bundle KB gzipped': gzipKb(sizes[name].files), bundle: sizes[name].note },
    };
  });
  return {
    id: 'W6', title: 'W6 cold start: import → first prediction', metric: 'ms', higherIsBetter: false, rows,
    load: [loadStart, load1()],
    notes: [`${runs} fresh Node processes per contender, interleaved (one unmeasured round first). ` +
      'simdnet and tfjs build a [784,30,10] network; brain.js needs one training iteration before it can run.'],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Targets.

interface Target {
  workload: string;
  target: string;
  measured: string;
  met: boolean | undefined;
}

function targets(tables: Table[], nielsen?: Record<string, number>): Target[] {
  const find = (id: string) => tables.find((t) => t.id === id);
  const value = (id: string, contender: string) => find(id)?.rows.find((r) => r.contender === contender)?.median;
  const out: Target[] = [];
  const ratio = (id: string, peer: string, need: number, what: string) => {
    const table = find(id);
    const row = table?.rows.find((r) => r.contender === peer);
    const advantage = table && row ? simdnetAdvantage(table, row) : undefined;
    out.push({
      workload: id, target: `≥ ${need}× ${what}`,
      measured: advantage === undefined ? 'not measured' : `${format(advantage)}×`,
      met: advantage === undefined ? undefined : advantage >= need,
    });
  };
  const w1 = value('W1', 'simdnet');
  if (w1 !== undefined) {
    out.push({ workload: 'W1', target: '≤ 0.3 s per epoch', measured: `${format(w1)} s`, met: w1 <= 0.3 });
    ratio('W1', 'pure-js', 15, 'pure JS');
    ratio('W1', 'tfjs-wasm', 25, 'tfjs-wasm');
  }
  if (nielsen) {
    const ratio = nielsen.firstEpochMs / nielsen.medianEpochMs;
    out.push({
      workload: 'W1', target: 'first epoch not much slower (≤ 1.25× the median; fresh process, 30 epochs)',
      measured: `${format(nielsen.firstEpochMs / 1000)} s vs ${format(nielsen.medianEpochMs / 1000)} s (${format(ratio)}×)`,
      met: ratio <= 1.25,
    });
  }
  if (nielsen) {
    out.push({
      workload: 'W1', target: `≥ 94.5% test accuracy after ${W1.epochsForAccuracy} epochs`,
      measured: `${(nielsen.accuracy * 100).toFixed(2)}% (${format(nielsen.totalMs / 1000)} s for ${W1.epochsForAccuracy} epochs${w1Samples < 60_000 ? `, on ${w1Samples} samples` : ''})`,
      met: nielsen.accuracy >= 0.945,
    });
  }
  ratio(`W2 batch ${W2.batchSizes[0]}`, 'tfjs-wasm', 5, 'tfjs-wasm');
  ratio('W3 train', 'brain.js', 3, 'brain.js');
  const grid = value('W3 grid', 'simdnet');
  if (grid !== undefined) out.push({ workload: 'W3 grid', target: '≤ 1 ms per all-neuron grid', measured: `${format(grid)} ms`, met: grid <= 1 });
  ratio('W4', 'brain.js', 10, 'brain.js');
  const peakAlone = value('W5 peak', 'peak');
  const relaxedPeak = value('W5 peak', 'peak-relaxed');
  {
    for (const { label, shape } of w5Shapes()) {
      const need = shape.rows === shape.inner ? (shape.rows >= 256 ? 0.9 : undefined) : 0.7;
      for (const product of PRODUCTS) {
        const id = `W5 ${label} ${product}`;
        const v = value(id, 'simdnet');
        // The peak loop measured in the same rounds as the product (falling back to the separate peak table).
        const peak = value(id, 'peak') ?? peakAlone;
        if (v === undefined || peak === undefined) continue;
        if (need !== undefined) {
          out.push({ workload: id, target: `≥ ${need * 100}% of peak`, measured: `${format(v)} GFLOP/s = ${(100 * v / peak).toFixed(0)}%`, met: v >= need * peak });
        }
        const tf = value(id, 'tfjs-wasm');
        if (tf !== undefined && (need !== undefined)) {
          out.push({ workload: id, target: '≥ tfjs-wasm matMul', measured: `${format(v / tf)}×`, met: v >= tf });
        }
        const relaxed = value(id, 'simdnet-relaxed');
        if (relaxed !== undefined && need !== undefined) {
          out.push({ workload: id, target: 'relaxed ≥ 1.35× default', measured: `${format(relaxed / v)}×`, met: relaxed >= 1.35 * v });
        }
      }
    }
    if (relaxedPeak !== undefined && peakAlone !== undefined) {
      out.push({ workload: 'W5 peak', target: '(reference) relaxed peak ÷ plain peak', measured: `${format(relaxedPeak / peakAlone)}×`, met: undefined });
    }
  }
  // Threads: ≥ 1.8× at 128 rows and more (W5 products, W2 batch 128); never slower than one thread anywhere.
  const threadRatios: { id: string; ratio: number }[] = [];
  for (const table of tables) {
    const one = table.rows.find((r) => r.contender === 'simdnet')?.median;
    const two = table.rows.find((r) => r.contender === 'simdnet-threads')?.median;
    if (one === undefined || two === undefined) continue;
    threadRatios.push({ id: table.id, ratio: table.higherIsBetter ? two / one : one / two });
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
  const cold = find('W6');
  const simdnetCold = cold?.rows.find((r) => r.contender === 'simdnet');
  if (simdnetCold?.median !== undefined) {
    out.push({ workload: 'W6', target: 'first prediction ≤ 20 ms after import', measured: `${format(simdnetCold.median)} ms`, met: simdnetCold.median <= 20 });
    const kb = simdnetCold.extra['bundle KB gzipped'] as number;
    out.push({ workload: 'W6', target: 'core bundle ≤ 60 KB gzipped', measured: `${format(kb)} KB`, met: kb <= 60 });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

function machine(): { cpu: string; cores: number; memoryGB: number; node: string; v8: string; platform: string } {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version,
    v8: process.versions.v8, platform: `${process.platform} ${process.arch}`,
  };
}

async function main(): Promise<void> {
  const started = new Date();
  const loadAtStart = loadavg();
  const tables: Table[] = [];
  let nielsen: Record<string, number> | undefined;
  try {
    for (const plan of plans()) {
      const table = await runPlan(plan);
      const peak = table.rows.find((r) => r.contender === 'peak')?.median;
      if (plan.workload === 'W5' && peak !== undefined) {
        for (const row of table.rows) {
          if (row.median !== undefined && !row.contender.startsWith('peak')) row.extra['% of peak'] = (100 * row.median) / peak;
        }
      }
      tables.push(table);
      console.log(`\n${markdown(tables.at(-1)!)}\n`);
      if (plan.id === 'W1') {
        log(`W1: simdnet trains ${W1.epochsForAccuracy} epochs for the accuracy target`);
        nielsen = await nielsenAccuracy(w1Samples);
        console.log(`simdnet after ${W1.epochsForAccuracy} epochs: ${(nielsen.accuracy * 100).toFixed(2)}% test accuracy, ` +
          `first epoch ${format(nielsen.firstEpochMs / 1000)} s, median ${format(nielsen.medianEpochMs / 1000)} s\n`);
      }
    }
    if (!only || only.includes('W6')) {
      tables.push(coldStart());
      console.log(`\n${markdown(tables.at(-1)!)}\n`);
    }
  } finally {
    for (const a of agents.values()) a.exit();
  }
  const goals = targets(tables, nielsen);
  const goalLines = ['| workload | target | measured | met |', '|---|---|---|---|',
    ...goals.map((g) => `| ${g.workload} | ${g.target} | ${g.measured} | ${g.met === undefined ? '—' : g.met ? 'yes' : '**no**'} |`)];
  console.log(goalLines.join('\n'));
  const meta = {
    date: started.toISOString(), command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`, ...machine(),
    loadAverageStart: loadAtStart.map((l) => Number(l.toFixed(2))), loadAverageEnd: loadavg().map((l) => Number(l.toFixed(2))),
    durationS: Math.round((Date.now() - started.getTime()) / 1000),
  };
  if (jsonFile !== undefined) {
    const file = jsonFile || `${root}/bench/results.json`;
    writeFileSync(file, JSON.stringify({ meta, tables, nielsen, targets: goals }, null, 2));
    log(`wrote ${file}`);
  }
  if (writeResults) {
    const header = [
      '# Benchmark results', '',
      `Latest run of \`${meta.command}\` (${meta.date}, ${meta.durationS} s).`, '',
      `- Machine: ${meta.cpu}, ${meta.cores} cores, ${meta.memoryGB} GB; ${meta.platform}`,
      `- Node ${meta.node} (V8 ${meta.v8})`,
      `- Load average (1, 5, 15 min): ${meta.loadAverageStart.join(', ')} at the start, ${meta.loadAverageEnd.join(', ')} at the end ` +
      '(the machine is shared; every table notes its own)',
      '- Every contender runs in its own process; contenders take turns unit by unit (interleaved, rotating order). ' +
      'Figures are medians over the rounds, with min–max; "simdnet ÷ this" is how many times faster simdnet (wasm, ' +
      'default build, one thread) is than the row (< 1: the row is faster).', '',
    ];
    const body = tables.map((t) => `## ${t.title}\n\n${markdown(t)}\n`);
    const nielsenLine = nielsen ? [`W1 accuracy run: simdnet, ${W1.epochsForAccuracy} epochs: ${(nielsen.accuracy * 100).toFixed(2)}% test accuracy; ` +
      `first epoch ${format(nielsen.firstEpochMs / 1000)} s, median epoch ${format(nielsen.medianEpochMs / 1000)} s.`, ''] : [];
    writeFileSync(`${root}/bench/RESULTS.md`, [...header, ...body, ...nielsenLine, '## Targets (issue 5)', '', ...goalLines, ''].join('\n'));
    log('wrote bench/RESULTS.md');
  }
}

await main();
