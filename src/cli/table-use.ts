// `simdnet eval MODEL.json FILE` and `simdnet predict MODEL.json FILE [--output OUT.csv]`: a saved table model on the
// rows of a file, read with the model's own missing-cell markers. Predictions are written as CSV (Papa Parse quotes
// what needs quoting): every column of the file, then `prediction`, then for classes `probability` and one
// `p(<class>)` column per class. What was assumed about a row (an imputed cell, an unseen category) goes to stderr.

import { resolve } from 'node:path';
import Papa from 'papaparse';
import { SimdnetError } from '../core/errors.js';
import { type Prediction, type Table, TabularModel } from '../io/table/index.js';
import { writeFileAtomic } from '../node/atomic-write.js';
import { prepareOutput, readInput } from './files.js';
import type { CliIO } from './io.js';
import { formatEvaluation } from './table-report.js';
import { readTableFile } from './table-data.js';

/** Warnings printed one per line before the rest are counted. */
const MAX_WARNINGS = 10;

export async function loadTableModel(file: string, io: CliIO): Promise<TabularModel> {
  const text = (await readInput(resolve(io.cwd, file), 'model')).toString('utf8');
  try {
    return await TabularModel.fromJSON(text);
  } catch (error) {
    if (error instanceof SimdnetError) throw new SimdnetError(error.code, `${file}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The file's rows, read as the model read its training rows; a word in a numeric input is reported when encoded. */
function readRows(file: string, model: TabularModel, io: CliIO): Promise<Table> {
  return readTableFile(file, io, { missing: model.schema.rules.missing, invalidNumbers: 'missing' });
}

export async function runTableEval(command: { model: string; file: string }, io: CliIO): Promise<number> {
  const model = await loadTableModel(command.model, io);
  try {
    const result = model.evaluate(await readRows(command.file, model, io), command.file);
    io.stdout.write(`Model ${command.model}: predicts ${JSON.stringify(model.schema.target.name)} (${model.task})\n`);
    io.stdout.write(formatEvaluation(result, command.file));
  } finally {
    model.dispose();
  }
  return 0;
}

/** The columns after the file's own: the prediction, and for classes its probability and every class's. */
function predictionColumns(model: TabularModel): { header: string[]; cells: (p: Prediction) => (string | number)[] } {
  const target = model.schema.target;
  if (target.task === 'regression') return { header: ['prediction'], cells: (p) => ['value' in p ? p.value : ''] };
  const labels = target.labels.map(String);
  return {
    header: ['prediction', 'probability', ...labels.map((label) => `p(${label})`)],
    cells: (p) => {
      if (!('label' in p)) return [];
      return [p.label, p.probabilities[String(p.label)]!, ...labels.map((label) => p.probabilities[label]!)];
    },
  };
}

export async function runTablePredict(command: { model: string; file: string; output?: string }, io: CliIO):
  Promise<number> {
  const outputPath = command.output === undefined ? undefined : await prepareOutput('--output', command.output, io);
  const model = await loadTableModel(command.model, io);
  try {
    const table = await readRows(command.file, model, io);
    const predictions = model.predictRows(table, command.file);
    const { header, cells } = predictionColumns(model);
    const records = table.toRecords();
    const data = predictions.map((p, r) => [...table.columnNames.map((name) => records[r]![name] ?? ''), ...cells(p)]);
    const csv = Papa.unparse({ fields: [...table.columnNames, ...header], data }, { newline: '\n' }) + '\n';

    const warnings = predictions.flatMap((p, r) => (p.warnings ?? []).map((w) => `${table.where(r)}: ${w}`));
    warnings.slice(0, MAX_WARNINGS).forEach((w) => io.stderr.write(`warning: ${w}\n`));
    if (warnings.length > MAX_WARNINGS) io.stderr.write(`warning: … and ${warnings.length - MAX_WARNINGS} more\n`);

    if (outputPath === undefined) {
      io.stdout.write(csv);
    } else {
      await writeFileAtomic(outputPath, csv);
      io.stdout.write(`Wrote ${predictions.length} predictions to ${command.output}\n`);
    }
  } finally {
    model.dispose();
  }
  return 0;
}
