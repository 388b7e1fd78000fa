// The published bundles, built by build.mjs's esbuild step: the ESM bundle trains XOR in Node and in Chromium, the
// IIFE bundle defines globalThis.simdnet, and no browser bundle reaches a Node-only module.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Simdnet from '../src/index.js';
import { browserAvailable, buildInto, collectProblems, launch, serveSite } from './browser-harness.js';

const XOR = { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] };
const SPEC = {
  inputSize: 2,
  layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  optimizer: { type: 'sgd', learningRate: 0.5 },
  seed: 42,
} as const;

/** Trains XOR with a bundle's Network and returns the four outputs. Runs in Node and, serialised, in the page. */
async function trainXor(simdnet: typeof Simdnet, spec: typeof SPEC, xor: typeof XOR): Promise<number[]> {
  const net = await simdnet.Network.create(spec as unknown as Simdnet.NetworkSpec);
  net.trainSync(xor, { epochs: 2000 });
  const out = Array.from(net.predictBatch(xor.inputs));
  net.dispose();
  return out;
}

/** The output files `file` loads by static imports (itself included): what a user of that entry always loads. */
function staticallyLoaded(metafile: Metafile, file: string): Set<string> {
  const loaded = new Set<string>();
  const visit = (f: string) => {
    if (loaded.has(f)) return;
    loaded.add(f);
    for (const i of metafile.outputs[f]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(file);
  return loaded;
}

const expectXor = (out: number[]) => {
  expect(out).toHaveLength(4);
  out.forEach((v, i) => expect(Math.abs(v - XOR.targets[i][0])).toBeLessThan(0.2));
};

/** Each bundle is built into a directory of its own under build/test-bundle/ (their file names may coincide). */
const bundleRoot = fileURLToPath(new URL('../build/test-bundle/', import.meta.url));
const repository = fileURLToPath(new URL('..', import.meta.url));
let results: Awaited<ReturnType<typeof buildInto>>['results'];
type Metafile = (typeof results)[number]['metafile'];

beforeAll(async () => {
  // Every bundle build.mjs lists but the CLI's (Node-only by design).
  const build = await import(/* @vite-ignore */ new URL('../build.mjs', import.meta.url).href) as
    { bundles: { name: string }[] };
  const names = build.bundles.map((bundle) => bundle.name).filter((name) => name !== 'cli');
  results = [];
  for (const name of names) results.push(...(await buildInto(`bundle/${name}`, [name])).results);
}, 120_000);

describe('the bundles in Node', () => {
  it('imports the ESM bundle and trains XOR with the inlined Wasm', async () => {
    const simdnet = (await import(/* @vite-ignore */ pathToFileURL(join(bundleRoot, 'esm', 'index.js')).href)) as typeof Simdnet;
    expectXor(await trainXor(simdnet, SPEC, XOR));
    expect(Object.keys(simdnet)).toEqual(expect.arrayContaining(['Network', 'NumpyRandom', 'SimdnetError']));
  });

  it('runs the IIFE bundle as a classic script that defines simdnet on the global object', async () => {
    const context: Record<string, unknown> = {
      atob, btoa, performance, setTimeout, setImmediate, MessageChannel, TextDecoder, TextEncoder, console, crypto,
    };
    runInNewContext(readFileSync(join(bundleRoot, 'iife', 'simdnet.iife.js'), 'utf8'), context);
    const simdnet = context.simdnet as typeof Simdnet;
    expect(typeof simdnet.Network.create).toBe('function');
    expectXor(await trainXor(simdnet, SPEC, XOR));
  });

  it('keeps Node-only modules (src/node/, src/cli/) out of every bundle a browser loads', () => {
    const nodeOnly = /^src\/(node|cli)\//;
    for (const { name, metafile } of results) {
      for (const [file, output] of Object.entries(metafile.outputs)) {
        // Browser-facing entries: every entry but `simdnet/mnist`, `simdnet/node` and the "node" condition's
        // `simdnet/worker` and its runner (src/node/worker*.ts), which are Node-only by design.
        if (!output.entryPoint || nodeOnly.test(output.entryPoint)) continue;
        const loaded = staticallyLoaded(metafile, file);
        const inputs = [...loaded].flatMap((f) => Object.keys(metafile.outputs[f].inputs));
        expect(inputs.filter((f) => nodeOnly.test(f)), `${name}: ${file}`).toEqual([]);
        // Only the thread pool mentions a Node module, node:worker_threads, in a dynamic import taken when it runs
        // in Node.
        // Output paths in a metafile are relative to the working directory esbuild ran in, the repository.
        const text = [...loaded].map((f) => readFileSync(join(repository, f), 'utf8')).join('\n');
        const nodeImports = [...text.matchAll(/["'](node:[a-z_]+)["']/g)].map((m) => m[1]);
        const hasWorkerHelper = inputs.some((f) => /^src\/backends\/wasm\/threads\//.test(f));
        if (hasWorkerHelper) expect(nodeImports.every((m) => m === 'node:worker_threads'), file).toBe(true);
        else expect(nodeImports, file).toEqual([]);
      }
    }
  });

  it('leaves the thread pool out of what the ESM index.js loads up front (imported only for threads > 1)', () => {
    const { metafile } = results.find((r) => r.name === 'esm')!;
    const [index] = Object.keys(metafile.outputs).filter((f) => metafile.outputs[f].entryPoint === 'src/index.ts');
    const inputs = [...staticallyLoaded(metafile, index)].flatMap((f) => Object.keys(metafile.outputs[f].inputs));
    expect(inputs).toContain('src/backends/wasm/backend.ts');
    expect(inputs.filter((f) => f.startsWith('src/backends/wasm/threads/'))).toEqual([]);
    // The pool is in the bundle all the same, in a chunk of its own that index.js imports dynamically.
    const all = Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs));
    expect(all).toContain('src/backends/wasm/threads/pool.ts');
  });
});

describe.skipIf(!browserAvailable)('the bundles in Chromium', () => {
  let browser: Browser;
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    writeFileSync(join(bundleRoot, 'blank.html'), '<!doctype html><title>bundle test</title><link rel="icon" href="data:,">\n');
    server = await serveSite({ '/bundle/': bundleRoot });
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('imports the ESM bundle in a module and trains XOR', async () => {
    const page = await browser.newPage();
    const problems = collectProblems(page);
    await page.goto(`${server.url}bundle/blank.html`);
    const out = await page.evaluate(async ([trainSource, spec, xor]) => {
      // Built at run time so that vitest's transform leaves the browser's own import() alone.
      const simdnet = await (new Function('url', 'return import(url)'))('/bundle/esm/index.js');
      const train = new Function(`return ${trainSource}`)();
      return train(simdnet, spec, xor);
    }, [trainXor.toString(), SPEC, XOR] as const);
    expectXor(out);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('loads the IIFE bundle with a plain <script> tag and trains XOR through globalThis.simdnet', async () => {
    const page = await browser.newPage();
    const problems = collectProblems(page);
    await page.goto(`${server.url}bundle/blank.html`);
    await page.addScriptTag({ url: '/bundle/iife/simdnet.iife.js' });
    const out = await page.evaluate(async ([trainSource, spec, xor]) => {
      const train = new Function(`return ${trainSource}`)();
      return train((globalThis as unknown as { simdnet: unknown }).simdnet, spec, xor);
    }, [trainXor.toString(), SPEC, XOR] as const);
    expectXor(out);
    expect(problems).toEqual([]);
    await page.close();
  });
});
