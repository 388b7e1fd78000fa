// Two or more engines of one shape on the same staged data, timed in alternating rounds of training steps, medians
// per step: how the *.bench.ts files compare two paths through the engine in one process.
import { WasmBackend } from '../../src/backends/wasm/backend.js';
import { Engine } from '../../src/core/engine.js';
import type { Backend } from '../../src/core/kernels.js';
import { NumpyRandom } from '../../src/core/random.js';
import type { ResolvedSpec } from '../../src/core/spec.js';
import type { StepResult } from '../../src/core/engine.js';
import { median } from './stats.js';

const SAMPLES = 2048;

/**
 * A Wasm engine for `spec` (on `backend`, else a default single-thread one), initialised from seed 1, with SAMPLES
 * random rows and one-hot targets staged.
 */
export async function stagedEngine(spec: ResolvedSpec, batch: number, backend?: Backend): Promise<Engine> {
  const engine = new Engine(spec, backend ?? await WasmBackend.create({}));
  engine.initialize(new NumpyRandom(1));
  const rng = new NumpyRandom(2);
  const outputs = engine.outputSize;
  const targets = new Float64Array(SAMPLES * outputs);
  for (let r = 0; r < SAMPLES; r++) targets[r * outputs + rng.nextInt(outputs - 1)] = 1;
  engine.stage({ rows: SAMPLES, cols: spec.inputSize, values: rng.random(SAMPLES * spec.inputSize) },
    { rows: SAMPLES, cols: outputs, values: targets }, batch, 0);
  engine.setOrder(Int32Array.from({ length: SAMPLES }, (_, i) => i));
  return engine;
}

/**
 * µs per training step of each engine (median over the measured rounds): `rounds` rounds in which every engine in
 * turn takes the same number of steps over the staged rows, the first `warm` rounds not counted.
 */
export function stepTimes(engines: Engine[], batch: number, label: string, rounds: number, warm: number,
  step: (engine: Engine, start: number) => StepResult = (engine, start) => engine.trainStep(start, batch)): number[] {
  const steps = Math.max(10, Math.floor(640 / batch));
  const times: number[][] = engines.map(() => []);
  for (let round = 0; round < rounds; round++) {
    engines.forEach((engine, e) => {
      const started = performance.now();
      for (let s = 0; s < steps; s++) {
        if (!step(engine, (s * batch) % (SAMPLES - batch)).ok) throw new Error(`${label} diverged`);
      }
      if (round >= warm) times[e].push(((performance.now() - started) / steps) * 1000);
    });
  }
  return times.map(median);
}
