// The entry `simdnet/worker`: runs `train` off the main thread — in a Web Worker in browsers, in worker_threads in
// Node — with progress events and cancellation, and brings the weights back as a `toJSON()` model.
//
// This module is only the messenger: it never loads the network code itself. The worker runs worker-runner.js
// (built from src/worker/runner.ts and shipped next to this file), which owns a Network and talks the protocol in
// protocol.ts.

import type { Dataset } from '../core/data.js';
import { SimdnetError, type ErrorCode } from '../core/errors.js';
import type { NetworkJSON } from '../io/model-file.js';
import type { NetworkSpec } from '../core/spec.js';
import type { EpochLogs, TrainHistory, TrainOptions } from '../core/train.js';
import type { RunnerMessage, WorkerProgress, WorkerTrainOptions } from './protocol.js';

export type { WorkerProgress, WorkerTrainOptions } from './protocol.js';

export interface WorkerTrainRequest {
  /** What to train: a spec (a fresh network, seeded as `Network.create` seeds it) or a saved model to go on with. */
  network: NetworkSpec | NetworkJSON;
  data: Dataset;
  /** `train`'s options except the callbacks and the signal, which are given to `trainInWorker` itself. */
  options?: WorkerTrainOptions;
}

export interface TrainInWorkerOptions {
  /** Aborting stops training after the current batch; the promise then resolves with `stopReason: 'aborted'`. */
  signal?: AbortSignal;
  /** Called at most every `progressEveryMs` while batches run, and once at each epoch's end. */
  onProgress?(progress: WorkerProgress): void;
  onEpochEnd?(epoch: number, logs: EpochLogs): void;
  /** Default 100. */
  progressEveryMs?: number;
  /** Where worker-runner.js is. Default: next to this module (`new URL('./worker-runner.js', import.meta.url)`). */
  workerUrl?: string | URL;
}

export interface WorkerTrainResult {
  /** The trained network as `toJSON()` gives it: `Network.fromJSON(result.model)` rebuilds it. */
  model: NetworkJSON;
  history: TrainHistory;
}

/** The two kinds of worker seen through one shape. */
interface Channel {
  post(message: unknown): void;
  onMessage(handler: (message: RunnerMessage) => void): void;
  onFailure(handler: (error: Error) => void): void;
  terminate(): void;
}

const isNode = (): boolean =>
  typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';

async function openChannel(url: URL): Promise<Channel> {
  if (typeof Worker === 'function' && !isNode()) {
    const worker = new Worker(url, { type: 'module', name: 'simdnet-training' });
    return {
      post: (message) => worker.postMessage(message),
      onMessage: (handler) => worker.addEventListener('message', (event) => handler(event.data as RunnerMessage)),
      onFailure: (handler) => {
        worker.addEventListener('error', (event) => {
          event.preventDefault();
          handler(new Error(`the training worker failed to run ${url.href}: ${event.message || 'load error'}`));
        });
        worker.addEventListener('messageerror', () => handler(new Error('a message from the training worker could not be read')));
      },
      terminate: () => worker.terminate(),
    };
  }
  if (isNode()) {
    const { Worker: NodeWorker } = await import('node:worker_threads');
    const worker = new NodeWorker(url);
    return {
      post: (message) => worker.postMessage(message),
      onMessage: (handler) => worker.on('message', handler),
      onFailure: (handler) => {
        worker.on('error', handler);
        worker.on('exit', (code: number) => handler(new Error(`the training worker exited (code ${code}) before it finished`)));
      },
      terminate: () => void worker.terminate(),
    };
  }
  throw new SimdnetError('UNSUPPORTED_RUNTIME', 'trainInWorker needs Web Workers (browsers) or worker_threads (Node)');
}

function isModel(network: NetworkSpec | NetworkJSON): network is NetworkJSON {
  return (network as { format?: unknown }).format === 'simdnet';
}

/**
 * Trains a network in a worker and resolves with the trained model and the history. The main thread only moves
 * messages, so pages keep drawing and servers keep serving. Errors from training (bad spec or data, DIVERGED)
 * reject with the same SimdnetError codes `train` throws.
 *
 * ```ts
 * const { model, history } = await trainInWorker(
 *   { network: spec, data, options: { epochs: 10, batchSize: 32 } },
 *   { onProgress: (p) => bar.value = p.fraction, signal: controller.signal });
 * const net = await Network.fromJSON(model);
 * ```
 */
export async function trainInWorker(request: WorkerTrainRequest,
  options: TrainInWorkerOptions = {}): Promise<WorkerTrainResult> {
  const { signal, onProgress, onEpochEnd } = options;
  const progressEveryMs = options.progressEveryMs ?? 100;
  if (typeof request !== 'object' || request === null || typeof request.network !== 'object' || !request.data) {
    throw new SimdnetError('INVALID_OPTIONS', 'trainInWorker: expected { network: spec or model, data, options? }');
  }
  const trainOptions: TrainOptions = request.options ?? {};
  for (const key of ['callbacks', 'signal'] as const) {
    if (key in trainOptions) {
      throw new SimdnetError('INVALID_OPTIONS', `options.${key}: not sent to a worker; give ${key === 'signal'
        ? 'signal' : 'onProgress / onEpochEnd'} to trainInWorker's second argument instead`);
    }
  }
  const url = new URL(options.workerUrl ?? new URL('./worker-runner.js', import.meta.url),
    typeof location === 'object' ? location.href : undefined);
  const channel = await openChannel(url);

  return new Promise<WorkerTrainResult>((resolve, reject) => {
    let settled = false;
    let started = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', cancel);
      channel.terminate();
      action();
    };
    function cancel(): void {
      if (started) channel.post({ type: 'cancel' });
    }
    signal?.addEventListener('abort', cancel);

    channel.onFailure((error) => finish(() => reject(error)));
    channel.onMessage((message) => {
      switch (message.type) {
        case 'ready':
          channel.post({
            type: 'train',
            network: request.network,
            isModel: isModel(request.network),
            data: request.data,
            options: trainOptions,
            progressEveryMs,
          });
          started = true;
          if (signal?.aborted) cancel();
          break;
        case 'progress':
          onProgress?.(message.progress);
          break;
        case 'epoch':
          onEpochEnd?.(message.epoch, message.logs);
          break;
        case 'done':
          finish(() => resolve({ model: message.model, history: message.history }));
          break;
        case 'error':
          finish(() => reject(message.code
            ? new SimdnetError(message.code as ErrorCode, message.message)
            : new Error(message.message)));
          break;
      }
    });
  });
}
