// What `trainInWorker` does on the main thread, whatever kind of worker runs the job: checks the request, sends it
// when the runner says "ready", relays progress and epochs, and settles with the model or the runner's error. The
// entries give it their worker as a Channel: index.ts a Web Worker (browsers, bundlers), src/node/worker.ts a
// worker_threads Worker; each names the runner with its own `new URL('./worker-runner.js', import.meta.url)`, so
// that bundlers see the pattern in the entry they bundle.

import type { TrainingData } from '../core/data.js';
import { SimdnetError, type ErrorCode } from '../core/errors.js';
import type { NetworkJSON } from '../io/model-file.js';
import type { NetworkSpec } from '../core/spec.js';
import type { EpochLogs, TrainHistory, TrainOptions } from '../core/train.js';
import type { RunnerMessage, WorkerProgress, WorkerTrainOptions } from './protocol.js';

export type { WorkerProgress, WorkerTrainOptions } from './protocol.js';

export interface WorkerTrainRequest {
  /** What to train: a spec (a fresh network, seeded as `Network.create` seeds it) or a saved model to go on with. */
  network: NetworkSpec | NetworkJSON;
  /** `{ inputs, targets }` or brain.js' samples `[{ input, output }, …]`, as `train` takes them. */
  data: TrainingData;
  /** `train`'s options except the callbacks and the signal, which are given to `trainInWorker` itself. */
  options?: WorkerTrainOptions;
}

export interface TrainInWorkerOptions {
  /** Aborting stops training after the current batch; the promise then resolves with `stopReason: 'aborted'`. */
  signal?: AbortSignal;
  /**
   * Called at most every `progressEveryMs` (batches and epoch ends alike), and once more at the end with the run's
   * final state, so a fast run of many epochs makes a handful of calls, not one per epoch.
   */
  onProgress?(progress: WorkerProgress): void;
  onEpochEnd?(epoch: number, logs: EpochLogs): void;
  /** Default 100. */
  progressEveryMs?: number;
  /**
   * Where worker-runner.js is served (`simdnet/worker-runner` in the package). Default: next to this module, which
   * bundlers that understand `new Worker(new URL(…, import.meta.url))` (Vite, webpack 5) emit for you. Needed where
   * this module has no URL of its own: the `<script>` build, or an esbuild bundle in IIFE format.
   */
  workerUrl?: string | URL;
}

export interface WorkerTrainResult {
  /** The trained network as `toJSON()` gives it: `Network.fromJSON(result.model)` rebuilds it. */
  model: NetworkJSON;
  history: TrainHistory;
}

/** The two kinds of worker seen through one shape. */
export interface Channel {
  post(message: unknown): void;
  onMessage(handler: (message: RunnerMessage) => void): void;
  onFailure(handler: (error: Error) => void): void;
  terminate(): void;
}

/** The error for a runner that could not be loaded or stopped before it answered. */
export function workerFailed(url: string, reason: string): SimdnetError {
  return new SimdnetError('WORKER_FAILED', `the training worker ${url} failed: ${reason}; ` +
    'serve simdnet/worker-runner there, or give its URL as trainInWorker\'s workerUrl option');
}

/**
 * `workerUrl` resolved against the page (browsers) as a URL; undefined when none was given. A bad URL is the
 * caller's, so it is an INVALID_OPTIONS error rather than the URL constructor's TypeError.
 */
export function resolveWorkerUrl(workerUrl: string | URL | undefined): URL | undefined {
  if (workerUrl === undefined) return undefined;
  try {
    return new URL(workerUrl, typeof location === 'object' ? location.href : undefined);
  } catch {
    throw new SimdnetError('INVALID_OPTIONS', `workerUrl: not a URL (got ${JSON.stringify(String(workerUrl))})`);
  }
}

function isModel(network: NetworkSpec | NetworkJSON): network is NetworkJSON {
  return (network as { format?: unknown }).format === 'simdnet';
}

/** Checks what `trainInWorker` was given, before any worker starts. */
export function checkRequest(request: WorkerTrainRequest): TrainOptions {
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
  return trainOptions;
}

/** Runs one job on `channel` (a runner just started) and settles when it is done, failed or cancelled. */
export function runSession(channel: Channel, request: WorkerTrainRequest, trainOptions: TrainOptions,
  options: TrainInWorkerOptions): Promise<WorkerTrainResult> {
  const { signal, onProgress, onEpochEnd } = options;
  const progressEveryMs = options.progressEveryMs ?? 100;
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
