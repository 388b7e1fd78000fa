// The entry `simdnet/worker` for browsers and bundlers: runs `train` off the main thread in a module Web Worker,
// with progress events and cancellation, and brings the weights back as a `toJSON()` model. In Node, the package's
// "node" condition gives src/node/worker.ts instead (worker_threads), so a browser build never meets `node:*`.
//
// This module is only the messenger: it never loads the network code itself. The worker runs worker-runner.js
// (built from src/worker/runner-web.ts and shipped next to this file), which owns a Network and talks the protocol
// in protocol.ts.

import { SimdnetError } from '../core/errors.js';
import { checkRequest, resolveWorkerUrl, runSession, type Channel, type TrainInWorkerOptions, type WorkerTrainRequest,
  type WorkerTrainResult } from './session.js';
import { requireWebWorkers, webChannel } from './web.js';

export type { TrainInWorkerOptions, WorkerProgress, WorkerTrainOptions, WorkerTrainRequest, WorkerTrainResult }
  from './session.js';

/**
 * Trains a network in a Web Worker and resolves with the trained model and the history. The main thread only moves
 * messages, so pages keep drawing. Errors from training (bad spec or data, DIVERGED) reject with the same
 * SimdnetError codes `train` throws; a runner that cannot be loaded rejects with WORKER_FAILED naming its URL.
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
  const trainOptions = checkRequest(request);
  const given = resolveWorkerUrl(options.workerUrl);
  requireWebWorkers();
  let channel: Channel;
  if (given) {
    channel = webChannel(new Worker(given, { type: 'module' }), given.href);
  } else {
    // An IIFE bundle (esbuild's default format) leaves import.meta empty.
    if (!import.meta.url) {
      throw new SimdnetError('INVALID_OPTIONS', 'workerUrl: needed in a script without import.meta.url ' +
        '(an IIFE bundle); serve simdnet/worker-runner and give its URL');
    }
    // This one expression written out in full, so that Vite and webpack find the runner, emit it and rewrite the URL.
    const worker = new Worker(new URL('./worker-runner.js', import.meta.url), { type: 'module' });
    channel = webChannel(worker, import.meta.url.replace(/[^/]*$/, 'worker-runner.js'));
  }
  return runSession(channel, request, trainOptions, options);
}
