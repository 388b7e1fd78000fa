// TensorFlow.js interoperability (src/io/tfjs.ts, src/node/index.ts): net.toTfjs() loads into
// @tensorflow/tfjs through an in-memory IO handler and predicts what simdnet predicts (within 1e-5); the Node helper's
// model.json + weights.bin load into tfjs from disk through a custom IO handler; Network.fromTfjs imports sequential
// Dense models saved by tfjs (and what toTfjs wrote), and refuses anything else naming the layer, activation or
// encoding it cannot take.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Network, type NetworkSpec, NumpyRandom, SimdnetError } from '../src/index.js';
import { loadTfjsModel, saveTfjsModel } from '../src/node/index.js';
import { quietly } from './fuzz/harness.js';
import { expectClose, failure } from './helpers.js';

type Backend = 'wasm' | 'js';

const SPECS: [string, Omit<NetworkSpec, 'backend'>][] = [
  ['tanh → sigmoid', { inputSize: 3, layers: [{ units: 5, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 1 }],
  ['relu (no bias) → softmax', { inputSize: 4, layers: [{ units: 8, activation: 'relu', useBias: false },
    { units: 3, activation: 'softmax' }], loss: 'categoricalCrossEntropy', seed: 2 }],
  ['leakyRelu (α 0.2) → linear → linear, L1L2', { inputSize: 2, layers: [{ units: 6, activation: 'leakyRelu', alpha: 0.2 },
    { units: 4, activation: 'linear' }, { units: 2, activation: 'linear' }], loss: 'mse', regularization: { l1: 1e-4, l2: 1e-3 },
    seed: 3 }],
];

const dirs: string[] = [];
const temporaryDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'simdnet-tfjs-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  // tfjs' cpu backend greets Node users on the console when it stores its first tensor; tests print nothing.
  await quietly(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
    tf.tensor([0]).dispose();
  });
});
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A network whose weights are not its seed's: trained a few steps on random data. */
async function trained(spec: Omit<NetworkSpec, 'backend'>, backend: Backend): Promise<Network> {
  const net = await Network.create({ ...spec, backend });
  const rng = new NumpyRandom(7);
  const rows = 16;
  const targets = new Float64Array(rows * net.outputSize);
  for (let r = 0; r < rows; r++) targets[r * net.outputSize + (r % net.outputSize)] = 1;
  net.trainSync({ inputs: rng.randn(rows * spec.inputSize), targets }, { epochs: 3, batchSize: 4 });
  return net;
}

const probe = (inputSize: number) => Float32Array.from(new NumpyRandom(11).randn(10 * inputSize));

function tfjsPredict(model: tf.LayersModel, inputs: Float32Array, inputSize: number): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor2d(inputs, [inputs.length / inputSize, inputSize])) as tf.Tensor)
    .dataSync() as Float32Array);
}

/** A tfjs IO handler that loads model.json and its weight files from disk (tfjs-node's file:// without tfjs-node). */
function fileHandler(modelPath: string): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(readFileSync(modelPath, 'utf8'));
      const dir = join(modelPath, '..');
      const weightSpecs = json.weightsManifest.flatMap((group: { weights: unknown[] }) => group.weights);
      const buffers = json.weightsManifest.flatMap((group: { paths: string[] }) =>
        group.paths.map((p) => readFileSync(join(dir, p))));
      const bytes = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology, weightSpecs, format: json.format, generatedBy: json.generatedBy,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    },
  };
}

describe.each(['wasm', 'js'] as const)('net.toTfjs() on the %s backend', (backend) => {
  it.each(SPECS)('%s: the artifacts name a Sequential model of Dense layers with float32 weights', async (_name, spec) => {
    const net = await trained(spec, backend);
    const artifacts = net.toTfjs();
    expect(artifacts.format).toBe('layers-model');
    expect(artifacts.modelTopology.class_name).toBe('Sequential');
    const parameters = net.getWeights().reduce((n, l) => n + l.weights.length + l.biases.length, 0);
    expect(artifacts.weightData.byteLength).toBe(parameters * 4);
    expect(artifacts.weightSpecs.every((s) => s.dtype === 'float32')).toBe(true);
    expect(artifacts.weightSpecs[0]).toEqual({ name: 'dense_1/kernel', shape: [spec.inputSize, spec.layers[0].units],
      dtype: 'float32' });
    // The kernel is simdnet's [inputs][units] layout itself.
    expect(new Float32Array(artifacts.weightData, 0, spec.inputSize * spec.layers[0].units))
      .toEqual(Float32Array.from(net.getWeights()[0].weights));
    net.dispose();
  });

  it.each(SPECS)('%s: tfjs loads it from memory and predicts the same within 1e-5', async (_name, spec) => {
    const net = await trained(spec, backend);
    const model = await tf.loadLayersModel(tf.io.fromMemory(net.toTfjs()));
    const inputs = probe(spec.inputSize);
    expectClose(tfjsPredict(model, inputs, spec.inputSize), net.predictBatch(inputs), { abs: 1e-5 });
    model.dispose();
    net.dispose();
  });

  it.each(SPECS)('%s: toTfjs then fromTfjs gives the same network', async (_name, spec) => {
    const net = await trained(spec, backend);
    const back = await Network.fromTfjs(net.toTfjs(), { backend });
    const { seed: _a, backend: _b, loss: _c, optimizer: _d, ...shape } = back.spec;
    const { seed: _e, backend: _f, loss: _g, optimizer: _h, ...original } = net.spec;
    expect(shape).toEqual(original);
    back.getWeights().forEach((layer, i) => {
      // float32 on the way through tfjs: exact on wasm, rounded once on js.
      expect(layer.weights).toEqual(backend === 'wasm' ? net.getWeights()[i].weights
        : Float64Array.from(Float32Array.from(net.getWeights()[i].weights)));
    });
    net.dispose();
    back.dispose();
  });
});

describe('the Node helper: model.json + weights.bin', () => {
  it('writes files that tfjs loads from disk (custom IO handler) and that fromTfjs loads back', async () => {
    const dir = temporaryDir();
    const spec = SPECS[1][1];
    const net = await trained(spec, 'wasm');
    const { modelPath, weightsPath } = await saveTfjsModel(dir, net);
    expect(modelPath).toBe(join(dir, 'model.json'));
    expect(readFileSync(weightsPath).length).toBe(net.toTfjs().weightData.byteLength);
    const json = JSON.parse(readFileSync(modelPath, 'utf8'));
    expect(json.weightsManifest).toEqual([{ paths: ['weights.bin'], weights: net.toTfjs().weightSpecs }]);

    const inputs = probe(spec.inputSize);
    const model = await tf.loadLayersModel(fileHandler(modelPath));
    expectClose(tfjsPredict(model, inputs, spec.inputSize), net.predictBatch(inputs), { abs: 1e-5 });
    model.dispose();

    for (const path of [dir, modelPath]) {
      const back = await Network.fromTfjs(await loadTfjsModel(path));
      expect(back.predictBatch(inputs)).toEqual(net.predictBatch(inputs));
      back.dispose();
    }
    net.dispose();
  });

  it('refuses missing files and weight paths outside the model directory with INVALID_FILE naming the file', async () => {
    const dir = temporaryDir();
    const net = await trained(SPECS[0][1], 'wasm');
    await saveTfjsModel(dir, net.toTfjs());
    rmSync(join(dir, 'weights.bin'));
    await expect(loadTfjsModel(dir)).rejects.toMatchObject({ code: 'INVALID_FILE', message: expect.stringContaining('weights.bin') });
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['../../etc/passwd'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadTfjsModel(dir)).rejects.toMatchObject({ code: 'INVALID_FILE', message: expect.stringContaining('../../etc/passwd') });
    await expect(loadTfjsModel(join(dir, 'nothing-here'))).rejects.toMatchObject({ code: 'INVALID_FILE' });
    net.dispose();
  });
});

/** Saves a tfjs model to artifacts in memory. */
async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved!;
}

describe('Network.fromTfjs', () => {
  it('imports a model built and saved by TensorFlow.js, predicting the same within 1e-5', async () => {
    const model = tf.sequential({ layers: [
      tf.layers.inputLayer({ inputShape: [5] }),
      tf.layers.dense({ units: 7, activation: 'relu' }),
      tf.layers.dense({ units: 6, activation: 'linear', useBias: false }),
      tf.layers.leakyReLU({ alpha: 0.1 }),
      tf.layers.dense({ units: 4 }),
      tf.layers.activation({ activation: 'tanh' }),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ] });
    const artifacts = await artifactsOf(model);
    for (const backend of ['wasm', 'js'] as const) {
      const net = await Network.fromTfjs(artifacts as never, { backend, seed: 5 });
      expect(net.spec.layers.map((l) => l.activation)).toEqual(['relu', 'leakyRelu', 'tanh', 'softmax']);
      expect(net.spec.layers[1]).toEqual({ units: 6, activation: 'leakyRelu', alpha: 0.1, useBias: false });
      expect(net.spec.loss).toBe('categoricalCrossEntropy'); // the default for a softmax output
      const inputs = probe(5);
      expectClose(net.predictBatch(inputs), tfjsPredict(model, inputs, 5), { abs: 1e-5 });
      net.dispose();
    }
    model.dispose();
  });

  it('imports the contents of a model.json with its weights as weightData, weightData as ArrayBuffer[]', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, activation: 'sigmoid', inputShape: [2] })] });
    const artifacts = await artifactsOf(model);
    const modelJson = { modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }] };
    const bytes = new Uint8Array(artifacts.weightData as ArrayBuffer);
    const inputs = probe(2);
    for (const weightData of [bytes.buffer, bytes, [bytes.slice(0, 8).buffer, bytes.slice(8).buffer]]) {
      const net = await Network.fromTfjs({ ...modelJson, weightData });
      expectClose(net.predictBatch(inputs), tfjsPredict(model, inputs, 2), { abs: 1e-5 });
      net.dispose();
    }
    model.dispose();
  });

  it('takes loss, optimizer and seed from the options, and training goes on in simdnet', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })] });
    const net = await Network.fromTfjs(await artifactsOf(model) as never,
      { loss: 'binaryCrossEntropy', optimizer: { type: 'adam', learningRate: 0.05 }, seed: 9 });
    expect(net.spec).toMatchObject({ loss: 'binaryCrossEntropy', optimizer: { type: 'adam', learningRate: 0.05 }, seed: 9 });
    const history = net.trainSync({ inputs: [[0, 0], [1, 1]], targets: [[0], [1]] }, { epochs: 50 });
    expect(history.epochs.at(-1)!.loss).toBeLessThan(history.epochs[0].loss);
    net.dispose();
    model.dispose();
  });

  async function refusal(artifacts: unknown, options?: object): Promise<SimdnetError> {
    const error = await failure(async () => (await Network.fromTfjs(artifacts as never, options as never)).dispose());
    expect(error).toBeInstanceOf(SimdnetError);
    return error as SimdnetError;
  }

  const base = async () => artifactsOf(tf.sequential({ layers: [
    tf.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }), tf.layers.dense({ units: 2 })] }));

  it.each([
    ['a GaussianDropout layer', () => tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3] }),
      tf.layers.gaussianDropout({ rate: 0.5 }), tf.layers.dense({ units: 1 })] }), /layers\[1\] is a "GaussianDropout" layer/],
    ['a Conv2D layer', () => tf.sequential({ layers: [tf.layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [4, 4, 1] })] }),
      /"Conv2D" layer/],
    ['a Flatten layer', () => tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2] }), tf.layers.dense({ units: 1 })] }),
      /"Flatten" layer/],
    ['an elu activation', () => tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'elu', inputShape: [3] })] }),
      /activation "elu" is not supported/],
    ['a Dense layer on rank-3 input', () => tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3, 4] })] }),
      /batch_input_shape: expected \[null, size\]/],
  ])('refuses %s with INVALID_MODEL naming it', async (_name, build, message) => {
    const model = build();
    const error = await refusal(await artifactsOf(model));
    expect(error.code).toBe('INVALID_MODEL');
    expect(error.message).toMatch(message);
    model.dispose();
  });

  it('refuses a functional model and a graph model, naming what they are', async () => {
    const input = tf.input({ shape: [3] });
    const functional = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor });
    expect((await refusal(await artifactsOf(functional))).message).toMatch(/"Model" model; only Sequential/);
    const graph = { modelTopology: new ArrayBuffer(8), weightSpecs: [], weightData: new ArrayBuffer(0) };
    expect((await refusal(graph)).message).toMatch(/GraphModel/);
    functional.dispose();
  });

  it.each([
    ['weight data one float short', (a: tf.io.ModelArtifacts) => { a.weightData = (a.weightData as ArrayBuffer).slice(4); }, /weightData: \d+ bytes, expected/],
    ['a kernel of the wrong shape', (a: tf.io.ModelArtifacts) => { a.weightSpecs![0].shape = [4, 3]; }, /shape \[4,3\], expected \[3, 4\]/],
    ['a missing bias', (a: tf.io.ModelArtifacts) => { a.weightSpecs!.splice(1, 1); }, /weightSpecs: 3 tensors, expected 4/],
    ['quantized weights', (a: tf.io.ModelArtifacts) => {
      a.weightSpecs![0].quantization = { dtype: 'uint8', scale: 1, min: 0 };
    }, /quantized/],
    ['int32 weights', (a: tf.io.ModelArtifacts) => { a.weightSpecs![0].dtype = 'int32'; }, /dtype "int32"/],
    ['a NaN weight', (a: tf.io.ModelArtifacts) => {
      const copy = (a.weightData as ArrayBuffer).slice(0);
      new Float32Array(copy)[2] = Number.NaN;
      a.weightData = copy;
    }, /kernel\[2\] is NaN/],
    ['no topology', (a: tf.io.ModelArtifacts) => { delete a.modelTopology; }, /modelTopology: expected an object/],
    ['a layer of 2²¹ units', (a: tf.io.ModelArtifacts) => {
      ((a.modelTopology as { config: { layers: { config: { units: number } }[] } }).config.layers[0].config).units = 2 ** 21;
    }, /units: expected an integer/],
  ])('refuses artifacts with %s as INVALID_MODEL', async (_name, damage, message) => {
    const artifacts = structuredClone(await base());
    damage(artifacts);
    const error = await refusal(artifacts);
    expect(error.code).toBe('INVALID_MODEL');
    expect(error.message).toMatch(message);
  });

  it('checks maxParameters before reading weights, and the options themselves', async () => {
    const artifacts = await base();
    const error = await refusal(artifacts, { maxParameters: 20 });
    expect(error.code).toBe('INVALID_MODEL');
    expect(error.message).toMatch(/26 parameters, more than maxParameters \(20\)/);
    expect((await refusal(artifacts, { maxParameters: -1 })).code).toBe('INVALID_OPTIONS');
    expect((await refusal(artifacts, { epochs: 3 })).code).toBe('INVALID_OPTIONS');
    expect((await refusal(artifacts, { optimizer: { type: 'rmsprop' } })).code).toBe('INVALID_SPEC');
  });
});
