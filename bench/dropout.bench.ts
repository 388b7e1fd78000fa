// Dropout's cost per training step on the Wasm backend: the same network with rate 0.5 on every hidden layer against
// none, two engines on the same data in one process, timed in alternating rounds, medians per step. The difference
// is each hidden layer's mask draw (MT19937 in Wasm, two words per element) and two applyMask passes. Measured once on
// 2 cores busy with other work (adam): 1.04–1.07× per step for W2 at batches 32/128, 1.19× for W4 at batch 1, and
// 4.1× for W3's tiny 2-8-8-1 network (4.8 → 19.8 µs), where each draw's copy of the generator's 624-word state into
// Wasm and back outweighs the arithmetic.
//   node bench/run.mjs dropout
import { WasmBackend } from '../src/backends/wasm/backend.js';
import { Engine } from '../src/core/engine.js';
import { NumpyRandom } from '../src/core/random.js';
import { resolveSpec } from '../src/core/spec.js';
import { W2, W3, W4 } from './workloads.js';

const SAMPLES = 2048;
const ROUNDS = 41;
const WARM_ROUNDS = 5;

const cases = [
  ...W2.batchSizes.map((batch) => ({ label: `W2 ${W2.sizes.join('-')}, batch ${batch}`, sizes: W2.sizes, batch })),
  { label: `W3 ${W3.sizes.join('-')}, batch ${W3.batchSize}`, sizes: W3.sizes, batch: W3.batchSize },
  { label: `W4 ${W4.sizes.join('-')}, batch 1`, sizes: W4.sizes, batch: 1 },
];

async function engineFor(sizes: readonly number[], batch: number, dropout: number): Promise<Engine> {
  const spec = resolveSpec({
    inputSize: sizes[0], loss: 'categoricalCrossEntropy', seed: 1, optimizer: { type: 'adam', learningRate: 0.001 },
    layers: sizes.slice(1).map((units, i) => (i === sizes.length - 2 ? { units, activation: 'softmax' as const }
      : { units, activation: 'relu' as const, dropout })),
  });
  const engine = new Engine(spec, await WasmBackend.create({}));
  engine.initialize(new NumpyRandom(1));
  const rng = new NumpyRandom(2);
  const outputs = engine.outputSize;
  const targets = new Float64Array(SAMPLES * outputs);
  for (let r = 0; r < SAMPLES; r++) targets[r * outputs + rng.nextInt(outputs - 1)] = 1;
  engine.stage({ rows: SAMPLES, cols: sizes[0], values: rng.random(SAMPLES * sizes[0]) },
    { rows: SAMPLES, cols: outputs, values: targets }, batch, 0);
  engine.setOrder(Int32Array.from({ length: SAMPLES }, (_, i) => i));
  return engine;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];

console.log('| workload | no dropout µs/step | dropout 0.5 µs/step | dropout ÷ none |');
console.log('|---|---:|---:|---:|');
for (const c of cases) {
  const engines = [await engineFor(c.sizes, c.batch, 0), await engineFor(c.sizes, c.batch, 0.5)];
  const masks = new NumpyRandom(3);
  const steps = Math.max(10, Math.floor(640 / c.batch));
  const times: number[][] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    engines.forEach((engine, e) => {
      const started = performance.now();
      for (let s = 0; s < steps; s++) {
        if (!engine.trainStep((s * c.batch) % (SAMPLES - c.batch), c.batch, masks).ok) throw new Error(`${c.label} diverged`);
      }
      if (round >= WARM_ROUNDS) times[e].push(((performance.now() - started) / steps) * 1000);
    });
  }
  const [none, dropout] = times.map(median);
  console.log(`| ${c.label} | ${none.toFixed(1)} | ${dropout.toFixed(1)} | ${(dropout / none).toFixed(2)}× |`);
}
