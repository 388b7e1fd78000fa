// The opt-in relaxed-SIMD core (`simd: 'relaxed'`) computes the same function as the default one: every product
// kernel, and a network trained for 20 steps, within 1e-5 relative (relaxed_madd may fuse a multiply and an add,
// rounding once instead of twice). Node 20 has relaxed SIMD only behind --experimental-wasm-relaxed-simd, so the
// comparison runs in a child Node process started with that flag (test/fixtures/relaxed-agreement.ts, bundled
// here with esbuild); it is skipped only if even that process lacks relaxed SIMD. Without it, asking for
// relaxed SIMD is an UNSUPPORTED_RUNTIME error that says how to get it.

import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';
import { hasRelaxedSimd } from '../src/backends/wasm/module.js';
import { expectSimdnetError, failure } from './helpers.js';

const FLAG = '--experimental-wasm-relaxed-simd';
const dir = mkdtempSync(join(tmpdir(), 'simdnet-relaxed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the fixture in a child process with the flag; its JSON verdicts. */
async function agreement(): Promise<Record<string, number | boolean>> {
  const outfile = join(dir, 'relaxed-agreement.mjs');
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./fixtures/relaxed-agreement.ts', import.meta.url))], outfile, bundle: true,
    format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent',
  });
  return JSON.parse(execFileSync(process.execPath, [FLAG, outfile], { encoding: 'utf8' }).trim().split('\n').at(-1)!);
}

describe("simd: 'relaxed'", () => {
  it('agrees with the default core within 1e-5 relative: products, a step, a trained network', async (context) => {
    const results = await agreement();
    if (!results.supported) context.skip(`this Node (${process.version}) has no relaxed SIMD even with ${FLAG}`);
    expect(results.relaxedSpec).toBe(true);
    const cases = Object.entries(results).filter(([, v]) => typeof v === 'number');
    expect(cases.length).toBeGreaterThanOrEqual(22);
    for (const [name, error] of cases) expect(error, name).toBeLessThanOrEqual(1e-5);
  });

  it('is refused with UNSUPPORTED_RUNTIME where the runtime lacks relaxed SIMD, and validated as a spec field', async (context) => {
    await expect(Network.create({ inputSize: 2, layers: [{ units: 1 }], simd: 'fast' as never }))
      .rejects.toThrow(/simd: unknown value "fast"/);
    await expect(Network.create({ inputSize: 2, layers: [{ units: 1 }], simd: 'relaxed', backend: 'js' }))
      .rejects.toThrow(/simd: "relaxed" applies to the wasm backend only/);
    const plain = await Network.create({ inputSize: 2, layers: [{ units: 1 }], simd: 'default', seed: 1 });
    expect('simd' in plain.spec).toBe(false); // the default is not written into specs and model files
    plain.dispose();
    if (hasRelaxedSimd()) context.skip('this process has relaxed SIMD');
    const error = await failure(() => Network.create({ inputSize: 2, layers: [{ units: 1 }], simd: 'relaxed' }));
    expectSimdnetError(error, 'UNSUPPORTED_RUNTIME', /--experimental-wasm-relaxed-simd/);
  });
});
