// Plain SGD's fused update (sgdDense: each layer's step straight from a_prevᵀ·δ) against the engine's general path
// (the gradient phase, then one sgd pass over the parameters), in one process on the Wasm backend: two engines on
// the same data, timed in alternating rounds of training steps, medians per step.
//   node bench/run.mjs fused-update
import type { Engine } from '../src/core/engine.js';
import type { ActivationName, LossName } from '../src/core/constants.js';
import { resolveSpec } from '../src/core/spec.js';
import { stagedEngine, stepTimes } from './harness/engine-steps.js';
import { W1, W2, W3, W4 } from './workloads.js';

const ROUNDS = 81;
const WARM_ROUNDS = 5;

interface Case {
  label: string;
  sizes: readonly number[];
  batch: number;
  hidden: ActivationName;
  output: ActivationName;
  loss: LossName;
  learningRate: number;
}

const cases: Case[] = [
  { label: 'W1, batch 10', sizes: W1.sizes, batch: W1.batchSize, hidden: 'sigmoid', output: 'sigmoid', loss: 'quadratic',
    learningRate: W1.learningRate },
  ...W2.batchSizes.map((batch) => ({ label: `W2, batch ${batch}`, sizes: W2.sizes, batch, hidden: 'relu' as const,
    output: 'softmax' as const, loss: 'categoricalCrossEntropy' as const, learningRate: W2.learningRate })),
  { label: 'W3, batch 10', sizes: W3.sizes, batch: W3.batchSize, hidden: 'tanh', output: 'tanh', loss: 'mse',
    learningRate: W3.learningRate },
  { label: 'W4, batch 1', sizes: W4.sizes, batch: 1, hidden: 'sigmoid', output: 'sigmoid', loss: 'quadratic',
    learningRate: W4.learningRate },
];

async function engineFor(c: Case, fused: boolean): Promise<Engine> {
  const spec = resolveSpec({
    inputSize: c.sizes[0], loss: c.loss, seed: 1, optimizer: { type: 'sgd', learningRate: c.learningRate },
    layers: c.sizes.slice(1).map((units, i) => ({ units, activation: i === c.sizes.length - 2 ? c.output : c.hidden })),
  });
  const engine = await stagedEngine(spec, c.batch);
  // The switch the constructor sets from the optimiser; turned off, the same engine takes the general path.
  (engine as unknown as { fused: boolean }).fused = fused;
  return engine;
}

console.log('| workload | fused µs/step | gradient + sgd µs/step | general ÷ fused |');
console.log('|---|---:|---:|---:|');
for (const c of cases) {
  const engines = [await engineFor(c, true), await engineFor(c, false)];
  const [fused, general] = stepTimes(engines, c.batch, c.label, ROUNDS, WARM_ROUNDS);
  console.log(`| ${c.label} | ${fused.toFixed(1)} | ${general.toFixed(1)} | ${(general / fused).toFixed(2)}× |`);
}
