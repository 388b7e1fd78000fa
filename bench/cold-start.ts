// W6: cold start. Each contender's script (bench/cold-start/*.mjs) runs in a fresh Node process and prints how long
// it took from loading the library to a first prediction; the processes are interleaved across contenders, and an
// unmeasured first round fills the disk cache. Beside the times: what each library weighs gzipped in a browser.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { labelOf } from './contenders/roster.js';
import { log } from './harness/format.js';
import type { Row } from './harness/rounds.js';
import { summarize } from './harness/stats.js';
import { type SuiteOptions, enabled } from './options.js';

/** Where things are: the repository, and build/ (the suite's bundle; simdnet's ESM bundle in build/bench-dist). */
export interface Paths {
  root: string;
  build: string;
}

/** Each contender's script and its arguments. */
const SCRIPTS = (paths: Paths): Record<string, string[]> => ({
  simdnet: [`${paths.root}/bench/cold-start/simdnet.mjs`, `${paths.build}/bench-dist/simdnet.mjs`],
  'tfjs-wasm': [`${paths.root}/bench/cold-start/tfjs.mjs`, 'wasm'],
  'tfjs-cpu': [`${paths.root}/bench/cold-start/tfjs.mjs`, 'cpu'],
  'brain.js': [`${paths.root}/bench/cold-start/brain.mjs`],
});

/**
 * simdnet's ESM bundle split as a browser loads it: the entry with the chunks it imports statically (`core`), and
 * each chunk imported only when asked for, by its source (esbuild's metafile, written by bench/run.mjs; its paths
 * are relative to the repository).
 */
function simdnetChunks(paths: Paths): { core: string[]; lazy: { source: string; file: string }[] } {
  type Output = { entryPoint?: string; imports: { path: string; kind: string }[] };
  const { outputs } = JSON.parse(readFileSync(`${paths.build}/bench-dist.meta.json`, 'utf8')) as { outputs: Record<string, Output> };
  const core = new Set<string>();
  const visit = (file: string): void => {
    if (core.has(file)) return;
    core.add(file);
    for (const { path, kind } of outputs[file].imports) if (kind === 'import-statement') visit(path);
  };
  visit('build/bench-dist/simdnet.mjs');
  const lazy = Object.keys(outputs).filter((file) => !core.has(file))
    .map((file) => ({ source: outputs[file].entryPoint ?? 'a chunk the lazy ones share', file: `${paths.root}/${file}` }));
  return { core: [...core].map((file) => `${paths.root}/${file}`), lazy };
}

/** What a lazily imported chunk of simdnet is, for the table. */
const LAZY: [RegExp, string][] = [[/relaxed/, "the relaxed-SIMD build (simd: 'relaxed')"], [/threads/, 'the thread pool (threads > 1)']];

/** The files a browser loads for each contender, and how the table describes them. */
function bundles(paths: Paths): Record<string, { files: string[]; note: string }> {
  const modules = `${paths.root}/node_modules`;
  const simdnet = simdnetChunks(paths);
  const later = simdnet.lazy.map(({ source, file }) =>
    `+ ${gzipKb([file]).toFixed(1)} KB for ${LAZY.find(([pattern]) => pattern.test(source))?.[1] ?? source}`);
  return {
    simdnet: {
      files: simdnet.core,
      note: `ESM bundle with the chunks it imports at once, Wasm inlined; loaded only when asked for: ${later.join(', ')}`,
    },
    'tfjs-wasm': {
      files: [`${modules}/@tensorflow/tfjs/dist/tf.min.js`, `${modules}/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js`,
        `${modules}/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm`],
      note: 'tf.min.js + tf-backend-wasm.min.js + tfjs-backend-wasm-simd.wasm',
    },
    'tfjs-cpu': { files: [`${modules}/@tensorflow/tfjs/dist/tf.min.js`], note: 'tf.min.js (cpu and webgl backends)' },
    'brain.js': { files: [`${modules}/brain.js/browser.min.js`], note: 'browser.min.js' },
  };
}

function gzipKb(files: string[]): number {
  return files.reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0) / 1024;
}

/** W6's table, as the plans describe theirs. */
export const W6 = { id: 'W6', title: 'W6 cold start: import → first prediction', metric: 'ms', higherIsBetter: false };

export const coldStartNote = (runs: number): string => `${runs} fresh Node processes per contender, interleaved ` +
  '(one unmeasured round first). simdnet and tfjs build a [784,30,10] network; brain.js needs one training ' +
  'iteration before it can run.';

export function coldStart(options: SuiteOptions, paths: Paths): Row[] {
  log('W6: cold start');
  const scripts = SCRIPTS(paths);
  const sizes = bundles(paths);
  const rows: Row[] = Object.keys(scripts).filter((name) => enabled(options, name)).map((name) => ({
    contender: name, label: labelOf(name), values: [],
    extra: { 'bundle KB gzipped': gzipKb(sizes[name].files), bundle: sizes[name].note },
  }));
  for (let round = 0; round <= options.coldStartRuns; round++) {
    for (const row of rows) {
      if (row.unsupported) continue;
      const [script, ...scriptArgs] = scripts[row.contender];
      const { status, stdout, stderr } = spawnSync(process.execPath, [script, ...scriptArgs], { cwd: paths.build, encoding: 'utf8' });
      if (status !== 0) {
        // Node prints the throwing source line (minified: one long line) before the error's own `…Error: message`.
        const message = stderr.split('\n').find((line) => /^\w*Error: /.test(line));
        row.unsupported = `failed: ${message?.slice(0, 200) ?? `exit code ${status}`}`;
        log(`  ${row.contender}: ${row.unsupported}`);
      } else if (round > 0) {
        row.values.push(Number(stdout.trim().split('\n').at(-1)));
      }
    }
  }
  for (const row of rows) if (!row.unsupported && row.values.length) Object.assign(row, summarize(row.values));
  return rows;
}
