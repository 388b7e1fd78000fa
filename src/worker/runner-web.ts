// worker-runner.js for a module Web Worker (`simdnet/worker-runner` outside Node): the runner on the worker's scope.

import type { MainMessage } from './protocol.js';
import { serve } from './runner.js';

const scope = globalThis as unknown as {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', handler: (event: { data: MainMessage }) => void): void;
};
serve({ post: (m) => scope.postMessage(m), listen: (h) => scope.addEventListener('message', (e) => h(e.data)) });
