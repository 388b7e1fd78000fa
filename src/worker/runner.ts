// What runs inside the worker that `trainInWorker` starts: it says "ready", takes one training job, reports
// progress, honours "cancel", and answers with the trained model. The worker's entry (runner-web.ts in a module Web
// Worker, src/node/worker-runner.ts in a worker_threads Worker) gives it the port to its parent.

import type { Dataset, TrainingData } from '../core/data.js';
import { SimdnetError } from '../core/errors.js';
import { Network } from '../network.js';
import type { NetworkJSON } from '../io/model-file.js';
import type { NetworkSpec } from '../core/spec.js';
import type { MainMessage, RunnerMessage, WorkerProgress } from './protocol.js';

export interface Port {
  post(message: RunnerMessage): void;
  listen(handler: (message: MainMessage) => void): void;
}

/** Samples in a data set, as `train` will read them. */
function countRows(data: TrainingData, inputSize: number): number {
  if (Array.isArray(data)) return data.length;
  const inputs: unknown = (data as Dataset).inputs;
  if (Array.isArray(inputs) && (inputs.length === 0 || typeof inputs[0] !== 'number')) return inputs.length;
  return Math.floor((inputs as ArrayLike<number>).length / inputSize);
}

async function run(port: Port, job: Extract<MainMessage, { type: 'train' }>, abort: AbortController): Promise<void> {
  const net = job.isModel
    ? await Network.fromJSON(job.network as NetworkJSON)
    : await Network.create(job.network as NetworkSpec);
  try {
    const epochs = job.options.epochs ?? 1;
    const samples = countRows(job.data, net.inputSize);
    const batchSize = Math.min(job.options.batchSize ?? samples, samples) || 1;
    const batches = Math.max(1, Math.ceil(samples / batchSize));
    const started = performance.now();
    let lastReport = -Infinity;
    // The latest epoch's progress when it came too soon after the last report: sent at the end, so that the
    // final state always arrives.
    let pending: WorkerProgress | undefined;
    const report = (progress: WorkerProgress) => {
      port.post({ type: 'progress', progress });
      lastReport = performance.now();
      pending = undefined;
    };
    const history = await net.train(job.data, {
      ...job.options,
      signal: abort.signal,
      callbacks: {
        onBatchEnd(batch, logs) {
          const now = performance.now();
          if (now - lastReport < job.progressEveryMs) return;
          const epoch = Math.floor(batch / batches);
          const done = batch - epoch * batches + 1;
          report({
            epoch, epochs, batch: done, batches, fraction: (epoch * batches + done) / (epochs * batches),
            loss: logs.loss, elapsedMs: now - started,
          });
        },
        onEpochEnd(epoch, logs) {
          const now = performance.now();
          const progress = {
            epoch, epochs, batch: batches, batches, fraction: (epoch + 1) / epochs, loss: logs.loss,
            elapsedMs: now - started,
          };
          if (now - lastReport >= job.progressEveryMs) report(progress);
          else pending = progress;
          port.post({ type: 'epoch', epoch, logs });
        },
      },
    });
    if (pending) report(pending);
    port.post({ type: 'done', model: net.toJSON(), history });
  } finally {
    net.dispose();
  }
}

/** Answers the one job this worker is started for. */
export function serve(port: Port): void {
  const abort = new AbortController();
  let busy = false;
  port.listen((message) => {
    if (message.type === 'cancel') {
      abort.abort();
    } else if (message.type === 'train' && !busy) {
      busy = true;
      run(port, message, abort).catch((error: unknown) => {
        port.post(error instanceof SimdnetError
          ? { type: 'error', code: error.code, message: error.message }
          : { type: 'error', message: error instanceof Error ? error.message : String(error) });
      });
    }
  });
  port.post({ type: 'ready' });
}
