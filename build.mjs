// Builds everything users and tests need:
//   1. assembly/ → build/core.{debug,release,relaxed}.wasm with the AssemblyScript compiler (targets in asconfig.json),
//      the three targets at once in child processes, each skipped when a content-hash cache holds its bytes;
//   2. src/backends/wasm/generated/core-wasm{,.debug,-relaxed}.ts: the bytes as base64, so no bundle needs a path to a .wasm file;
//   3. the esbuild bundles listed in `bundles` below (release Wasm inlined) and the .d.ts from tsc, at once, each taken
//      from a content-hash cache (build/step-cache) when none of its inputs changed; sizes printed.
// Everything it prints goes to stderr. `node build.mjs --wasm-only` stops after step 2 (what the tests need);
// `--bundles-only` does step 3's bundles alone (no Wasm compile, no tsc), e.g. after editing web/src/.
// Tests and web/server.mjs import `buildBundles` to bundle into a directory of their own.
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
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

/** The bundles named in `only` (default: all), in the order of `bundles`. */
function choose(only) {
  const chosen = only ? bundles.filter((b) => only.includes(b.name)) : bundles;
  if (only && chosen.length !== only.length) {
    throw new Error(`unknown bundle in ${only.join(', ')} (have: ${bundles.map((b) => b.name).join(', ')})`);
  }
  return chosen;
}

/**
 * esbuild for one bundle into `outdir`, in memory: returns its outdir, entry files, metafile and `outputFiles` (absolute
 * path and bytes of each file it would write).
 */
async function bundle({ name, after, ...options }, outdir) {
  const entryPoints = Object.fromEntries(Object.entries(options.entryPoints).map(([k, v]) => [k, join(root, v)]));
  const published = options.outdir === 'dist' ? { sourcesContent: false } : {};
  const { metafile, outputFiles } = await esbuild.build({
    ...shared, ...published, ...options, entryPoints, outdir, metafile: true, write: false,
  });
  return { name, outdir, files: Object.keys(entryPoints).map((k) => join(outdir, `${k}.js`)), metafile, outputFiles };
}

/**
 * Runs the esbuild part for the bundles named in `only` (default: all). `outRoot`, when given, replaces each
 * bundle's outdir (tests build into a directory of their own). Returns per bundle its outdir, output files and
 * esbuild's metafile.
 */
export async function buildBundles({ only, outRoot } = {}) {
  const results = [];
  for (const options of choose(only)) {
    const { outputFiles, ...result } = await bundle(options, outRoot ?? join(root, options.outdir));
    for (const { path, contents } of outputFiles) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, contents);
    }
    if (options.after) await options.after(result.outdir);
    results.push(result);
  }
  return results;
}

/**
 * Every bundle's output files, keyed by path from the checkout's root, and the files esbuild read (for the step cache).
 * The bundles go to esbuild at once: it spreads them over its threads.
 */
async function bundleOutputs() {
  const built = await Promise.all(bundles.map((options) => bundle(options, join(root, options.outdir))));
  const files = new Map(built.flatMap(({ outputFiles }) => outputFiles.map((f) => [relative(root, f.path).split(sep).join('/'), Buffer.from(f.contents)])));
  const reads = built.flatMap(({ metafile }) => Object.keys(metafile.inputs).map((input) => resolve(input)));
  return { files, reads };
}

/** Runs node with `args` in the root, resolving to its stdout; a failure rejects with its output. */
function runNode(args) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => (code === 0 ? done(out)
      : fail(new Error(`node ${args.map((a) => relative(root, a) || a).join(' ')} failed (${signal ?? `exit code ${code}`}):\n${out}${err}`))));
  });
}

/**
 * The .d.ts of the package's entries (tsconfig.build.json's `files`), keyed by path from the declaration root, and
 * the files tsc read. tsc declares each module it compiled, internal ones too (the Wasm's base64 module among them);
 * only those the entries' types reach are kept, as users must see only the types of what they can import.
 * tsc runs --incremental from a copy of the state the last run left in build/declarations/ (a copy, so builds running
 * at once never write one state): it checks and declares again only what a change affects, half a full run's time.
 */
async function declarationOutputs() {
  const config = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8'));
  const state = join(root, 'build', 'declarations');
  mkdirSync(join(root, 'build'), { recursive: true });
  // A sibling of the state: tsc's build info holds paths relative to itself, so the copy's are right as they are.
  const work = mkdtempSync(join(root, 'build', 'declarations-'));
  try {
    try {
      if (existsSync(state)) cpSync(state, work, { recursive: true });
    } catch {
      rmSync(work, { recursive: true, force: true }); // another build was replacing the state: start from none
      mkdirSync(work);
    }
    const outDir = join(work, 'out');
    const listed = (await runNode([join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'),
      '--outDir', outDir, '--incremental', '--tsBuildInfoFile', join(work, 'tsbuildinfo'), '--listFiles']).catch((error) => {
      // The diagnostics without the list of the program's files around them.
      throw new Error(error.message.split('\n').filter((line) => !existsSync(line.trim())).join('\n'));
    }))
      .split('\n').map((line) => line.trim()).filter(Boolean);
    // The declarations of modules that left the program (deleted or renamed) must not outlive them in the state.
    const sourceDir = realpathSync(join(root, 'src'));
    const stems = new Set(listed.map((file) => relative(sourceDir, realpathSync(file)).split(sep).join('/').replace(/\.[cm]?ts$/, '')));
    for (const file of filesUnder('.', outDir)) if (!stems.has(file.replace(/\.d\.[cm]?ts$/, ''))) rmSync(join(outDir, file));
    const files = new Map();
    const visit = (file) => {
      const name = relative(outDir, file).split(sep).join('/');
      if (files.has(name) || !existsSync(file)) return;
      const bytes = readFileSync(file);
      files.set(name, bytes);
      for (const [, specifier] of bytes.toString('utf8').matchAll(/(?:from\s+|import\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
        visit(join(dirname(file), specifier.replace(/\.js$/, '.d.ts')));
      }
    };
    for (const entry of config.files) {
      const declaration = join(outDir, entry.replace(/^src\//, '').replace(/\.ts$/, '.d.ts'));
      if (!existsSync(declaration)) throw new Error(`tsc wrote no ${relative(root, declaration)} for ${entry}`);
      visit(declaration);
    }
    try {
      rmSync(state, { recursive: true, force: true });
      renameSync(work, state);
    } catch {
      // another build put its state there first; this one's goes with the work folder
    }
    return { files, reads: listed };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Writes the .d.ts of the package's entries into `outDir` (from the step cache when nothing they depend on changed). */
export async function buildDeclarations(outDir) {
  writeFiles(outDir, (await declarationStep()).files);
}

/**
 * What step 3's outputs depend on besides the files the tools report reading (esbuild's metafile inputs, tsc's
 * --listFiles): these files, every file under these folders (a new file can change what an import resolves to) and
 * these packages' versions. Paths are from the checkout's root.
 */
export const stepInputs = {
  files: ['build.mjs', 'web/assets.mjs', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json',
    'tsconfig.json', 'tsconfig.build.json', 'web/tsconfig.json'],
  dirs: ['src', 'web/src'],
  packages: ['esbuild', 'typescript'],
};
const stepCacheDir = join(root, 'build/step-cache');

/** The key of step 3's part `name` in the checkout at `base`: see stepInputs. */
export function stepKey(name, base = root) {
  return contentKey({ base, parts: [name, stepInputs.packages.map((p) => versionOf(p, base))], files: stepInputs.files, dirs: stepInputs.dirs });
}

const bundleStep = () => cachedStep({ cacheDir: stepCacheDir, name: 'bundles', key: () => stepKey('bundles'), run: bundleOutputs });
const declarationStep = () => cachedStep({ cacheDir: stepCacheDir, name: 'declarations', key: () => stepKey('declarations'), run: declarationOutputs });

/**
 * Runs `run` (resolving to `files`, a Map of relative path → bytes, and `reads`, the paths of the files it read) unless
 * `cacheDir` holds the files of a run under the same `key()` whose reads all still hash as they did; a run's files are
 * stored there (the entry written aside, then renamed into place, so a build beside this one never reads half of one),
 * replacing the entries of `name` under other keys, and only if the key did not change while it ran. Resolves to
 * { files, cached }.
 */
export async function cachedStep({ cacheDir, name, key, run }) {
  const before = key();
  const entry = join(cacheDir, `${name}-${before}`);
  const stored = readEntry(entry);
  if (stored) return { files: stored, cached: true };
  const { files, reads } = await run();
  if (key() === before) {
    mkdirSync(cacheDir, { recursive: true });
    for (const old of readdirSync(cacheDir).filter((f) => f.startsWith(`${name}-`) && !f.endsWith('.tmp'))) {
      rmSync(join(cacheDir, old), { recursive: true, force: true });
    }
    const temporary = `${entry}.${process.pid}.tmp`;
    rmSync(temporary, { recursive: true, force: true });
    mkdirSync(temporary);
    writeFiles(join(temporary, 'files'), files);
    const readDigests = Object.fromEntries([...new Set(reads)].filter((file) => existsSync(file)).map((file) => [file, digest(file)]));
    writeFileSync(join(temporary, 'manifest.json'), JSON.stringify({ files: [...files.keys()], reads: readDigests }));
    try {
      renameSync(temporary, entry);
    } catch {
      rmSync(temporary, { recursive: true, force: true }); // another build stored the same entry first
    }
  }
  return { files, cached: false };
}

/** The files of a cache entry, or undefined if it is missing, incomplete or a file it was built from has changed. */
function readEntry(entry) {
  try {
    const { files, reads } = JSON.parse(readFileSync(join(entry, 'manifest.json'), 'utf8'));
    if (!Object.entries(reads).every(([file, hash]) => existsSync(file) && digest(file) === hash)) return undefined;
    return new Map(files.map((file) => [file, readFileSync(join(entry, 'files', file))]));
  } catch {
    return undefined;
  }
}

const digest = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Writes each of `files` (relative path → bytes) under `dir`, leaving unchanged ones untouched. */
function writeFiles(dir, files) {
  for (const [file, bytes] of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeIfChanged(join(dir, file), bytes);
  }
}

/** Deletes every file under `dir` that is not in `keep` (paths from the root), then the folders left empty. */
function removeOthers(dir, keep) {
  if (!existsSync(dir)) return;
  for (const file of filesUnder(dir)) if (!keep.has(file)) rmSync(join(root, file));
  removeEmptyFolders(join(root, dir));
}

function removeEmptyFolders(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeEmptyFolders(join(dir, entry.name));
  }
  if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
}

/** Prints each bundle's size to stderr: stdout stays clean for `npm pack --json`, which runs this build. */
function printSizes() {
  for (const { outdir, entryPoints } of bundles) {
    for (const name of Object.keys(entryPoints)) {
      const file = join(root, outdir, `${name}.js`);
      const gzip = gzipSync(readFileSync(file)).length;
      console.error(`${relative(root, file).padEnd(26)} ${(statSync(file).size / 1024).toFixed(1).padStart(7)} KB  ${(gzip / 1024).toFixed(1).padStart(6)} KB gzipped`);
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
const wasmCacheDir = 'build/wasm-cache';

/**
 * The cache key of a target: a hash of everything its bytes depend on (every file under assembly/, asconfig.json, the
 * compiler's and Binaryen's versions, asc's arguments). Equal keys mean the compile can be skipped.
 */
function wasmKey(target) {
  const hash = hashFiles(createHash('sha256'), filesUnder('assembly'));
  hash.update(readFileSync(join(root, 'asconfig.json')));
  for (const name of ['assemblyscript', 'binaryen']) hash.update(`\0${name}@${versionOf(name)}`);
  hash.update(`\0${JSON.stringify([ascArguments(target), prePasses])}`);
  return hash.digest('hex').slice(0, 24);
}

/** Every file under `dir` (both from `base`), as sorted paths from `base` with / separators; none if `dir` is missing. */
export function filesUnder(dir, base = root) {
  if (!existsSync(join(base, dir))) return [];
  return readdirSync(join(base, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(base, join(entry.parentPath ?? entry.path, entry.name)).split(sep).join('/'))
    .sort();
}

/** Adds the path (from `base`) and bytes of each file to `hash`. */
function hashFiles(hash, files, base = root) {
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(base, file))).update('\0');
  return hash;
}

const versionOf = (name, base = root) => JSON.parse(readFileSync(join(base, 'node_modules', name, 'package.json'), 'utf8')).version;

/**
 * A hash of `parts` (anything JSON) and of the path and bytes of each file of `files` and under `dirs` (paths from
 * `base`) that exists; which of them exist is part of the hash.
 */
export function contentKey({ base = root, parts = [], files = [], dirs = [] }) {
  const present = [...files, ...dirs.flatMap((dir) => filesUnder(dir, base))].filter((file) => existsSync(join(base, file)));
  return hashFiles(createHash('sha256').update(JSON.stringify([parts, present])), present, base).digest('hex').slice(0, 24);
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
  mkdirSync(wasmCacheDir, { recursive: true });
  const started = performance.now();
  await Promise.all(wasmTargets.map(async ({ target, generated }) => {
    const key = wasmKey(target);
    const cached = join(wasmCacheDir, `${target}-${key}.wasm`);
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
        for (const old of readdirSync(wasmCacheDir).filter((f) => f.startsWith(`${target}-`))) rmSync(join(wasmCacheDir, old), { force: true });
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

/** Step 3: the bundles, and the package's .d.ts in dist/ beside them; tsc and esbuild run at once. */
async function buildPackage({ declarations }) {
  const started = performance.now();
  const report = (label) => (step) => {
    console.error(`${label.padEnd(12)} ${step.cached ? 'unchanged (cached)' : `built in ${((performance.now() - started) / 1000).toFixed(1)} s`}`);
    return step;
  };
  const [bundled, declared] = await Promise.all([
    bundleStep().then(report('bundles')),
    declarations ? declarationStep().then(report('declarations')) : undefined,
  ]);
  if (declared) {
    // dist/ holds these files and no others, as a build into an emptied dist/ would leave it.
    removeOthers('dist', new Set([...bundled.files.keys(), ...[...declared.files.keys()].map((file) => `dist/${file}`)]));
    writeFiles(join(root, 'dist'), declared.files);
  }
  writeFiles(root, bundled.files);
  for (const { outdir, after } of bundles) if (after) await after(join(root, outdir));
  printSizes();
}

async function main(args) {
  process.chdir(root);
  const compileOnly = args.indexOf('--compile-target');
  if (compileOnly >= 0) {
    await compileTarget(args[compileOnly + 1]);
    return;
  }
  if (args.includes('--bundles-only')) {
    await buildPackage({ declarations: false });
    return;
  }
  await buildWasm();
  if (args.includes('--wasm-only')) return;
  await buildPackage({ declarations: true });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
