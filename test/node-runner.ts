// The Node worker runner (src/node/worker-runner.ts) bundled from source into a scratch folder, for tests that start
// trainInWorker in a worker_threads Worker as the "node" condition of simdnet/worker does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

export async function bundleNodeRunner(): Promise<{ workerUrl: URL; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'simdnet-runner-'));
  const outfile = join(dir, 'worker-runner.js');
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('../src/node/worker-runner.ts', import.meta.url))], outfile, bundle: true,
    format: 'esm', platform: 'node', logLevel: 'silent',
  });
  return { workerUrl: pathToFileURL(outfile), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
