// What <script src="simdnet.iife.js"> defines as globalThis.simdnet: the package's main entry and trainInWorker
// (which there needs its `workerUrl`).

export * from './index.js';
export { trainInWorker } from './worker/script.js';
