// Whether relaxed SIMD can be faster on this machine at all: the suite's two peak loops (assembly/bench/peak.ts),
// plain (mul + add) and relaxed (relaxed_madd), interleaved in one process, each timed by wall clock and by the
// process's CPU time (which a shared machine's other processes do not inflate); then one chain of each, whose step
// is the latency of its add or fused multiply-add; then whether V8 fuses relaxed_madd here at all.
//   node bench/run.mjs peak
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { format } from './harness/format.js';
import { median } from './harness/stats.js';

// Node 20 compiles relaxed SIMD only behind this flag; it is read when a module compiles, so setting it here works.
setFlagsFromString('--experimental-wasm-relaxed-simd');

type Loop = (iterations: number, seed: number) => number;
const load = async (file: string) =>
  (await WebAssembly.instantiate(readFileSync(new URL(file, import.meta.url)))).instance.exports as Record<string, Loop>;
const plain = await load('./bench-peak.wasm');
const relaxed = await load('./bench-peak-relaxed.wasm');

const contenders = {
  'plain, registers (8 chains)': { loop: plain.peakRegisters, flops: plain.registersFlops(0, 0) },
  'plain, L1 (8 chains)': { loop: plain.peakL1, flops: plain.l1Flops(0, 0) },
  'relaxed, registers (8 chains)': { loop: relaxed.peakRegisters, flops: relaxed.registersFlops(0, 0) },
  'relaxed, L1 (12 chains)': { loop: relaxed.peakL1, flops: relaxed.l1Flops(0, 0) },
  'plain, one chain': { loop: plain.latencyChain, flops: 8 },
  'relaxed, one chain': { loop: relaxed.latencyChain, flops: 8 },
};
const names = Object.keys(contenders) as (keyof typeof contenders)[];
const SAMPLE_MS = 40;
const ROUNDS = 31;

// Iterations for about SAMPLE_MS each (after a warm-up that lets V8 optimise the loop).
const iterations = names.map((name) => {
  const { loop } = contenders[name];
  let n = 100_000;
  for (;;) {
    const start = performance.now();
    loop(n, 1);
    const ms = performance.now() - start;
    if (ms > SAMPLE_MS / 2) return Math.round((n * SAMPLE_MS) / ms);
    n *= 2;
  }
});
const wall: number[][] = names.map(() => []);
const cpu: number[][] = names.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < names.length; k++) {
    const i = (k + round) % names.length;
    const { loop, flops } = contenders[names[i]];
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    loop(iterations[i], 1);
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpuStart);
    const work = iterations[i] * flops / 1e6;
    wall[i].push(work / ms);
    cpu[i].push(work / ((used.user + used.system) / 1000));
  }
}
const lines = ['| loop | GFLOP/s, wall (median) | min–max | GFLOP/s, CPU time (median) | min–max |', '|---|---:|---:|---:|---:|'];
names.forEach((name, i) => {
  lines.push(`| ${name} | ${format(median(wall[i]))} | ${format(Math.min(...wall[i]))}–${format(Math.max(...wall[i]))} | ` +
    `${format(median(cpu[i]))} | ${format(Math.min(...cpu[i]))}–${format(Math.max(...cpu[i]))} |`);
});
const at = (name: keyof typeof contenders, series: number[][]) => median(series[names.indexOf(name)]);
const best = (series: number[][], which: 'plain' | 'relaxed') =>
  Math.max(at(`${which}, registers (8 chains)`, series), at(which === 'plain' ? 'plain, L1 (8 chains)' : 'relaxed, L1 (12 chains)', series));
lines.push('', `relaxed peak ÷ plain peak: ${format(best(wall, 'relaxed') / best(wall, 'plain'))}× by wall clock, ` +
  `${format(best(cpu, 'relaxed') / best(cpu, 'plain'))}× by CPU time; one chain, relaxed ÷ plain: ` +
  `${format(at('relaxed, one chain', cpu) / at('plain, one chain', cpu))}× (the ratio of the add's latency to the fused one's)`);
// (1 + 2⁻¹²)² − 1 = 2⁻¹¹ + 2⁻²⁴ exactly; a float32 product rounded before the add loses the 2⁻²⁴.
const x = 1 + 2 ** -12;
let probe = 0;
for (let i = 0; i < 100_000; i++) probe = relaxed.maddProbe(x, -1); // optimised code, as the loops run
lines.push(`relaxed_madd((1 + 2⁻¹²), (1 + 2⁻¹²), −1) = ${probe}: ${probe === 2 ** -11 + 2 ** -24 ? 'fused (one rounding)'
  : probe === 2 ** -11 ? 'not fused (multiply rounded, then add)' : 'neither'}; plain mul + add gives ${plain.maddProbe(x, -1)}`);
console.log(lines.join('\n'));
