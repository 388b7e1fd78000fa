// Times `node build.mjs` as a newcomer and a developer meet it: a fresh clone of HEAD (no build/, no caches), then a
// rebuild with nothing changed, then one after a change to a file in src/ (assembly/ unchanged), `--runs` times each
// (default 3), and prints the medians and each run as a Markdown table with the load average.
// The clone links this checkout's node_modules instead of installing, so no network is used and only the build is
// timed. CPU time (user + system of the build's processes, Linux) is printed beside wall time: when other work shares
// the cores, wall time grows and CPU time much less.
//   node scripts/build-time.mjs [--runs=3] [--wasm-only]
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const option = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const runs = Number(option('runs', 3));
const buildArgs = process.argv.includes('--wasm-only') ? ['build.mjs', '--wasm-only'] : ['build.mjs'];

/** CPU seconds used so far by this process's waited-for children (Linux /proc; null elsewhere). */
function childCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

function timed(cwd) {
  const cpu = childCpu();
  const start = performance.now();
  const { status, stderr } = spawnSync(process.execPath, buildArgs, { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (status !== 0) throw new Error(`node ${buildArgs.join(' ')} failed in ${cwd}:\n${stderr}`);
  const after = childCpu();
  return { wall: (performance.now() - start) / 1000, cpu: cpu === null ? null : after - cpu };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const seconds = (x) => (x === null ? 'n/a' : x.toFixed(1));
const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
const results = { fresh: [], rebuild: [], edited: [] };
const loads = [loadavg()[0]];

for (let run = 1; run <= runs; run++) {
  const dir = mkdtempSync(join(tmpdir(), 'simdnet-build-time-'));
  try {
    execFileSync('git', ['clone', '--quiet', root, dir]);
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const fresh = timed(dir);
    const rebuild = timed(dir);
    appendFileSync(join(dir, 'src/index.ts'), '// an edit\n');
    const edited = timed(dir);
    results.fresh.push(fresh);
    results.rebuild.push(rebuild);
    results.edited.push(edited);
    loads.push(loadavg()[0]);
    console.error(`run ${run}/${runs}: fresh clone ${seconds(fresh.wall)} s (CPU ${seconds(fresh.cpu)} s), rebuild ${seconds(rebuild.wall)} s `
      + `(CPU ${seconds(rebuild.cpu)} s), after an edit in src/ ${seconds(edited.wall)} s (CPU ${seconds(edited.cpu)} s), load ${loads.at(-1).toFixed(1)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const row = (name, xs) => {
  const cpu = xs.every((x) => x.cpu !== null) ? seconds(median(xs.map((x) => x.cpu))) : 'n/a';
  return `| ${name} | ${seconds(median(xs.map((x) => x.wall)))} | ${xs.map((x) => seconds(x.wall)).join(', ')} | ${cpu} |`;
};
console.log(`\`node ${buildArgs.join(' ')}\` at ${head} in a \`git clone\` with this checkout's node_modules linked (no install timed), ${runs} runs, `
  + `${availableParallelism()} cores, 1-minute load average ${loads.map((l) => l.toFixed(1)).join(' → ')} (before, after each run)\n`);
console.log('| build | median wall (s) | each run (s) | median CPU (s) |');
console.log('|---|---|---|---|');
console.log(row('fresh clone', results.fresh));
console.log(row('rebuild, nothing changed', results.rebuild));
console.log(row('rebuild after an edit in src/', results.edited));
