// worker-runner.js for a worker_threads Worker (`simdnet/worker-runner` in Node): the runner on parentPort.

import { parentPort } from 'node:worker_threads';
import { SimdnetError } from '../core/errors.js';
import { serve } from '../worker/runner.js';

if (!parentPort) {
  throw new SimdnetError('UNSUPPORTED_RUNTIME', 'worker-runner.js runs in a worker thread started by trainInWorker');
}
const port = parentPort;
serve({ post: (m) => port.postMessage(m), listen: (h) => port.on('message', h) });
