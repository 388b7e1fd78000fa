// Every contender of the suite: its name (the agent process's argument), its label in the tables, and the V8 flags
// its process needs. bench/agent.ts maps each name to its implementation.

export const ROSTER = [
  { name: 'simdnet', label: 'simdnet (wasm)' },
  { name: 'simdnet-relaxed', label: 'simdnet relaxed SIMD', flags: ['--experimental-wasm-relaxed-simd'] },
  { name: 'simdnet-threads', label: 'simdnet 2 threads', threads: 2 },
  { name: 'pure-js', label: 'pure JS (simdnet js backend)' },
  { name: 'tfjs-wasm', label: 'tfjs-wasm' },
  { name: 'tfjs-cpu', label: 'tfjs-cpu' },
  { name: 'brain.js', label: 'brain.js' },
  { name: 'peak', label: 'SIMD peak: f32x4 mul + add loop' },
  { name: 'peak-relaxed', label: 'SIMD peak: relaxed_madd loop', flags: ['--experimental-wasm-relaxed-simd'] },
] as const satisfies readonly { name: string; label: string; flags?: readonly string[]; threads?: number }[];

export type ContenderName = (typeof ROSTER)[number]['name'];

/** The contender the tables compare every other one with. */
export const BASELINE: ContenderName = 'simdnet';

export const labelOf = (name: string): string => ROSTER.find((c) => c.name === name)?.label ?? name;

/** How many threads a contender computes with (1 unless its entry says otherwise). */
export const threadsOf = (name: string): number => {
  const entry = ROSTER.find((c) => c.name === name);
  return entry && 'threads' in entry ? entry.threads : 1;
};

export const flagsOf = (name: string): readonly string[] => {
  const entry = ROSTER.find((c) => c.name === name);
  return entry && 'flags' in entry ? entry.flags : [];
};
