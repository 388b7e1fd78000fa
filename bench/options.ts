// The suite's command line, read once and passed down.
//
//   node bench/run.mjs [-- options]      --quick              fewer rounds, shorter units, W1 on 10,000 samples
//                                        --only=W1,W5         some workloads (by the start of their table's id)
//                                        --contenders=a,b     some contenders (simdnet is always kept)
//                                        --rounds=N           measured rounds per workload (default 5; W1: 3)
//                                        --json[=file]        also write the results as JSON (default bench/results.json)
//                                        --results            write bench/RESULTS.md (a full run always does)

import { BASELINE } from './contenders/roster.js';

export interface SuiteOptions {
  /** The arguments as given, for the report. */
  args: string[];
  quick: boolean;
  /** Workload prefixes, upper case (undefined: all). */
  only?: string[];
  /** Contender names (undefined: all). */
  contenders?: string[];
  /** The file for the JSON results, if asked for. */
  json?: string;
  writeResults: boolean;
  /** How long one measured unit should last. */
  unitMs: number;
  /** Measured rounds per workload, and for W1 (whose unit is a whole epoch). */
  rounds: number;
  w1Rounds: number;
  /** W1's training images per epoch. */
  w1Samples: number;
  /** W6's measured fresh processes per contender. */
  coldStartRuns: number;
}

export function parseOptions(args: string[], defaultJsonFile: string): SuiteOptions {
  const option = (name: string): string | undefined => {
    const found = args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (!found) return undefined;
    return found.includes('=') ? found.slice(found.indexOf('=') + 1) : '';
  };
  const quick = option('quick') !== undefined;
  const only = option('only')?.split(',').map((s) => s.trim().toUpperCase());
  const contenders = option('contenders')?.split(',');
  const roundsOption = option('rounds');
  const rounds = roundsOption ? Number(roundsOption) : undefined;
  const json = option('json');
  // A full run (no option narrowing or shortening it) is the one RESULTS.md reports.
  const full = !quick && !only && !contenders && !roundsOption;
  return {
    args, quick, only, contenders,
    json: json === undefined ? undefined : json || defaultJsonFile,
    writeResults: full || option('results') !== undefined,
    unitMs: quick ? 300 : 1000,
    rounds: rounds ?? (quick ? 3 : 5),
    w1Rounds: rounds ?? (quick ? 2 : 3),
    w1Samples: quick ? 10_000 : 60_000,
    coldStartRuns: quick ? 3 : 7,
  };
}

/** Whether a contender takes part; the baseline always does, every table's ratios need it. */
export const enabled = (options: SuiteOptions, name: string): boolean =>
  name === BASELINE || !options.contenders || options.contenders.includes(name);

/** Whether a table (by its id, "W2 batch 32") is asked for. */
export const wanted = (options: SuiteOptions, id: string): boolean =>
  !options.only || options.only.some((prefix) => id.toUpperCase().startsWith(prefix));
