// `simdnet inspect MODEL.json`: what a model file holds, for any simdnet model (MNIST's or a table's): the layers
// with their parameter counts, the training settings its spec records, and a table model's schema (every column's
// role and encoding, the target and its classes, what was decided while fitting).

import { resolve } from 'node:path';
import { SimdnetError } from '../core/errors.js';
import { type NetworkJSON, parseModel } from '../io/model-file.js';
import { TabularModel } from '../io/table/index.js';
import { readInput } from './files.js';
import type { CliIO } from './io.js';
import { architecture, columns, formatSchemaReport, optimizerName, parameterCounts } from './table-report.js';

async function schemaOf(text: string) {
  const model = await TabularModel.fromJSON(text);
  try {
    return model.schema;
  } finally {
    model.dispose();
  }
}

export async function runInspect(command: { model: string }, io: CliIO): Promise<number> {
  const out = (line: string) => io.stdout.write(line + '\n');
  const text = (await readInput(resolve(io.cwd, command.model), 'model')).toString('utf8');
  let spec;
  let schema;
  try {
    const model = parseModel(text);
    spec = model.spec;
    if (model.table !== undefined) schema = await schemaOf(text);
  } catch (error) {
    if (error instanceof SimdnetError) throw new SimdnetError(error.code, `${command.model}: ${error.message}`, { cause: error });
    throw error;
  }
  const dtype = (JSON.parse(text) as NetworkJSON).dtype;

  out(`${command.model}: a simdnet model, ${architecture(spec)}, weights stored as ${dtype}`);
  const counts = parameterCounts(spec);
  const rows = [['layer', 'units', 'activation', 'weights', 'biases', 'parameters'], ['input', String(spec.inputSize), '', '', '', '']];
  spec.layers.forEach((layer, i) => {
    const { weights, biases } = counts[i]!;
    rows.push([`dense ${i + 1}`, String(layer.units), layer.activation, String(weights), String(biases), String(weights + biases)]);
  });
  io.stdout.write(columns(rows));
  out(`Parameters: ${counts.reduce((sum, c) => sum + c.weights + c.biases, 0)}`);
  const { l1, l2 } = spec.regularization;
  out(`Training: ${spec.loss}, ${optimizerName(spec)}, ${spec.initializer} init (biases ${spec.biasInitializer}), ` +
    `seed ${spec.seed}, ${spec.backend} backend${l1 || l2 ? `, regularization l1 ${l1} l2 ${l2}` : ''}`);
  if (schema === undefined) {
    out('Schema: none (a plain network: its inputs are numbers, not table rows)');
    return 0;
  }
  const target = schema.target;
  out(`Schema: predicts ${JSON.stringify(target.name)} (${target.task}` +
    (target.task === 'classification' ? `, classes ${target.labels.map((l) => JSON.stringify(l)).join(', ')}` : '') +
    `) from ${schema.inputs.length} columns as ${schema.inputSize} network inputs; missing cells: ` +
    `${schema.rules.missing.map((m) => JSON.stringify(m)).join(', ')}`);
  out(`Fitted on ${schema.report.used} of ${schema.report.rows} training rows:`);
  io.stdout.write(formatSchemaReport(schema.report, target));
  return 0;
}
