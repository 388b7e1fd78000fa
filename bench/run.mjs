// Runs benchmarks from bench/*.ts against the release Wasm build: esbuild bundles the TypeScript on the fly
// (src/ included, so kernels can be measured directly) into build/, then Node runs it.
// Usage: node bench/run.mjs [name …] [-- args for the benchmarks]   (default: every bench/*.bench.ts)
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-'));
const all = readdirSync('bench').filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', ''));
for (const name of names.length ? names : all) {
  if (!all.includes(name)) throw new Error(`no benchmark bench/${name}.bench.ts (have: ${all.join(', ')})`);
  const outfile = `build/bench-${name}.mjs`;
  await esbuild.build({
    entryPoints: [`bench/${name}.bench.ts`], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20',
    packages: 'external', logLevel: 'warning',
  });
  await import(pathToFileURL(outfile).href);
}
