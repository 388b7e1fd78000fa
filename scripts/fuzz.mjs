// Long fuzz campaigns: `npm run fuzz -- --cases 1000000 [--seed 42] [--only spec,training]`.
//
// Runs the property tests of test/fuzz-*.test.ts under vitest (so against the debug Wasm build, asserts on), with
// SIMDNET_FUZZ_CASES=N: the N cases are shared among the properties by the weights in test/fuzz/harness.ts, and a
// property that fails goes on with a new seed instead of stopping, so every failure is counted. Prints a summary
// and writes it, with the first counterexamples of each failing property, to build/fuzz-report.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
function option(name, fallback) {
  const at = args.indexOf(`--${name}`);
  if (at >= 0) return args[at + 1];
  const inline = args.find((a) => a.startsWith(`--${name}=`));
  return inline ? inline.slice(name.length + 3) : fallback;
}
if (args.includes('--help')) {
  console.log('usage: npm run fuzz -- [--cases N (default 100000)] [--seed S] [--only file,file]');
  process.exit(0);
}
const cases = Number(option('cases', '100000'));
if (!Number.isInteger(cases) || cases < 1) {
  console.error(`--cases: expected a positive integer, got ${option('cases')}`);
  process.exit(2);
}
const seed = option('seed');
const only = option('only');
const files = only ? only.split(',').map((name) => `test/fuzz-${name}.test.ts`) : ['test/fuzz-'];

mkdirSync(`${root}build`, { recursive: true });
const reportLines = `${root}build/fuzz-report.jsonl`;
rmSync(reportLines, { force: true });
const started = Date.now();
console.log(`fuzz campaign: ${cases.toLocaleString('en')} cases over test/fuzz-*.test.ts${seed ? `, seed ${seed}` : ''}`);
const run = spawnSync(process.execPath, [`${root}node_modules/vitest/vitest.mjs`, 'run', ...files,
  '--testTimeout=0', '--hookTimeout=0', '--reporter=dot'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    SIMDNET_FUZZ_CASES: String(cases),
    SIMDNET_FUZZ_REPORT: reportLines,
    ...(seed === undefined ? {} : { SIMDNET_FUZZ_SEED: seed }),
  },
});

let properties = [];
try {
  properties = readFileSync(reportLines, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
} catch {
  // no property reported: vitest itself failed
}
const total = properties.reduce((sum, p) => sum + p.runs, 0);
const failures = properties.reduce((sum, p) => sum + p.failures, 0);
const summary = {
  date: new Date(started).toISOString(),
  minutes: Math.round((Date.now() - started) / 600) / 100,
  requestedCases: cases,
  cases: total,
  failures,
  vitestExitCode: run.status,
  properties,
};
writeFileSync(`${root}build/fuzz-report.json`, JSON.stringify(summary, null, 2) + '\n');
console.log('\nproperty              cases   failures');
for (const p of properties) {
  console.log(`${p.property.padEnd(20)} ${String(p.runs).padStart(8)} ${String(p.failures).padStart(9)}`);
}
console.log(`\n${total.toLocaleString('en')} cases in ${summary.minutes} min, ${failures} failures` +
  ' (build/fuzz-report.json)');
process.exit(failures > 0 || run.status !== 0 ? 1 : 0);
