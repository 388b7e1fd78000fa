// ONNX export (src/io/onnx.ts, net.toOnnx, saveOnnx in simdnet/node): the exported bytes load into onnxruntime
// (onnxruntime-web's Wasm build, running in Node) and predict what simdnet predicts within 1e-5, for every
// activation (leakyRelu with a non-default alpha), with and without biases, at several depths, on both backends;
// the model's structure, decoded with protobufjs from onnx.proto's field numbers, is what the export promises;
// malformed options are INVALID_OPTIONS naming the option.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Network, type NetworkSpec, NumpyRandom } from '../src/index.js';
import { MAX_OPSET, MIN_OPSET, SIMDNET_VERSION } from '../src/io/onnx.js';
import { saveOnnx } from '../src/node/index.js';
import { SEED, expectClose, expectSimdnetError, failure } from './helpers.js';

type Backend = 'wasm' | 'js';
const BACKENDS: Backend[] = ['wasm', 'js'];

/** Every activation, hidden and at the output, with and without biases, one to four layers, sizes not multiples of 4. */
const SPECS: [string, Omit<NetworkSpec, 'backend'>][] = [
  ['sigmoid (one layer)', { inputSize: 5, layers: [{ units: 3, activation: 'sigmoid' }], seed: 1 }],
  ['linear, no bias (one layer)', { inputSize: 7, layers: [{ units: 2, activation: 'linear', useBias: false }],
    loss: 'mse', seed: 2 }],
  ['tanh → softmax', { inputSize: 3, layers: [{ units: 9, activation: 'tanh' }, { units: 5, activation: 'softmax' }],
    loss: 'categoricalCrossEntropy', seed: 3 }],
  ['relu (no bias) → sigmoid (no bias)', { inputSize: 6, layers: [{ units: 13, activation: 'relu', useBias: false },
    { units: 1, activation: 'sigmoid', useBias: false }], seed: 4 }],
  ['leakyRelu α 0.3 → linear → tanh', { inputSize: 11, layers: [{ units: 7, activation: 'leakyRelu', alpha: 0.3 },
    { units: 5, activation: 'linear' }, { units: 3, activation: 'tanh' }], loss: 'mse', seed: 5 }],
  ['sigmoid → leakyRelu (default α, no bias) → relu → linear', { inputSize: 2, layers: [
    { units: 6, activation: 'sigmoid' }, { units: 10, activation: 'leakyRelu', useBias: false },
    { units: 3, activation: 'relu' }, { units: 5, activation: 'linear' }], loss: 'mse', seed: 6 }],
  ['softmax (one layer, no bias)', { inputSize: 9, layers: [{ units: 7, activation: 'softmax', useBias: false }],
    loss: 'categoricalCrossEntropy', seed: 7 }],
];

// The subset of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto) that the export writes, with its field numbers.
const ONNX = protobuf.parse(`
  syntax = "proto2";
  package onnx;
  message AttributeProto { optional string name = 1; optional float f = 2; optional int64 i = 3; optional int32 type = 20; }
  message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; }
  message NodeProto {
    repeated string input = 1; repeated string output = 2; optional string name = 3; optional string op_type = 4;
    repeated AttributeProto attribute = 5; optional string domain = 7;
  }
  message ModelProto {
    optional int64 ir_version = 1; repeated OperatorSetIdProto opset_import = 8; optional string producer_name = 2;
    optional string producer_version = 3; optional string doc_string = 6; optional GraphProto graph = 7;
    repeated StringStringEntryProto metadata_props = 14;
  }
  message StringStringEntryProto { optional string key = 1; optional string value = 2; }
  message GraphProto {
    repeated NodeProto node = 1; optional string name = 2; repeated TensorProto initializer = 5;
    repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12;
  }
  message TensorProto {
    repeated int64 dims = 1; optional int32 data_type = 2; repeated float float_data = 4 [packed = true];
    optional string name = 8; optional bytes raw_data = 9;
  }
  message TensorShapeProto {
    message Dimension { optional int64 dim_value = 1; optional string dim_param = 2; }
    repeated Dimension dim = 1;
  }
  message TypeProto {
    message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; }
    optional Tensor tensor_type = 1;
  }
  message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
`, { keepCase: true }).root.lookupType('onnx.ModelProto');

interface Decoded {
  ir_version: number;
  opset_import: { domain?: string; version: number }[];
  producer_name: string;
  producer_version: string;
  doc_string: string;
  metadata_props: { key: string; value: string }[];
  graph: {
    name: string;
    node: { input: string[]; output: string[]; name: string; op_type: string;
      attribute?: { name: string; f?: number; i?: number; type: number }[] }[];
    initializer: { dims: number[]; data_type: number; name: string; raw_data: Uint8Array; float_data?: number[] }[];
    input: ValueInfo[];
    output: ValueInfo[];
  };
}
interface ValueInfo {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: { dim_value?: number; dim_param?: string }[] } } };
}

const decode = (bytes: Uint8Array): Decoded =>
  ONNX.toObject(ONNX.decode(bytes), { longs: Number, arrays: true }) as unknown as Decoded;

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

beforeAll(() => {
  // One Wasm thread: the machine's cores belong to the test run, and no worker needs starting.
  ort.env.wasm.numThreads = 1;
});

/** A network whose weights and biases are not its seed's: trained a few steps on random data. */
async function trained(spec: Omit<NetworkSpec, 'backend'>, backend: Backend): Promise<Network> {
  const net = await Network.create({ ...spec, backend });
  const rng = new NumpyRandom(SEED);
  const rows = 13;
  const targets = new Float64Array(rows * net.outputSize);
  for (let r = 0; r < rows; r++) targets[r * net.outputSize + (r % net.outputSize)] = 1;
  net.trainSync({ inputs: rng.randn(rows * spec.inputSize), targets }, { epochs: 3, batchSize: 5 });
  return net;
}

/** onnxruntime's outputs for `rows` × inputSize inputs. */
async function run(model: Uint8Array | string, inputs: Float32Array, inputSize: number,
  names = { input: 'input', output: 'output' }): Promise<Float32Array> {
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model)
    : await ort.InferenceSession.create(model);
  try {
    expect(session.inputNames).toEqual([names.input]);
    expect(session.outputNames).toEqual([names.output]);
    const feeds = { [names.input]: new ort.Tensor('float32', inputs, [inputs.length / inputSize, inputSize]) };
    const result = (await session.run(feeds))[names.output];
    expect(result.dims).toEqual([inputs.length / inputSize, result.dims[1]]);
    return result.data as Float32Array;
  } finally {
    await session.release();
  }
}

const probe = (inputSize: number, rows = 7) => Float32Array.from(new NumpyRandom(SEED + 1).randn(rows * inputSize));

describe(`onnxruntime runs net.toOnnx() as simdnet predicts (seed ${SEED})`, () => {
  for (const backend of BACKENDS) {
    for (const [name, spec] of SPECS) {
      it(`${name}, ${backend} backend`, async () => {
        const net = await trained(spec, backend);
        const inputs = probe(spec.inputSize);
        const expected = net.predictBatch(inputs);
        const actual = await run(net.toOnnx(), inputs, spec.inputSize);
        expectClose(actual, expected, { abs: 1e-5, rel: 1e-5 }, name);
        // The probe reaches both sides of every kink: the comparison is not of saturated or constant outputs.
        expect(new Set(Array.from(expected, (v) => v.toFixed(3))).size).toBeGreaterThan(Math.min(expected.length, 4));
        net.dispose();
      });
    }
  }

  it('a batch of one and a batch of 1000 rows run through the symbolic batch dimension', async () => {
    const net = await trained(SPECS[4][1], 'wasm');
    const bytes = net.toOnnx();
    for (const rows of [1, 1000]) {
      const inputs = probe(net.inputSize, rows);
      expectClose(await run(bytes, inputs, net.inputSize), net.predictBatch(inputs), { abs: 1e-5, rel: 1e-5 }, `${rows} rows`);
    }
    net.dispose();
  });

  it(`every opset from ${MIN_OPSET} to ${MAX_OPSET} loads and predicts, under the caller's input and output names`, async () => {
    const net = await trained(SPECS[2][1], 'wasm');
    const inputs = probe(net.inputSize);
    const names = { input: 'features', output: 'class probabilities' };
    for (let opset = MIN_OPSET; opset <= MAX_OPSET; opset++) {
      const bytes = net.toOnnx({ opset, inputName: names.input, outputName: names.output });
      expect(decode(bytes).opset_import).toEqual([{ domain: '', version: opset }]);
      expectClose(await run(bytes, inputs, net.inputSize, names), net.predictBatch(inputs), { abs: 1e-5, rel: 1e-5 },
        `opset ${opset}`);
    }
    net.dispose();
  });
});

describe('the exported model', () => {
  it('is Gemm (no C without biases) and the activation ops, float32 weights as stored, named input and output', async () => {
    const spec = SPECS[5][1];
    const net = await trained(spec, 'js');
    const model = decode(net.toOnnx({ metadata: { classes: 'cat,dog' } }));
    expect(model.producer_name).toBe('simdnet');
    expect(model.producer_version).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(model.producer_version).toBe(SIMDNET_VERSION);
    expect(model.ir_version).toBe(7);
    expect(model.opset_import).toEqual([{ domain: '', version: 13 }]);
    expect(model.doc_string).toContain('2 → 6 sigmoid → 10 leakyRelu → 3 relu → 5 linear');
    expect(model.metadata_props).toEqual([{ key: 'simdnet.loss', value: 'mse' }, { key: 'classes', value: 'cat,dog' }]);
    const { graph } = model;
    expect(graph.node.map((n) => n.op_type)).toEqual(['Gemm', 'Sigmoid', 'Gemm', 'LeakyRelu', 'Gemm', 'Relu', 'Gemm']);
    expect(graph.node.map((n) => n.input.length)).toEqual([3, 1, 2, 1, 3, 1, 3]);
    expect(graph.node[0].input[0]).toBe('input');
    expect(graph.node.at(-1)?.output).toEqual(['output']);
    // Each node reads what the one before it wrote.
    for (let i = 1; i < graph.node.length; i++) expect(graph.node[i].input[0]).toBe(graph.node[i - 1].output[0]);
    expect(graph.node[3].attribute).toEqual([{ name: 'alpha', f: Math.fround(0.01), type: 1 }]);
    const shapes = [graph.input[0], graph.output[0]].map((v) => v.type.tensor_type.shape.dim);
    expect(shapes).toEqual([[{ dim_param: 'batch' }, { dim_value: 2 }], [{ dim_param: 'batch' }, { dim_value: 5 }]]);
    expect(graph.input[0].name).toBe('input');
    expect(graph.input[0].type.tensor_type.elem_type).toBe(1);
    expect(graph.output[0].name).toBe('output');
    // Weights [inputs][units] as getWeights() gives them (rounded to float32), biases only where the layer has them.
    const layers = net.getWeights();
    const byName = new Map(graph.initializer.map((t) => [t.name, t]));
    expect(graph.initializer).toHaveLength(4 + 3);
    spec.layers.forEach((layer, i) => {
      const inputs = i === 0 ? spec.inputSize : spec.layers[i - 1].units;
      const weights = byName.get(graph.node.filter((n) => n.op_type === 'Gemm')[i].input[1]);
      expect(weights?.dims).toEqual([inputs, layer.units]);
      expect(weights?.data_type).toBe(1);
      const raw = weights!.raw_data;
      expect(Array.from(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length))))
        .toEqual(Array.from(Float32Array.from(layers[i].weights)));
      expect(byName.has(`layer_${i + 1}/biases`)).toBe(layer.useBias !== false);
    });
    net.dispose();
  });

  it('has Softmax over the last axis (-1) and LeakyRelu with the layer\'s alpha', async () => {
    const softmax = decode((await Network.create({ ...SPECS[2][1], backend: 'js' })).toOnnx());
    expect(softmax.graph.node.at(-1)).toMatchObject({ op_type: 'Softmax', attribute: [{ name: 'axis', i: -1, type: 2 }] });
    const leaky = decode((await Network.create({ ...SPECS[4][1], backend: 'js' })).toOnnx());
    expect(leaky.graph.node[1]).toMatchObject({ op_type: 'LeakyRelu', attribute: [{ name: 'alpha', f: Math.fround(0.3) }] });
  });
});

describe('toOnnx options', () => {
  it('refuses malformed options with INVALID_OPTIONS naming the option', async () => {
    const net = await Network.create({ ...SPECS[4][1], backend: 'js' });
    const cases: [unknown, ...(string | RegExp)[]][] = [
      ['opset 13', 'options: expected an object'],
      [[13], 'options: expected an object'],
      [{ opSet: 13 }, 'options.opSet: unknown option', 'inputName, outputName, opset, metadata'],
      [{ opset: 12 }, 'options.opset', '[13, 21]', '12'],
      [{ opset: MAX_OPSET + 1 }, 'options.opset', String(MAX_OPSET + 1)],
      [{ opset: 13.5 }, 'options.opset', '13.5'],
      [{ opset: '13' }, 'options.opset', '"13"'],
      [{ inputName: '' }, 'options.inputName', '1 to 128 characters'],
      [{ inputName: 'x'.repeat(129) }, 'options.inputName'],
      [{ outputName: 'a\nb' }, 'options.outputName', 'control characters'],
      [{ outputName: 7 }, 'options.outputName', 'got 7'],
      [{ inputName: 'x\uD800' }, 'options.inputName', 'lone surrogates'],
      [{ inputName: 'x', outputName: 'x' }, 'options.outputName', 'also the input\'s name'],
      [{ outputName: 'input' }, 'options.outputName', 'also the input\'s name'],
      [{ inputName: 'layer_1/weights' }, 'options.inputName', 'a tensor inside the model'],
      [{ outputName: 'layer_2/output' }, 'options.outputName', 'a tensor inside the model'],
      [{ metadata: 'classes' }, 'options.metadata: expected an object of strings'],
      [{ metadata: { classes: ['a', 'b'] } }, 'options.metadata.classes: expected a string'],
      [{ metadata: { 'simdnet.loss': 'mse' } }, 'options.metadata', 'written by simdnet'],
      [{ metadata: { '': 'x' } }, 'options.metadata', 'empty'],
      [{ metadata: { note: '\uDC00' } }, 'options.metadata.note', 'lone surrogate'],
    ];
    for (const [options, ...named] of cases) {
      expectSimdnetError(failure(() => net.toOnnx(options as never)), 'INVALID_OPTIONS', ...named);
    }
    // The last layer's output is the graph's output, so its internal name is free to use.
    expect(() => net.toOnnx({ outputName: 'layer_3/output' })).not.toThrow();
    net.dispose();
    expectSimdnetError(failure(() => net.toOnnx()), 'DISPOSED');
  });
});

describe('saveOnnx (simdnet/node)', () => {
  it('writes the model to a file, creating missing folders, that onnxruntime loads by path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-onnx-'));
    dirs.push(dir);
    const net = await trained(SPECS[3][1], 'wasm');
    const inputs = probe(net.inputSize);
    const path = join(dir, 'models', 'net.onnx');
    expect(await saveOnnx(path, net)).toBe(path);
    expect(new Uint8Array(readFileSync(path))).toEqual(net.toOnnx());
    expectClose(await run(path, inputs, net.inputSize), net.predictBatch(inputs), { abs: 1e-5, rel: 1e-5 });
    // Bytes from toOnnx (with its options) are written as they are.
    const named = join(dir, 'named.onnx');
    await saveOnnx(named, net.toOnnx({ inputName: 'x', outputName: 'y' }));
    expectClose(await run(named, inputs, net.inputSize, { input: 'x', output: 'y' }), net.predictBatch(inputs),
      { abs: 1e-5, rel: 1e-5 });
    // Options given to saveOnnx go to toOnnx.
    await saveOnnx(named, net, { opset: 17 });
    expect(decode(new Uint8Array(readFileSync(named))).opset_import[0].version).toBe(17);
    net.dispose();
  });

  it('refuses what is neither a network nor bytes, options beside bytes, and a path it cannot write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-onnx-'));
    dirs.push(dir);
    expectSimdnetError(await failure(() => saveOnnx(join(dir, 'a.onnx'), { weights: [] } as never)), 'INVALID_OPTIONS',
      'a network or the Uint8Array');
    expectSimdnetError(await failure(() => saveOnnx(join(dir, 'a.onnx'), new Uint8Array(3), { opset: 13 })),
      'INVALID_OPTIONS', 'options');
    // A path under a file: the file-system error is INVALID_FILE naming the path, and nothing is left behind.
    const blocked = join(dir, 'a-file', 'net.onnx');
    writeFileSync(join(dir, 'a-file'), 'not a folder');
    expectSimdnetError(await failure(() => saveOnnx(blocked, new Uint8Array(3))), 'INVALID_FILE', blocked, 'cannot be written');
    expect(readdirSync(dir).sort()).toEqual(['a-file']);
  });
});
