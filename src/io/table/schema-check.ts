// Reading a schema back from a model file. Model files come from anywhere, so every field is checked before an
// Encoder trusts it: a file that passes here encodes any row without NaN, and names any problem as INVALID_MODEL.

import { SimdnetError, describe } from '../../core/errors.js';
import {
  type CategoryInput, type ClassesTarget, type InputEncoding, type NumberInput, type NumberTarget, SCHEMA_VERSION,
  type SchemaReport, type TableSchema, type TargetEncoding,
} from './schema.js';

const invalid = (field: string, problem: string) => new SimdnetError('INVALID_MODEL', `model: table.${field}: ${problem}`);

type Fields = Record<string, unknown>;

function object(value: unknown, field: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(field, `expected an object, got ${describe(value)}`);
  }
  return value as Fields;
}

function array(value: unknown, field: string, minLength = 0): unknown[] {
  if (!Array.isArray(value) || value.length < minLength) {
    throw invalid(field, `expected an array${minLength > 0 ? ` of at least ${minLength}` : ''}, got ${describe(value)}`);
  }
  return value;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalid(field, `expected a string, got ${describe(value)}`);
  return value;
}

function finite(value: unknown, field: string, positive = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (positive && !(value > 0))) {
    throw invalid(field, `expected a ${positive ? 'positive ' : ''}finite number, got ${describe(value)}`);
  }
  return value;
}

function choice<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    throw invalid(field, `expected ${choices.map((c) => JSON.stringify(c)).join(' or ')}, got ${describe(value)}`);
  }
  return value as T;
}

function distinct<T>(values: T[], field: string): T[] {
  if (new Set(values).size !== values.length) throw invalid(field, 'holds a value twice');
  return values;
}

function input(value: unknown, field: string): InputEncoding {
  const o = object(value, field);
  const name = text(o.name, `${field}.name`);
  if (choice(o.kind, `${field}.kind`, ['number', 'category']) === 'number') {
    const encoding: NumberInput = {
      name, kind: 'number', scaling: choice(o.scaling, `${field}.scaling`, ['standard', 'minmax']),
      offset: finite(o.offset, `${field}.offset`), scale: finite(o.scale, `${field}.scale`, true),
      fill: finite(o.fill, `${field}.fill`),
    };
    return encoding;
  }
  const categories = distinct(array(o.categories, `${field}.categories`, 1)
    .map((c, i) => text(c, `${field}.categories[${i}]`)), `${field}.categories`);
  const encoding: CategoryInput = { name, kind: 'category', categories, fill: text(o.fill, `${field}.fill`) };
  return encoding;
}

function target(value: unknown): TargetEncoding {
  const o = object(value, 'target');
  const name = text(o.name, 'target.name');
  if (choice(o.task, 'target.task', ['classification', 'regression']) === 'regression') {
    const encoding: NumberTarget = {
      name, task: 'regression', mean: finite(o.mean, 'target.mean'), std: finite(o.std, 'target.std', true),
    };
    return encoding;
  }
  const given = array(o.labels, 'target.labels', 2);
  const labels = typeof given[0] === 'number'
    ? given.map((l, i) => finite(l, `target.labels[${i}]`))
    : given.map((l, i) => text(l, `target.labels[${i}]`));
  distinct(labels.map(String), 'target.labels');
  const output = choice(o.output, 'target.output', ['softmax', 'sigmoid']);
  if ((output === 'sigmoid') !== (labels.length === 2)) {
    throw invalid('target.output', `${output} does not fit ${labels.length} classes (sigmoid is for exactly two)`);
  }
  const encoding: ClassesTarget = { name, task: 'classification', labels: labels as string[] | number[], output };
  return encoding;
}

function report(value: unknown): SchemaReport {
  const o = object(value, 'report');
  for (const field of ['rows', 'used', 'droppedMissingTarget', 'droppedMissingInputs']) finite(o[field], `report.${field}`);
  array(o.columns, 'report.columns').forEach((c, i) => {
    const column = object(c, `report.columns[${i}]`);
    text(column.name, `report.columns[${i}].name`);
    text(column.kind, `report.columns[${i}].kind`);
    text(column.role, `report.columns[${i}].role`);
    if (column.encoding !== undefined) text(column.encoding, `report.columns[${i}].encoding`);
  });
  array(o.notices, 'report.notices').forEach((n, i) => text(n, `report.notices[${i}]`));
  return value as SchemaReport;
}

/** Checks a model file's `table` and returns it as a schema; anything inconsistent is INVALID_MODEL. */
export function readSchema(value: unknown): TableSchema {
  const o = object(value, '');
  if (o.version !== SCHEMA_VERSION) throw invalid('version', `${describe(o.version)} is not supported (${SCHEMA_VERSION} is)`);
  const rules = object(o.rules, 'rules');
  const missing = array(rules.missing, 'rules.missing').map((m, i) => text(m, `rules.missing[${i}]`));
  const inputs = array(o.inputs, 'inputs', 1).map((v, i) => input(v, `inputs[${i}]`));
  distinct(inputs.map((i) => i.name), 'inputs (names)');
  const targetEncoding = target(o.target);
  if (inputs.some((i) => i.name === targetEncoding.name)) {
    throw invalid('target.name', `${describe(targetEncoding.name)} is also an input`);
  }
  const width = inputs.reduce((n, i) => n + (i.kind === 'number' ? 1 : i.categories.length), 0);
  if (o.inputSize !== width) throw invalid('inputSize', `${describe(o.inputSize)}, but the inputs encode to ${width}`);
  return {
    version: SCHEMA_VERSION,
    rules: { missing, invalidNumbers: choice(rules.invalidNumbers, 'rules.invalidNumbers', ['error', 'missing']) },
    missingInputs: choice(o.missingInputs, 'missingInputs', ['impute', 'drop']),
    inputs,
    target: targetEncoding,
    inputSize: width,
    report: report(o.report),
  };
}
