// simdnet under a strict Content-Security-Policy:
// - no shipped bundle contains eval(…), new Function or Function(…) (checked in dist/ when it has been built, and
//   in a fresh build of every published bundle made for this test);
// - in Chromium, a page whose policy is `script-src 'self' 'wasm-unsafe-eval'` (no 'unsafe-eval') trains XOR on
//   both backends with no violation reported; with `script-src 'self'` alone, which forbids compiling any
//   WebAssembly, the js backend still trains.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, buildInto, launch, serveSite } from './browser-harness.js';
import { XOR } from './helpers.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Every .js file under `dir`. */
function scripts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return scripts(path);
    return name.endsWith('.js') || name.endsWith('.mjs') ? [path] : [];
  });
}

/** What a strict CSP forbids: eval, the Function constructor (with or without new), string timers. */
const FORBIDDEN = [
  /(?<![\w$])eval\s*\(/,
  /\bnew\s+Function\b/,
  /(?<![\w$])Function\s*\(/,
  /\bset(?:Timeout|Interval)\s*\(\s*["'`]/,
];

function violations(files: string[]): string[] {
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return FORBIDDEN.flatMap((pattern) => {
      const match = pattern.exec(text);
      return match ? [`${file}: …${text.slice(Math.max(0, match.index - 40), match.index + 40)}…`] : [];
    });
  });
}

let outdir: string;
let published: string[];

beforeAll(async () => {
  const build = await import(/* @vite-ignore */ new URL('../build.mjs', import.meta.url).href) as {
    bundles: { name: string; outdir: string }[] };
  published = build.bundles.filter((b) => b.outdir === 'dist').map((b) => b.name);
  ({ outdir } = await buildInto('csp', published));
}, 120_000);

describe('the shipped bundles', () => {
  it('contain no eval, new Function or Function(…), in a fresh build of every published bundle', () => {
    const files = scripts(outdir);
    expect(files.length).toBeGreaterThanOrEqual(published.length);
    expect(violations(files)).toEqual([]);
  });

  // dist/ is written by `npm run build` (and by `npm ci`, through "prepare"); without it the test says so.
  it.skipIf(!existsSync(join(root, 'dist')))('contain none in dist/ either', () => {
    expect(violations(scripts(join(root, 'dist')))).toEqual([]);
  });

  it('the scanner finds what it looks for', () => {
    const probes = ['x=eval("1")', 'new Function("a","return a")', 'const f=Function("return this")', 'setTimeout("go()",1)'];
    for (const probe of probes) expect(FORBIDDEN.some((p) => p.test(probe)), probe).toBe(true);
    for (const fine of ['evaluate(x)', 'isFunction(f)', 'typeof f=="function"', 'retrieval(1)']) {
      expect(FORBIDDEN.some((p) => p.test(fine)), fine).toBe(false);
    }
  });
});

describe.skipIf(!browserAvailable)('in Chromium under a Content-Security-Policy', () => {
  let browser: Browser;
  let server: { url: string; close(): Promise<void> };

  const page = (policy: string) => `<!doctype html>
<meta http-equiv="Content-Security-Policy" content="${policy}">
<title>simdnet under CSP</title>
<script type="module" src="csp-run.js"></script>
`;

  beforeAll(async () => {
    writeFileSync(join(outdir, 'csp-run.js'), `
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));
const results = {};
try {
  const { Network } = await import('./index.js');
  const xor = ${JSON.stringify(XOR)};
  for (const backend of ['wasm', 'js']) {
    try {
      const net = await Network.create({ inputSize: 2, layers: [{ units: 4, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' }], optimizer: { type: 'sgd', learningRate: 0.5 }, seed: 42, backend });
      net.trainSync(xor, { epochs: 2000 });
      results[backend] = Array.from(net.predictBatch(xor.inputs), (p) => Math.round(p));
      net.dispose();
    } catch (error) {
      results[backend] = { name: error.name, code: error.code, message: String(error.message).slice(0, 200) };
    }
  }
} catch (error) {
  results.import = String(error);
}
window.__csp = { results, violations };
`);
    writeFileSync(join(outdir, 'csp-wasm.html'), page("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'"));
    writeFileSync(join(outdir, 'csp-strictest.html'), page("default-src 'none'; script-src 'self'"));
    server = await serveSite({ '/csp/': outdir });
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function run(file: string) {
    const tab = await browser.newPage();
    await tab.goto(`${server.url}csp/${file}`);
    await tab.waitForFunction(() => (window as { __csp?: unknown }).__csp !== undefined, undefined, { timeout: 30_000 });
    const result = await tab.evaluate(() => (window as unknown as { __csp: {
      results: Record<string, unknown>; violations: string[] } }).__csp);
    await tab.close();
    return result;
  }

  it("trains on both backends under script-src 'self' 'wasm-unsafe-eval', with no violation", async () => {
    const { results, violations: reported } = await run('csp-wasm.html');
    expect(results).toEqual({ wasm: [0, 1, 1, 0], js: [0, 1, 1, 0] });
    expect(reported).toEqual([]);
  });

  let strictest: Promise<Awaited<ReturnType<typeof run>>> | undefined;
  const strictestRun = () => (strictest ??= run('csp-strictest.html'));

  it("trains on the js backend under script-src 'self' alone (no WebAssembly allowed)", async () => {
    const { results } = await strictestRun();
    expect(results.js).toEqual([0, 1, 1, 0]);
    expect(results.wasm).toMatchObject({ name: expect.any(String) }); // refused, as the policy demands
  });

  // Without 'wasm-unsafe-eval', WebAssembly.compile rejects with a CompileError; coreModule
  // (src/backends/wasm/module.ts) turns it into SimdnetError('UNSUPPORTED_RUNTIME') naming the missing source and
  // backend: 'js' as the way out, so that the user learns what to do.
  it("refuses the wasm backend there with UNSUPPORTED_RUNTIME naming 'wasm-unsafe-eval'", async () => {
    const { results } = await strictestRun();
    expect(results.wasm).toMatchObject({ name: 'SimdnetError', code: 'UNSUPPORTED_RUNTIME',
      message: expect.stringContaining('wasm-unsafe-eval') });
  });
});
