// `simdnet/worker` from the built bundle, in Node (the "node" condition's dist/node/worker.js): trainInWorker trains in
// a worker_threads Worker with progress events, answers with a toJSON() model, stops on abort, and rejects with the
// SimdnetError training raises. The browser entry (dist/worker.js) says in Node that it needs Web Workers.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as Simdnet from '../src/index.js';
import type * as Worker from '../src/worker/index.js';
import { buildInto } from './browser-harness.js';
import { XOR } from './helpers.js';

/** XOR as flat float32 arrays, the form that crosses postMessage without copying row by row. */
const XOR_FLAT = { inputs: Float32Array.from(XOR.inputs.flat()), targets: Float32Array.from(XOR.targets.flat()) };
const SPEC: Simdnet.NetworkSpec = {
  inputSize: 2,
  layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  optimizer: { type: 'sgd', learningRate: 0.5 },
  seed: 42,
};

let simdnet: typeof Simdnet;
let worker: typeof Worker;
let browserWorker: typeof Worker;

beforeAll(async () => {
  const { outdir } = await buildInto('worker', ['esm']);
  simdnet = await import(/* @vite-ignore */ pathToFileURL(join(outdir, 'index.js')).href);
  worker = await import(/* @vite-ignore */ pathToFileURL(join(outdir, 'node/worker.js')).href);
  browserWorker = await import(/* @vite-ignore */ pathToFileURL(join(outdir, 'worker.js')).href);
}, 120_000);

describe('trainInWorker in Node (worker_threads)', () => {
  it('trains in a worker, reports progress, and returns the same model as training here', async () => {
    const progress: Worker.WorkerProgress[] = [];
    const epochs: number[] = [];
    const { model, history } = await worker.trainInWorker(
      { network: SPEC, data: XOR_FLAT, options: { epochs: 300 } },
      { onProgress: (p) => progress.push(p), onEpochEnd: (epoch) => epochs.push(epoch), progressEveryMs: 0 },
    );
    expect(history.stopReason).toBe('epochs');
    expect(history.epochs).toHaveLength(300);
    expect(epochs).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(progress.at(-1)).toMatchObject({ epoch: 299, epochs: 300, batch: 1, batches: 1, fraction: 1 });
    expect(progress.every((p, i) => i === 0 || p.fraction >= progress[i - 1].fraction)).toBe(true);

    const here = await simdnet.Network.create(SPEC);
    here.trainSync(XOR_FLAT, { epochs: 300 });
    const there = await simdnet.Network.fromJSON(model);
    expect(there.getWeights()).toEqual(here.getWeights());
    expect(model).toEqual(here.toJSON());
  });

  it('goes on from a saved model', async () => {
    const start = await simdnet.Network.create(SPEC);
    const options = { epochs: 100, shuffle: false };
    start.trainSync(XOR_FLAT, options);
    const { model } = await worker.trainInWorker({ network: start.toJSON(), data: XOR_FLAT, options });
    const here = await simdnet.Network.create(SPEC);
    here.trainSync(XOR_FLAT, { ...options, epochs: 200 });
    expect((await simdnet.Network.fromJSON(model)).predictBatch(XOR_FLAT.inputs))
      .toEqual(here.predictBatch(XOR_FLAT.inputs));
  });

  it('stops when its signal aborts and still returns the weights trained so far', async () => {
    const controller = new AbortController();
    let reports = 0;
    const { model, history } = await worker.trainInWorker(
      { network: SPEC, data: XOR_FLAT, options: { epochs: 10_000_000 } },
      {
        signal: controller.signal,
        progressEveryMs: 5,
        onProgress: () => {
          if (++reports === 3) controller.abort();
        },
      },
    );
    expect(history.stopReason).toBe('aborted');
    expect(history.epochs.length).toBeGreaterThan(0);
    expect(history.epochs.length).toBeLessThan(10_000_000);
    expect((await simdnet.Network.fromJSON(model)).spec.seed).toBe(42);
  });

  it('rejects with the SimdnetError that training raises', async () => {
    await expect(worker.trainInWorker({ network: { ...SPEC, inputSize: 0 }, data: XOR_FLAT }))
      .rejects.toMatchObject({ name: 'SimdnetError', code: 'INVALID_SPEC' });
    await expect(worker.trainInWorker({ network: SPEC, data: { inputs: XOR_FLAT.inputs, targets: [[0], [1]] } }))
      .rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
    await expect(worker.trainInWorker({ network: SPEC, data: XOR_FLAT, options: { callbacks: {} } as never }))
      .rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  it('says where trainInWorker cannot run or its runner cannot load', async () => {
    await expect(browserWorker.trainInWorker({ network: SPEC, data: XOR_FLAT }))
      .rejects.toMatchObject({ name: 'SimdnetError', code: 'UNSUPPORTED_RUNTIME' });
    const missing = pathToFileURL(join(tmpdir(), 'no-such-folder', 'worker-runner.js'));
    const failure = worker.trainInWorker({ network: SPEC, data: XOR_FLAT }, { workerUrl: missing });
    await expect(failure).rejects.toMatchObject({ name: 'SimdnetError', code: 'WORKER_FAILED' });
    await expect(failure).rejects.toThrow(missing.href);
    await expect(worker.trainInWorker({ network: SPEC, data: XOR_FLAT }, { workerUrl: 'http://[' }))
      .rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});
