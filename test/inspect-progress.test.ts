// trainInWorker's onProgress keeps to progressEveryMs: a fast run of thousands of epochs reports a handful of times
// (it used to report every epoch), and the last report is always the run's final state. The runner is bundled from
// source and started in a worker_threads Worker, as the "node" condition of simdnet/worker starts it.
import { describe, expect, it } from 'vitest';
import { trainInWorker, type WorkerProgress } from '../src/node/worker.js';
import type { NetworkSpec } from '../src/index.js';
import { XOR } from './helpers.js';
import { useNodeRunner } from './node-runner.js';

const SPEC: NetworkSpec = {
  inputSize: 2,
  layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  optimizer: { type: 'sgd', learningRate: 0.5 },
  seed: 42,
  backend: 'js',
};
const DATA = { inputs: Float64Array.from(XOR.inputs.flat()), targets: Float64Array.from(XOR.targets.flat()) };

const runnerUrl = useNodeRunner();

/** Trains in the worker and returns what onProgress and onEpochEnd saw. */
async function run(epochs: number, progressEveryMs: number, extra: { errorThreshold?: number } = {}) {
  const progress: WorkerProgress[] = [];
  let epochEnds = 0;
  const { history } = await trainInWorker({ network: SPEC, data: DATA, options: { epochs, ...extra } },
    { workerUrl: runnerUrl(), progressEveryMs, onProgress: (p) => progress.push(p), onEpochEnd: () => void epochEnds++ });
  return { progress, epochEnds, history };
}

describe("trainInWorker's onProgress", () => {
  it('is throttled by progressEveryMs, and ends with the final state', async () => {
    const { progress, epochEnds, history } = await run(5000, 100);
    expect(epochEnds).toBe(5000);
    // One report at the start, one per 100 ms of training, and the final one: far fewer than 5000.
    const elapsed = history.epochs.reduce((sum, logs) => sum + logs.elapsedMs, 0);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 3);
    expect(progress.length).toBeLessThan(100);
    expect(progress.at(-1)).toMatchObject({ epoch: 4999, epochs: 5000, batch: 1, batches: 1, fraction: 1 });
    for (let i = 1; i < progress.length - 1; i++) {
      expect(progress[i].elapsedMs - progress[i - 1].elapsedMs).toBeGreaterThanOrEqual(99);
    }
  }, 60_000);

  it('reports every epoch when progressEveryMs is 0', async () => {
    const { progress } = await run(50, 0);
    expect(progress.map((p) => p.epoch)).toEqual(Array.from({ length: 50 }, (_, i) => [i, i]).flat());
  }, 60_000);

  it('ends with the last epoch that ran when the run stops early', async () => {
    const { progress, history } = await run(100_000, 1000, { errorThreshold: 0.05 });
    expect(history.stopReason).toBe('errorThreshold');
    const last = history.epochs.at(-1)!;
    expect(progress.at(-1)).toMatchObject({ epoch: last.epoch, loss: last.loss });
  }, 60_000);
});
