// ONNX export: a network as the bytes of an ONNX model (a protobuf ModelProto), which onnxruntime (Node, web,
// Python, C#, mobile) runs, Netron opens and PyTorch's importers read.
//
// Each layer is a Gemm, Y = X·W + b, then its activation as an ONNX op: Sigmoid, Tanh, Relu, LeakyRelu (with the
// layer's alpha), Softmax over the last axis; a linear layer adds none. simdnet's weights are [inputs][units],
// row-major, which is Gemm's B as it stands (transB = 0): they are copied, not transposed. A layer without biases
// is a Gemm without C. Weights and biases are float32 initializers (the js backend's float64 values rounded).
// The graph's input is [batch, inputSize] with a symbolic batch dimension, its output [batch, outputSize].
// Only the function the network computes travels: the loss (kept as metadata), optimiser state and everything
// else about training stay in simdnet's own model format.

import { SimdnetError, describe } from '../core/errors.js';
import type { LayerWeights } from '../core/engine.js';
import type { ResolvedLayer, ResolvedSpec } from '../core/spec.js';
import { ProtoWriter } from './protobuf.js';

/** Options of `net.toOnnx()`. */
export interface OnnxOptions {
  /** The graph input's name (default 'input'). */
  inputName?: string;
  /** The graph output's name (default 'output'). */
  outputName?: string;
  /** The ONNX opset version, 13 to 21 (default 13, read by the widest range of runtimes). */
  opset?: number;
  /** Key → value strings stored in the model's metadata_props (class names, a description, …). */
  metadata?: Record<string, string>;
}

/** simdnet's version, written as the model's producer_version (test/onnx.test.ts checks it against package.json). */
export const SIMDNET_VERSION = '0.1.0';

export const MIN_OPSET = 13;
export const MAX_OPSET = 21;

/** The IR version each opset came with (ONNX's versioning table): the oldest IR that can carry it. */
const irVersionFor = (opset: number): number => (opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10);

const OPTION_KEYS = ['inputName', 'outputName', 'opset', 'metadata'];
const BATCH_DIMENSION = 'batch';
const METADATA_LOSS = 'simdnet.loss';

// Field numbers from onnx.proto, per message.
const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, docString: 6, graph: 7, opsetImport: 8,
  metadataProps: 14 };
const OPSET_ID = { domain: 1, version: 2 };
const STRING_ENTRY = { key: 1, value: 2 };
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 };
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 };
const ATTRIBUTE = { name: 1, f: 2, i: 3, type: 20 };
const ATTRIBUTE_TYPE = { float: 1, int: 2 };
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 };
const TENSOR_FLOAT = 1;
const VALUE_INFO = { name: 1, type: 2 };
const TYPE = { tensorType: 1 };
const TENSOR_TYPE = { elemType: 1, shape: 2 };
const SHAPE = { dim: 1 };
const DIMENSION = { value: 1, param: 2 };

const invalidOption = (field: string, problem: string) =>
  new SimdnetError('INVALID_OPTIONS', `${field ? `options.${field}` : 'options'}: ${problem}`);

/** Whether a string is valid Unicode (no lone surrogate), so that UTF-8 carries it unchanged. */
const wellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/** A tensor name given by the user: 1 to 128 characters, none of them a control character. */
function checkName(value: unknown, field: string, fallback: string): string {
  if (value === undefined) return fallback;
  const control = typeof value === 'string' && [...value].some((c) => c < ' ' || c === '\u007f');
  if (typeof value !== 'string' || value.length === 0 || value.length > 128 || control || !wellFormed(value)) {
    throw invalidOption(field, 'expected a name of 1 to 128 characters without control characters or lone ' +
      `surrogates, got ${describe(value)}`);
  }
  return value;
}

function checkMetadata(value: unknown): [string, string][] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption('metadata', `expected an object of strings, got ${describe(value)}`);
  }
  return Object.entries(value).map(([key, entry]) => {
    if (key === '' || key === METADATA_LOSS) {
      throw invalidOption('metadata', `the key ${describe(key)} is ${key ? 'written by simdnet' : 'empty'}`);
    }
    if (typeof entry !== 'string') throw invalidOption(`metadata.${key}`, `expected a string, got ${describe(entry)}`);
    if (!wellFormed(key) || !wellFormed(entry)) throw invalidOption(`metadata.${key}`, 'contains a lone surrogate');
    return [key, entry];
  });
}

interface ResolvedOnnxOptions {
  inputName: string;
  outputName: string;
  opset: number;
  metadata: [string, string][];
}

function resolveOptions(options: unknown): ResolvedOnnxOptions {
  const o = options ?? {};
  if (typeof o !== 'object' || Array.isArray(o)) throw invalidOption('', `expected an object, got ${describe(options)}`);
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.includes(key)) throw invalidOption(key, `unknown option (known: ${OPTION_KEYS.join(', ')})`);
  }
  const given = o as Record<string, unknown>;
  const opset = given.opset ?? MIN_OPSET;
  if (typeof opset !== 'number' || !Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw invalidOption('opset', `expected an integer in [${MIN_OPSET}, ${MAX_OPSET}], got ${describe(opset)}`);
  }
  const inputName = checkName(given.inputName, 'inputName', 'input');
  const outputName = checkName(given.outputName, 'outputName', 'output');
  if (inputName === outputName) {
    throw invalidOption('outputName', `${describe(outputName)} is also the input's name; the two must differ`);
  }
  return { inputName, outputName, opset, metadata: checkMetadata(given.metadata) };
}

/** A graph node: `opType` from `inputs` to one output, with int or float attributes. */
function node(name: string, opType: string, inputs: string[], output: string,
  attributes: { name: string; int?: number; float?: number }[] = []): ProtoWriter {
  const writer = new ProtoWriter();
  for (const input of inputs) writer.string(NODE.input, input);
  writer.string(NODE.output, output).string(NODE.name, name).string(NODE.opType, opType);
  for (const attribute of attributes) {
    const a = new ProtoWriter().string(ATTRIBUTE.name, attribute.name);
    if (attribute.float !== undefined) a.float(ATTRIBUTE.f, attribute.float).varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.float);
    else a.varint(ATTRIBUTE.i, attribute.int ?? 0).varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.int);
    writer.message(NODE.attribute, a);
  }
  return writer;
}

/** A float32 initializer; the values are written little-endian as raw_data. */
function tensor(name: string, dims: number[], values: ArrayLike<number>): ProtoWriter {
  const writer = new ProtoWriter();
  for (const dim of dims) writer.varint(TENSOR.dims, dim);
  writer.varint(TENSOR.dataType, TENSOR_FLOAT).string(TENSOR.name, name);
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return writer.bytes(TENSOR.rawData, raw);
}

/** A graph input or output: a float tensor [batch, size]. */
function valueInfo(name: string, size: number): ProtoWriter {
  const shape = new ProtoWriter()
    .message(SHAPE.dim, new ProtoWriter().string(DIMENSION.param, BATCH_DIMENSION))
    .message(SHAPE.dim, new ProtoWriter().varint(DIMENSION.value, size));
  const tensorType = new ProtoWriter().varint(TENSOR_TYPE.elemType, TENSOR_FLOAT).message(TENSOR_TYPE.shape, shape);
  return new ProtoWriter().string(VALUE_INFO.name, name)
    .message(VALUE_INFO.type, new ProtoWriter().message(TYPE.tensorType, tensorType));
}

/** The activation's node reading `from` and writing `to`, or undefined for linear. */
function activationNode(layer: ResolvedLayer, prefix: string, from: string, to: string): ProtoWriter | undefined {
  switch (layer.activation) {
    case 'linear': return undefined;
    case 'sigmoid': return node(`${prefix}/sigmoid`, 'Sigmoid', [from], to);
    case 'tanh': return node(`${prefix}/tanh`, 'Tanh', [from], to);
    case 'relu': return node(`${prefix}/relu`, 'Relu', [from], to);
    case 'leakyRelu': return node(`${prefix}/leaky_relu`, 'LeakyRelu', [from], to, [{ name: 'alpha', float: layer.alpha }]);
    case 'softmax': return node(`${prefix}/softmax`, 'Softmax', [from], to, [{ name: 'axis', int: -1 }]);
  }
}

/** The names of a layer's tensors; the last layer writes the graph's output. */
function tensorNames(index: number, last: boolean, outputName: string) {
  const prefix = `layer_${index + 1}`;
  return { prefix, weights: `${prefix}/weights`, biases: `${prefix}/biases`, linear: `${prefix}/linear`,
    output: last ? outputName : `${prefix}/output` };
}

/** The ONNX model of a network with these weights. Options are checked first (INVALID_OPTIONS). */
export function toOnnxModel(spec: ResolvedSpec, layers: LayerWeights[], options?: OnnxOptions): Uint8Array {
  const { inputName, outputName, opset, metadata } = resolveOptions(options);
  const count = spec.layers.length;
  const names = spec.layers.map((_, i) => tensorNames(i, i === count - 1, outputName));
  const internal = names.flatMap((n, i) => [n.weights, n.biases, n.linear, ...(i < count - 1 ? [n.output] : [])]);
  for (const [field, name] of [['inputName', inputName], ['outputName', outputName]]) {
    if (internal.includes(name)) throw invalidOption(field, `${describe(name)} is the name of a tensor inside the model`);
  }
  const graph = new ProtoWriter();
  let current = inputName;
  let inputs = spec.inputSize;
  spec.layers.forEach((layer, i) => {
    const { prefix, weights, biases, linear, output } = names[i];
    graph.message(GRAPH.initializer, tensor(weights, [inputs, layer.units], layers[i].weights));
    if (layer.useBias) graph.message(GRAPH.initializer, tensor(biases, [layer.units], layers[i].biases));
    graph.message(GRAPH.node, node(`${prefix}/gemm`, 'Gemm', layer.useBias ? [current, weights, biases] : [current, weights],
      layer.activation === 'linear' ? output : linear));
    const activation = activationNode(layer, prefix, linear, output);
    if (activation) graph.message(GRAPH.node, activation);
    current = output;
    inputs = layer.units;
  });
  graph.string(GRAPH.name, 'simdnet')
    .message(GRAPH.input, valueInfo(inputName, spec.inputSize))
    .message(GRAPH.output, valueInfo(outputName, spec.layers[count - 1].units));
  const shape = [spec.inputSize, ...spec.layers.map((l) => `${l.units} ${l.activation}`)].join(' → ');
  const model = new ProtoWriter()
    .varint(MODEL.irVersion, irVersionFor(opset))
    .string(MODEL.producerName, 'simdnet')
    .string(MODEL.producerVersion, SIMDNET_VERSION)
    .string(MODEL.docString, `A dense network trained with simdnet: ${shape}.`)
    .message(MODEL.graph, graph)
    // The default domain ('ai.onnx'), spelled out as the empty string as other exporters write it.
    .message(MODEL.opsetImport, new ProtoWriter().string(OPSET_ID.domain, '').varint(OPSET_ID.version, opset));
  for (const [key, value] of [[METADATA_LOSS, spec.loss], ...metadata]) {
    model.message(MODEL.metadataProps, new ProtoWriter().string(STRING_ENTRY.key, key).string(STRING_ENTRY.value, value));
  }
  return model.finish();
}
