// `simdnet train FILE --target COLUMN`: reads a table, holds out a seeded (for classes, stratified) share of its rows
// for validation, fits the schema on the rest and says what it decided about every column, trains with one line per
// epoch, then reports the validation metrics and saves the model (schema inside) and the chart. Output paths are
// made ready before the file is read; Ctrl-C stops after the current batch and still reports and saves.

import { SimdnetError } from '../core/errors.js';
import type { OptimizerSpec } from '../core/spec.js';
import type { EpochLogs, TrainHistory } from '../core/train.js';
import { type Table, TabularModel, fitSchema, split } from '../io/table/index.js';
import { writeFileAtomic } from '../node/atomic-write.js';
import type { TableTrainConfig } from './args.js';
import { prepareOutput } from './files.js';
import type { CliIO } from './io.js';
import { type EpochPoint, plotSvg } from './plot.js';
import { MOMENTUM } from './presets.js';
import { percent } from './report.js';
import { architecture, formatEvaluation, formatSchemaReport, optimizerName } from './table-report.js';
import { readTableFile } from './table-data.js';

const dataError = (message: string) => new SimdnetError('INVALID_DATA', message);
const names = (list: readonly string[]) => list.map((n) => JSON.stringify(n)).join(', ');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** --target and --ignore must name columns of the file: said in the flags' words, with the columns there are. */
function checkColumns(table: Table, config: TableTrainConfig): void {
  const has = (name: string) => table.columnNames.includes(name);
  if (!has(config.target)) {
    throw dataError(`${config.file}: no column ${JSON.stringify(config.target)} to predict (--target); its columns are ` +
      names(table.columnNames));
  }
  const unknown = config.ignore.filter((name) => !has(name));
  if (unknown.length > 0) {
    throw dataError(`${config.file}: --ignore names ${unknown.length === 1 ? 'a column' : 'columns'} it does not have ` +
      `(${names(unknown)}); its columns are ${names(table.columnNames)}`);
  }
}

function optimizerSpec(config: TableTrainConfig): OptimizerSpec {
  return config.optimizer === 'adam'
    ? { type: 'adam', learningRate: config.learningRate }
    : { type: 'sgd', learningRate: config.learningRate, momentum: config.optimizer === 'momentum' ? MOMENTUM : 0 };
}

/** The training rows and the held-out validation rows (none with --validation-split 0). */
function holdOut(table: Table, config: TableTrainConfig, stratify: boolean): { train: Table; validation?: Table } {
  if (config.validationSplit === 0) return { train: table };
  try {
    const parts = split(table, { test: config.validationSplit, seed: config.seed, ...(stratify ? { stratify: config.target } : {}) });
    return { train: parts.train, validation: parts.test };
  } catch (error) {
    if (error instanceof SimdnetError && error.code === 'INVALID_OPTIONS') {
      throw dataError(`${config.file}: ${table.rowCount} rows are too few to hold out --validation-split ` +
        `${config.validationSplit} of them (pass --validation-split 0 to validate on the training rows)`);
    }
    throw error;
  }
}

export async function runTableTrain(config: TableTrainConfig, io: CliIO): Promise<number> {
  const out = (line: string) => io.stdout.write(line + '\n');
  const savePath = config.save === undefined ? undefined : await prepareOutput('--save', config.save, io);
  const plotPath = config.plot === undefined ? undefined : await prepareOutput('--plot', config.plot, io);

  const table = await readTableFile(config.file, io, { invalidNumbers: config.invalidNumbers });
  checkColumns(table, config);
  const schemaOptions = { target: config.target, ignore: config.ignore, ...(config.task ? { task: config.task } : {}) };
  // Fitted on every row once, to learn the task (and so stratify a classifier's validation rows by class).
  const task = fitSchema(table, schemaOptions).target.task;
  out(`${config.file}: ${table.rowCount} rows, ${table.columnNames.length} columns`);
  const { train, validation } = holdOut(table, config, task === 'classification');
  out(validation
    ? `Validation: ${validation.rowCount} rows held out (--validation-split ${config.validationSplit}, seed ${config.seed}` +
      `${task === 'classification' ? ', stratified by class' : ''}); training on ${train.rowCount} rows`
    : `Validation: none (--validation-split 0): the figures below are on the ${train.rowCount} training rows`);

  const model = await TabularModel.create(train, {
    ...schemaOptions, hidden: config.hidden, activation: config.activation, optimizer: optimizerSpec(config),
    seed: config.seed, backend: config.backend, ...(config.dropout > 0 ? { dropout: config.dropout } : {}),
  });
  try {
    const { schema } = model;
    out(`Task: ${task}${config.task ? ' (--task)' : ''}. Columns, fitted on the ${schema.report.used} training rows used:`);
    io.stdout.write(formatSchemaReport(schema.report, schema.target));
    const spec = model.network.spec;
    out(`Network: ${architecture(spec)}, ${spec.loss}, ${optimizerName(spec)}, batch ${config.batchSize}, ` +
      `${config.epochs} epochs, seed ${config.seed}, ${config.backend} backend` +
      (config.dropout > 0 ? `, dropout ${config.dropout}` : '') +
      (config.earlyStopping === undefined ? '' : `, early stopping after ${config.earlyStopping} epochs without progress`));

    const checked = validation ?? train;
    const which = validation ? 'validation' : 'training';
    const points: EpochPoint[] = [];
    const report = (logs: EpochLogs) => {
      let metric: string;
      let accuracy = NaN;
      if (task === 'classification') {
        accuracy = logs.valAccuracy ?? logs.accuracy;
        metric = `${which} accuracy ${percent(accuracy, 1)}`;
      } else {
        const result = model.evaluate(checked, config.file);
        metric = result.task === 'regression' ? `${which} RMSE ${result.rmse.toPrecision(4)}` : '';
      }
      const valLoss = logs.valLoss === undefined ? '' : `, validation loss ${logs.valLoss.toFixed(4)}`;
      out(`Epoch ${logs.epoch + 1}/${config.epochs}: loss ${logs.loss.toFixed(4)}${valLoss}, ${metric}  (${seconds(logs.elapsedMs)})`);
      points.push({ epoch: logs.epoch + 1, loss: logs.loss, accuracy });
    };

    const controller = new AbortController();
    const stopListening = io.onInterrupt(() => {
      io.stderr.write('\nStopping after the current batch (Ctrl-C again quits at once)…\n');
      controller.abort();
    });
    const started = performance.now();
    let history: TrainHistory;
    try {
      history = await model.train(train, {
        epochs: config.epochs,
        batchSize: config.batchSize,
        shuffle: true,
        ...(validation ? { validationData: validation } : {}),
        // Without held-out rows the training loss is what can stop getting better.
        ...(config.earlyStopping === undefined ? {} : { earlyStopping: { patience: config.earlyStopping } }),
        signal: controller.signal,
        callbacks: { onEpochEnd: (_epoch: number, logs: EpochLogs) => report(logs) },
      });
    } finally {
      stopListening();
    }
    const complete = history.epochs.filter((logs) => !logs.partial).length;
    const epochs = `${complete} epoch${complete === 1 ? '' : 's'}`;
    const took = seconds(performance.now() - started);
    out(history.stopReason === 'aborted' ? `Stopped by Ctrl-C after ${epochs} (${took}).`
      : history.stopReason === 'earlyStopping'
        ? `Stopped early after ${epochs} (${took}): no better ${validation ? 'validation' : 'training'} loss for ` +
          `${config.earlyStopping} epochs; kept the weights of epoch ${history.bestEpoch! + 1}.`
        : `Trained ${epochs} in ${took}.`);
    out('');
    io.stdout.write(formatEvaluation(model.evaluate(checked, config.file), validation ? 'Validation' : 'Training rows'));

    if (savePath !== undefined) {
      await writeFileAtomic(savePath, JSON.stringify(model.toJSON()));
      out(`Saved the model to ${config.save}`);
    }
    if (plotPath !== undefined) {
      await writeFileAtomic(plotPath, plotSvg(points, `simdnet on ${config.file}: ${architecture(spec)}`,
        `${which} accuracy`));
      out(`Wrote the chart to ${config.plot}`);
    }
  } finally {
    model.dispose();
  }
  return 0;
}
