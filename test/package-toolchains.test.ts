// The package as users get it (test/packed.ts: built, packed by npm, installed from the tarball by npm; each project a copy),
// through each toolchain the README's Install section names; each recipe there is one of these tests.
// - The tarball: its file list (bundles and the .d.ts users can reach, no source maps, no internal types) and size.
// - Node: ESM, CommonJS (`require` of every entry), trainInWorker in worker_threads, a runner that cannot load.
// - TypeScript: a CommonJS project (module commonjs, moduleResolution node) compiles and runs against the types.
// - Bundlers: an app importing `simdnet/worker`, bundled by esbuild, Vite and webpack 5 for browsers, served, trains
//   XOR in a Web Worker in Chromium; the <script> build does with an explicit workerUrl.
// Each test works in a project of its own and waits mostly on child processes (Node, tsc, the bundlers, Chromium):
// after the tarball's and Vite's, the tests without a browser and the other bundlers' run side by side, each test of
// the two after the other, so that at most two child processes run at once.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, collectProblems, launch, serveSite, type Server } from './browser-harness.js';
import { XOR } from './helpers.js';
import { pack, pkg, project, root, type Packed } from './packed.js';

const SPEC = {
  inputSize: 2,
  layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  optimizer: { type: 'sgd', learningRate: 0.5 },
  seed: 42,
};
const run = promisify(execFile);
/** Runs a build tool; it must succeed, and its output is returned so that warnings can be checked. */
async function tool(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
    return stdout + stderr;
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed (${code}): ${error}${stdout ?? ''}${stderr ?? ''}`);
  }
}
/** Runs a script with Node; it must succeed, and what it prints is returned, trimmed. */
const node = async (file: string, cwd: string) => (await run(process.execPath, [file], { cwd, encoding: 'utf8' })).stdout.trim();
/** Compiles a TypeScript project (`tsc -p project`); it must succeed. */
const tsc = (project: string, cwd: string) => tool(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], cwd);

/** The README's Install section: its code blocks by info string, and the esbuild command it gives. */
const install = (() => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Install\n'), readme.indexOf('\n## ', readme.indexOf('## Install\n') + 1));
  const block = (info: string) => {
    const found = [...section.matchAll(/```([^\n]*)\n([\s\S]*?)```/g)].filter((m) => m[1] === info);
    if (found.length !== 1) throw new Error(`README's Install section has ${found.length} \`\`\`${info} blocks`);
    return found[0][2];
  };
  /** What a block says its console.log prints (`// → …`). */
  const promised = (code: string) => [...code.matchAll(/console\.log\(.*\); \/\/ → (.*)$/gm)].map((m) => m[1]);
  const esbuild = /`esbuild (main\.js [^`]+)`/.exec(section)?.[1].split(' ');
  if (!esbuild) throw new Error('no esbuild command in the Install section');
  return { section, block, promised, esbuild };
})();

let packed: Packed;

beforeAll(async () => {
  packed = await pack();
}, 240_000);

describe('the tarball', () => {
  it('holds the bundles, the .d.ts users can reach, bin, README, LICENSE and package.json, within 400 KB', () => {
    const files = packed.report.files.map((f) => f.path).sort();
    console.log(`packed ${(packed.report.size / 1024).toFixed(1)} KB, unpacked ${(packed.report.unpackedSize / 1024).toFixed(1)} KB, ` +
      `${files.length} files:\n${packed.report.files.map((f) => `  ${f.path} ${f.size}`).join('\n')}`);
    expect(files.filter((f) => !/^(dist\/.+\.(js|d\.ts)|bin\/simdnet\.js|README\.md|LICENSE|package\.json)$/.test(f))).toEqual([]);
    // No source maps (they would point at sources the package does not have), no internal or generated types.
    expect(files.filter((f) => /\.map$|^dist\/(cli|backends|generated)\//.test(f))).toEqual([]);
    // Every file that "exports", "types" and "typesVersions" name is there.
    const named = [JSON.stringify(pkg.exports), JSON.stringify(pkg.typesVersions)]
      .flatMap((text) => [...text.matchAll(/"\.\/(dist\/[^"]+)"/g)].map((m) => m[1]));
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((f) => !files.includes(f))).toEqual([]);
    for (const file of ['dist/worker-runner.js', 'dist/node/worker-runner.js', 'dist/simdnet.iife.js', 'bin/simdnet.js']) {
      expect(files).toContain(file);
    }
    expect(packed.report.size).toBeLessThanOrEqual(400 * 1024);
  });

  it('says in package.json what the README says: keywords, and the Node version', () => {
    expect(pkg.engines.node).toBe('>=20');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const stated = [...readme.matchAll(/Node(?:\.js)? ≥ ([\d.]+)/g)].map((m) => m[1]);
    expect(stated.length).toBeGreaterThan(0);
    expect(stated.filter((version) => !/^20(\.\d+)?$/.test(version))).toEqual([]);
    expect((pkg as { keywords?: string[] }).keywords).toEqual(expect.arrayContaining(['neural network', 'webassembly']));
  });
});

// The bundlers' tests: the README's main.js, bundled, served and opened in the run's Chromium.
const main = install.block('js main.js');
const modulePage = '<!doctype html><title>app</title><link rel="icon" href="data:,"><script type="module" src="./main.js"></script>\n';
/** A connection to the run's Chromium, made by the first bundler's test that opens a page. */
let browser: Promise<Browser> | undefined;
afterAll(async () => {
  const connected = await browser?.catch(() => undefined); // a failed connection failed the tests that needed it
  await connected?.close();
});

/**
 * Serves `dir` as /`mount`/ (with `mounts` beside it) on a server of its own, opens `path` there and resolves with the
 * first line the page logs, and its problems.
 */
async function open(mount: string, dir: string, path: string, mounts: Record<string, string> = {}):
  Promise<{ logged: string; problems: string[] }> {
  const server: Server = await serveSite({ ...mounts, [`/${mount}/`]: dir });
  try {
    const page = await (await (browser ??= launch())).newPage();
    const problems = collectProblems(page);
    const logged = page.waitForEvent('console', { predicate: (m) => m.type() === 'log', timeout: 60_000 });
    await page.goto(`${server.url}${mount}/${path}`);
    const text = (await logged).text();
    await page.close();
    return { logged: text, problems };
  } finally {
    await server.close();
  }
}

// Vite's build warns when its plugins run slowly, which they do beside other builds: it runs before the tests below.
describe.skipIf(!browserAvailable)('bundled for browsers, training in a Web Worker in Chromium', () => {
  it('Vite: the README\'s main.js, vite build with no configuration', async () => {
    const dir = await project(packed, 'vite-app', { type: 'module' });
    writeFileSync(join(dir, 'main.js'), main);
    writeFileSync(join(dir, 'index.html'), modulePage);
    const output = await tool(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--base', './',
      '--outDir', 'out', '--logLevel', 'warn'], dir);
    // Nothing to warn about, apart from Rolldown's note on how long Vite's own plugins ran (past 1 s of a build), which
    // a loaded machine prints (vite:worker-import-meta-url, 2.7 s at load 30) and a quiet one does not.
    expect(output.replace(/^\S*\[PLUGIN_TIMINGS\][^]*?rolldown\.rs\/reference\/InputOptions\.checks#\w+[^\n]*\n\s*/m, '')).toBe('');
    // Vite emitted the runner as a worker of its own.
    expect(readdirSync(join(dir, 'out/assets')).filter((f) => f.startsWith('worker-runner'))).toHaveLength(1);
    const { logged, problems } = await open('vite', join(dir, 'out'), 'index.html');
    expect(logged).toBe(install.promised(main)[0]);
    expect(problems).toEqual([]);
  });
});

describe('from the tarball, without a browser', { concurrent: true }, () => {
  describe.sequential('in Node', () => {
    const trainXor = `const net = await Network.create(${JSON.stringify(SPEC)});
  const xor = ${JSON.stringify(XOR)};
  net.trainSync(xor, { epochs: 2000 });
  console.log(JSON.stringify(Array.from(net.predictBatch(xor.inputs), (p) => Math.round(p))));`;

    it('imports the package from an ES module: the ESM recipe, and the README\'s exclusive-or as it is', async () => {
      const app = await project(packed, 'node-esm', { type: 'module' });
      expect(install.block('js')).toBe("import { Network } from 'simdnet';\n");
      const readme = readFileSync(join(root, 'README.md'), 'utf8');
      const xor = /## Ten lines: exclusive-or\n\n```js\n([\s\S]*?)```/.exec(readme)![1];
      writeFileSync(join(app, 'xor.js'), xor);
      expect(await node('xor.js', app)).toBe(install.promised(xor).join('\n'));
      writeFileSync(join(app, 'app.js'), `import { Network } from 'simdnet';\n${trainXor}\n`);
      expect(await node('app.js', app)).toBe('[0,1,1,0]');
    });

    it('runs the README\'s CommonJS recipe, and requires every entry, sharing one SimdnetError with import', async () => {
      const app = await project(packed, 'node-cjs');
      const recipe = install.block('cjs');
      writeFileSync(join(app, 'recipe.cjs'), recipe);
      expect(await node('recipe.cjs', app)).toBe(install.promised(recipe).join('\n'));
      const entries = Object.keys(pkg.exports).filter((key) => !/^\.\/(package\.json|worker-runner|simdnet\.iife\.js)$/.test(key))
        .map((key) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`));
      expect(entries).toEqual(['simdnet', 'simdnet/worker', 'simdnet/mnist', 'simdnet/node', 'simdnet/table']);
      writeFileSync(join(app, 'app.cjs'), `if (typeof module !== 'object' || typeof require !== 'function') throw new Error('not CommonJS');
const { Network, SimdnetError } = require('simdnet');
for (const entry of ${JSON.stringify(entries)}) {
  if (Object.keys(require(entry)).length === 0) throw new Error(entry + ' exports nothing');
}
if (typeof require('simdnet/worker').trainInWorker !== 'function') throw new Error('no trainInWorker');
(async () => {
  if ((await import('simdnet')).SimdnetError !== SimdnetError) throw new Error('two SimdnetError classes');
  ${trainXor}
})().catch((error) => { console.error(error); process.exitCode = 1; });
`);
      expect(await node('app.cjs', app)).toBe('[0,1,1,0]');
    });

    it('trains in a worker thread through simdnet/worker, and names a runner that cannot load', async () => {
      const app = await project(packed, 'node-worker', { type: 'module' });
      writeFileSync(join(app, 'app.js'), `import { Network } from 'simdnet';
import { trainInWorker } from 'simdnet/worker';
const xor = ${JSON.stringify(XOR)};
const { model, history } = await trainInWorker({ network: ${JSON.stringify(SPEC)}, data: xor, options: { epochs: 2000 } });
const net = await Network.fromJSON(model);
console.log(history.epochs.length, JSON.stringify(Array.from(net.predictBatch(xor.inputs), (p) => Math.round(p))));
const missing = new URL('./nowhere/worker-runner.js', import.meta.url);
await trainInWorker({ network: ${JSON.stringify(SPEC)}, data: xor }, { workerUrl: missing }).then(
  () => console.log('loaded?'),
  (error) => console.log(error.name, error.code, error.message.includes(missing.href)));
`);
      expect(await node('app.js', app)).toBe('2000 [0,1,1,0]\nSimdnetError WORKER_FAILED true');
    });
  });

  describe.sequential('the walls a new user met, from the tarball', () => {
    it('saves into folders that do not exist, reads bytes, inspects, and takes the other libraries\' conventions', async () => {
      const app = await project(packed, 'node-walls', { type: 'module' });
      writeFileSync(join(app, 'app.js'), `import { inspect } from 'node:util';
import { readFileSync } from 'node:fs';
import { Network, NumpyRandom } from 'simdnet';
import { saveModel, loadModel, saveTfjsModel } from 'simdnet/node';
const out = [];
const net = await Network.create({ inputSize: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  optimizer: 'adam', loss: 'binaryCrossentropy', seed: 1 });
// brain.js' data shape, and (inputs, targets).
net.trainSync([{ input: [0, 0], output: [0] }, { input: [1, 1], output: [1] }], { epochs: 2 });
net.trainSync([[0, 1], [1, 0]], [[1], [1]], { epochs: 2 });
out.push(net.spec.optimizer.type, net.spec.loss);
// Saving into folders that do not exist, and reading a model file as bytes.
await saveModel('models/new/net.json', net);
await saveTfjsModel('models/tfjs', net);
const again = await Network.fromJSON(readFileSync('models/new/net.json'));
const loaded = await loadModel('models/new/net.json');
out.push(String(again.predict([1, 0])[0] === net.predict([1, 0])[0] && loaded.predict([1, 0])[0] === net.predict([1, 0])[0]));
// Inspection: a summary, and what console.log shows.
out.push(String(net.summary().includes('Parameters') || net.summary().includes('parameters')));
out.push(String(inspect(net).includes(net.summary().split('\\n')[0])));
// numpy's random() alone is one number; new Network() points to Network.create.
out.push(typeof new NumpyRandom(0).random());
try { new Network(); out.push('constructed?'); } catch (error) { out.push(error.code, String(error.message.includes('Network.create'))); }
try { await Network.fromJSON(42); } catch (error) { out.push(error.code); }
console.log(out.join(' '));
`);
      expect(await node('app.js', app)).toBe('adam binaryCrossEntropy true true true number INVALID_OPTIONS true INVALID_MODEL');
    });

    it('type-checks readonly and \`as const\` data against the shipped types', async () => {
      const app = await project(packed, 'ts-readonly', { type: 'module' });
      writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'nodenext', strict: true, noEmit: true, skipLibCheck: false,
          lib: ['ES2022', 'DOM'], types: [] },
        files: ['app.ts'],
      }));
      writeFileSync(join(app, 'app.ts'), `import { Network, NumpyRandom } from 'simdnet';
const inputs = [[0, 0], [0, 1], [1, 0], [1, 1]] as const;
const targets: readonly (readonly number[])[] = [[0], [1], [1], [0]];
const net = await Network.create({ inputSize: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }] } as const);
net.trainSync({ inputs, targets }, { epochs: 1 });
const one: number = new NumpyRandom(0).random();
export { one };
`);
      await tsc(app, app);
    });
  });

  describe.sequential('in TypeScript', () => {
    it('compiles and runs a CommonJS project (module commonjs, moduleResolution node; and module nodenext) using every entry\'s types', async () => {
      const app = await project(packed, 'ts-cjs');
      writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, outDir: 'out',
          skipLibCheck: false, lib: ['ES2022', 'DOM'], types: [] },
        files: ['app.ts'],
      }));
      writeFileSync(join(app, 'app.ts'), `import { Network, SimdnetError, type NetworkSpec } from 'simdnet';
import { trainInWorker, type WorkerTrainResult } from 'simdnet/worker';
import type { loadMnist } from 'simdnet/mnist';
import type { saveTfjsModel } from 'simdnet/node';
import type { readCsv } from 'simdnet/table';

const spec: NetworkSpec = ${JSON.stringify(SPEC)};
const xor = ${JSON.stringify(XOR)};
type Entries = [typeof loadMnist, typeof saveTfjsModel, typeof readCsv, typeof trainInWorker, WorkerTrainResult];
export const entries: Entries | undefined = undefined;

async function main(): Promise<void> {
  const net = await Network.create(spec);
  net.trainSync(xor, { epochs: 2000 });
  console.log(JSON.stringify(Array.from(net.predictBatch(xor.inputs), (p) => Math.round(p))));
  try {
    net.predict([Number.NaN, 0]);
  } catch (error) {
    if (error instanceof SimdnetError) console.log(error.code);
  }
}
main().catch((error: unknown) => { console.error(error); process.exitCode = 1; });
declare const process: { exitCode?: number };
`);
      await tsc(app, app);
      expect(readFileSync(join(app, 'out/app.js'), 'utf8')).toContain('require("simdnet")');
      expect(await node('out/app.js', app)).toBe('[0,1,1,0]\nNON_FINITE_INPUT');
      // The same CommonJS file under module nodenext, which checks that what it requires may be required (TS1479).
      writeFileSync(join(app, 'tsconfig.nodenext.json'), JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'nodenext', strict: true, noEmit: true, skipLibCheck: false,
          lib: ['ES2022', 'DOM'], types: [] },
        files: ['app.ts'],
      }));
      await tsc(join(app, 'tsconfig.nodenext.json'), app);
    });
  });
});

describe.skipIf(!browserAvailable)('bundled for browsers, training in a Web Worker in Chromium', { concurrent: true }, () => {
  it.sequential('esbuild: the README\'s main.js and command (the runner as a second entry, format esm)', async () => {
    const dir = await project(packed, 'esbuild-app', { type: 'module' });
    writeFileSync(join(dir, 'main.js'), main);
    expect(await tool(join(root, 'node_modules/.bin/esbuild'), [...install.esbuild, '--log-level=warning'], dir)).toBe('');
    writeFileSync(join(dir, 'out/index.html'), modulePage);
    const { logged, problems } = await open('esbuild', join(dir, 'out'), 'index.html');
    expect(logged).toBe(install.promised(main)[0]);
    expect(problems).toEqual([]);
    // Nothing in it imports a Node module (esbuild would have stopped at one it cannot resolve for a browser).
    expect(readFileSync(join(dir, 'out/main.js'), 'utf8')).not.toMatch(/(from|import\()\s*["']node:/);
  });

  it.sequential('esbuild, default format (IIFE): trains with workerUrl, and says it needs one without', async () => {
    const dir = await project(packed, 'esbuild-iife', { type: 'module' });
    writeFileSync(join(dir, 'main.js'), `import { trainInWorker } from 'simdnet/worker';
const request = { network: ${JSON.stringify(SPEC)}, data: ${JSON.stringify(XOR)}, options: { epochs: 2000 } };
const failed = (error) => ({ name: error.name, code: error.code, message: error.message });
trainInWorker(request).catch(failed).then((missing) => trainInWorker(request, { workerUrl: './worker-runner.js' })
  .then(({ history }) => console.log(JSON.stringify({ epochs: history.epochs.length, missing })),
    (error) => console.log(JSON.stringify(failed(error)))));
`);
    await tool(join(root, 'node_modules/.bin/esbuild'), ['main.js', '--bundle', '--outdir=out', '--log-level=error'], dir);
    await tool(join(root, 'node_modules/.bin/esbuild'), ['worker-runner=simdnet/worker-runner', '--bundle', '--format=esm',
      '--outdir=out', '--log-level=warning'], dir);
    writeFileSync(join(dir, 'out/index.html'), '<!doctype html><title>app</title><link rel="icon" href="data:,"><script src="./main.js"></script>\n');
    const { logged, problems } = await open('esbuild-iife', join(dir, 'out'), 'index.html');
    const result = JSON.parse(logged) as { epochs: number; missing: { name: string; code: string; message: string } };
    expect(result).toMatchObject({ epochs: 2000, missing: { name: 'SimdnetError', code: 'INVALID_OPTIONS' } });
    expect(result.missing.message).toMatch(/^workerUrl: /);
    expect(problems).toEqual([]);
  });

  it.sequential('webpack 5: the README\'s main.js as src/index.js, webpack --mode production with no configuration', async () => {
    const dir = await project(packed, 'webpack-app', { type: 'module' });
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/index.js'), main);
    const log = await tool(process.execPath, [join(root, 'node_modules/webpack-cli/bin/cli.js'), '--mode', 'production'], dir);
    expect(log).toMatch(/compiled successfully/);
    expect(log).not.toMatch(/WARNING|ERROR/);
    writeFileSync(join(dir, 'dist/index.html'), modulePage);
    const { logged, problems } = await open('webpack', join(dir, 'dist'), 'index.html');
    expect(logged).toBe(install.promised(main)[0]);
    expect(problems).toEqual([]);
  });

  it.sequential('<script src="simdnet.iife.js">: the README\'s page, with the package\'s dist/ served as it is', async () => {
    const dir = await project(packed, 'script-page');
    const recipe = install.block('html');
    mkdirSync(join(dir, 'page'));
    writeFileSync(join(dir, 'page/index.html'), `<!doctype html><title>app</title><link rel="icon" href="data:,">\n${recipe}`);
    const { logged, problems } = await open('script', join(dir, 'page'), 'index.html',
      { '/simdnet/': join(dir, 'node_modules/simdnet/dist') });
    expect(logged).toBe(install.promised(recipe)[0]);
    expect(problems).toEqual([]);
  });
});
