// The package as users get it: a fresh build of the published bundles and their .d.ts (build.mjs's own steps, into
// a staging folder, so a stale or missing dist/ cannot fool it), packed by `npm pack`, and installed by
// `npm install <tarball>` into a fresh project. The test files of a run share one tarball and one install
// (test/setup/once.ts): each project is a copy of the installed one with a package.json of its own.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onceInRun } from './setup/once.js';

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
  /** The run's folder of the tarball; the projects made by `project` go beside it. */
  scratch: string;
  tarball: string;
  report: PackReport;
}

interface BuildModule {
  bundles: { name: string; outdir: string }[];
  buildBundles(options: { only: string[]; outRoot: string }): Promise<unknown>;
  buildDeclarations(outDir: string): Promise<void>;
}

/** Builds, stages and packs the package, once per run; `npm pack --json`'s report is parsed as JSON, so it must be JSON. */
export async function pack(): Promise<Packed> {
  const scratch = await onceInRun('package', async (dir) => {
    const stage = join(dir, 'stage');
    mkdirSync(stage);
    for (const file of ['package.json', 'README.md', 'LICENSE']) cpSync(join(root, file), join(stage, file));
    cpSync(join(root, 'bin'), join(stage, 'bin'), { recursive: true });
    const build = await import(/* @vite-ignore */ new URL('../build.mjs', import.meta.url).href) as BuildModule;
    const published = build.bundles.filter((b) => b.outdir === 'dist').map((b) => b.name);
    await build.buildBundles({ only: published, outRoot: join(stage, 'dist') });
    await build.buildDeclarations(join(stage, 'dist'));
    const [report] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], stage)) as PackReport[];
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
  });
  const report = JSON.parse(readFileSync(join(scratch, 'report.json'), 'utf8')) as PackReport;
  return { scratch, tarball: join(scratch, report.filename), report };
}

/**
 * A fresh project in `packed.scratch`/`name` with the tarball installed by npm (its dependencies from npm's cache
 * when they are there), and `packageJson` as its package.json. npm installs once per run, into a project beside the
 * others; each project gets a copy of its node_modules (symbolic links as they are, such as .bin/simdnet) and the
 * dependency npm wrote into its package.json (the tarball's path, relative, so the same from every project).
 */
export async function project(packed: Packed, name: string, packageJson: Record<string, unknown> = {}): Promise<string> {
  const installed = await onceInRun('package/installed', (dir) => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'installed', private: true }, null, 2));
    npm(['install', packed.tarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
  });
  const { dependencies } = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: unknown };
  const dir = join(packed.scratch, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, ...packageJson, dependencies }, null, 2));
  cpSync(join(installed, 'node_modules'), join(dir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  return dir;
}
