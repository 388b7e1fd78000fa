// The Node worker runner (src/node/worker-runner.ts) bundled from source into a scratch folder, for tests that start
// trainInWorker in a worker_threads Worker as the "node" condition of simdnet/worker does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll } from 'vitest';

async function bundleNodeRunner(): Promise<{ workerUrl: URL; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'simdnet-runner-'));
  const outfile = join(dir, 'worker-runner.js');
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('../src/node/worker-runner.ts', import.meta.url))], outfile, bundle: true,
    format: 'esm', platform: 'node', logLevel: 'silent',
  });
  return { workerUrl: pathToFileURL(outfile), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Bundles the runner before the file's tests and removes it after them; returns the runner's URL once bundled. */
export function useNodeRunner(): () => URL {
  let runner: Awaited<ReturnType<typeof bundleNodeRunner>> | undefined;
  beforeAll(async () => {
    runner = await bundleNodeRunner();
  }, 60_000);
  afterAll(() => runner?.dispose());
  return () => runner!.workerUrl;
}
