// The entry `simdnet/worker` in Node (the package's "node" condition): trainInWorker as in src/worker/index.ts, in a
// worker_threads Worker running dist/node/worker-runner.js (built from worker-runner.ts beside this file).

import { Worker } from 'node:worker_threads';
import { SimdnetError } from '../core/errors.js';
import { checkRequest, resolveWorkerUrl, runSession, workerFailed, type Channel, type TrainInWorkerOptions,
  type WorkerTrainRequest, type WorkerTrainResult } from '../worker/session.js';

export type { TrainInWorkerOptions, WorkerProgress, WorkerTrainOptions, WorkerTrainRequest, WorkerTrainResult }
  from '../worker/session.js';

function nodeChannel(worker: Worker, href: string): Channel {
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (handler) => worker.on('message', handler),
    onFailure: (handler) => {
      // Training's own errors come as messages; an 'error' event is the runner failing to load or crashing.
      worker.on('error', (error: Error) => handler(error instanceof SimdnetError ? error : workerFailed(href, error.message)));
      worker.on('exit', (code: number) => handler(workerFailed(href, `it exited (code ${code}) before it finished`)));
    },
    terminate: () => void worker.terminate(),
  };
}

/** Trains a network in a worker thread: see the browser entry (src/worker/index.ts) for what it does and returns. */
export async function trainInWorker(request: WorkerTrainRequest,
  options: TrainInWorkerOptions = {}): Promise<WorkerTrainResult> {
  const trainOptions = checkRequest(request);
  const url = resolveWorkerUrl(options.workerUrl) ?? new URL('./worker-runner.js', import.meta.url);
  return runSession(nodeChannel(new Worker(url), url.href), request, trainOptions, options);
}
