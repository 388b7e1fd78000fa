// Reproduces web/models/mnist.json: bundles train-mnist.ts (src/ included, release Wasm) into build/ and runs it.
// Usage: node web/models/train-mnist.mjs
import * as esbuild from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';

const outfile = fileURLToPath(new URL('../../build/train-mnist.mjs', import.meta.url));
await esbuild.build({
  entryPoints: [fileURLToPath(new URL('./train-mnist.ts', import.meta.url))],
  outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning',
});
const { main } = await import(pathToFileURL(outfile).href);
await main(fileURLToPath(new URL('./mnist.json', import.meta.url)));
