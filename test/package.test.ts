// Package quality: what `npm pack` ships, and whether the packed package works for its users.
// - `npm pack --dry-run` of the repository lists dist/ (bundles and .d.ts), bin/ (the `simdnet` command), README.md,
//   LICENSE and package.json, and nothing else: no src/, test/, build/, assembly/, web/, no source maps.
// - The package as test/packed.ts makes it (a fresh build, packed) is unpacked into a scratch project, where
//   * a TypeScript consumer type-checks against its .d.ts (skipLibCheck off, so the shipped types are checked too);
//   * it imports from an ES module and from CommonJS through import(), and trains XOR;
//   * every entry point in package.json's "exports" resolves.
// test/package-toolchains.test.ts installs the same tarball with npm and goes through each toolchain.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { XOR } from './helpers.js';
import { npm, pack, pkg, root } from './packed.js';

/** What may be in the tarball: the `files` of package.json (dist's .js and .d.ts, bin, README.md, LICENSE) and package.json. */
const SHIPPED = /^(dist\/.+\.(js|d\.ts)|bin\/simdnet\.js|README\.md|LICENSE|package\.json)$/;

function packedFiles(cwd: string): string[] {
  const [report] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], cwd)) as { files: { path: string }[] }[];
  return report.files.map((f) => f.path).sort();
}

describe('npm pack --dry-run of the repository', () => {
  let listed: string[] | undefined;
  const rootFiles = () => (listed ??= packedFiles(root));

  it('ships dist, bin, README.md, LICENSE and package.json, nothing else', () => {
    const files = rootFiles();
    expect(files.filter((f) => !SHIPPED.test(f))).toEqual([]);
    for (const required of ['README.md', 'LICENSE', 'package.json']) expect(files).toContain(required);
    expect([...pkg.files].sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist/**/*.d.ts', 'dist/**/*.js']);
  });

  // dist/ is written by `npm run build` (and by `npm ci`, through "prepare"); without it the test says so.
  it.skipIf(!existsSync(join(root, 'dist/index.js')))('ships the built dist/index.js and dist/index.d.ts', () => {
    const files = rootFiles();
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
  });
});

describe('the packed package, installed in a scratch project', () => {
  let consumer: string;

  beforeAll(async () => {
    const packed = await pack();
    expect(packed.report.files.map((f) => f.path).filter((f) => !SHIPPED.test(f))).toEqual([]);
    consumer = join(packed.scratch, 'consumer');
    const installed = join(consumer, 'node_modules', pkg.name);
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', packed.tarball, '-C', installed, '--strip-components=1']);
    // What npm install puts beside it: the package's runtime dependencies (papaparse, for simdnet/table).
    for (const dependency of Object.keys(pkg.dependencies ?? {})) {
      symlinkSync(join(root, 'node_modules', dependency), join(consumer, 'node_modules', dependency), 'dir');
    }
    // A Node project in TypeScript has @types/node; nothing else of this repository is visible from here.
    mkdirSync(join(consumer, 'node_modules/@types'), { recursive: true });
    symlinkSync(join(root, 'node_modules/@types/node'), join(consumer, 'node_modules/@types/node'), 'dir');
    symlinkSync(join(root, 'node_modules/undici-types'), join(consumer, 'node_modules/undici-types'), 'dir');
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  }, 180_000);

  it('type-checks a TypeScript consumer against the shipped .d.ts', () => {
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
        skipLibCheck: false, lib: ['ES2022', 'DOM'], types: ['node'] },
      files: ['consumer.ts', 'mistake.ts'],
    }));
    writeFileSync(join(consumer, 'consumer.ts'), `
import { Network, NumpyRandom, SimdnetError, type NetworkSpec, type NetworkJSON, type TrainHistory } from 'simdnet';

const spec: NetworkSpec = {
  inputSize: 2,
  layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  loss: 'binaryCrossEntropy',
  optimizer: { type: 'adam', learningRate: 0.05 },
  seed: 42,
};
export async function main(): Promise<number> {
  const net: Network = await Network.create(spec);
  const history: TrainHistory = net.trainSync({ inputs: [[0, 0], [1, 1]], targets: [[0], [1]] }, { epochs: 10 });
  const json: NetworkJSON = net.toJSON();
  const again = await Network.fromJSON(JSON.stringify(json), { backend: 'js', maxParameters: 1000 });
  const artifacts = net.toTfjs();
  const imported = await Network.fromTfjs(artifacts, { loss: 'mse' });
  const migrated = await Network.fromBrainJSON({ sizes: [1, 1], layers: [{ 0: {} }, { 0: { bias: 0, weights: { 0: 1 } } }] });
  const out: Float32Array | Float64Array = again.predict([0.5, 0.5]);
  try {
    net.predict([Number.NaN, 0]);
  } catch (error) {
    if (error instanceof SimdnetError && error.code === 'NON_FINITE_INPUT') console.log(error.message);
  }
  new NumpyRandom(1).randn(3);
  [net, again, imported, migrated].forEach((n) => n.dispose());
  return history.epochs.length + out.length + artifacts.weightData.byteLength;
}
`);
    // And a mistake the types must catch, so that the check is known to bite.
    writeFileSync(join(consumer, 'mistake.ts'), `
import { Network } from 'simdnet';
// @ts-expect-error: 'swish' is not an activation
await Network.create({ inputSize: 2, layers: [{ units: 1, activation: 'swish' }] });
`);
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', consumer], { cwd: consumer, stdio: 'pipe' })).not.toThrow();
  });

  const script = `
const { Network } = await import('simdnet');
const net = await Network.create({ inputSize: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  optimizer: { type: 'sgd', learningRate: 0.5 }, seed: 42 });
const xor = ${JSON.stringify(XOR)};
net.trainSync(xor, { epochs: 2000 });
console.log(JSON.stringify(Array.from(net.predictBatch(xor.inputs), (p) => Math.round(p))));
`;

  it('imports from an ES module', () => {
    writeFileSync(join(consumer, 'esm.mjs'), script);
    expect(execFileSync(process.execPath, ['esm.mjs'], { cwd: consumer, encoding: 'utf8' }).trim()).toBe('[0,1,1,0]');
  });

  it('imports from CommonJS through import()', () => {
    // A .cjs file is CommonJS whatever package.json says: `module` and `require` exist, top-level await does not, so
    // the script runs inside an async function. The package has no "require" export, so import() is the way in.
    writeFileSync(join(consumer, 'cjs.cjs'), `if (typeof module !== 'object' || typeof require !== 'function') {
  throw new Error('not CommonJS');
}
(async () => {${script}})().catch((error) => { console.error(error); process.exitCode = 1; });`);
    expect(execFileSync(process.execPath, ['cjs.cjs'], { cwd: consumer, encoding: 'utf8' }).trim()).toBe('[0,1,1,0]');
  });

  it('resolves every entry point in "exports"', () => {
    const entries = Object.keys(pkg.exports).filter((key) => key !== './package.json');
    const check = entries.map((key) => {
      const specifier = key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`;
      // The IIFE build is a classic script and the runner runs only inside a worker: they must exist, not be imported.
      return key.endsWith('.js') || key === './worker-runner'
        ? `await import('node:fs').then((fs) => fs.promises.access(new URL(import.meta.resolve(${JSON.stringify(specifier)}))));`
        : `if (Object.keys(await import(${JSON.stringify(specifier)})).length === 0) throw new Error(${JSON.stringify(specifier)});`;
    }).join('\n');
    writeFileSync(join(consumer, 'exports.mjs'), `${check}\nconsole.log('ok');\n`);
    expect(execFileSync(process.execPath, ['exports.mjs'], { cwd: consumer, encoding: 'utf8' }).trim()).toBe('ok');
  });

  it('installs the simdnet command', () => {
    expect(pkg.bin).toEqual({ simdnet: './bin/simdnet.js' });
    expect(existsSync(join(consumer, 'node_modules', pkg.name, 'bin/simdnet.js'))).toBe(true);
  });
});
