// trainInWorker in the <script> build (simdnet.iife.js): a classic script has no import.meta.url to find the runner
// by, so the page says where it serves worker-runner.js.

import { SimdnetError } from '../core/errors.js';
import { checkRequest, resolveWorkerUrl, runSession, type TrainInWorkerOptions, type WorkerTrainRequest,
  type WorkerTrainResult } from './session.js';
import { requireWebWorkers, webChannel } from './web.js';

/** `simdnet/worker`'s trainInWorker, with `workerUrl` required. */
export async function trainInWorker(request: WorkerTrainRequest,
  options: TrainInWorkerOptions & { workerUrl: string | URL }): Promise<WorkerTrainResult> {
  const trainOptions = checkRequest(request);
  const url = resolveWorkerUrl(options?.workerUrl);
  if (!url) {
    throw new SimdnetError('INVALID_OPTIONS', 'workerUrl: required in the <script> build; serve ' +
      'dist/worker-runner.js and give its URL, e.g. { workerUrl: "/simdnet/worker-runner.js" }');
  }
  requireWebWorkers();
  return runSession(webChannel(new Worker(url, { type: 'module' }), url.href), request, trainOptions, options);
}
