// Which CPU a process last ran on, from Linux's /proc/self/stat: the suite prints it for every unit, since on a
// shared host one core can be slower than the other for seconds at a time (a neighbour on its physical core).

import { readFileSync } from 'node:fs';

/** Field 39 of a /proc/<pid>/stat line (the CPU last run on); the command name in parentheses may hold anything. */
export function cpuOfStat(line: string): number {
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' '); // from field 3 (the state) on
  const cpu = Number(fields[39 - 3]);
  return Number.isInteger(cpu) ? cpu : Number.NaN;
}

/** The CPU this process last ran on; NaN where /proc is missing (not Linux). */
export function currentCpu(): number {
  try {
    return cpuOfStat(readFileSync('/proc/self/stat', 'utf8'));
  } catch {
    return Number.NaN;
  }
}
