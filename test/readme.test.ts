// Every JavaScript block in the README runs as written (importing 'simdnet' resolves to src/), and where a line
// ends in a comment `// → value`, what that line logs is exactly that value.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const dir = fileURLToPath(new URL('../build/readme/', import.meta.url));

afterEach(() => vi.restoreAllMocks());

describe('README code blocks', () => {
  it('has some', () => expect(blocks.length).toBeGreaterThan(0));

  it.each(blocks.map((code, i) => [i, code] as const))('block %i runs and prints what it says', async (i, code) => {
    const expected = [...code.matchAll(/console\.log\(.*\); \/\/ → (.*)$/gm)].map((m) => m[1]);
    const logged: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
    mkdirSync(dir, { recursive: true });
    const file = `${dir}block-${i}.ts`;
    writeFileSync(file, code);
    await import(/* @vite-ignore */ file);
    expect(logged).toEqual(expected);
  });
});
