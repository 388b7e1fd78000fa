// The package as users get it: a fresh build of the published bundles and their .d.ts (build.mjs's own steps, into
// a staging folder of the test's, so a stale or missing dist/ cannot fool it), packed by `npm pack`, and installed
// by `npm install <tarball>` into fresh projects.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../', import.meta.url));
export const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string; version: string; files: string[]; exports: Record<string, unknown>; bin?: Record<string, string>;
  dependencies?: Record<string, string>; engines: { node: string }; typesVersions: Record<string, Record<string, string[]>>;
};

export function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, {
    cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_loglevel: 'error', npm_config_update_notifier: 'false' },
  });
}

export interface PackReport {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

export interface Packed {
  /** A scratch folder for this test file: the tarball, and the projects made by `project`. */
  scratch: string;
  tarball: string;
  report: PackReport;
}

interface BuildModule {
  bundles: { name: string; outdir: string }[];
  buildBundles(options: { only: string[]; outRoot: string }): Promise<unknown>;
  buildDeclarations(outDir: string): Promise<void>;
}

/** Builds, stages and packs the package; `npm pack --json`'s report is parsed as JSON, so it must be JSON. */
export async function pack(name: string): Promise<Packed> {
  const scratch = mkdtempSync(join(tmpdir(), `simdnet-${name}-`));
  const stage = join(scratch, 'stage');
  mkdirSync(stage);
  for (const file of ['package.json', 'README.md', 'LICENSE']) cpSync(join(root, file), join(stage, file));
  cpSync(join(root, 'bin'), join(stage, 'bin'), { recursive: true });
  const build = await import(/* @vite-ignore */ new URL('../build.mjs', import.meta.url).href) as BuildModule;
  const published = build.bundles.filter((b) => b.outdir === 'dist').map((b) => b.name);
  await build.buildBundles({ only: published, outRoot: join(stage, 'dist') });
  await build.buildDeclarations(join(stage, 'dist'));
  const [report] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], stage)) as PackReport[];
  return { scratch, tarball: join(scratch, report.filename), report };
}

/**
 * A fresh project in `packed.scratch`/`name` with the tarball installed by npm (its dependencies from npm's cache
 * when they are there), and `packageJson` as its package.json.
 */
export function project(packed: Packed, name: string, packageJson: Record<string, unknown> = {}): string {
  const dir = join(packed.scratch, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, ...packageJson }, null, 2));
  npm(['install', packed.tarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
  return dir;
}
