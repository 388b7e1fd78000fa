// The messages between the suite (bench/suite.ts) and a contender's process (bench/agent.ts), over Node's IPC
// channel: one command at a time, each answered once.

/** What one measured unit of a workload did. */
export interface UnitResult {
  /** Milliseconds of the unit, timed inside the contender's process. */
  ms: number;
  /** Work done in the unit: samples trained, grids drawn, kernel calls. */
  count: number;
  /** Anything else worth reporting (accuracy, loss). */
  extra?: Record<string, number>;
  /** The CPUs the process was on as the unit started and ended (NaN where unknown), set by the agent. */
  cpus?: [number, number];
}

/** A workload's parameters, as sent to the contender. */
export type Params = Record<string, number | string>;

export type Command =
  | { type: 'setup'; workload: string; params: Params }
  | { type: 'run' }
  | { type: 'evaluate' }
  | { type: 'teardown' }
  | { type: 'exit' };

export type Answer =
  | { type: 'ready'; info?: Record<string, unknown> }
  | { type: 'result'; result: UnitResult }
  | { type: 'evaluation'; extra: Record<string, number> }
  | { type: 'unsupported'; reason: string }
  | { type: 'error'; message: string };
