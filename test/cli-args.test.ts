import { describe, expect, it } from 'vitest';
import { parseCommand, type TrainConfig, UsageError } from '../src/cli/args.js';
import { main } from '../src/cli/main.js';
import { mnistSpec } from '../src/cli/presets.js';
import { captureIO } from './fixtures/capture-io.js';
import { failure } from './helpers.js';

function trainConfig(...argv: string[]): TrainConfig {
  const command = parseCommand(['train', 'mnist', ...argv]);
  if (command.kind !== 'train') throw new Error(`expected a train command, got ${command.kind}`);
  return command.config;
}

function usageError(argv: string[]): string {
  const error = failure(() => parseCommand(argv));
  expect(error, argv.join(' ')).toBeInstanceOf(UsageError);
  return (error as Error).message;
}

describe('presets', () => {
  it('nielsen is network.py: [784, 30, 10] sigmoid, quadratic, SGD batch 10, η 3, 30 epochs, N(0,1) weights and biases', () => {
    const config = trainConfig('--preset', 'nielsen');
    expect(mnistSpec(config)).toEqual({
      inputSize: 784,
      layers: [{ units: 30, activation: 'sigmoid' }, { units: 10, activation: 'sigmoid' }],
      loss: 'quadratic',
      optimizer: { type: 'sgd', learningRate: 3, momentum: 0 },
      initializer: 'normal',
      biasInitializer: 'normal',
      seed: 1,
      backend: 'wasm',
    });
    expect([config.batchSize, config.epochs]).toEqual([10, 30]);
  });

  it('nielsen-deep and linear differ from nielsen in the hidden layers only', () => {
    const nielsen = trainConfig('--preset', 'nielsen');
    expect(trainConfig('--preset', 'nielsen-deep')).toEqual({ ...nielsen, preset: 'nielsen-deep', hidden: [16, 16] });
    expect(trainConfig('--preset', 'linear')).toEqual({ ...nielsen, preset: 'linear', hidden: [] });
    expect(mnistSpec(trainConfig('--preset', 'linear')).layers).toEqual([{ units: 10, activation: 'sigmoid' }]);
  });

  it('fast is the default: relu hidden layer, softmax output, categorical cross-entropy, SGD with momentum', () => {
    const config = trainConfig();
    expect(config.preset).toBe('fast');
    const spec = mnistSpec(config);
    expect(spec.layers.at(-1)).toEqual({ units: 10, activation: 'softmax' });
    expect(spec.layers.slice(0, -1).every((layer) => layer.activation === 'relu')).toBe(true);
    expect(spec.loss).toBe('categoricalCrossEntropy');
    expect(spec.optimizer).toEqual({ type: 'sgd', learningRate: 0.1, momentum: 0.9 });
    expect(spec).not.toHaveProperty('biasInitializer');
  });
});

describe('train flags', () => {
  it('override the preset', () => {
    const config = trainConfig('--preset', 'nielsen', '--hidden', '100,50', '--activation', 'relu', '--epochs', '3',
      '--batch', '64', '--lr', '0.5', '--seed', '7', '--backend', 'js', '--save', 'm.json', '--plot', 'c.svg',
      '--train-size', '5000', '--test-size', '1000', '--data-dir', 'data');
    expect(config).toMatchObject({
      hidden: [100, 50], activation: 'relu', outputActivation: 'sigmoid', loss: 'quadratic', epochs: 3, batchSize: 64,
      learningRate: 0.5, seed: 7, backend: 'js', save: 'm.json', plot: 'c.svg', trainSize: 5000, testSize: 1000,
      dataDir: 'data',
    });
  });

  it('pair the output layer with the loss, and give another optimiser its own learning rate', () => {
    const config = trainConfig('--preset', 'nielsen', '--loss', 'categoricalCrossEntropy', '--optimizer', 'adam');
    expect([config.outputActivation, config.learningRate]).toEqual(['softmax', 0.001]);
    const momentum = mnistSpec(trainConfig('--preset', 'nielsen', '--optimizer', 'momentum'));
    expect(momentum.optimizer).toEqual({ type: 'sgd', learningRate: 0.1, momentum: 0.9 });
    expect(mnistSpec(trainConfig('--optimizer', 'adam')).optimizer).toEqual(
      { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    expect(trainConfig('--loss', 'binaryCrossEntropy').outputActivation).toBe('sigmoid');
    expect(trainConfig('--hidden', 'none').hidden).toEqual([]);
  });

  it('an explicit --initializer replaces the preset\'s bias initialiser too', () => {
    expect(mnistSpec(trainConfig('--preset', 'nielsen', '--initializer', 'glorotUniform'))).not.toHaveProperty('biasInitializer');
  });
});

describe('argument errors', () => {
  it.each([
    [['train', 'mnist', '--preset', 'huge'], 'unknown --preset "huge": expected one of nielsen, nielsen-deep, linear, fast'],
    [['train', 'mnist', '--lr', 'abc'], '--lr must be a positive number, got "abc"'],
    [['train', 'mnist', '--lr=-1'], '--lr must be a positive number, got "-1"'],
    [['train', 'mnist', '--lr', '-1'], "option '--lr' argument is ambiguous. Did you forget"],
    [['train', 'mnist', '--lr', ''], '--lr must be a positive number, got ""'],
    [['train', 'mnist', '--epochs', '2.5'], '--epochs must be an integer ≥ 1, got "2.5"'],
    [['train', 'mnist', '--batch', '0'], '--batch must be an integer ≥ 1, got "0"'],
    [['train', 'mnist', '--seed', '4294967296'], '--seed must be an integer from 0 to 4294967295'],
    [['train', 'mnist', '--hidden', '100,x'], '--hidden must be layer sizes separated by commas'],
    [['train', 'mnist', '--activation', 'swish'], 'unknown --activation "swish"'],
    [['train', 'mnist', '--activation', 'softmax'], 'only for the output layer'],
    [['train', 'mnist', '--optimizer', 'rmsprop'], 'unknown --optimizer "rmsprop": expected one of sgd, momentum, adam'],
    [['train', 'mnist', '--backend', 'gpu'], 'unknown --backend "gpu"'],
    [['train', 'mnist', '--frobnicate'], "unknown option '--frobnicate'"],
    [['train', 'mnist', '--epochs'], "option '--epochs <value>' argument missing"],
    [['train', 'cifar'], 'unknown dataset "cifar": expected mnist'],
    [['train', 'mnist', 'extra'], 'unexpected argument "extra"'],
    [['fit', 'mnist'], 'unknown command "fit": expected train, eval, predict or inspect'],
    [['eval'], 'eval needs a model file'],
    [['predict', 'model.json'], 'predict needs either an image file or --index N'],
    [['predict', 'model.json', 'digit.png', '--index', '3'], 'predict needs either an image file or --index N'],
    [['predict', 'model.json', '--index', '10000'], '--index must be an integer from 0 to 9999, got "10000"'],
  ])('%j: %s', (argv, message) => {
    expect(usageError(argv)).toContain(message);
  });

  it('main prints the error and a pointer to --help on stderr only, and exits with status 2', async () => {
    for (const argv of [['train', 'mnist', '--preset', 'huge'], ['train', 'mnist', '--lr', 'abc'], ['train', '--frobnicate']]) {
      const io = captureIO();
      expect(await main(argv, io)).toBe(2);
      expect(io.out()).toBe('');
      expect(io.err()).toMatch(/^simdnet: .+\nRun 'simdnet --help' for usage\.\n$/);
    }
  });

  it('main reports a runtime failure (a missing model file) as one line with status 1', async () => {
    const io = captureIO();
    expect(await main(['eval', 'no-such-model.json'], io)).toBe(1);
    expect(io.err()).toMatch(/^simdnet: .*no-such-model\.json: cannot read the model \(file not found\) \[INVALID_FILE\]\n$/);
  });

  it('main prints the usage for --help and the version for --version, with status 0', async () => {
    const help = captureIO();
    expect(await main(['--help'], help)).toBe(0);
    expect(help.out()).toContain('simdnet train mnist [options]');
    expect(help.out()).toContain('--preset NAME');
    expect(help.err()).toBe('');
    expect(parseCommand(['train', '--help'])).toEqual({ kind: 'help', topic: 'train' });
    const version = captureIO();
    expect(await main(['--version'], version)).toBe(0);
    expect(version.out()).toMatch(/^simdnet \d+\.\d+\.\d+\n$/);
  });
});
