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
import type { Answer, Command } from './harness/protocol.js';
import { productFlops } from './workloads.js';

/** The register-only multiply-add loop of assembly/bench/peak.ts, built by bench/run.mjs next to this bundle. */
const peak = (variant: 'plain' | 'relaxed'): Contender => async (workload, params) => {
  if (workload !== 'W5-peak' && workload !== 'W5') return 'peak measures W5 only';
  const file = new URL(variant === 'relaxed' ? './bench-peak-relaxed.wasm' : './bench-peak.wasm', import.meta.url);
  let instance: WebAssembly.Instance;
  try {
    ({ instance } = await WebAssembly.instantiate(readFileSync(file)));
  } catch (error) {
    return `this runtime cannot compile it (${(error as Error).message.split('\n')[0]})`;
  }
  const loops = ['peakRegisters', 'peakL1'].map((name) => instance.exports[name] as (n: number, seed: number) => number);
  // A unit is `units` FLOPs (W5-peak) or, in a W5 product's table, as many FLOPs as `units` calls of that product.
  const flopsPerUnit = workload === 'W5'
    ? productFlops({ rows: num(params, 'rows'), inner: num(params, 'inner'), cols: num(params, 'cols') }) : 1;
  const iterations = Math.max(1, Math.round((num(params, 'units') * flopsPerUnit) / PEAK_FLOPS));
  return {
    // Both loops, each timed; the unit reports the faster one and keeps both for the table.
    run: () => {
      const [registers, l1] = loops.map((loop) => timeCalls(1, () => loop(iterations, 1)).ms);
      const gflops = (ms: number) => (iterations * PEAK_FLOPS) / ms / 1e6;
      return {
        ms: Math.min(registers, l1), count: (iterations * PEAK_FLOPS) / flopsPerUnit,
        extra: { 'registers GFLOP/s': gflops(registers), 'L1 GFLOP/s': gflops(l1) },
      };
    },
    dispose: () => undefined,
  };
};

/** FLOPs per iteration of peak() (assembly/bench/peak.ts). */
const PEAK_FLOPS = 64;

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

const send = (answer: Answer): void => {
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
          send({ type: 'unsupported', reason: made });
        } else {
          session = made;
          send({ type: 'ready' });
        }
        return;
      }
      case 'run':
        send({ type: 'result', result: await session!.run() });
        return;
      case 'evaluate':
        send({ type: 'evaluation', extra: (await session?.evaluate?.()) ?? {} });
        return;
      case 'teardown':
        await session?.dispose();
        session = undefined;
        send({ type: 'ready' });
        return;
      case 'exit':
        await session?.dispose();
        process.exit(0);
    }
  } catch (error) {
    send({ type: 'error', message: (error as Error).stack ?? String(error) });
  }
});
send({ type: 'ready' });
