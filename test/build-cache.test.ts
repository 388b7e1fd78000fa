// build.mjs's caches for step 3 (bundles and .d.ts): a change to any input makes the step run again and its output
// change; nothing changed gives the stored output without running. Small fixture folders, no real build.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

interface Step { files: Map<string, Buffer>; cached: boolean }
interface BuildModule {
  stepInputs: { files: string[]; dirs: string[]; packages: string[] };
  stepKey(name: string, base?: string): string;
  contentKey(options: { base: string; parts?: unknown[]; files?: string[]; dirs?: string[] }): string;
  filesUnder(dir: string, base?: string): string[];
  cachedStep(options: {
    cacheDir: string; name: string; key: () => string;
    run: () => Promise<{ files: Map<string, Buffer>; reads: string[] }>;
  }): Promise<Step>;
}
const build = (await import(/* @vite-ignore */ new URL('../build.mjs', import.meta.url).href)) as BuildModule;
const repository = fileURLToPath(new URL('..', import.meta.url));

let base: string;
const write = (file: string, text: string) => {
  mkdirSync(dirname(join(base, file)), { recursive: true });
  writeFileSync(join(base, file), text);
};
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'simdnet-build-cache-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('cachedStep', () => {
  // A step like the bundler: it reads every file under src/ and a dependency outside the keyed folders (as esbuild
  // reads node_modules), and writes their concatenation.
  let runs = 0;
  let version = '1.0.0';
  const cacheDir = () => join(base, 'cache');
  const key = () => build.contentKey({ base, parts: ['tool', version], files: ['config.json'], dirs: ['src'] });
  const step = () => build.cachedStep({
    cacheDir: cacheDir(), name: 'concat', key,
    run: async () => {
      runs++;
      const reads = [...build.filesUnder('src', base).map((file) => join(base, file)), join(base, 'deps/dep.js')];
      const text = [version, readFileSync(join(base, 'config.json'), 'utf8'), ...reads.map((file) => readFileSync(file, 'utf8'))].join('|');
      return { files: new Map([['out/all.js', Buffer.from(text)], ['out/count.txt', Buffer.from(String(reads.length))]]), reads };
    },
  });
  const output = (result: Step) => result.files.get('out/all.js')!.toString();

  beforeEach(() => {
    runs = 0;
    version = '1.0.0';
    write('config.json', '{}');
    write('src/a.ts', 'a1');
    write('src/lib/b.ts', 'b1');
    write('deps/dep.js', 'dep1');
  });

  it('runs once, then gives the same files from the cache without running', async () => {
    const first = await step();
    expect(first.cached).toBe(false);
    expect(output(first)).toBe('1.0.0|{}|a1|b1|dep1');
    const second = await step();
    expect(second.cached).toBe(true);
    expect(runs).toBe(1);
    expect([...second.files.keys()]).toEqual([...first.files.keys()]);
    for (const [file, bytes] of first.files) expect(second.files.get(file)!.equals(bytes)).toBe(true);
  });

  const changes: [string, () => void, string][] = [
    ['a file under a keyed folder', () => write('src/lib/b.ts', 'b2'), '1.0.0|{}|a1|b2|dep1'],
    ['a new file under a keyed folder', () => write('src/c.ts', 'c1'), '1.0.0|{}|a1|c1|b1|dep1'],
    ['a deleted file under a keyed folder', () => rmSync(join(base, 'src/a.ts')), '1.0.0|{}|b1|dep1'],
    ['a keyed file', () => write('config.json', '{"x":1}'), '1.0.0|{"x":1}|a1|b1|dep1'],
    ['a tool version', () => (version = '1.0.1'), '1.0.1|{}|a1|b1|dep1'],
    ['a file the step reported reading, outside the keyed files', () => write('deps/dep.js', 'dep2'), '1.0.0|{}|a1|b1|dep2'],
  ];
  for (const [what, change, expected] of changes) {
    it(`runs again and gives new output when ${what} changes`, async () => {
      await step();
      change();
      const after = await step();
      expect(after.cached).toBe(false);
      expect(output(after)).toBe(expected);
      expect(runs).toBe(2);
      expect((await step()).cached).toBe(true); // and that output is what is stored now
      expect(runs).toBe(2);
    });
  }

  it('runs again when a file the step read is deleted', async () => {
    await step();
    rmSync(join(base, 'deps/dep.js'));
    await expect(step()).rejects.toThrow(/dep\.js/); // the step itself fails: nothing stale is handed out
    expect(runs).toBe(2);
  });

  it('keeps one entry per step, and an entry with a missing file is not used', async () => {
    await step();
    write('src/a.ts', 'a2');
    await step();
    const entries = readdirSync(cacheDir());
    expect(entries).toHaveLength(1);
    rmSync(join(cacheDir(), entries[0], 'files/out/count.txt'));
    const again = await step();
    expect(again.cached).toBe(false);
    expect(again.files.get('out/count.txt')!.toString()).toBe('3');
  });

  it('stores nothing when an input changes while the step runs', async () => {
    const changing = () => build.cachedStep({
      cacheDir: cacheDir(), name: 'concat', key,
      run: async () => {
        runs++;
        write('src/a.ts', `a${runs + 1}`); // an edit landing mid-build
        return { files: new Map([['out/all.js', Buffer.from('stale')]]), reads: [] };
      },
    });
    await changing();
    expect(existsSync(cacheDir()) ? readdirSync(cacheDir()) : []).toEqual([]);
    expect((await step()).cached).toBe(false);
  });
});

describe('the key of step 3', () => {
  // A checkout in miniature: every input stepInputs names, with a file in each keyed folder.
  beforeEach(() => {
    for (const file of build.stepInputs.files) write(file, `${file} 1`);
    for (const dir of build.stepInputs.dirs) write(`${dir}/index.ts`, `${dir} 1`);
    for (const name of build.stepInputs.packages) write(`node_modules/${name}/package.json`, JSON.stringify({ version: '1.0.0' }));
  });

  it('depends on build.mjs, package.json, the lockfiles, every tsconfig, src/ and web/src/, esbuild and TypeScript', () => {
    expect(build.stepInputs.files).toEqual(expect.arrayContaining([
      'build.mjs', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'tsconfig.json', 'tsconfig.build.json',
    ]));
    expect(build.stepInputs.dirs).toEqual(expect.arrayContaining(['src', 'web/src']));
    expect(build.stepInputs.packages).toEqual(expect.arrayContaining(['esbuild', 'typescript']));
    // esbuild reads the tsconfig.json nearest each file it bundles: every one outside assembly/ (its own compiler's) is an input.
    const keyed = (file: string) => build.stepInputs.files.includes(file) || build.stepInputs.dirs.some((dir) => file.startsWith(`${dir}/`));
    const tsconfigs = ['.', 'web', 'src', 'web/src', 'bin']
      .flatMap((dir) => (existsSync(join(repository, dir)) ? readdirSync(join(repository, dir)).map((name) => `${dir}/${name}`.replace(/^\.\//, '')) : []))
      .filter((file) => /(^|\/)tsconfig[^/]*\.json$/.test(file));
    expect(tsconfigs.length).toBeGreaterThan(1);
    for (const file of tsconfigs) expect(keyed(file), file).toBe(true);
  });

  it('changes with every input file, every keyed folder, every package version, and differs between the two parts', () => {
    const original = build.stepKey('bundles', base);
    expect(build.stepKey('bundles', base)).toBe(original);
    expect(build.stepKey('declarations', base)).not.toBe(original);
    const seen = new Set([original]);
    const expectNewKey = (what: string) => {
      const key = build.stepKey('bundles', base);
      expect(seen.has(key), what).toBe(false);
      seen.add(key);
    };
    for (const file of build.stepInputs.files) {
      write(file, `${file} 2`);
      expectNewKey(`${file} edited`);
    }
    for (const dir of build.stepInputs.dirs) {
      write(`${dir}/index.ts`, `${dir} 2`);
      expectNewKey(`${dir}/index.ts edited`);
      write(`${dir}/deep/new.ts`, '');
      expectNewKey(`${dir}/deep/new.ts added`);
    }
    for (const name of build.stepInputs.packages) {
      write(`node_modules/${name}/package.json`, JSON.stringify({ version: '1.0.1' }));
      expectNewKey(`${name} upgraded`);
    }
    rmSync(join(base, 'package-lock.json'));
    expectNewKey('package-lock.json deleted');
  });
});
