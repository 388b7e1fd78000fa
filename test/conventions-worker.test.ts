// trainInWorker takes the data shapes train takes: brain.js' samples [{ input, output }] included, with progress
// counted in samples. The runner is bundled from source and started in a worker_threads Worker.
import { expect, it } from 'vitest';
import { Network, type NetworkSpec } from '../src/index.js';
import { trainInWorker, type WorkerProgress } from '../src/node/worker.js';
import { XOR } from './helpers.js';
import { useNodeRunner } from './node-runner.js';

const SPEC: NetworkSpec = {
  inputSize: 2,
  layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  optimizer: { type: 'sgd', learningRate: 0.5 },
  seed: 42,
  backend: 'js',
};

const runnerUrl = useNodeRunner();

it("trains brain.js' samples in a worker as train does here", async () => {
  const samples = XOR.inputs.map((input, i) => ({ input, output: XOR.targets[i] }));
  const progress: WorkerProgress[] = [];
  const { model } = await trainInWorker({ network: SPEC, data: samples, options: { epochs: 30, batchSize: 2 } },
    { workerUrl: runnerUrl(), progressEveryMs: 0, onProgress: (p) => progress.push(p) });
  const here = await Network.create(SPEC);
  here.trainSync(XOR, { epochs: 30, batchSize: 2 });
  expect(model).toEqual(here.toJSON());
  expect(progress.at(-1)).toMatchObject({ epoch: 29, batch: 2, batches: 2, fraction: 1 });
}, 60_000);
