// What the table commands print: the columns as the schema read them, a classifier's confusion matrix with its
// class labels, a regression's errors, and a network's layers with their parameter counts.

import type { ResolvedSpec } from '../core/spec.js';
import type { SchemaReport, TableEvaluation, TableSchema } from '../io/table/index.js';
import { percent } from './report.js';

/** Left-aligned columns of text, two spaces apart. */
export function columns(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
    .join('  ').trimEnd()).join('\n') + '\n';
}

const counts = (values: { value: string; count: number }[]) =>
  values.map(({ value, count }) => `${value} ${count}`).join(', ');

/** Every column: its kind, role, missing cells and encoding; then the classes with their counts; then the notices. */
export function formatSchemaReport(report: SchemaReport, target: TableSchema['target']): string {
  const rows = [['column', 'kind', 'role', 'missing', 'encoding']];
  for (const c of report.columns) {
    rows.push([c.name, c.kind, c.role, String(c.missing), c.encoding ?? '']);
  }
  let text = columns(rows);
  const classes = report.columns.find((c) => c.name === target.name)?.counts;
  if (target.task === 'classification' && classes) text += `Classes (training rows): ${counts(classes)}\n`;
  for (const notice of report.notices) text += `Note: ${notice}\n`;
  return text;
}

/** Accuracy and the confusion matrix (rows: actual class, columns: predicted), or MAE, RMSE and R². */
export function formatEvaluation(result: TableEvaluation, what: string): string {
  const skipped = result.skipped > 0 ? ` (${result.skipped} without a target skipped)` : '';
  if (result.task === 'regression') {
    return `${what}: ${result.rows} rows${skipped}\n` +
      `  MAE  ${result.mae.toPrecision(4)}\n  RMSE ${result.rmse.toPrecision(4)}\n  R²   ${result.r2.toFixed(4)}\n`;
  }
  const { labels, matrix } = result.confusion;
  const correct = matrix.reduce((sum, row, i) => sum + row[i]!, 0);
  const names = labels.map(String);
  const rows = [['actual \\ predicted', ...names, 'accuracy']];
  matrix.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    rows.push([names[i]!, ...row.map(String), percent(row[i]!, total)]);
  });
  return `${what}: ${result.rows} rows${skipped}\n` +
    `Accuracy: ${correct} / ${result.rows} (${percent(correct, result.rows)})\n` +
    'Confusion matrix (rows: actual class, columns: predicted class)\n' + columns(rows);
}

/** Weights and biases of each dense layer. */
export function parameterCounts(spec: ResolvedSpec): { weights: number; biases: number }[] {
  let inputs = spec.inputSize;
  return spec.layers.map((layer) => {
    const counted = { weights: inputs * layer.units, biases: layer.useBias ? layer.units : 0 };
    inputs = layer.units;
    return counted;
  });
}

/** "[4, 16, 3] relu → softmax" */
export function architecture(spec: ResolvedSpec): string {
  const sizes = [spec.inputSize, ...spec.layers.map((l) => l.units)].join(', ');
  const activations = [...new Set(spec.layers.slice(0, -1).map((l) => l.activation))];
  const output = spec.layers.at(-1)!.activation;
  return `[${sizes}] ${activations.length > 0 ? `${activations.join('/')} → ${output}` : output}`;
}

/** "adam η 0.01", "sgd with momentum 0.9 η 0.1" */
export function optimizerName(spec: ResolvedSpec): string {
  const o = spec.optimizer;
  if (o.type === 'adam') return `adam η ${o.learningRate}`;
  return o.momentum > 0 ? `sgd with momentum ${o.momentum} η ${o.learningRate}` : `sgd η ${o.learningRate}`;
}
