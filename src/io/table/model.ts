// A network for a table: its input size and output layer come from a schema fitted on the training rows, it trains
// on rows, predicts labels with every class's probability (or values in the target's own units) from raw rows, and
// its model file carries the schema, so a later process predicts from raw rows too.

import type { ActivationName, LossName } from '../../core/constants.js';
import { SimdnetError, describe } from '../../core/errors.js';
import type { BackendName, InitializerName, LayerSpec, NetworkSpec, OptimizerSpec } from '../../core/spec.js';
import type { TrainHistory, TrainOptions } from '../../core/train.js';
import { type ModelLimits, type NetworkJSON, parseModel, withTable } from '../model-file.js';
import { Network } from '../../network.js';
import {
  Encoder, type Prediction, type RowSource, type SchemaOptions, type TableSchema, type Task, fitSchema, recordSource,
  tableSource,
} from './schema.js';
import { readSchema } from './schema-check.js';
import { Table, type TableRecord, dataError } from './table.js';

export interface TabularModelOptions extends SchemaOptions {
  /** Units of each hidden layer. Default [16]. */
  hidden?: readonly number[];
  /** The hidden layers' activation. Default 'relu'. */
  activation?: ActivationName;
  /** Dropout rate on every hidden layer's outputs while training (see LayerSpec.dropout). Default 0. */
  dropout?: number;
  /** Default { type: 'adam', learningRate: 0.01 }. */
  optimizer?: OptimizerSpec;
  regularization?: { l1?: number; l2?: number };
  initializer?: InitializerName;
  /** Drives initialisation and shuffling (see NetworkSpec.seed). */
  seed?: number;
  backend?: BackendName;
  threads?: number;
}

/** Rows a table model reads: a Table, or plain objects with the columns as keys. */
export type Rows = Table | readonly TableRecord[];

/** Network.train's options, with validation rows given as a table or records. Defaults: 100 epochs, batches of 32. */
export type TableTrainOptions = Omit<TrainOptions, 'validationData'> & { validationData?: Rows };

export interface ClassificationEvaluation {
  task: 'classification';
  /** Rows evaluated; `skipped` rows had no target. */
  rows: number;
  skipped: number;
  accuracy: number;
  /** matrix[actual][predicted] counts, in the order of `labels`. */
  confusion: { labels: (string | number)[]; matrix: number[][] };
}

export interface RegressionEvaluation {
  task: 'regression';
  rows: number;
  skipped: number;
  /** Mean absolute error, in the target's units. */
  mae: number;
  /** Root mean squared error, in the target's units. */
  rmse: number;
  /** 1 − Σ(y − ŷ)² / Σ(y − ȳ)² over these rows; NaN when their target is constant. */
  r2: number;
}

export type TableEvaluation = ClassificationEvaluation | RegressionEvaluation;

const MODEL_KEYS = ['target', 'task', 'ignore', 'scaling', 'missingInputs', 'hidden', 'activation', 'dropout',
  'optimizer', 'regularization', 'initializer', 'seed', 'backend', 'threads'];

function source(rows: Rows, name: string): RowSource {
  return rows instanceof Table ? tableSource(rows) : recordSource(rows as readonly TableRecord[], name);
}

function outputLayer(schema: TableSchema): { layer: LayerSpec; loss: LossName } {
  const target = schema.target;
  if (target.task === 'regression') return { layer: { units: 1, activation: 'linear' }, loss: 'mse' };
  return target.output === 'sigmoid'
    ? { layer: { units: 1, activation: 'sigmoid' }, loss: 'binaryCrossEntropy' }
    : { layer: { units: target.labels.length, activation: 'softmax' }, loss: 'categoricalCrossEntropy' };
}

export class TabularModel {
  readonly #network: Network;
  readonly #encoder: Encoder;

  private constructor(network: Network, schema: TableSchema) {
    this.#network = network;
    this.#encoder = new Encoder(schema);
  }

  /**
   * Fits a schema on `table` (the training rows) and builds a network for it: `hidden` layers, then a softmax,
   * sigmoid or linear output with the matching loss. Nothing is trained yet.
   */
  static async create(table: Table, options: TabularModelOptions): Promise<TabularModel> {
    if (!(table instanceof Table)) {
      throw new SimdnetError('INVALID_OPTIONS', `table: expected a Table (from readCsv, fromRecords or fromColumns), ` +
        `got ${describe(table)}`);
    }
    for (const key of Object.keys(options ?? {})) {
      if (!MODEL_KEYS.includes(key)) {
        throw new SimdnetError('INVALID_OPTIONS', `options.${key}: unknown option (known: ${MODEL_KEYS.join(', ')})`);
      }
    }
    const { hidden = [16], activation = 'relu', dropout, optimizer = { type: 'adam', learningRate: 0.01 }, ...rest } = options;
    if (!Array.isArray(hidden)) {
      throw new SimdnetError('INVALID_OPTIONS', `options.hidden: expected an array of layer sizes, got ${describe(hidden)}`);
    }
    const schema = fitSchema(table, rest);
    const { layer, loss } = outputLayer(schema);
    const spec: NetworkSpec = {
      inputSize: schema.inputSize,
      layers: [...hidden.map((units) => ({ units, activation, ...(dropout === undefined ? {} : { dropout }) })), layer],
      loss,
      optimizer,
      ...(rest.regularization ? { regularization: rest.regularization } : {}),
      ...(rest.initializer ? { initializer: rest.initializer } : {}),
      ...(rest.seed !== undefined ? { seed: rest.seed } : {}),
      ...(rest.backend ? { backend: rest.backend } : {}),
      ...(rest.threads !== undefined ? { threads: rest.threads } : {}),
    };
    return new TabularModel(await Network.create(spec), schema);
  }

  /**
   * Loads a model file written by toJSON (object or text). A plain network's file, or one whose schema does not fit
   * its network, is INVALID_MODEL.
   */
  static async fromJSON(json: NetworkJSON | string, options: { backend?: BackendName } & ModelLimits = {}):
    Promise<TabularModel> {
    const { table } = parseModel(json, options);
    if (table === undefined) {
      throw new SimdnetError('INVALID_MODEL', 'model: no table schema (this file holds a plain network: load it with ' +
        'Network.fromJSON)');
    }
    const schema = readSchema(table);
    const network = await Network.fromJSON(json, options);
    const { layer, loss } = outputLayer(schema);
    const spec = network.spec;
    const last = spec.layers[spec.layers.length - 1];
    if (spec.inputSize !== schema.inputSize || last.units !== layer.units || last.activation !== layer.activation ||
      spec.loss !== loss) {
      network.dispose();
      throw new SimdnetError('INVALID_MODEL', `model: the table schema (${schema.inputSize} inputs, ${layer.units} ` +
        `${layer.activation} outputs, ${loss}) does not fit the network (${spec.inputSize} inputs, ${last.units} ` +
        `${last.activation} outputs, ${spec.loss})`);
    }
    return new TabularModel(network, schema);
  }

  /** The fitted schema (a copy): every column's role and encoding, and the report of what was decided. */
  get schema(): TableSchema {
    return structuredClone(this.#encoder.schema);
  }

  get task(): Task {
    return this.#encoder.schema.target.task;
  }

  /** The network underneath: inputs are encoded rows (schema.inputSize numbers). toTfjs exports it without the
   * schema, which only simdnet's own format carries. */
  get network(): Network {
    return this.#network;
  }

  #data(rows: Rows, name: string) {
    const from = source(rows, name);
    this.#encoder.checkColumns(from, true, name);
    const data = this.#encoder.encodeData(from, this.#encoder.schema.missingInputs === 'drop');
    if (data.count === 0) throw dataError(`${name}: no rows with a target to learn from`);
    return { inputs: data.inputs, targets: data.targets };
  }

  #trainArguments(rows: Rows, options: TableTrainOptions | undefined): [{ inputs: Float64Array; targets: Float64Array },
    TrainOptions] {
    const data = this.#data(rows, 'rows');
    const { validationData, ...rest } = options ?? {};
    const resolved: TrainOptions = { epochs: 100, batchSize: 32, ...rest };
    if (validationData !== undefined) resolved.validationData = this.#data(validationData, 'options.validationData');
    return [data, resolved];
  }

  /** Trains on rows (a Table or records); rows without a target are skipped. See TableTrainOptions. */
  train(rows: Rows, options?: TableTrainOptions): Promise<TrainHistory> {
    try {
      return this.#network.train(...this.#trainArguments(rows, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  trainSync(rows: Rows, options?: TableTrainOptions): TrainHistory {
    return this.#network.trainSync(...this.#trainArguments(rows, options));
  }

  /** Predicts one row (a plain object; columns the model does not use are ignored). */
  predict(row: TableRecord): Prediction {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw dataError(`row: expected an object with the model's columns, got ${describe(row)}`);
    }
    return this.predictRows([row], 'row')[0];
  }

  /** Predicts every row; a missing input is imputed and an unseen category sets no input, each with a warning. */
  predictRows(rows: Rows, name = 'rows'): Prediction[] {
    const from = source(rows, name);
    const encoder = this.#encoder;
    encoder.checkColumns(from, false, name);
    const width = encoder.schema.inputSize;
    const inputs = new Float64Array(from.count * width);
    const warnings = Array.from({ length: from.count }, (_, r) => {
      const found: string[] = [];
      encoder.encodeInputs(from, r, inputs, r * width, false, found);
      return found;
    });
    const outputs = this.#network.predictBatch(inputs);
    const k = encoder.outputSize;
    return warnings.map((found, r) => encoder.decode(outputs.subarray(r * k, (r + 1) * k), found));
  }

  /**
   * Accuracy and the confusion matrix (classification) or MAE, RMSE and R² in the target's units (regression) over
   * rows that have the target; rows without one are counted in `skipped`.
   */
  evaluate(rows: Rows, name = 'rows'): TableEvaluation {
    const from = source(rows, name);
    const encoder = this.#encoder;
    encoder.checkColumns(from, true, name);
    const data = encoder.encodeData(from, false);
    if (data.count === 0) throw dataError(`${name}: no rows with a target to evaluate on`);
    const outputs = this.#network.predictBatch(data.inputs);
    const k = encoder.outputSize;
    const target = encoder.schema.target;
    if (target.task === 'classification') {
      const labels = [...target.labels];
      const matrix = labels.map(() => labels.map(() => 0));
      let correct = 0;
      for (let i = 0; i < data.count; i++) {
        const actual = encoder.classOf(data.targets.subarray(i * k, (i + 1) * k));
        const predicted = encoder.classOf(outputs.subarray(i * k, (i + 1) * k));
        matrix[actual][predicted]++;
        if (actual === predicted) correct++;
      }
      return { task: 'classification', rows: data.count, skipped: data.skipped, accuracy: correct / data.count,
        confusion: { labels, matrix } };
    }
    let absolute = 0;
    let squared = 0;
    let sum = 0;
    const actual = data.rowsUsed.map((r) => encoder.targetNumber(from, r));
    for (const y of actual) sum += y;
    const mean = sum / data.count;
    let total = 0;
    actual.forEach((y, i) => {
      const error = y - (outputs[i] * target.std + target.mean);
      absolute += Math.abs(error);
      squared += error * error;
      total += (y - mean) ** 2;
    });
    return { task: 'regression', rows: data.count, skipped: data.skipped, mae: absolute / data.count,
      rmse: Math.sqrt(squared / data.count), r2: total > 0 ? 1 - squared / total : NaN };
  }

  /** The network's model file with the schema under `table`; Network.fromJSON reads it as a plain network. */
  toJSON(): NetworkJSON {
    return withTable(this.#network.toJSON(), this.#encoder.schema as unknown as Record<string, unknown>);
  }

  dispose(): void {
    this.#network.dispose();
  }
}
