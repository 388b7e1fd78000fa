// simdnet/table as published: the ESM bundle's `table` entry, with Papa Parse left to the package's dependencies
// and kept out of the core entry's chunks; and a table model saved here and loaded by that bundle in a fresh Node
// process predicts the same rows bit for bit, unseen categories and missing cells included.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TabularModel, type TableRecord, fromRecords, split } from '../src/io/table/index.js';
import { buildInto } from './browser-harness.js';

let outdir: string;
let results: Awaited<ReturnType<typeof buildInto>>['results'];
let scratch: string;

beforeAll(async () => {
  ({ outdir, results } = await buildInto('table', ['esm']));
  scratch = mkdtempSync(join(tmpdir(), 'simdnet-table-'));
}, 120_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the esm bundle', () => {
  /** Every input of the chunks an entry loads (statically). */
  function reached(entry: string) {
    const { metafile } = results[0];
    const outputs = metafile.outputs;
    const file = Object.keys(outputs).find((f) => outputs[f].entryPoint === entry)!;
    const loaded = new Set<string>();
    const external: string[] = [];
    const visit = (f: string) => {
      if (loaded.has(f)) return;
      loaded.add(f);
      for (const i of outputs[f].imports) {
        if (i.external) external.push(i.path);
        else if (i.kind === 'import-statement') visit(i.path);
      }
    };
    visit(file);
    return { inputs: [...loaded].flatMap((f) => Object.keys(outputs[f].inputs)), external };
  }

  it('keeps Papa Parse and the table code out of the core entry and imports it by name from simdnet/table', () => {
    const core = reached('src/index.ts');
    expect(core.inputs.filter((f) => /papaparse|src\/io\/table\//.test(f))).toEqual([]);
    expect(core.external.filter((p) => !p.startsWith('node:'))).toEqual([]);
    const table = reached('src/io/table/index.ts');
    expect(table.inputs).toContain('src/io/table/csv.ts');
    expect(table.inputs.filter((f) => f.includes('node_modules'))).toEqual([]);
    expect(table.external).toContain('papaparse');
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(['papaparse']);
    expect(pkg.exports['./table']).toEqual({ types: './dist/io/table/index.d.ts', default: './dist/table.js' });
  });
});

const vega = (file: string) => JSON.parse(readFileSync(fileURLToPath(
  new URL(`../node_modules/vega-datasets/data/${file}`, import.meta.url)), 'utf8')) as TableRecord[];

/** Loads a model file with the bundle in a new Node process and prints its predictions for the rows as JSON. */
function predictInFreshProcess(model: string, rows: TableRecord[]): unknown {
  const script = join(scratch, 'predict.mjs');
  writeFileSync(join(scratch, 'rows.json'), JSON.stringify(rows));
  writeFileSync(join(scratch, 'model.json'), model);
  writeFileSync(script, `import { readFileSync } from 'node:fs';
const { TabularModel } = await import(${JSON.stringify(pathToFileURL(join(outdir, 'table.js')).href)});
const model = await TabularModel.fromJSON(readFileSync(${JSON.stringify(join(scratch, 'model.json'))}, 'utf8'));
const rows = JSON.parse(readFileSync(${JSON.stringify(join(scratch, 'rows.json'))}, 'utf8'));
process.stdout.write(JSON.stringify(model.predictRows(rows)));
`);
  // The bundle finds papaparse in this repository's node_modules, as an installed package finds its dependency.
  return JSON.parse(execFileSync(process.execPath, [script], { cwd: outdir, encoding: 'utf8' }));
}

describe.each(['js', 'wasm'] as const)('a table model saved and loaded in a fresh process (%s backend)', (backend) => {
  it('predicts the same labels and probabilities bit for bit, unseen categories and missing cells included', async () => {
    // Penguins with some cells blanked on purpose, on top of the data set's own missing ones.
    const records = vega('penguins.json').map((r, i) => (i % 7 === 3 ? { ...r, 'Flipper Length (mm)': null } : r));
    const table = fromRecords(records, { name: 'penguins.json' });
    const { train, test } = split(table, { test: 0.2, seed: 8, stratify: 'Species' });
    const model = await TabularModel.create(train, { target: 'Species', seed: 21, backend, hidden: [12, 8] });
    model.trainSync(train, { epochs: 10, batchSize: 16 });
    const rows = [
      ...test.toRecords(),
      { Island: 'Atlantis', 'Beak Length (mm)': 45, 'Beak Depth (mm)': 15, 'Flipper Length (mm)': 210,
        'Body Mass (g)': 5000, Sex: 'UNKNOWN' },
      { Island: null, 'Beak Length (mm)': 'NA', 'Beak Depth (mm)': '', 'Flipper Length (mm)': undefined,
        'Body Mass (g)': '?', Sex: null },
    ];
    const here = model.predictRows(rows);
    expect(here.at(-2)?.warnings).toHaveLength(2);
    expect(here.at(-1)?.warnings).toHaveLength(6);
    const there = predictInFreshProcess(JSON.stringify(model.toJSON()), rows);
    // JSON keeps every double exactly (shortest round-trip digits), so equality here is equality of the bits.
    expect(there).toEqual(JSON.parse(JSON.stringify(here)));
    model.dispose();
  });
});
