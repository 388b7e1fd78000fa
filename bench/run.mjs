// Runs the benchmarks against the release Wasm build. esbuild bundles the TypeScript on the fly (src/ included, so
// kernels can be measured directly) into build/, then Node runs it.
//   node bench/run.mjs [-- options]       the suite (bench/suite.ts: W1–W6, every contender; options in bench/options.ts)
//   node bench/run.mjs dense-layer …      bench/<name>.bench.ts files, each on its own (`peak` builds the peak loops)
// The suite also needs: bench/agent.ts bundled (one process per contender), the register-only peak loop of
// assembly/bench/peak.ts built twice (plain and relaxed SIMD), and simdnet's ESM bundle for the cold-start test.
import asc from 'assemblyscript/asc';
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-'));
const options = args.filter((a) => a.startsWith('-'));
const all = readdirSync('bench').filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', ''));
const node = { bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' };
mkdirSync('build', { recursive: true });

if (names.length === 0 || names.includes('peak')) {
  for (const target of ['plain', 'relaxed']) {
    const { error, stderr } = await asc.main(['--config', 'assembly/bench/asconfig.json', '--target', target]);
    if (error) throw new Error(`assembly/bench/peak.ts (${target}): ${error.message}\n${stderr}`);
  }
}
if (names.length === 0) {
  await esbuild.build({ ...node, entryPoints: { 'bench-suite': 'bench/suite.ts', 'bench-agent': 'bench/agent.ts' }, outdir: 'build',
    outExtension: { '.js': '.mjs' } });
  // The same options as build.mjs' `esm` bundle: what `import 'simdnet'` loads (the relaxed build and the thread
  // pool are chunks of their own, imported only when asked for). The metafile tells W6 which chunks load at once.
  rmSync('build/bench-dist', { recursive: true, force: true });
  const { metafile } = await esbuild.build({
    entryPoints: { simdnet: 'src/index.ts' }, outdir: 'build/bench-dist', outExtension: { '.js': '.mjs' }, bundle: true,
    format: 'esm', platform: 'neutral', target: 'es2022', minify: true, legalComments: 'none', logLevel: 'warning',
    splitting: true, metafile: true,
  });
  writeFileSync('build/bench-dist.meta.json', JSON.stringify(metafile));
  const { status } = spawnSync(process.execPath, ['build/bench-suite.mjs', ...options], { stdio: 'inherit' });
  process.exit(status ?? 1);
}
for (const name of names) {
  if (!all.includes(name)) throw new Error(`no benchmark bench/${name}.bench.ts (have: ${all.join(', ')}, or none for the suite)`);
  const outfile = `build/bench-${name}.mjs`;
  await esbuild.build({ ...node, entryPoints: [`bench/${name}.bench.ts`], outfile });
  await import(pathToFileURL(`${root}/${outfile}`).href);
}
