// Dropout's cost per training step on the Wasm backend: the same network with rate 0.5 on every hidden layer against
// none, two engines on the same data in one process, timed in alternating rounds, medians per step. The difference
// is each hidden layer's mask draw (MT19937 in Wasm, two words per element) and two applyMask passes. Measured once on
// 2 cores busy with other work (adam): 1.04–1.07× per step for W2 at batches 32/128, 1.19× for W4 at batch 1, and
// 4.1× for W3's tiny 2-8-8-1 network (4.8 → 19.8 µs), where each draw's copy of the generator's 624-word state into
// Wasm and back outweighs the arithmetic.
//   node bench/run.mjs dropout
import type { Engine } from '../src/core/engine.js';
import { NumpyRandom } from '../src/core/random.js';
import { resolveSpec } from '../src/core/spec.js';
import { stagedEngine, stepTimes } from './harness/engine-steps.js';
import { W2, W3, W4 } from './workloads.js';

const ROUNDS = 41;
const WARM_ROUNDS = 5;

const cases = [
  ...W2.batchSizes.map((batch) => ({ label: `W2 ${W2.sizes.join('-')}, batch ${batch}`, sizes: W2.sizes, batch })),
  { label: `W3 ${W3.sizes.join('-')}, batch ${W3.batchSize}`, sizes: W3.sizes, batch: W3.batchSize },
  { label: `W4 ${W4.sizes.join('-')}, batch 1`, sizes: W4.sizes, batch: 1 },
];

function engineFor(sizes: readonly number[], batch: number, dropout: number): Promise<Engine> {
  return stagedEngine(resolveSpec({
    inputSize: sizes[0], loss: 'categoricalCrossEntropy', seed: 1, optimizer: { type: 'adam', learningRate: 0.001 },
    layers: sizes.slice(1).map((units, i) => (i === sizes.length - 2 ? { units, activation: 'softmax' as const }
      : { units, activation: 'relu' as const, dropout })),
  }), batch);
}

console.log('| workload | no dropout µs/step | dropout 0.5 µs/step | dropout ÷ none |');
console.log('|---|---:|---:|---:|');
for (const c of cases) {
  const engines = [await engineFor(c.sizes, c.batch, 0), await engineFor(c.sizes, c.batch, 0.5)];
  const masks = new NumpyRandom(3);
  const [none, dropout] = stepTimes(engines, c.batch, c.label, ROUNDS, WARM_ROUNDS,
    (engine, start) => engine.trainStep(start, c.batch, masks));
  console.log(`| ${c.label} | ${none.toFixed(1)} | ${dropout.toFixed(1)} | ${(dropout / none).toFixed(2)}× |`);
}
