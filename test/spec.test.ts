// Spec validation (src/core/spec.ts through Network.create): every invalid spec is a SimdnetError('INVALID_SPEC') whose
// message names the offending field and shows the offending value; a valid spec comes back from `net.spec` with
// every default filled in, as a copy that callers cannot use to change the network.
import { describe, expect, it } from 'vitest';
import { type NetworkSpec, Network, SimdnetError } from '../src/index.js';
import { expectSimdnetError, failure } from './helpers.js';

type Backend = 'js' | 'wasm';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The message with every bracketed range or list removed ("[1, 1048576]", "(known: …)"), so that a value such as
 * 0 or 1 is not "found" inside the bounds the message quotes. */
const withoutRanges = (message: string): string => message.replace(/[[(][^\])]*[\])]/g, ' ');

/** Asserts INVALID_SPEC, the field named verbatim, and the value shown as a token of its own (when given). */
async function expectInvalid(spec: unknown, field: string, value?: string): Promise<SimdnetError> {
  const error = await failure(() => Network.create(spec as NetworkSpec));
  expectSimdnetError(error, 'INVALID_SPEC', field);
  if (value !== undefined) {
    expect(withoutRanges(error.message)).toMatch(new RegExp(`(?<![\\w.])${escapeRegExp(value)}(?![\\w.])`));
  }
  return error;
}

const base = (backend: Backend, changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  inputSize: 2,
  layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  seed: 1,
  backend,
  ...changes,
});

/** The base spec with one layer's fields replaced. */
const withLayer = (backend: Backend, index: number, layer: Record<string, unknown>) => {
  const layers: Record<string, unknown>[] = [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }];
  layers[index] = layer;
  return base(backend, { layers });
};

describe.each(['js', 'wasm'] as const)('spec validation on the %s backend', (backend) => {
  it('accepts the base spec used by every case below', async () => {
    const net = await Network.create(base(backend) as unknown as NetworkSpec);
    expect(net.outputSize).toBe(1);
    net.dispose();
  });

  it('rejects an unknown activation, naming the layer and the name', async () => {
    await expectInvalid(withLayer(backend, 0, { units: 3, activation: 'relu6' }), 'layers[0].activation', '"relu6"');
    await expectInvalid(withLayer(backend, 1, { units: 1, activation: 'Sigmoid' }), 'layers[1].activation',
      '"Sigmoid"');
    await expectInvalid(withLayer(backend, 0, { units: 3, activation: 7 }), 'layers[0].activation', '7');
  });

  it('rejects an unknown loss', async () => {
    await expectInvalid(base(backend, { loss: 'crossEntropy' }), 'loss', '"crossEntropy"');
    await expectInvalid(base(backend, { loss: 'MSE' }), 'loss', '"MSE"');
  });

  it('rejects softmax on a hidden layer', async () => {
    await expectInvalid(withLayer(backend, 0, { units: 3, activation: 'softmax' }), 'layers[0].activation',
      '"softmax"');
    const threeLayers = base(backend, {
      layers: [{ units: 3, activation: 'tanh' }, { units: 4, activation: 'softmax' }, { units: 2, activation: 'softmax' }],
    });
    await expectInvalid(threeLayers, 'layers[1].activation', '"softmax"');
  });

  it.each([
    [0, '0'], [-3, '-3'], [2.5, '2.5'], [Number.NaN, 'NaN'], [Infinity, 'Infinity'], ['3', '"3"'], [null, 'null'],
  ])('rejects units = %s', async (units, shown) => {
    await expectInvalid(withLayer(backend, 1, { units, activation: 'sigmoid' }), 'layers[1].units', shown);
  });

  it('rejects a layer without units', async () => {
    const error = await expectInvalid(withLayer(backend, 0, { activation: 'tanh' }), 'layers[0].units');
    expect(error.message).toMatch(/required/);
  });

  it.each(['binaryCrossEntropy', 'categoricalCrossEntropy'] as const)(
    'rejects %s with an output layer that does not produce probabilities', async (loss) => {
      for (const activation of ['relu', 'linear', 'tanh', 'leakyRelu']) {
        const error = await expectInvalid(
          base(backend, { loss, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation }] }),
          'loss', `"${loss}"`);
        expect(error.message).toContain(`"${activation}"`);
      }
    });

  it('accepts cross-entropy losses on sigmoid and softmax outputs', async () => {
    for (const loss of ['binaryCrossEntropy', 'categoricalCrossEntropy']) {
      for (const activation of ['sigmoid', 'softmax']) {
        const net = await Network.create(
          base(backend, { loss, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation }] }) as
            unknown as NetworkSpec);
        expect(net.spec.loss).toBe(loss);
        net.dispose();
      }
    }
  });

  it('rejects an unknown field anywhere in the spec, naming it', async () => {
    await expectInvalid(base(backend, { learningrate: 0.1 }), 'learningrate');
    await expectInvalid(base(backend, { optimizer: { type: 'sgd', learningrate: 0.1 } }), 'optimizer.learningrate');
    await expectInvalid(base(backend, { optimizer: { type: 'adam', momentum: 0.9 } }), 'optimizer.momentum');
    await expectInvalid(withLayer(backend, 0, { units: 3, activaton: 'tanh' }), 'layers[0].activaton');
    await expectInvalid(base(backend, { regularization: { l3: 1 } }), 'regularization.l3');
  });

  it.each([
    ['type', { type: 'rmsprop' }, 'optimizer.type', '"rmsprop"'],
    ['sgd learningRate 0', { type: 'sgd', learningRate: 0 }, 'optimizer.learningRate', '0'],
    ['sgd learningRate < 0', { type: 'sgd', learningRate: -0.25 }, 'optimizer.learningRate', '-0.25'],
    ['sgd learningRate NaN', { type: 'sgd', learningRate: Number.NaN }, 'optimizer.learningRate', 'NaN'],
    ['sgd learningRate Infinity', { type: 'sgd', learningRate: Infinity }, 'optimizer.learningRate', 'Infinity'],
    ['sgd learningRate as text', { type: 'sgd', learningRate: '0.1' }, 'optimizer.learningRate', '"0.1"'],
    ['momentum < 0', { type: 'sgd', momentum: -0.5 }, 'optimizer.momentum', '-0.5'],
    ['momentum > 1', { type: 'sgd', momentum: 1.5 }, 'optimizer.momentum', '1.5'],
    ['nesterov not boolean', { type: 'sgd', nesterov: 'yes' }, 'optimizer.nesterov', '"yes"'],
    ['adam learningRate < 0', { type: 'adam', learningRate: -1 }, 'optimizer.learningRate', '-1'],
    ['beta1 < 0', { type: 'adam', beta1: -0.1 }, 'optimizer.beta1', '-0.1'],
    ['beta1 > 1', { type: 'adam', beta1: 1.5 }, 'optimizer.beta1', '1.5'],
    ['beta2 > 1', { type: 'adam', beta2: 2 }, 'optimizer.beta2', '2'],
    ['epsilon 0', { type: 'adam', epsilon: 0 }, 'optimizer.epsilon', '0'],
    ['epsilon < 0', { type: 'adam', epsilon: -1e-8 }, 'optimizer.epsilon', '-1e-8'],
    ['not an object', 42, 'optimizer', '42'],
    ['unknown name', 'rmsprop', 'optimizer', '"rmsprop"'],
    ['null', null, 'optimizer', 'null'],
  ])('rejects a bad optimizer (%s)', async (_name, optimizer, field, shown) => {
    await expectInvalid(base(backend, { optimizer }), field, shown);
  });

  // Adam divides by 1 − β₁ᵗ and 1 − β₂ᵗ (the bias corrections): β = 1 makes both 1/0, so the very first step
  // is NaN. Such a spec can never train; it must be refused when the network is created, not reported as DIVERGED.
  it.each([
    ['beta1', { type: 'adam', beta1: 1 }],
    ['beta2', { type: 'adam', beta2: 1 }],
  ])('rejects Adam with %s = 1 (a division by zero in the bias correction)', async (name, optimizer) => {
    await expectInvalid(base(backend, { optimizer }), `optimizer.${name}`, '1');
  });

  it('rejects negative or non-finite regularisation', async () => {
    await expectInvalid(base(backend, { regularization: { l1: -0.5 } }), 'regularization.l1', '-0.5');
    await expectInvalid(base(backend, { regularization: { l2: Number.NaN } }), 'regularization.l2', 'NaN');
    await expectInvalid(base(backend, { regularization: 0.1 }), 'regularization', '0.1');
  });

  it('rejects a missing or invalid inputSize', async () => {
    const missing = base(backend);
    delete missing.inputSize;
    const error = await expectInvalid(missing, 'inputSize');
    expect(error.message).toMatch(/required/);
    await expectInvalid(base(backend, { inputSize: 0 }), 'inputSize', '0');
    await expectInvalid(base(backend, { inputSize: 2.5 }), 'inputSize', '2.5');
    await expectInvalid(base(backend, { inputSize: '2' }), 'inputSize', '"2"');
  });

  it('rejects missing, empty or non-array layers', async () => {
    const missing = base(backend);
    delete missing.layers;
    await expectInvalid(missing, 'layers', 'undefined');
    await expectInvalid(base(backend, { layers: [] }), 'layers', 'an array of length 0');
    await expectInvalid(base(backend, { layers: 'dense' }), 'layers', '"dense"');
    await expectInvalid(base(backend, { layers: [{ units: 3 }, 4] }), 'layers[1]', '4');
  });

  it('rejects alpha on a layer that is not leakyRelu, naming the layer and its activation', async () => {
    const error = await expectInvalid(withLayer(backend, 0, { units: 3, activation: 'relu', alpha: 0.2 }),
      'layers[0].alpha');
    expect(error.message).toContain('relu');
    // Without an activation the layer is sigmoid, and alpha is still out of place.
    const implicit = await expectInvalid(withLayer(backend, 1, { units: 1, alpha: 0.2 }), 'layers[1].alpha');
    expect(implicit.message).toContain('sigmoid');
  });

  it('rejects a leakyRelu slope outside [0, 1] and accepts one inside', async () => {
    await expectInvalid(withLayer(backend, 0, { units: 3, activation: 'leakyRelu', alpha: -0.1 }), 'layers[0].alpha',
      '-0.1');
    await expectInvalid(withLayer(backend, 0, { units: 3, activation: 'leakyRelu', alpha: 2 }), 'layers[0].alpha',
      '2');
    const net = await Network.create(
      withLayer(backend, 0, { units: 3, activation: 'leakyRelu', alpha: 0.2 }) as unknown as NetworkSpec);
    expect(net.spec.layers[0].alpha).toBe(0.2);
    net.dispose();
  });

  it.each([
    [-7, '-7'], [12.5, '12.5'], [2 ** 32, '4294967296'], ['42', '"42"'], [Number.NaN, 'NaN'], [null, 'null'],
  ])('rejects seed = %s', async (seed, shown) => {
    await expectInvalid(base(backend, { seed }), 'seed', shown);
  });

  it('rejects unknown names for initializer, biasInitializer and backend, and a non-boolean useBias', async () => {
    await expectInvalid(base(backend, { initializer: 'xavier' }), 'initializer', '"xavier"');
    await expectInvalid(base(backend, { biasInitializer: 'ones' }), 'biasInitializer', '"ones"');
    await expectInvalid(base(backend, { backend: 'gpu' }), 'backend', '"gpu"');
    await expectInvalid(withLayer(backend, 0, { units: 3, useBias: 'no' }), 'layers[0].useBias', '"no"');
  });

  it('rejects a spec that is not an object', async () => {
    for (const [spec, shown] of [[null, 'null'], [5, '5'], ['net', '"net"'], [[], 'an array of length 0']] as const) {
      await expectInvalid(spec, 'spec', shown);
    }
  });

  // 2^20 inputs × 2^20 units is 2^40 weights: no Wasm memory (4 GiB at most) nor JS typed array can hold them. The
  // spec passes each per-field limit, so the refusal must come from somewhere, and it must be a SimdnetError, not a
  // RangeError from memory.grow or from a typed-array constructor.
  it('refuses a network too large to allocate with a SimdnetError', async () => {
    const huge = base(backend, { inputSize: 2 ** 20, layers: [{ units: 2 ** 20 }] }) as unknown as NetworkSpec;
    const error = await failure(() => Network.create(huge));
    expect(error).toBeInstanceOf(SimdnetError);
    expect((error as SimdnetError).message).toMatch(/layers: \d+ parameters is more than|memory/);
  });

  it('fills in every default in net.spec', async () => {
    const net = await Network.create({ inputSize: 2, layers: [{ units: 3 }, { units: 1, activation: 'leakyRelu' }],
      seed: 7, backend });
    const spec = net.spec;
    // alpha means nothing on a sigmoid layer: whether it is recorded there is left open.
    const { alpha: _ignored, ...hidden } = spec.layers[0];
    expect(hidden).toEqual({ units: 3, activation: 'sigmoid', useBias: true });
    expect({ ...spec, layers: spec.layers.slice(1) }).toEqual({
      inputSize: 2,
      layers: [
        { units: 1, activation: 'leakyRelu', alpha: 0.01, useBias: true },
      ],
      loss: 'quadratic',
      optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0, nesterov: false },
      regularization: { l1: 0, l2: 0 },
      initializer: 'glorotUniform',
      biasInitializer: 'zeros',
      seed: 7,
      backend,
    });
    net.dispose();
  });

  // What net.spec returns is documented as a spec with every default filled in, and model files store it: it
  // must itself be a valid spec that builds the same network.
  it('returns from net.spec a spec that Network.create accepts and that builds the same network', async () => {
    const net = await Network.create({ inputSize: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2 }],
      seed: 11, backend });
    const again = await Network.create(net.spec);
    expect(again.spec).toEqual(net.spec);
    expect(again.getWeights()).toEqual(net.getWeights());
    net.dispose();
    again.dispose();
  });

  it('fills in Adam defaults and keeps the values given', async () => {
    const net = await Network.create({ inputSize: 2, layers: [{ units: 1 }], optimizer: { type: 'adam', beta2: 0.99 },
      seed: 7, backend });
    expect(net.spec.optimizer).toEqual({ type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.99, epsilon: 1e-7 });
    net.dispose();
  });

  it('records a drawn seed when none is given, and that seed reproduces the network', async () => {
    const spec = { inputSize: 3, layers: [{ units: 4 }, { units: 2 }], backend };
    const net = await Network.create(spec);
    const { seed } = net.spec;
    expect(Number.isInteger(seed)).toBe(true);
    expect(seed).toBeGreaterThanOrEqual(0);
    expect(seed).toBeLessThanOrEqual(0xffffffff);
    const again = await Network.create({ ...spec, seed });
    expect(again.getWeights()).toEqual(net.getWeights());
    net.dispose();
    again.dispose();
  });

  it('returns a copy from net.spec: mutating it changes neither the spec nor the network', async () => {
    const net = await Network.create({ inputSize: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1 }],
      seed: 3, backend });
    const before = net.spec;
    const outputBefore = net.predict([0.5, -0.25]);
    const copy = net.spec;
    copy.inputSize = 5;
    copy.layers[0].units = 10;
    copy.layers[0].activation = 'relu';
    copy.layers.push({ units: 9, activation: 'linear', alpha: 0, useBias: false });
    copy.loss = 'mse';
    copy.optimizer.learningRate = 100;
    copy.regularization.l2 = 1;
    expect(net.spec).toEqual(before);
    expect(net.spec).not.toBe(net.spec);
    expect(net.inputSize).toBe(2);
    expect(net.predict([0.5, -0.25])).toEqual(outputBefore);
    net.dispose();
  });

  it('keeps no reference to the spec object it was created from', async () => {
    const layers = [{ units: 3, activation: 'tanh' as const }, { units: 1 }];
    const optimizer = { type: 'sgd' as const, learningRate: 0.5 };
    const spec: NetworkSpec = { inputSize: 2, layers, optimizer, seed: 3, backend };
    const net = await Network.create(spec);
    const before = net.spec;
    layers[0].units = 8;
    layers.push({ units: 4 });
    optimizer.learningRate = 9;
    spec.inputSize = 4;
    expect(net.spec).toEqual(before);
    net.dispose();
  });
});
