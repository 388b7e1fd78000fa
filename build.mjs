// Builds everything users and tests need:
//   1. assembly/ → build/core.{debug,release}.wasm with the AssemblyScript compiler's API (targets in asconfig.json);
//   2. src/backends/wasm/generated/core-wasm{,.debug,-relaxed}.ts: the bytes as base64, so no bundle needs a path to a .wasm file;
//   3. the esbuild bundles listed in `bundles` below (release Wasm inlined), .d.ts files from tsc, sizes printed.
// `node build.mjs --wasm-only` stops after step 2 (what the tests need); `--bundles-only` does step 3's bundles
// alone (no Wasm compile, no tsc), e.g. after editing web/src/.
// Tests and web/server.mjs import `buildBundles` to bundle into a directory of their own.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { writeMnistSubset } from './web/assets.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Every bundle, one entry each: `name` (what --only and tests select), `outdir`, esbuild's `entryPoints`
 * (output name → source) and any other esbuild options. Browser bundles must not reach Node-only modules
 * (src/node/, src/cli/): test/bundle.test.ts checks their inputs.
 */
export const bundles = [
  {
    // The package's entries: bundlers, Node, <script type="module">; `simdnet/mnist` is Node-only, `simdnet/worker`
    // trains off the main thread. They share chunks, so there is one SimdnetError class whichever entry a user
    // imports it through.
    name: 'esm',
    outdir: 'dist',
    entryPoints: {
      index: 'src/index.ts', mnist: 'src/node/mnist.ts', worker: 'src/worker/index.ts', node: 'src/node/index.ts',
      table: 'src/io/table/index.ts',
    },
    format: 'esm',
    platform: 'neutral',
    splitting: true,
    // papaparse is `simdnet/table`'s one runtime dependency: imported by name, so it is installed (and deduplicated)
    // with the package, and only that entry reaches it.
    external: ['node:*', 'papaparse'],
  },
  {
    name: 'cli', // the `simdnet` command (bin/simdnet.js loads it); its CommonJS dependencies need `require`
    outdir: 'dist',
    entryPoints: { cli: 'src/cli/main.ts' },
    format: 'esm',
    platform: 'node',
    target: 'node20',
    banner: { js: "import { createRequire as __simdnetRequire } from 'node:module'; const require = __simdnetRequire(import.meta.url);" },
  },
  {
    name: 'iife', // a plain <script src="simdnet.iife.js"> defines globalThis.simdnet
    outdir: 'dist',
    entryPoints: { 'simdnet.iife': 'src/index.ts' },
    format: 'iife',
    globalName: 'simdnet',
    platform: 'browser',
  },
  {
    name: 'worker', // what `simdnet/worker` starts in a Web Worker or worker_threads: self-contained, loaded by URL
    outdir: 'dist',
    entryPoints: { 'worker-runner': 'src/worker/runner.ts' },
    format: 'esm',
    platform: 'neutral',
    external: ['node:*'],
  },
  {
    name: 'web', // the pages served by `npm run playground` (web/*.html load build/*.js)
    outdir: 'web/build',
    entryPoints: {
      playground: 'web/src/playground.ts',
      digits: 'web/src/digits.ts',
      'worker-runner': 'src/worker/runner.ts',
    },
    format: 'esm',
    platform: 'browser',
    external: ['node:*'],
    after: (outdir) => writeMnistSubset(outdir),
  },
];

const shared = { bundle: true, target: 'es2022', minify: true, sourcemap: true, legalComments: 'none', logLevel: 'warning' };

/**
 * Runs the esbuild part for the bundles named in `only` (default: all). `outRoot`, when given, replaces each
 * bundle's outdir (tests build into a directory of their own). Returns per bundle its outdir, output files and
 * esbuild's metafile.
 */
export async function buildBundles({ only, outRoot } = {}) {
  const chosen = only ? bundles.filter((b) => only.includes(b.name)) : bundles;
  if (only && chosen.length !== only.length) {
    throw new Error(`unknown bundle in ${only.join(', ')} (have: ${bundles.map((b) => b.name).join(', ')})`);
  }
  const results = [];
  for (const { name, after, ...options } of chosen) {
    const outdir = outRoot ?? join(root, options.outdir);
    const entryPoints = Object.fromEntries(Object.entries(options.entryPoints).map(([k, v]) => [k, join(root, v)]));
    const result = await esbuild.build({ ...shared, ...options, entryPoints, outdir, metafile: true });
    if (after) await after(outdir);
    results.push({ name, outdir, files: Object.keys(entryPoints).map((k) => join(outdir, `${k}.js`)), metafile: result.metafile });
  }
  return results;
}

function printSizes(results) {
  for (const { files } of results) {
    for (const file of files) {
      const gzip = gzipSync(readFileSync(file)).length;
      const name = relative(root, file);
      console.log(`${name.padEnd(26)} ${(statSync(file).size / 1024).toFixed(1).padStart(7)} KB  ${(gzip / 1024).toFixed(1).padStart(6)} KB gzipped`);
    }
  }
}

async function compileWasm(target) {
  const { default: asc } = await import('assemblyscript/asc');
  const { error, stderr } = await asc.main(['assembly/index.ts', '--config', 'asconfig.json', '--target', target]);
  if (error) {
    console.error(stderr.toString());
    throw new Error(`AssemblyScript ${target} build failed: ${error.message}`);
  }
  return readFileSync(`build/core.${target}.wasm`);
}

function writeGenerated(name, bytes) {
  const body = `// Generated by build.mjs from assembly/: do not edit.\nexport const coreWasmBase64 =\n  '${bytes.toString('base64')}';\n`;
  writeFileSync(`src/backends/wasm/generated/${name}`, body);
}

async function main(args) {
  process.chdir(root);
  if (args.includes('--bundles-only')) {
    printSizes(await buildBundles());
    return;
  }
  mkdirSync('build', { recursive: true });
  mkdirSync('src/backends/wasm/generated', { recursive: true });
  writeGenerated('core-wasm.debug.ts', await compileWasm('debug'));
  writeGenerated('core-wasm.ts', await compileWasm('release'));
  // The opt-in relaxed-SIMD build (`simd: 'relaxed'`): release options plus relaxed_madd; not bit-reproducible.
  writeGenerated('core-wasm-relaxed.ts', await compileWasm('relaxed'));
  if (args.includes('--wasm-only')) return;
  rmSync('dist', { recursive: true, force: true });
  const results = await buildBundles();
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  printSizes(results);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
