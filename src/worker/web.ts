// A module Web Worker seen as a Channel: shared by the bundlers' entry (index.ts) and the <script> build (script.ts).

import { SimdnetError } from '../core/errors.js';
import type { RunnerMessage } from './protocol.js';
import { workerFailed, type Channel } from './session.js';

/** Throws UNSUPPORTED_RUNTIME where there are no Web Workers (Node gets its own entry through "exports"). */
export function requireWebWorkers(): void {
  if (typeof Worker !== 'function') {
    throw new SimdnetError('UNSUPPORTED_RUNTIME', 'trainInWorker needs Web Workers here; in Node, import ' +
      'simdnet/worker through the package (its "node" condition uses worker_threads)');
  }
}

/** `worker` as a Channel; `href` names it in errors. */
export function webChannel(worker: Worker, href: string): Channel {
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (handler) => worker.addEventListener('message', (event) => handler(event.data as RunnerMessage)),
    onFailure: (handler) => {
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        // A script that is missing or served with a wrong type gives an event without a message.
        handler(workerFailed(href, event.message || 'it could not be loaded (missing, or not served as JavaScript)'));
      });
      worker.addEventListener('messageerror', () => handler(workerFailed(href, 'a message from it could not be read')));
    },
    terminate: () => worker.terminate(),
  };
}
