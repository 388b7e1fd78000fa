// One contender's process: the suite forks it (harness/agents.ts, with whatever V8 flags the contender needs) and
// drives it over IPC: set up a workload, run measured units one at a time (so that contenders can be interleaved),
// evaluate, tear down. Timing happens here, around the work only.

import { readFileSync } from 'node:fs';
import { brainContender } from './contenders/brain.js';
import type { ContenderName } from './contenders/roster.js';
import type { Contender, Session } from './contenders/session.js';
import { num, timeCalls } from './contenders/session.js';
import { simdnet } from './contenders/simdnet.js';
import { tfjs } from './contenders/tfjs.js';
import { currentCpu } from './harness/cpu.js';
import type { Answer, Command } from './harness/protocol.js';
import { productFlops } from './workloads.js';

/**
 * The peak loops of assembly/bench/peak.ts (register-only and L1 operands, each with the chains its build needs),
 * built by bench/run.mjs next to this bundle.
 */
const peak = (variant: 'plain' | 'relaxed'): Contender => async (workload, params) => {
  if (workload !== 'W5-peak' && workload !== 'W5') return 'peak measures W5 only';
  const file = new URL(variant === 'relaxed' ? './bench-peak-relaxed.wasm' : './bench-peak.wasm', import.meta.url);
  let instance: WebAssembly.Instance;
  try {
    ({ instance } = await WebAssembly.instantiate(readFileSync(file)));
  } catch (error) {
    return `this runtime cannot compile it (${(error as Error).message.split('\n')[0]})`;
  }
  const exported = instance.exports as Record<string, (...args: number[]) => number>;
  // A unit is `units` FLOPs (W5-peak) or, in a W5 product's table, as many FLOPs as `units` calls of that product.
  const flopsPerUnit = workload === 'W5'
    ? productFlops({ rows: num(params, 'rows'), inner: num(params, 'inner'), cols: num(params, 'cols') }) : 1;
  const unitFlops = num(params, 'units') * flopsPerUnit;
  const loops = (['registers', 'l1'] as const).map((name) => {
    const flops = exported[`${name}Flops`]();
    const run = exported[name === 'registers' ? 'peakRegisters' : 'peakL1'];
    const iterations = Math.max(1, Math.round(unitFlops / flops));
    return { name, run: () => run(iterations, 1), flops: iterations * flops };
  });
  return {
    // Both loops, each timed; the unit reports the faster one and keeps both for the table.
    run: () => {
      const [registers, l1] = loops.map((loop) => {
        const { ms } = timeCalls(1, loop.run);
        return { ms, flops: loop.flops, gflops: loop.flops / ms / 1e6 };
      });
      const best = registers.gflops >= l1.gflops ? registers : l1;
      return {
        ms: best.ms, count: best.flops / flopsPerUnit,
        extra: { 'registers GFLOP/s': registers.gflops, 'L1 GFLOP/s': l1.gflops },
      };
    },
    dispose: () => undefined,
  };
};

const CONTENDERS: Record<ContenderName, Contender> = {
  simdnet: simdnet({ backend: 'wasm' }),
  'simdnet-relaxed': simdnet({ backend: 'wasm', simd: 'relaxed' }),
  'simdnet-threads': simdnet({ backend: 'wasm', threads: 2 }),
  'pure-js': simdnet({ backend: 'js' }),
  'brain.js': brainContender,
  'tfjs-wasm': tfjs('wasm'),
  'tfjs-cpu': tfjs('cpu'),
  peak: peak('plain'),
  'peak-relaxed': peak('relaxed'),
};

const name = process.argv[2];
const contender: Contender | undefined = CONTENDERS[name as ContenderName];
if (!contender) throw new Error(`bench agent: unknown contender ${name}`);
let session: Session | undefined;

/**
 * Resolves once this process has gone idle: its CPU time (every thread's, V8's background GC included) grew by
 * under 10% of the wall time over the last 50 ms, or after 3 s at most. Answers wait for it, so that what a unit
 * or a set-up leaves running (brain.js' heap of half a gigabyte is still being collected for 0.1–0.2 s after
 * its W1 epoch) is not spent inside the next contender's unit.
 */
async function settle(): Promise<void> {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const until = performance.now() + 3000;
  let before = cpuMs();
  while (performance.now() < until) {
    await pause();
    const now = cpuMs();
    if (now - before < 5) return;
    before = now;
  }
}

/** Every answer waits for the process to settle (above), so that no command's aftermath overlaps another's. */
const send = async (answer: Answer): Promise<void> => {
  await settle();
  process.send!(answer);
};

process.on('message', async (command: Command) => {
  try {
    switch (command.type) {
      case 'setup': {
        await session?.dispose();
        const made = await contender(command.workload, command.params);
        if (typeof made === 'string') {
          session = undefined;
          await send({ type: 'unsupported', reason: made });
        } else {
          session = made;
          await send({ type: 'ready' });
        }
        return;
      }
      case 'run': {
        const first = currentCpu();
        const result = await session!.run();
        await send({ type: 'result', result: { ...result, cpus: [first, currentCpu()] } });
        return;
      }
      case 'evaluate':
        await send({ type: 'evaluation', extra: (await session?.evaluate?.()) ?? {} });
        return;
      case 'teardown':
        await session?.dispose();
        session = undefined;
        await send({ type: 'ready' });
        return;
      case 'exit':
        await session?.dispose();
        process.exit(0);
    }
  } catch (error) {
    await send({ type: 'error', message: (error as Error).stack ?? String(error) });
  }
});
await send({ type: 'ready' });
