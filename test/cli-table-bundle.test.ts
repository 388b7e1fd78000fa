// `simdnet train FILE`, `eval`, `predict` and `inspect` through the real command: bin/simdnet.js loading the CLI
// bundle built into a directory of this test's own, each command in a child process. Data: Palmer penguins
// (examples/data/penguins.csv, vega-datasets' penguins.json as CSV: string classes, categories, missing cells) and
// car fuel economy (vega-datasets' cars.json: records with nulls, a regression). The bad inputs, each in files of its
// own, run at once.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';
import { MAX_FILE_BYTES } from '../src/cli/table-data.js';
import { TabularModel, type TableRecord, fromRecords, readCsv } from '../src/io/table/index.js';

const repo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const PENGUINS = repo('examples/data/penguins.csv');
const CARS = repo('node_modules/vega-datasets/data/cars.json');

let dir: string;
let bin: string;

interface Run { status: number | null; out: string; err: string }

/** Runs `node bin/simdnet.js …args` in `dir`. */
function simdnet(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, maxBuffer: 1 << 26 }, (error, out, err) => {
      resolve({ status: error ? (error as { code?: number }).code ?? null : 0, out, err });
    });
  });
}

/** A failure as the command line must report it: one line on stderr, no stack trace, nothing on stdout. */
function expectFailure(run: Run, status: number, ...named: string[]): void {
  expect(run.status, run.out + run.err).toBe(status);
  expect(run.out).not.toMatch(/^Epoch /m);
  expect(run.err).toMatch(/^simdnet: /);
  expect(run.err).not.toMatch(/\n\s+at /);
  for (const text of named) expect(run.err).toContain(text);
}

const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'simdnet-cli-table-'));
  const build = await import(/* @vite-ignore */ new URL('../build.mjs', import.meta.url).href) as {
    buildBundles(options: { only: string[]; outRoot: string }): Promise<unknown>;
  };
  await build.buildBundles({ only: ['cli'], outRoot: join(dir, 'dist') });
  mkdirSync(join(dir, 'bin'));
  bin = join(dir, 'bin', 'simdnet.js');
  copyFileSync(repo('bin/simdnet.js'), bin);
  copyFileSync(PENGUINS, join(dir, 'penguins.csv'));
  copyFileSync(CARS, join(dir, 'cars.json'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('penguins: string classes, categories and missing cells', () => {
  let trained: Run;
  beforeAll(async () => {
    trained = await simdnet('train', 'penguins.csv', '--target', 'Species', '--epochs', '30',
      '--save', 'new/folder/penguins.json', '--plot', 'charts/penguins.svg');
  });

  it('says what it inferred about every column, and the classes with their counts', () => {
    expect(trained.status, trained.err).toBe(0);
    const out = trained.out;
    expect(out).toContain('penguins.csv: 344 rows, 7 columns');
    expect(out).toContain('Validation: 69 rows held out (--validation-split 0.2, seed 1, stratified by class); training on 275 rows');
    expect(out).toContain('Note: task: classification, because target "Species" holds words');
    expect(out).toMatch(/^ {2}Island +category +input +0 +one-hot \(3 categories\)$/m);
    expect(out).toMatch(/^ {2}Body Mass \(g\) +number +input +2 +standardised \(mean [\d.]+, std [\d.]+\); 2 missing cells imputed with the mean [\d.]+$/m);
    expect(out).toMatch(/^ {2}Sex +category +input +10 +one-hot \(3 categories\); 10 missing cells imputed with the most frequent value "MALE"$/m);
    // 152, 68 and 124 penguins, 20% of each held out.
    expect(out).toContain('Classes (training rows): Adelie 122, Chinstrap 54, Gentoo 99');
    expect(out).toContain('Network: [10, 16, 3] relu → softmax, categoricalCrossEntropy, adam η 0.01, batch 32, 30 epochs, seed 1');
  });

  it('prints a line per epoch with the validation accuracy, then the validation confusion matrix (≥ 95%)', () => {
    const epochs = [...trained.out.matchAll(/^Epoch (\d+)\/30: loss [\d.]+, validation loss [\d.]+, validation accuracy ([\d.]+)%/gm)];
    expect(epochs.map((m) => Number(m[1]))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const final = /^Accuracy: (\d+) \/ 69 \(([\d.]+)%\)$/m.exec(trained.out);
    expect(final, trained.out).not.toBeNull();
    expect(Number(final![1]) / 69).toBeGreaterThanOrEqual(0.95);
    expect(final![2]).toBe(epochs.at(-1)![2]);
    expect(trained.out).toMatch(/^ {2}actual \\ predicted +Adelie +Chinstrap +Gentoo +accuracy$/m);
    const rows = ['Adelie', 'Chinstrap', 'Gentoo'].map((label) =>
      new RegExp(`^ {2}${label} +(\\d+) +(\\d+) +(\\d+) +[\\d.]+%$`, 'm').exec(trained.out)!.slice(1).map(Number));
    expect(rows.map((row) => row.reduce((a, b) => a + b))).toEqual([30, 14, 25]);
    expect(rows[0]![0]! + rows[1]![1]! + rows[2]![2]!).toBe(Number(final![1]));
  });

  it('creates the folders of --save and --plot, and saves a model with its schema, and a chart', () => {
    expect(trained.out).toContain('Saved the model to new/folder/penguins.json');
    const json = JSON.parse(readFileSync(join(dir, 'new/folder/penguins.json'), 'utf8'));
    expect(json.table.target).toMatchObject({ name: 'Species', labels: ['Adelie', 'Chinstrap', 'Gentoo'] });
    expect(readFileSync(join(dir, 'charts/penguins.svg'), 'utf8')).toMatch(/<polyline class="accuracy" points="[\d.]+,[\d.]+ /);
  });

  it('predicts in another process: every column, prediction, probability and p(class), as this process does', async () => {
    const run = await simdnet('predict', 'new/folder/penguins.json', 'penguins.csv', '--output', 'out/predictions.csv');
    expect(run.status, run.err).toBe(0);
    expect(run.out).toBe('Wrote 344 predictions to out/predictions.csv\n');
    // Line 5 has no measurements and no sex: each imputation is a warning naming the line.
    expect(run.err).toContain('warning: penguins.csv line 5: Body Mass (g): missing, imputed with ');
    const parsed = Papa.parse<string[]>(readFileSync(join(dir, 'out/predictions.csv'), 'utf8').trimEnd());
    const [header, ...rows] = parsed.data;
    expect(header).toEqual(['Species', 'Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)',
      'Body Mass (g)', 'Sex', 'prediction', 'probability', 'p(Adelie)', 'p(Chinstrap)', 'p(Gentoo)']);
    expect(rows).toHaveLength(344);
    const input = readCsv(readFileSync(PENGUINS, 'utf8'), { name: 'penguins.csv' });
    expect(rows.map((row) => row.slice(0, 7))).toEqual(input.toRecords().map((r) => input.columnNames.map((c) => r[c])));
    const model = await TabularModel.fromJSON(readFileSync(join(dir, 'new/folder/penguins.json'), 'utf8'));
    const expected = model.predictRows(input);
    model.dispose();
    let correct = 0;
    rows.forEach((row, r) => {
      const p = expected[r]!;
      if (!('label' in p)) throw new Error('expected a class');
      const [label, probability, ...classes] = row.slice(7);
      expect(label).toBe(p.label);
      expect(Number(probability)).toBe(Number(classes[['Adelie', 'Chinstrap', 'Gentoo'].indexOf(label!)]));
      // The bundle runs the release Wasm, this process the debug build: the same float32 arithmetic.
      expect(classes.map(Number)).toEqual(Object.values(p.probabilities));
      if (label === row[0]) correct++;
    });
    expect(correct / 344).toBeGreaterThan(0.95);
  });

  it('writes CSV to stdout without --output, quoting fields that need it', async () => {
    const rows = file('odd.csv', 'Species,Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex,Note\n' +
      'Adelie,"Torgersen, north",39.1,18.7,181,3750,MALE,"said ""hi"""\n');
    const run = await simdnet('predict', 'new/folder/penguins.json', rows);
    expect(run.status, run.err).toBe(0);
    const [header, row] = Papa.parse<string[]>(run.out.trimEnd()).data;
    expect(header!.slice(6, 9)).toEqual(['Sex', 'Note', 'prediction']);
    expect(row!.slice(0, 8)).toEqual(['Adelie', 'Torgersen, north', '39.1', '18.7', '181', '3750', 'MALE', 'said "hi"']);
    expect(run.out).toContain('"Torgersen, north"');
    expect(run.err).toContain('warning: odd.csv line 2: Island: "Torgersen, north" was not seen in training');
  });

  it('evaluates a file that has the target, reporting what the model scores there', async () => {
    const run = await simdnet('eval', 'new/folder/penguins.json', 'penguins.csv');
    expect(run.status, run.err).toBe(0);
    const model = await TabularModel.fromJSON(readFileSync(join(dir, 'new/folder/penguins.json'), 'utf8'));
    const result = model.evaluate(readCsv(readFileSync(PENGUINS, 'utf8')));
    model.dispose();
    if (result.task !== 'classification') throw new Error('expected classification');
    const correct = Math.round(result.accuracy * 344);
    expect(run.out).toContain('Model new/folder/penguins.json: predicts "Species" (classification)');
    expect(run.out).toContain(`Accuracy: ${correct} / 344 (`);
  });

  it('inspects the model: layers with parameter counts, training settings, schema', async () => {
    const run = await simdnet('inspect', 'new/folder/penguins.json');
    expect(run.status, run.err).toBe(0);
    expect(run.out).toContain('new/folder/penguins.json: a simdnet model, [10, 16, 3] relu → softmax, weights stored as float32');
    expect(run.out).toMatch(/^ {2}dense 1 +16 +relu +160 +16 +176$/m);
    expect(run.out).toMatch(/^ {2}dense 2 +3 +softmax +48 +3 +51$/m);
    expect(run.out).toContain('Parameters: 227');
    expect(run.out).toContain('Training: categoricalCrossEntropy, adam η 0.01, ');
    expect(run.out).toContain('seed 1, wasm backend');
    expect(run.out).toContain('Schema: predicts "Species" (classification, classes "Adelie", "Chinstrap", "Gentoo") from 6 columns as 10 network inputs');
    expect(run.out).toMatch(/^ {2}Sex +category +input +10 +one-hot/m);
  });
});

describe('penguins with --dropout and --early-stopping', () => {
  it('trains with dropout on the hidden layer and stops when the validation loss stops improving', async () => {
    const run = await simdnet('train', 'penguins.csv', '--target', 'Species', '--epochs', '400', '--lr', '0.05',
      '--dropout', '0.25', '--early-stopping', '3', '--save', 'early.json');
    expect(run.status, run.err).toBe(0);
    expect(run.out).toContain(', dropout 0.25, early stopping after 3 epochs without progress');
    const epochs = run.out.match(/^Epoch \d+\/400:/gm)!.length;
    const stopped = run.out.match(/^Stopped early after (\d+) epochs \([^)]*\): no better validation loss for 3 epochs; kept the weights of epoch (\d+)\.$/m);
    expect(stopped, run.out).not.toBeNull();
    // Patience counts the epochs after the best one: the run ends 3 epochs after it.
    expect(Number(stopped![1])).toBe(epochs);
    expect(Number(stopped![2]) + 3).toBe(epochs);
    expect(epochs).toBeLessThan(400);
    const json = JSON.parse(readFileSync(join(dir, 'early.json'), 'utf8'));
    expect(json.spec.layers[0].dropout).toBe(0.25);
    expect(json.spec.layers[1].dropout).toBeUndefined();
  });
});

describe('cars: a regression on JSON records with nulls', () => {
  let trained: Run;
  beforeAll(async () => {
    trained = await simdnet('train', 'cars.json', '--target', 'Miles_per_Gallon', '--ignore', 'Name', '--hidden', '16,16',
      '--epochs', '60', '--backend', 'js', '--save', 'cars-model.json', '--plot', 'cars.svg');
  });

  it('infers a regression, reports validation RMSE per epoch, and MAE, RMSE and R² at the end', () => {
    expect(trained.status, trained.err).toBe(0);
    expect(trained.out).toContain('cars.json: 406 rows, 9 columns');
    expect(trained.out).toContain('Validation: 81 rows held out (--validation-split 0.2, seed 1); training on 325 rows');
    expect(trained.out).toContain('Note: task: regression, because target "Miles_per_Gallon" holds numbers');
    expect(trained.out).toMatch(/^ {2}Name +category +ignored/m);
    expect(trained.out).toMatch(/^ {2}Origin +category +input +0 +one-hot \(3 categories\)$/m);
    expect(trained.out).toMatch(/^ {2}Horsepower +number +input +\d+ +standardised .*imputed with the mean/m);
    expect(trained.out).toMatch(/^Note: \d rows? left out: target "Miles_per_Gallon" is missing$/m);
    expect(trained.out.match(/^Epoch \d+\/60: loss [\d.]+, validation loss [\d.]+, validation RMSE [\d.]+ {2}\(/gm)).toHaveLength(60);
    const r2 = Number(/^ {2}R² +([\d.-]+)$/m.exec(trained.out)?.[1]);
    const rmse = Number(/^ {2}RMSE +([\d.]+)$/m.exec(trained.out)?.[1]);
    const mae = Number(/^ {2}MAE +([\d.]+)$/m.exec(trained.out)?.[1]);
    expect(r2).toBeGreaterThan(0.75);
    expect(mae).toBeGreaterThan(0);
    expect(rmse).toBeGreaterThanOrEqual(mae);
    expect(trained.out).toMatch(/^Validation: 8\d rows/m);
    expect(readFileSync(join(dir, 'cars.svg'), 'utf8')).not.toContain('class="accuracy"');
  });

  it('predicts in another process bit for bit what this process predicts (js backend), in the target\'s units', async () => {
    const run = await simdnet('predict', 'cars-model.json', 'cars.json', '--output', 'cars-predictions.csv');
    expect(run.status, run.err).toBe(0);
    const [header, ...rows] = Papa.parse<string[]>(readFileSync(join(dir, 'cars-predictions.csv'), 'utf8').trimEnd()).data;
    expect(header!.at(-1)).toBe('prediction');
    expect(header!.slice(0, -1)).toEqual(Object.keys(JSON.parse(readFileSync(CARS, 'utf8'))[0]));
    const records = JSON.parse(readFileSync(CARS, 'utf8')) as TableRecord[];
    const model = await TabularModel.fromJSON(readFileSync(join(dir, 'cars-model.json'), 'utf8'));
    const expected = model.predictRows(fromRecords(records, { name: 'cars.json' }));
    model.dispose();
    expect(rows.map((row) => Number(row.at(-1)))).toEqual(expected.map((p) => ('value' in p ? p.value : NaN)));
    // A missing cell is written as an empty field.
    const horsepower = header!.indexOf('Horsepower');
    expect(rows.filter((row) => row[horsepower] === '')).toHaveLength(records.filter((r) => r.Horsepower === null).length);
  });

  it('inspects a plain MNIST-sized network too', async () => {
    const net = await Network.create({ inputSize: 784, layers: [{ units: 10, activation: 'softmax' }], seed: 1 });
    writeFileSync(join(dir, 'plain.json'), JSON.stringify(net.toJSON()));
    net.dispose();
    const run = await simdnet('inspect', 'plain.json');
    expect(run.status, run.err).toBe(0);
    expect(run.out).toMatch(/^ {2}dense 1 +10 +softmax +7840 +10 +7850$/m);
    expect(run.out).toContain('Schema: none (a plain network');
  });
});

describe('bad input: every failure names the file, the line or row, and the column', () => {
  it.concurrent('a ragged row', async () => {
    const name = file('ragged.csv', 'a,b,label\n1,2,x\n3,4\n5,6,y\n');
    expectFailure(await simdnet('train', name, '--target', 'label'), 1,
      'ragged.csv line 3: 2 fields, but the header has 3 columns ("a", "b", "label")', '[INVALID_DATA]');
  });

  it.concurrent('a target that does not exist, listing the columns', async () => {
    expectFailure(await simdnet('train', 'penguins.csv', '--target', 'species'), 1,
      'penguins.csv: no column "species" to predict (--target); its columns are "Species", "Island", "Beak Length (mm)"');
  });

  it.concurrent('an --ignore naming no column', async () => {
    expectFailure(await simdnet('train', 'penguins.csv', '--target', 'Species', '--ignore', 'Sex,Colour'), 1,
      'penguins.csv: --ignore names a column it does not have ("Colour")');
  });

  it.concurrent('a target with one class', async () => {
    const name = file('one-class.csv', 'a,b,label\n1,2,x\n3,4,x\n5,6,x\n');
    expectFailure(await simdnet('train', name, '--target', 'label'), 1,
      'one-class.csv, column "label": the target has one class ("x")');
  });

  it.concurrent('a stray word in a column of numbers, with its line, unless --invalid-numbers missing', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i},${i % 3 === 0 ? 'yes' : 'no'}`);
    rows[17] = 'n/a,no';
    const name = file('stray.csv', `age,label\n${rows.join('\n')}\n`);
    expectFailure(await simdnet('train', name, '--target', 'label'), 1,
      'stray.csv line 19, column "age": "n/a" is not a number, in a column of numbers');
    const run = await simdnet('train', name, '--target', 'label', '--invalid-numbers', 'missing', '--epochs', '1',
      '--validation-split', '0');
    expect(run.status, run.err).toBe(0);
    expect(run.out).toMatch(/^ {2}age +number +input +1 +standardised/m);
  });

  it.concurrent('an empty file, and an empty JSON file', async () => {
    expectFailure(await simdnet('train', file('empty.csv', ''), '--target', 'label'), 1, 'empty.csv: empty file');
    expectFailure(await simdnet('train', file('empty.json', '\n'), '--target', 'label'), 1, 'empty.json: empty file');
  });

  it.concurrent('JSON that does not parse, with the line and column', async () => {
    expectFailure(await simdnet('train', file('broken.json', '[\n  {"a": 1, "label": "x"},\n  {"a": 2 "label": "y"}\n]\n'),
      '--target', 'label'), 1, 'broken.json: not valid JSON at line 3, column ');
  });

  it.concurrent('a file over the size limit, refused before it is read', async () => {
    const name = 'huge.csv';
    writeFileSync(join(dir, name), '');
    truncateSync(join(dir, name), MAX_FILE_BYTES + 1);
    expectFailure(await simdnet('train', name, '--target', 'label'), 1,
      `huge.csv: 64.0 MiB, more than the limit of ${MAX_FILE_BYTES / 2 ** 20} MiB for a table file`);
  });

  it.concurrent('rows that lack the model\'s columns, listing them', async () => {
    const name = file('partial.csv', 'Species,Island,Sex\nAdelie,Dream,MALE\n');
    expectFailure(await simdnet('predict', 'new/folder/penguins.json', name), 1,
      'partial.csv: the model needs columns "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)", missing from the rows given');
    const noTarget = file('no-target.csv', 'Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex\nDream,39,18,190,3700,MALE\n');
    expectFailure(await simdnet('eval', 'new/folder/penguins.json', noTarget), 1,
      'no-target.csv: the model needs column "Species", missing from the rows given');
  });

  it.concurrent('a plain network given to predict rows', async () => {
    expectFailure(await simdnet('predict', 'plain.json', 'penguins.csv'), 1, 'plain.json: model: no table schema');
  });

  it.concurrent('an output path that cannot be written is an error before training, and nothing is trained', async () => {
    file('a-file', 'not a folder');
    const run = await simdnet('train', 'penguins.csv', '--target', 'Species', '--save', 'a-file/model.json');
    expectFailure(run, 1, '--save a-file/model.json: cannot create its folder');
    expect(run.out).toBe('');
    expect(existsSync(join(dir, 'a-file/model.json'))).toBe(false);
    expectFailure(await simdnet('train', 'penguins.csv', '--target', 'Species', '--plot', 'new'), 1,
      '--plot new: is a folder, not a file');
    expectFailure(await simdnet('predict', 'new/folder/penguins.json', 'penguins.csv', '--output', 'a-file/p.csv'), 1,
      '--output a-file/p.csv: cannot create its folder');
  });

  it.concurrent('usage mistakes exit with status 2', async () => {
    const mistakes = [
      [['train', 'penguins.csv'], 'train penguins.csv needs --target COLUMN'],
      [['train', 'penguins.csv', '--target', 'Species', '--task', 'ranking'], 'unknown --task "ranking"'],
      [['train', 'penguins.csv', '--target', 'Species', '--validation-split', '1'], '--validation-split must be a number from 0 up to (not including) 1'],
      [['train', 'penguins.csv', '--target', 'Species', '--preset', 'fast'], '--preset does not apply to training on a table file'],
      [['train', 'mnist', '--target', 'label'], '--target does not apply to training on mnist'],
      [['train', 'penguins.xlsx', '--target', 'Species'], 'unknown dataset "penguins.xlsx": expected mnist or a .csv, .tsv, .json file'],
      [['train', 'penguins.csv', '--target', 'Species', '--ignore', 'Species'], '--ignore names "Species", the --target'],
      [['train', 'penguins.csv', '--target', 'Species', '--dropout', '1'], '--dropout must be a number from 0 up to (not including) 1'],
      [['train', 'penguins.csv', '--target', 'Species', '--early-stopping', '0'], '--early-stopping'],
      [['train', 'mnist', '--dropout', '0.5'], '--dropout does not apply to training on mnist'],
    ] as const;
    const runs = await Promise.all(mistakes.map(([args]) => simdnet(...args)));
    for (const [i, [args, message]] of mistakes.entries()) {
      const run = runs[i]!;
      expect(run.status, `${args.join(' ')}\n${run.err}`).toBe(2);
      expect(run.err).toContain(message);
      expect(run.err).toContain("Run 'simdnet --help' for usage.");
    }
  });
});
