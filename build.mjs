// Builds everything users and tests need:
//   1. assembly/ → build/core.{debug,release,relaxed}.wasm with the AssemblyScript compiler (targets in asconfig.json),
//      the three targets at once in child processes, each skipped when a content-hash cache holds its bytes;
//   2. src/backends/wasm/generated/core-wasm{,.debug,-relaxed}.ts: the bytes as base64, so no bundle needs a path to a .wasm file;
//   3. the esbuild bundles listed in `bundles` below (release Wasm inlined), .d.ts files from tsc, sizes printed.
// Everything it prints goes to stderr. `node build.mjs --wasm-only` stops after step 2 (what the tests need);
// `--bundles-only` does step 3's bundles alone (no Wasm compile, no tsc), e.g. after editing web/src/.
// Tests and web/server.mjs import `buildBundles` to bundle into a directory of their own.
import * as esbuild from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
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
      // `simdnet/worker` under the "node" condition: worker_threads, so the browser entry above has no `node:*`.
      'node/worker': 'src/node/worker.ts',
      // What those start in a worker (`simdnet/worker-runner`), next to each: Vite and webpack emit it for the
      // `new Worker(new URL('./worker-runner.js', import.meta.url))` in the browser entry. Sharing the chunks
      // keeps one copy of the network code (and of the Wasm) in the package.
      'worker-runner': 'src/worker/runner-web.ts',
      'node/worker-runner': 'src/node/worker-runner.ts',
    },
    format: 'esm',
    platform: 'neutral',
    splitting: true,
    // Not minified but for syntax: users' bundlers minify their apps, stack traces and `console.log(net)` keep
    // readable names without source maps, and the comments that tell bundlers to leave Node's dynamic import
    // alone (`webpackIgnore`, `@vite-ignore`) survive.
    minify: false,
    minifySyntax: true,
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
    entryPoints: { 'simdnet.iife': 'src/iife.ts' },
    format: 'iife',
    globalName: 'simdnet',
    platform: 'browser',
  },
  {
    name: 'web', // the pages served by `npm run playground` (web/*.html load build/*.js)
    outdir: 'web/build',
    entryPoints: {
      playground: 'web/src/playground.ts',
      digits: 'web/src/digits.ts',
      learn: 'web/src/learn.ts',
      table: 'web/src/table.ts',
      'worker-runner': 'src/worker/runner-web.ts',
    },
    format: 'esm',
    platform: 'browser',
    external: ['node:*'],
    after: (outdir) => writeMnistSubset(outdir),
  },
];

const shared = { bundle: true, target: 'es2022', minify: true, sourcemap: true, legalComments: 'none', logLevel: 'warning' };
// The package's bundles (outdir dist) map to src/ without carrying it: in a checkout the maps find the sources beside
// them; the package ships no maps (package.json's "files"), as they would point at sources it does not have.

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
    const published = options.outdir === 'dist' ? { sourcesContent: false } : {};
    const result = await esbuild.build({ ...shared, ...published, ...options, entryPoints, outdir, metafile: true });
    if (after) await after(outdir);
    results.push({ name, outdir, files: Object.keys(entryPoints).map((k) => join(outdir, `${k}.js`)), metafile: result.metafile });
  }
  return results;
}

/**
 * Writes the .d.ts of the package's entries (tsconfig.build.json's `files`) into `outDir`, then deletes every .d.ts
 * that no entry's types reach: tsc declares each module it compiled, internal ones too (the Wasm's base64 module
 * among them), and users must see only the types of what they can import.
 */
export function buildDeclarations(outDir) {
  const config = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8'));
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'),
    '--outDir', outDir], { cwd: root, stdio: ['ignore', 2, 2] });
  const reached = new Set();
  const visit = (file) => {
    if (reached.has(file) || !existsSync(file)) return;
    reached.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(/(?:from\s+|import\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      visit(join(dirname(file), specifier.replace(/\.js$/, '.d.ts')));
    }
  };
  for (const entry of config.files) visit(join(outDir, entry.replace(/^src\//, '').replace(/\.ts$/, '.d.ts')));
  for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
    const file = join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && file.endsWith('.d.ts') && !reached.has(file)) rmSync(file);
  }
  removeEmptyFolders(outDir);
}

function removeEmptyFolders(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeEmptyFolders(join(dir, entry.name));
  }
  if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
}

/** Prints each bundle's size to stderr: stdout stays clean for `npm pack --json`, which runs this build. */
function printSizes(results) {
  for (const { files } of results) {
    for (const file of files) {
      const gzip = gzipSync(readFileSync(file)).length;
      const name = relative(root, file);
      console.error(`${name.padEnd(26)} ${(statSync(file).size / 1024).toFixed(1).padStart(7)} KB  ${(gzip / 1024).toFixed(1).padStart(6)} KB gzipped`);
    }
  }
}

/** The Wasm builds (targets in asconfig.json) and the modules that embed them as base64. */
const wasmTargets = [
  { target: 'debug', generated: 'core-wasm.debug.ts' },
  { target: 'release', generated: 'core-wasm.ts' },
  // The opt-in relaxed-SIMD build (`simd: 'relaxed'`): release options plus relaxed_madd; not bit-reproducible.
  { target: 'relaxed', generated: 'core-wasm-relaxed.ts' },
];
const ascArguments = (target) => ['assembly/index.ts', '--config', 'asconfig.json', '--target', target];

/**
 * Binaryen passes run on the compiler's output before its own optimisation pipeline. The front end inlines every
 * @inline function with its constant arguments as locals, so `product` arrives with every tile shape's code, most
 * of it behind conditions such as `R > 2` that are constant in each copy (five times the module's final size).
 * Propagating those constants and dropping the dead code first takes seconds and leaves the expensive passes a
 * fifth of the code; they then produce the same program.
 */
const prePasses = ['precompute-propagate', 'dce', 'vacuum', 'remove-unused-brs', 'remove-unused-names', 'merge-blocks', 'vacuum'];
class PruneConstantBranches {
  afterCompile(module) {
    this.binaryen.setOptimizeLevel(2);
    this.binaryen.setShrinkLevel(0);
    module.runPasses(prePasses);
  }
}
// Per checkout (build/ is not shared through a linked node_modules) and gone with `rm -rf build`.
const cacheDir = 'build/wasm-cache';

/**
 * The cache key of a target: a hash of everything its bytes depend on (every file under assembly/, asconfig.json, the
 * compiler's and Binaryen's versions, asc's arguments). Equal keys mean the compile can be skipped.
 */
function wasmKey(target) {
  const hash = createHash('sha256');
  const files = readdirSync('assembly', { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name).split(sep).join('/'))
    .sort();
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(file)).update('\0');
  hash.update(readFileSync('asconfig.json'));
  for (const name of ['assemblyscript', 'binaryen']) {
    hash.update(`\0${name}@${JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version}`);
  }
  hash.update(`\0${JSON.stringify([ascArguments(target), prePasses])}`);
  return hash.digest('hex').slice(0, 24);
}

/** Compiles one target in this process (asc's main() is not re-entrant, so each target gets a process of its own). */
async function compileTarget(target) {
  const { default: asc } = await import('assemblyscript/asc');
  const { error, stderr } = await asc.main(ascArguments(target), { transforms: [PruneConstantBranches] });
  if (error) {
    process.stderr.write(stderr.toString());
    throw new Error(`AssemblyScript ${target} build failed: ${error.message}`);
  }
}

/** Runs `node build.mjs --compile-target <target>` and waits for it; its output goes to stderr. */
function compileInChild(target) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--compile-target', target], { cwd: root, stdio: ['ignore', 2, 2] });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`AssemblyScript ${target} build failed (${signal ?? `exit code ${code}`})`))));
  });
}

/** Writes `path` only when its content changes, so watchers (vitest, tsc) see no change when there is none. */
function writeIfChanged(path, content) {
  if (existsSync(path) && readFileSync(path).equals(Buffer.from(content))) return;
  writeFileSync(path, content);
}

/**
 * Brings every target's Wasm and generated module up to date: from the cache when the key matches, else compiled, all
 * missing targets at once in child processes (the OS shares the cores among them; on 2 cores three equal compiles take
 * 1.5 compile times instead of 3). Progress goes to stderr.
 */
async function buildWasm() {
  mkdirSync('build', { recursive: true });
  mkdirSync('src/backends/wasm/generated', { recursive: true });
  mkdirSync(cacheDir, { recursive: true });
  const started = performance.now();
  await Promise.all(wasmTargets.map(async ({ target, generated }) => {
    const key = wasmKey(target);
    const cached = join(cacheDir, `${target}-${key}.wasm`);
    const fromCache = existsSync(cached);
    let bytes;
    if (fromCache) {
      bytes = readFileSync(cached);
      writeIfChanged(`build/core.${target}.wasm`, bytes);
    } else {
      await compileInChild(target);
      bytes = readFileSync(`build/core.${target}.wasm`);
      // Cached only if the sources did not change while compiling; written aside, then renamed into place, so a
      // build running beside this one never reads half a file.
      if (wasmKey(target) === key) {
        for (const old of readdirSync(cacheDir).filter((f) => f.startsWith(`${target}-`))) rmSync(join(cacheDir, old), { force: true });
        writeFileSync(`${cached}.${process.pid}.tmp`, bytes);
        renameSync(`${cached}.${process.pid}.tmp`, cached);
      }
    }
    writeIfChanged(`src/backends/wasm/generated/${generated}`,
      `// Generated by build.mjs from assembly/: do not edit.\nexport const coreWasmBase64 =\n  '${bytes.toString('base64')}';\n`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.error(`wasm ${target.padEnd(8)} ${fromCache ? 'unchanged (cached)' : `compiled in ${seconds} s`}`);
  }));
}

async function main(args) {
  process.chdir(root);
  const compileOnly = args.indexOf('--compile-target');
  if (compileOnly >= 0) {
    await compileTarget(args[compileOnly + 1]);
    return;
  }
  if (args.includes('--bundles-only')) {
    printSizes(await buildBundles());
    return;
  }
  await buildWasm();
  if (args.includes('--wasm-only')) return;
  rmSync('dist', { recursive: true, force: true });
  const results = await buildBundles();
  buildDeclarations('dist');
  printSizes(results);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
