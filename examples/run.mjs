// Runs the classic programs: esbuild bundles each examples/<name>.ts on the fly (into build/examples/), then
// Node imports it and calls its run() with print = console.log. The examples import 'simdnet' by name, as a
// copy of them in another project would; here that name is mapped to this repository's src/index.ts, so they run
// against the source as it is, without a build of dist/.
//   npm run examples                          every program, in the order of the tutorials
//   npm run example -- <name> [--backend wasm] [--full] [--seed N]
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SOURCE = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** Resolves the package's own name to its source; every other package stays external (node_modules). */
const localSimdnet = {
  name: 'local-simdnet',
  setup(build) {
    build.onResolve({ filter: /^simdnet$/ }, () => ({ path: SOURCE }));
  },
};

const PROGRAMS = [
  'iamtrask-2layer', 'iamtrask-3layer', 'iamtrask-11-lines', 'litter-rip', 'nielsen-1-1-1', 'nielsen-2-3-2',
  'grokking-hot-cold', 'grokking-gradient-descent', 'xiaolan',
];

const args = process.argv.slice(2);
const flag = (name) => {
  const at = args.indexOf(`--${name}`);
  return at < 0 ? undefined : args.splice(at, 2)[1];
};
const backend = flag('backend') ?? 'js';
const seed = flag('seed');
const full = args.includes('--full');
const names = args.filter((a) => !a.startsWith('--'));
const all = args.includes('--all');
if (!all && names.length === 0) {
  console.error(`usage: npm run example -- <name> [--backend js|wasm] [--full] [--seed N]\n  names: ${PROGRAMS.join(', ')}`);
  process.exit(1);
}
const chosen = all ? PROGRAMS : names;
for (const name of chosen) {
  if (!PROGRAMS.includes(name) || !existsSync(`examples/${name}.ts`)) {
    console.error(`no example "${name}" (have: ${PROGRAMS.join(', ')})`);
    process.exit(1);
  }
}

await esbuild.build({
  entryPoints: chosen.map((name) => `examples/${name}.ts`), outdir: 'build/examples', outExtension: { '.js': '.mjs' },
  bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external',
  logLevel: 'warning', plugins: [localSimdnet],
});
for (const name of chosen) {
  if (chosen.length > 1) console.log(`\n=== ${name} (${backend}) ===`);
  const { run } = await import(pathToFileURL(`build/examples/${name}.mjs`).href);
  await run({ backend, full, print: (line) => console.log(line), ...(seed === undefined ? {} : { seed: Number(seed) }) });
}
