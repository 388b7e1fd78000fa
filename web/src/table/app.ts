// The table page put together: a CSV (a file dropped or chosen, or the bundled penguins) is read by simdnet/table,
// its columns shown with the encoding a schema fitted on them gives; Train splits the rows 60/20/20, trains a
// TabularModel with train() (which yields, so the page keeps drawing the curves), and shows the held-out results and
// a form that predicts one row. Models are saved and opened as simdnet's JSON files, schema included.

import {
  type Prediction, type SchemaReport, type Table, type TableEvaluation, type TableRecord, type TableSplit,
  TabularModel, type Task, fitSchema, readCsv, split,
} from '../../../src/io/table/index.js';
import { LineChart } from '../chart.js';
import { $ } from '../dom.js';
import { renderColumns } from './columns.js';
import { messageOf, short } from './messages.js';
import { buildForm, fillForm, readForm, renderPrediction } from './predict-form.js';
import { renderResults } from './results.js';
import { SAMPLE } from './sample.js';

/** One point of the training curves. */
export interface CurvePoint {
  epoch: number;
  loss: number;
  valLoss: number;
  /** Validation accuracy (classification) or R² (regression). */
  metric: number;
}

const SEED = 1;
const BATCH_SIZE = 16;

export class TablePage {
  table: Table | undefined;
  model: TabularModel | undefined;
  parts: TableSplit | undefined;
  evaluation: TableEvaluation | undefined;
  prediction: Prediction | undefined;
  readonly curve: CurvePoint[] = [];
  /** Set while a run trains; aborting it stops after the current batch. */
  #run: AbortController | undefined;
  readonly #ignored = new Set<string>();
  /** Rows the form cycles through ("Another real row"). */
  #rows: TableRecord[] = [];
  #rowIndex = 0;
  #drawPending = false;
  readonly #loss = new LineChart($<HTMLCanvasElement>('loss-chart'), { format: short });
  readonly #metric = new LineChart($<HTMLCanvasElement>('metric-chart'), { yMin: 0, yMax: 1, extendDown: 0.5,
    format: (v) => v.toFixed(1) });

  constructor() {
    const csv = $<HTMLInputElement>('csv-file');
    $('choose-csv').addEventListener('click', () => csv.click());
    csv.addEventListener('change', async () => {
      const file = csv.files?.[0];
      csv.value = '';
      if (file) this.load(file.name, await file.text());
    });
    $('sample').addEventListener('click', () => this.load(SAMPLE.name, SAMPLE.text, SAMPLE.target));
    const modelFile = $<HTMLInputElement>('model-file');
    $('open-model').addEventListener('click', () => modelFile.click());
    modelFile.addEventListener('change', async () => {
      const file = modelFile.files?.[0];
      modelFile.value = '';
      if (file) await this.openModel(file.name, await file.text());
    });
    this.#bindDrop();
    $('target').addEventListener('change', () => {
      this.#ignored.delete($<HTMLSelectElement>('target').value);
      this.preview();
    });
    $('task').addEventListener('change', () => this.preview());
    $('train').addEventListener('click', () => void this.train());
    $('stop').addEventListener('click', () => this.#run?.abort());
    $('predict-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.predictForm();
    });
    $('another-row').addEventListener('click', () => this.#nextRow());
    $('download').addEventListener('click', () => this.download());
    window.addEventListener('resize', () => this.#scheduleDraw());
  }

  /** A file dropped anywhere on the page is read as a CSV, or opened as a model when it is a .json file. */
  #bindDrop(): void {
    const zone = $('drop');
    document.addEventListener('dragover', (event) => {
      event.preventDefault();
      zone.classList.add('dragging');
    });
    document.addEventListener('dragleave', (event) => {
      if (event.relatedTarget === null) zone.classList.remove('dragging');
    });
    document.addEventListener('drop', async (event) => {
      event.preventDefault();
      zone.classList.remove('dragging');
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      const text = await file.text();
      if (/\.json$/i.test(file.name)) await this.openModel(file.name, text);
      else this.load(file.name, text);
    });
  }

  #error(message: string | undefined): void {
    const error = $('error');
    error.textContent = message ?? '';
    error.hidden = message === undefined;
  }

  #show(cards: Record<string, boolean>): void {
    for (const [id, shown] of Object.entries(cards)) $(id).hidden = !shown;
  }

  /** Reads CSV text; shows its columns with the last one (or `target`) as the target. */
  load(name: string, text: string, target?: string): void {
    if (this.#run) return;
    let table: Table;
    try {
      table = readCsv(text, { name });
    } catch (error) {
      this.#error(messageOf(error));
      return;
    }
    this.#error(undefined);
    this.table = table;
    this.#ignored.clear();
    const menu = $<HTMLSelectElement>('target');
    menu.replaceChildren(...table.columnNames.map((column) => new Option(column, column)));
    menu.value = target && table.columnNames.includes(target) ? target : table.columnNames[table.columnNames.length - 1];
    $<HTMLSelectElement>('task').value = '';
    $('loaded').textContent = `${name}: ${table.rowCount} rows, ${table.columnNames.length} columns.`;
    this.#show({ 'columns-card': true, 'training-card': false, 'results-card': false, 'predict-card': false });
    this.preview();
  }

  #options(): { target: string; task?: Task; ignore: string[] } {
    const task = $<HTMLSelectElement>('task').value as Task | '';
    return { target: $<HTMLSelectElement>('target').value, ...(task ? { task } : {}), ignore: [...this.#ignored] };
  }

  /** Fits a schema on every row to show each column's encoding and the notices; a problem is shown, and blocks Train. */
  preview(): void {
    const table = this.table;
    if (!table) return;
    let report: SchemaReport | undefined;
    try {
      report = fitSchema(table, this.#options()).report;
      this.#error(undefined);
    } catch (error) {
      this.#error(messageOf(error));
    }
    this.#renderColumns(report);
    $<HTMLButtonElement>('train').disabled = report === undefined;
  }

  #renderColumns(report: SchemaReport | undefined): void {
    renderColumns(this.table!, $<HTMLSelectElement>('target').value, this.#ignored, report, (column, used) => {
      if (used) this.#ignored.delete(column);
      else this.#ignored.add(column);
      this.preview();
    });
  }

  /** The hidden layer sizes typed in, e.g. "32, 16"; an empty field is no hidden layer. */
  #hidden(): number[] {
    const text = $<HTMLInputElement>('hidden').value.trim();
    if (text === '') return [];
    const sizes = text.split(/[\s,]+/).map(Number);
    if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 1024)) {
      throw new Error(`hidden layers: expected whole numbers from 1 to 1024 separated by commas, got "${text}"`);
    }
    return sizes;
  }

  #epochs(): number {
    const epochs = Number($<HTMLInputElement>('epochs').value);
    if (!Number.isInteger(epochs) || epochs < 1 || epochs > 2000) throw new Error('epochs: expected a whole number from 1 to 2000');
    return epochs;
  }

  /** Splits, builds and trains a model, drawing the curves as it goes, then shows the test results and the form. */
  async train(): Promise<void> {
    const table = this.table;
    if (!table || this.#run) return;
    let model: TabularModel | undefined;
    const run = new AbortController();
    try {
      const hidden = this.#hidden();
      const epochs = this.#epochs();
      const options = this.#options();
      const task = fitSchema(table, options).target.task;
      const parts = split(table, { test: 0.2, validation: 0.2, seed: SEED,
        ...(task === 'classification' ? { stratify: options.target } : {}) });
      model = await TabularModel.create(parts.train, { ...options, task, hidden, seed: SEED });
      this.#error(undefined);
      this.#renderColumns(model.schema.report);
      this.#setModel(model);
      this.parts = parts;
      this.evaluation = undefined;
      this.curve.length = 0;
      this.#run = run;
      this.#setTraining(true);
      this.#show({ 'training-card': true, 'results-card': false, 'predict-card': false });
      $('metric-title').textContent = task === 'classification' ? 'Validation accuracy' : 'Validation R²';
      this.#status(`Training on ${parts.train.rowCount} rows, validating on ${parts.validation!.rowCount}…`);
      const trained = model;
      const history = await trained.train(parts.train, {
        epochs, batchSize: BATCH_SIZE, validationData: parts.validation, signal: run.signal,
        callbacks: {
          onEpochEnd: (epoch, logs) => {
            if (logs.partial) return;
            const metric = task === 'classification' ? logs.valAccuracy ?? NaN : trainedR2(trained, parts.validation!);
            this.curve.push({ epoch: epoch + 1, loss: logs.loss, valLoss: logs.valLoss ?? NaN, metric });
            this.#status(`Epoch ${epoch + 1} of ${epochs}: loss ${short(logs.loss)}, validation loss ` +
              `${short(logs.valLoss ?? NaN)}, validation ${task === 'classification'
                ? `accuracy ${(metric * 100).toFixed(1)}%` : `R² ${short(metric)}`}.`);
            this.#scheduleDraw();
          },
        },
      });
      const stopped = history.stopReason === 'aborted' ? ' (stopped)' : '';
      this.#status(`Trained ${this.curve.length} epochs${stopped} on ${parts.train.rowCount} rows.`);
      this.#showResults(trained, parts);
    } catch (error) {
      this.#error(messageOf(error));
    } finally {
      if (this.#run === run) {
        this.#run = undefined;
        this.#setTraining(false);
      }
      this.#drawCurves();
    }
  }

  #setTraining(training: boolean): void {
    $<HTMLButtonElement>('train').disabled = training;
    $<HTMLButtonElement>('stop').disabled = !training;
    for (const id of ['sample', 'choose-csv', 'open-model', 'target', 'task']) {
      $<HTMLButtonElement>(id).disabled = training;
    }
  }

  #status(text: string): void {
    $('train-status').textContent = text;
  }

  /** Replaces the page's model (the old one's memory is freed). */
  #setModel(model: TabularModel): void {
    if (this.model !== model) this.model?.dispose();
    this.model = model;
  }

  #showResults(model: TabularModel, parts: TableSplit): void {
    const evaluation = model.evaluate(parts.test, 'test rows');
    this.evaluation = evaluation;
    this.#show({ 'results-card': true }); // drawn at its laid-out size
    if (evaluation.task === 'regression') {
      const target = model.schema.target.name;
      const predictions = model.predictRows(parts.test, 'test rows');
      const actual: number[] = [];
      const predicted: number[] = [];
      predictions.forEach((p, r) => {
        const cell = parts.test.cell(r, target);
        const value = cell === null || cell === undefined || String(cell).trim() === '' ? NaN : Number(cell);
        if (Number.isFinite(value) && 'value' in p) {
          actual.push(value);
          predicted.push(p.value);
        }
      });
      renderResults(evaluation, { actual, predicted });
    } else {
      renderResults(evaluation);
    }
    this.#rows = parts.test.toRecords();
    this.#showForm(model, `Trained on ${parts.train.rowCount} rows of ${this.table?.name}; the form starts from a test row.`);
  }

  #showForm(model: TabularModel, about: string): void {
    const schema = model.schema;
    const target = schema.target;
    $('predict-about').textContent = `${about} It predicts ${target.name} (${target.task === 'classification'
      ? `one of ${target.labels.length} classes` : 'a number'}) from ${schema.inputs.length} columns; leave a field ` +
      'empty for a missing cell.';
    buildForm(schema);
    this.#rowIndex = 0;
    if (this.#rows.length) fillForm(schema, this.#rows[0]);
    else fillForm(schema, Object.fromEntries(schema.inputs.map((input) => [input.name, input.fill])));
    $('another-row').hidden = this.#rows.length < 2;
    this.#show({ 'predict-card': true });
    this.predictForm();
  }

  #nextRow(): void {
    if (!this.model || this.#rows.length === 0) return;
    this.#rowIndex = (this.#rowIndex + 1) % this.#rows.length;
    fillForm(this.model.schema, this.#rows[this.#rowIndex]);
    this.predictForm();
  }

  /** Predicts the row in the form. */
  predictForm(): void {
    const model = this.model;
    if (!model) return;
    try {
      const schema = model.schema;
      this.prediction = model.predict(readForm(schema));
      renderPrediction(schema, this.prediction);
      this.#error(undefined);
    } catch (error) {
      this.#error(messageOf(error));
    }
  }

  /** Saves the model file: the network and its schema, which Node's TabularModel.fromJSON reads too. */
  download(): void {
    const model = this.model;
    if (!model) return;
    const blob = new Blob([JSON.stringify(model.toJSON())], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `simdnet-${model.schema.target.name.replace(/[^\w-]+/g, '-')}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  /** Loads a model file written by Download (or TabularModel.toJSON) and shows its form. */
  async openModel(name: string, text: string): Promise<void> {
    if (this.#run) return;
    try {
      const model = await TabularModel.fromJSON(text);
      this.#error(undefined);
      this.#setModel(model);
      this.evaluation = undefined;
      // Rows of the loaded table feed the form when they have every column the model reads.
      const table = this.table;
      this.#rows = table && model.schema.inputs.every((input) => table.columnNames.includes(input.name))
        ? table.toRecords() : [];
      this.#show({ 'training-card': false, 'results-card': false });
      this.#showForm(model, `Model ${name}.`);
      $('loaded').textContent = `${name}: a model predicting ${model.schema.target.name}.`;
    } catch (error) {
      this.#error(`${name}: ${messageOf(error)}`);
    }
  }

  #scheduleDraw(): void {
    if (this.#drawPending) return;
    this.#drawPending = true;
    requestAnimationFrame(() => {
      this.#drawPending = false;
      this.#drawCurves();
    });
  }

  #drawCurves(): void {
    if ($('training-card').hidden) return;
    const x = this.curve.map((p) => p.epoch);
    this.#loss.draw(x, [
      { color: '#17324a', width: 2, values: this.curve.map((p) => p.loss) },
      { color: '#f59322', width: 2, values: this.curve.map((p) => p.valLoss) },
    ]);
    this.#metric.draw(x, [{ color: '#0877bd', width: 2, values: this.curve.map((p) => p.metric) }]);
  }
}

/** R² on the validation rows, for the regression curve (predictions run between training steps). */
function trainedR2(model: TabularModel, rows: Table): number {
  const result = model.evaluate(rows, 'validation rows');
  return result.task === 'regression' ? result.r2 : NaN;
}
