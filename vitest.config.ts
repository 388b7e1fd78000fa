import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against the debug Wasm build: its asserts surface as JS errors with file and line.
export default defineConfig({
  resolve: {
    alias: [
      // Examples and README code import the package by name.
      { find: /^simdnet$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      {
        find: /^\.\/generated\/core-wasm\.js$/,
        replacement: fileURLToPath(new URL('./src/backends/wasm/generated/core-wasm.debug.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
