// The shared memory threads work in, and the core module compiled to import it: the same bytes as the single-thread
// module but for the memory import, patched here (withSharedMemory), so no second build is embedded.

import { SimdnetError } from '../../../core/errors.js';
import type { SimdMode } from '../../../core/spec.js';
import { coreBytes, coreModule } from '../module.js';
import { withSharedMemory } from './patch.js';

/** The largest shared memory asked for (4 GiB), and the fallback where a runtime refuses it (1 GiB). */
const MAXIMUM_PAGES = [65536, 16384];

/** Creates the shared memory threads need: the maximum must be fixed up front. */
export function sharedMemory(): { memory: WebAssembly.Memory; maximumPages: number } {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') {
    throw new SimdnetError('UNSUPPORTED_RUNTIME', 'threads: needs SharedArrayBuffer, which this runtime lacks ' +
      '(browsers provide it to cross-origin isolated pages only: serve them with COOP: same-origin and COEP: ' +
      'require-corp); use threads: 1');
  }
  for (const maximum of MAXIMUM_PAGES) {
    try {
      return { memory: new WebAssembly.Memory({ initial: 1, maximum, shared: true }), maximumPages: maximum };
    } catch {
      // try the smaller maximum
    }
  }
  throw new SimdnetError('UNSUPPORTED_RUNTIME', 'threads: this runtime cannot create a shared WebAssembly.Memory; ' +
    'use threads: 1');
}

const compiledShared: Record<string, Promise<WebAssembly.Module>> = {};

/** The core module of the given build with its memory import declared shared, compiled on first use per build and maximum size. */
export function sharedCoreModule(simd: SimdMode, maximumPages: number): Promise<WebAssembly.Module> {
  const key = `${simd} ${maximumPages}`;
  compiledShared[key] ??= coreModule(simd).then(() => coreBytes(simd))
    .then((bytes) => WebAssembly.compile(withSharedMemory(bytes, maximumPages)));
  return compiledShared[key];
}
