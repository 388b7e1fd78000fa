// The suite's report: each workload's markdown table (printed as it finishes), the targets table, bench/RESULTS.md
// and the JSON results.

import { cpus, loadavg, totalmem } from 'node:os';
import { BASELINE } from './contenders/roster.js';
import { format } from './harness/format.js';
import type { Row } from './harness/rounds.js';
import { speedup } from './harness/stats.js';
import type { NielsenRun } from './plans.js';
import type { Target } from './targets.js';
import { W1 } from './workloads.js';

/** One workload's measured table. */
export interface Table {
  id: string;
  title: string;
  metric: string;
  higherIsBetter: boolean;
  rows: Row[];
  /** The 1-minute load average when the table started and ended. */
  load: [number, number];
  /**
   * The SIMD peak loop's GFLOP/s right before and after the table (tables without a peak row of their own): how
   * fast this core ran then, since a neighbour on the host can take 40% of it without showing in the load average.
   */
  peak?: [number, number];
  notes: string[];
}

/** How many times faster the baseline (simdnet) is than this row, by medians; < 1: the row is faster. */
export function advantage(table: Table, row: Row): number | undefined {
  const base = table.rows.find((r) => r.contender === BASELINE)?.median;
  if (base === undefined || row.median === undefined) return undefined;
  return speedup(base, row.median, table.higherIsBetter);
}

export function markdown(table: Table): string {
  const extras = [...new Set(table.rows.flatMap((r) => Object.keys(r.extra)))];
  const head = `| ${table.title} | ${table.metric} (median) | min–max | simdnet ÷ this |${extras.map((e) => ` ${e} |`).join('')}`;
  const rule = `|---|---:|---:|---:|${extras.map(() => '---:|').join('')}`;
  const cell = (value: number | string | undefined): string =>
    (value === undefined ? '' : typeof value === 'number' ? format(value) : value);
  const lines = table.rows.map((row) => {
    if (row.median === undefined) {
      return `| ${row.label} | — | ${row.unsupported ?? 'no result'} | |${extras.map(() => ' |').join('')}`;
    }
    const times = advantage(table, row);
    return `| ${row.label} | ${format(row.median)} | ${format(row.min!)}–${format(row.max!)} | ` +
      `${times === undefined ? '' : `${format(times)}×`} |` + extras.map((e) => ` ${cell(row.extra[e])} |`).join('');
  });
  const notes = table.notes.map((n) => `\n_${n}_`).join('');
  const peak = table.peak ? `; SIMD peak loop ${table.peak.map((p) => format(p)).join(' → ')} GFLOP/s` : '';
  return [head, rule, ...lines].join('\n') +
    `\n\n_load average (1 min) ${table.load[0].toFixed(2)} → ${table.load[1].toFixed(2)}${peak}_${notes}`;
}

export function targetLines(targets: Target[]): string[] {
  return ['| workload | issue | target | measured | met |', '|---|---:|---|---|---|',
    ...targets.map((t) =>
      `| ${t.workload} | ${t.issue} | ${t.target} | ${t.measured} | ${t.met === undefined ? '—' : t.met ? 'yes' : '**no**'} |`)];
}

export const nielsenSummary = (run: NielsenRun): string =>
  `${(run.accuracy * 100).toFixed(2)}% test accuracy; first epoch ${format(run.firstEpochMs / 1000)} s, ` +
  `median epoch ${format(run.medianEpochMs / 1000)} s`;

/** The run's circumstances: when, on what, under which load. */
export interface Meta {
  date: string;
  command: string;
  cpu: string;
  cores: number;
  memoryGB: number;
  node: string;
  v8: string;
  platform: string;
  loadAverageStart: number[];
  loadAverageEnd: number[];
  durationS: number;
}

export function meta(args: string[], started: Date, loadAtStart: number[]): Meta {
  const cpu = cpus();
  const round = (loads: number[]) => loads.map((l) => Number(l.toFixed(2)));
  return {
    date: started.toISOString(), command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
    cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version,
    v8: process.versions.v8, platform: `${process.platform} ${process.arch}`,
    loadAverageStart: round(loadAtStart), loadAverageEnd: round(loadavg()),
    durationS: Math.round((Date.now() - started.getTime()) / 1000),
  };
}

/**
 * What a run writes of bench/RESULTS.md lies between these two lines; everything outside them (notes written by
 * hand: A/B checks, build times, what bounds a figure) is kept as it is.
 */
export const RUN_START = '<!-- bench: the latest full run, written by `npm run bench`; edit outside these markers -->';
export const RUN_END = '<!-- bench: end of the latest full run -->';

/** The part of bench/RESULTS.md a run writes: the circumstances, every table, W1's accuracy run, the targets. */
export function runMarkdown(run: Meta, tables: Table[], nielsen: NielsenRun | undefined, targets: Target[]): string {
  const header = [
    `Latest run of \`${run.command}\` (${run.date}, ${run.durationS} s).`, '',
    `- Machine: ${run.cpu}, ${run.cores} cores, ${run.memoryGB} GB; ${run.platform}`,
    `- Node ${run.node} (V8 ${run.v8})`,
    `- Load average (1, 5, 15 min): ${run.loadAverageStart.join(', ')} at the start, ${run.loadAverageEnd.join(', ')} at the end ` +
    '(the machine is shared; every table notes its own)',
    '- Every contender runs in its own process; contenders take turns unit by unit (interleaved, rotating order). ' +
    'Figures are medians over the rounds, with min–max; "simdnet ÷ this" is how many times faster simdnet (wasm, ' +
    'default build, one thread) is than the row (< 1: the row is faster).', '',
  ];
  const body = tables.map((t) => `## ${t.title}\n\n${markdown(t)}\n`);
  const nielsenLine = nielsen ? [`W1 accuracy run: simdnet, ${W1.epochsForAccuracy} epochs: ${nielsenSummary(nielsen)}.`, ''] : [];
  return [...header, ...body, ...nielsenLine, '## Targets (issues 5 and 15)', '', ...targetLines(targets)].join('\n');
}

/**
 * Where a run's markdown goes in bench/RESULTS.md as it is (`previous`; undefined when there is none yet): between
 * the markers, the hand-written rest untouched. A file without both markers, in order, is refused rather than
 * overwritten, since its notes would be lost.
 */
export function resultsFile(previous: string | undefined, runText: string): string {
  const region = `${RUN_START}\n\n${runText}\n\n${RUN_END}`;
  if (previous === undefined) return `# Benchmark results\n\n${region}\n`;
  const start = previous.indexOf(RUN_START);
  const end = previous.indexOf(RUN_END);
  if (start < 0 || end < start) {
    throw new Error(`bench/RESULTS.md: no run markers (${RUN_START} … ${RUN_END}) around the generated part; ` +
      'add them so that a run replaces only what lies between them');
  }
  return previous.slice(0, start) + region + previous.slice(end + RUN_END.length);
}
