// Measuring one workload across contender processes. Every contender sets the workload up and runs a first unit
// (its warm-up), which also sizes the unit to last about `unitMs`; then come rounds in which each contender runs one
// unit in turn, the order rotating by one each round, so that drift on a shared machine hits all of them alike.

import type { AgentPool } from './agents.js';
import { failure } from './agents.js';
import { format, log } from './format.js';
import type { Params, UnitResult } from './protocol.js';
import { median, summarize } from './stats.js';

/** What to run and how to read each unit. */
export interface Measure {
  workload: string;
  params: Params;
  contenders: readonly { name: string; label: string }[];
  /** The figure a unit yields (a time, a rate). */
  value: (result: UnitResult, params: Params) => number;
  rounds: number;
  /** The parameter scaled so that one unit lasts about `unitMs`, its bounds, and the multiple it is rounded to. */
  scale?: { key: string; min: number; max: number; multiple: number };
  /** Figures read from the first (warm-up) unit, reported on their own (W1's first epoch). */
  firstUnit?: (result: UnitResult, params: Params) => Record<string, number>;
  /** Ask each contender for an evaluation after the rounds (accuracy). */
  evaluate?: boolean;
  /** Report the medians of the figures each unit returns besides its time. */
  unitExtras?: boolean;
}

/** One contender's figures for one workload. */
export interface Row {
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

/** Sets each contender up and warms it, then (after `beforeRounds`, given the contenders set up) runs the rounds. */
export async function measure(spec: Measure, pool: AgentPool, unitMs: number,
  beforeRounds?: (names: string[]) => Promise<void>): Promise<Row[]> {
  const rows: Row[] = [];
  const live: { row: Row; params: Params }[] = [];
  for (const { name, label } of spec.contenders) {
    const row: Row = { contender: name, label, values: [], extra: {} };
    rows.push(row);
    const agent = pool.get(name);
    let params = { ...spec.params };
    const setup = async (): Promise<boolean> => {
      const answer = await agent.request({ type: 'setup', workload: spec.workload, params });
      if (answer.type === 'unsupported') row.unsupported = answer.reason;
      else if (answer.type !== 'ready') row.unsupported = failure(answer);
      return answer.type === 'ready';
    };
    if (!(await setup())) {
      log(`  ${name}: ${row.unsupported}`);
      continue;
    }
    let first = await agent.request({ type: 'run' });
    if (first.type !== 'result') {
      row.unsupported = failure(first);
      log(`  ${name}: ${row.unsupported}`);
      continue;
    }
    if (spec.firstUnit) Object.assign(row.extra, spec.firstUnit(first.result, params));
    if (spec.scale) {
      // A unit far from unitMs is resized, and the resized one warmed up again.
      const { key, min, max, multiple } = spec.scale;
      const current = params[key] as number;
      const wanted = Math.min(max, Math.max(min,
        Math.round((current * unitMs) / Math.max(first.result.ms, 0.01) / multiple) * multiple));
      if (wanted > current * 1.5 || wanted < current / 1.5) {
        params = { ...params, [key]: wanted };
        await agent.request({ type: 'teardown' });
        if (!(await setup())) continue;
        first = await agent.request({ type: 'run' });
        if (first.type !== 'result') {
          row.unsupported = failure(first);
          continue;
        }
      }
      row.extra[key] = params[key] as number;
    }
    live.push({ row, params });
  }

  await beforeRounds?.(live.map(({ row }) => row.contender));
  const unitExtras = new Map<Row, Record<string, number[]>>();
  /** Each row's last unit's CPUs, for the round's line. */
  const cpus = new Map<Row, string>();
  for (let round = 0; round < spec.rounds; round++) {
    for (let i = 0; i < live.length; i++) {
      const { row, params } = live[(i + round) % live.length];
      if (row.unsupported) continue;
      const answer = await pool.get(row.contender).request({ type: 'run' });
      if (answer.type !== 'result') {
        row.unsupported = failure(answer);
        continue;
      }
      row.values.push(spec.value(answer.result, params));
      const [start, end] = answer.result.cpus ?? [Number.NaN, Number.NaN];
      cpus.set(row, Number.isNaN(start) ? '' : ` [cpu ${start === end ? start : `${start}→${end}`}]`);
      if (spec.unitExtras) {
        if (!unitExtras.has(row)) unitExtras.set(row, {});
        const series = unitExtras.get(row)!;
        for (const [key, v] of Object.entries(answer.result.extra ?? {})) (series[key] ??= []).push(v);
      }
    }
    log(`  round ${round + 1}/${spec.rounds}: ${live.map(({ row }) =>
      `${row.contender} ${format(row.values.at(-1) ?? NaN)}${cpus.get(row) ?? ''}`).join(', ')}`);
  }

  for (const { row } of live) {
    const agent = pool.get(row.contender);
    if (spec.evaluate) {
      const answer = await agent.request({ type: 'evaluate' });
      if (answer.type === 'evaluation') Object.assign(row.extra, answer.extra);
    }
    await agent.request({ type: 'teardown' });
    for (const [key, values] of Object.entries(unitExtras.get(row) ?? {})) row.extra[key] = median(values);
    if (row.values.length) Object.assign(row, summarize(row.values));
  }
  return rows;
}
