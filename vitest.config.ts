import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Tests that need more than the library itself and take seconds to minutes each: Chromium, esbuild bundles,
 * `npm pack`, the real MNIST, memory soaks, worker pools, child Node processes, the tutorials' long runs and the
 * README's code. Everything else in test/ is a unit test: `npm run test:unit` runs those alone (the inner loop),
 * `npm test` runs every project: unit, then slow, then alone.
 */
const SLOW = [
  'test/browser-*.test.ts',
  'test/*bundle*.test.ts',
  'test/package*.test.ts',
  'test/cli-atomic-write.test.ts',
  'test/cli-train.test.ts',
  'test/mnist-data.test.ts',
  'test/memory-soak.test.ts',
  'test/relaxed.test.ts',
  'test/classics.test.ts',
  'test/readme.test.ts',
  'test/types.test.ts', // compiles consumer files with tsc
  'test/inspect.test.ts', // bundles with esbuild
  'test/inspect-progress.test.ts', // bundles the worker runner
  'test/conventions-worker.test.ts', // a worker thread
];
/**
 * Slow tests that need the machine to themselves: products split across three threads (they keep every core busy
 * by themselves), and the Playground's frame time (frames drawn in a given time).
 */
const ALONE = ['test/threads.test.ts', 'test/packed-products.test.ts', 'test/browser-frame-time.test.ts'];

// Tests run against the debug Wasm build: its asserts surface as JS errors with file and line.
export default defineConfig({
  resolve: {
    alias: [
      // Examples and README code import the package by name.
      { find: /^simdnet$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^simdnet\/table$/, replacement: fileURLToPath(new URL('./src/io/table/index.ts', import.meta.url)) },
      {
        find: /^\.\/generated\/core-wasm\.js$/,
        replacement: fileURLToPath(new URL('./src/backends/wasm/generated/core-wasm.debug.ts', import.meta.url)),
      },
    ],
  },
  test: {
    testTimeout: 60_000,
    // One seed per run for every random draw (fast-check's and the tests' own), printed so a failure can be replayed.
    globalSetup: ['test/setup/seed.ts'],
    setupFiles: ['test/setup/seed-each-file.ts'],
    projects: [
      // Unit tests are CPU-bound: one worker per core (vitest's default leaves one of two cores idle), and the
      // files of a worker share their modules (isolate: false) rather than each loading src/ and compiling the
      // Wasm again, which halves the CPU time of the run. They leave no global state behind.
      {
        extends: true,
        test: {
          name: 'unit', include: ['test/**/*.test.ts'], exclude: [...SLOW, ...ALONE], maxWorkers: availableParallelism(),
          isolate: false, sequence: { groupOrder: 0 },
        },
      },
      // The slow tests spend much of their time waiting on other processes (Chromium, npm, bundlers, child Node
      // processes) and on the pages' frames: one worker per core, and at least two. Their files share one Chromium,
      // one packed tarball, one npm install and one build of the pages per run (test/setup/).
      {
        extends: true,
        test: {
          name: 'slow', include: SLOW, exclude: ALONE, maxWorkers: Math.max(2, availableParallelism()),
          globalSetup: ['test/setup/run-scratch.ts', 'test/setup/chromium.ts'], sequence: { groupOrder: 1 },
        },
      },
      // Then the ones that need the machine to themselves, one at a time.
      {
        extends: true,
        test: {
          name: 'alone', include: ALONE, maxWorkers: 1, globalSetup: ['test/setup/run-scratch.ts', 'test/setup/chromium.ts'],
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
