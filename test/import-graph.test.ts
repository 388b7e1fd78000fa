// The shape of src/ as a graph of imports, read with the TypeScript parser: dependencies point one way (no cycle,
// counting static, type-only and dynamic imports alike), and only src/node/ and src/cli/ import `node:*` statically.
// Elsewhere a Node module may only be reached by a dynamic import taken when the code runs in Node (the worker
// helpers and the thread pool do so for node:worker_threads), which keeps it out of every browser bundle.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');

interface Import {
  /** The specifier as written. */
  specifier: string;
  kind: 'static' | 'type' | 'dynamic';
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every import of a file: declarations (`import`, `export … from`) and `import()` calls with a literal specifier. */
function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = node.importClause?.isTypeOnly ?? false;
      found.push({ specifier: node.moduleSpecifier.text, kind: typeOnly ? 'type' : 'static' });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, kind: node.isTypeOnly ? 'type' : 'static' });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.push({ specifier: argument.text, kind: 'dynamic' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The file a relative specifier names (`./x.js` is written for `./x.ts`). */
function resolveRelative(from: string, specifier: string): string {
  return resolve(dirname(from), specifier).replace(/\.js$/, '.ts');
}

const files = sourceFiles(src);
/** The only folders whose code may import node:* statically. */
const NODE_ONLY = /^src\/(node|cli)\//;
const imports = new Map(files.map((file) => [file, importsOf(file)]));
const name = (file: string) => relative(root, file).split('\\').join('/');

/** Every cycle found by a depth-first walk, each as the list of files around it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const walk = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) walk(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) walk(file);
  return found;
}

describe('the import graph of src/', () => {
  const graph = new Map(files.map((file) => [file, imports.get(file)!
    .filter((i) => i.specifier.startsWith('.'))
    .map((i) => resolveRelative(file, i.specifier))]));

  it('reads every file and resolves every relative import to a file that exists', () => {
    expect(files.length).toBeGreaterThan(20);
    const known = new Set(files);
    // Generated modules (the Wasm bytes) are written by build.mjs and may be absent from a fresh checkout.
    const missing = [...graph].flatMap(([file, targets]) => targets
      .filter((target) => !known.has(target) && !name(target).startsWith('src/backends/wasm/generated/'))
      .map((target) => `${name(file)} → ${name(target)}`));
    expect(missing).toEqual([]);
  });

  it('has no cycle', () => {
    expect(cycles(graph).map((cycle) => cycle.map(name).join(' → '))).toEqual([]);
  });

  it('finds a cycle when there is one (the walk has teeth)', () => {
    const a = join(src, 'a.ts');
    const b = join(src, 'b.ts');
    const c = join(src, 'c.ts');
    expect(cycles(new Map([[a, [b]], [b, [c]], [c, [a]]])).map((cycle) => cycle.map(name).join(' → ')))
      .toEqual(['src/a.ts → src/b.ts → src/c.ts → src/a.ts']);
    expect(cycles(new Map([[a, [b, c]], [b, [c]], [c, []]]))).toEqual([]);
  });

  it('imports node:* statically only in src/node/ and src/cli/', () => {
    const offenders = files.filter((file) => !NODE_ONLY.test(name(file))).flatMap((file) => imports.get(file)!
      .filter((i) => i.specifier.startsWith('node:') && i.kind !== 'dynamic')
      .map((i) => `${name(file)}: ${i.specifier}`));
    expect(offenders).toEqual([]);
  });

  it('reaches no Node module but node:worker_threads dynamically outside src/node/ and src/cli/', () => {
    const dynamic = files.filter((file) => !NODE_ONLY.test(name(file))).flatMap((file) => imports.get(file)!
      .filter((i) => i.specifier.startsWith('node:') && i.kind === 'dynamic' && i.specifier !== 'node:worker_threads')
      .map((i) => `${name(file)}: ${i.specifier}`));
    expect(dynamic).toEqual([]);
  });
});
