// `npm run bench`: every workload (W1–W6, bench/plans.ts and bench/cold-start.ts) with every contender, each in a
// process of its own (bench/agent.ts), measured in interleaved rounds (bench/harness/rounds.ts). Each table is
// printed as it finishes, then the targets (bench/targets.ts); bench/RESULTS.md (its generated part, between
// markers: bench/report.ts) and the JSON results are written on request (bench/options.ts lists the options).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { W6, coldStart, coldStartNote } from './cold-start.js';
import { flagsOf, labelOf, threadsOf } from './contenders/roster.js';
import { AgentPool } from './harness/agents.js';
import { log } from './harness/format.js';
import { measure } from './harness/rounds.js';
import { enabled, parseOptions, wanted } from './options.js';
import { type NielsenRun, nielsenAccuracy, plans } from './plans.js';
import { type Table, markdown, meta, nielsenSummary, resultsFile, runMarkdown, targetLines } from './report.js';
import { targets } from './targets.js';
import { W1 } from './workloads.js';

// This module runs bundled as build/bench-suite.mjs, next to build/bench-agent.mjs.
const build = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const options = parseOptions(args, `${root}/bench/results.json`);
const load1 = (): number => loadavg()[0];
const resultsPath = `${root}/bench/RESULTS.md`;
const previousResults = (): string | undefined => (existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : undefined);
// A RESULTS.md the run could not write into is refused now, not after the run.
if (options.writeResults) resultsFile(previousResults(), '');

const started = new Date();
const loadAtStart = loadavg();
const tables: Table[] = [];
let nielsen: NielsenRun | undefined;
const pool = new AgentPool(`${build}/bench-agent.mjs`, flagsOf);

/** The plain SIMD peak loop's GFLOP/s now: the best of three short units (about 0.2 s each). */
async function peakNow(): Promise<number> {
  const agent = pool.get('peak');
  await agent.request({ type: 'setup', workload: 'W5-peak', params: { units: 1e10 } });
  let best = 0;
  for (let i = 0; i < 3; i++) {
    const answer = await agent.request({ type: 'run' });
    if (answer.type === 'result') best = Math.max(best, answer.result.count / answer.result.ms / 1e6);
  }
  await agent.request({ type: 'teardown' });
  return best;
}

try {
  for (const plan of plans(options)) {
    const loadStart = load1();
    log(`${plan.id}: ${plan.title}`);
    const contenders = plan.contenders.filter((name) => enabled(options, name)).map((name) => ({ name, label: labelOf(name) }));
    const ownPeak = contenders.some(({ name }) => name === 'peak');
    const peakStart = ownPeak ? 0 : await peakNow();
    // This shared host's two vCPUs can differ by 40% for minutes (a product's units ran at 24–32 GFLOP/s on one,
    // 44–50 on the other, each table's units mostly staying on one), so every contender's main thread runs on CPU 0
    // for the rounds, a threaded one's workers (started in its set-up) on any CPU: what runs on one thread runs on
    // the same core for all. A table that measures the peak in its own rounds compares it with the products on that
    // core alone: there single-thread processes run on CPU 0 with all their threads, from the set-up on.
    const names: string[] = contenders.map(({ name }) => name);
    const whole = ownPeak ? names.filter((name) => threadsOf(name) === 1) : [];
    let pinned = whole.length === 0 || await pool.pin(whole, 0);
    const rows = await measure({ ...plan, contenders }, pool, options.unitMs, async (live) => {
      const main = live.filter((name) => !whole.includes(name));
      pinned = (main.length === 0 || await pool.pin(main, 0, true)) && pinned;
    });
    await pool.pin(names); // every CPU again, even where pinning failed for some
    plan.finish?.(rows);
    const pinNote = ownPeak
      ? 'Single-thread processes (the peak loops\' too) ran on CPU 0 (taskset), a threaded one\'s main thread too: ' +
        'one core for the products and their peak.'
      : 'Every contender\'s main thread ran on CPU 0 (taskset), a threaded one\'s workers on any CPU.';
    const notes = [...(plan.notes ?? []), ...(pinned ? [pinNote] : [])];
    const table: Table = {
      id: plan.id, title: plan.title, metric: plan.metric, higherIsBetter: plan.higherIsBetter, rows,
      load: [loadStart, load1()], ...(ownPeak ? {} : { peak: [peakStart, await peakNow()] }), notes,
    };
    tables.push(table);
    console.log(`\n${markdown(table)}\n`);
    if (plan.id === 'W1') {
      log(`W1: simdnet trains ${W1.epochsForAccuracy} epochs for the accuracy target`);
      nielsen = await nielsenAccuracy(pool, options.w1Samples);
      console.log(`simdnet after ${W1.epochsForAccuracy} epochs: ${nielsenSummary(nielsen)}\n`);
    }
  }
  if (wanted(options, W6.id)) {
    const loadStart = load1();
    const rows = coldStart(options, { root, build });
    const table: Table = { ...W6, rows, load: [loadStart, load1()], notes: [coldStartNote(options.coldStartRuns)] };
    tables.push(table);
    console.log(`\n${markdown(table)}\n`);
  }
} finally {
  pool.exitAll();
}

const goals = targets(tables, nielsen, options.w1Samples);
console.log(targetLines(goals).join('\n'));
const run = meta(args, started, loadAtStart);
if (options.json !== undefined) {
  writeFileSync(options.json, JSON.stringify({ meta: run, tables, nielsen, targets: goals }, null, 2));
  log(`wrote ${options.json}`);
}
if (options.writeResults) {
  writeFileSync(resultsPath, resultsFile(previousResults(), runMarkdown(run, tables, nielsen, goals)));
  log('wrote bench/RESULTS.md (the latest run, between its markers)');
}
