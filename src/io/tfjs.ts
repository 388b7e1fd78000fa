// TensorFlow.js interoperability: a network as the artifacts of a tfjs LayersModel, and back.
//
// `toTfjsArtifacts` writes what `tf.io` calls ModelArtifacts: `modelTopology` (a Keras Sequential model of Dense
// layers, a leakyRelu layer becoming Dense(linear) + LeakyReLU, a layer's dropout a Dropout after it), `weightSpecs` (each layer's kernel [inputs, units]
// then bias [units], float32) and `weightData` (those floats, little-endian, in that order). The kernel's layout is
// simdnet's own ([inputs][units], row-major), so the weights are copied, not transposed. `tf.loadLayersModel` takes
// them through `tf.io.fromMemory(artifacts)`; src/node/index.ts writes them as model.json + weights.bin.
//
// `readTfjsArtifacts` imports a sequential model of Dense layers saved by TensorFlow.js (model.save, or a Keras
// model converted by tensorflowjs_converter): InputLayer, Dense, a LeakyReLU or Activation layer right after a
// linear Dense, and a Dropout after a Dense (and its activation layer). Any other layer, activation, model class or weight encoding is INVALID_MODEL naming it. Sizes and
// the parameter count are checked before the weights are read.

import type { LayerWeights } from '../core/engine.js';
import { describe } from '../core/errors.js';
import type { NetworkSpec, ResolvedSpec } from '../core/spec.js';
import {
  type ImportedLayer, type ImportedModel, checkActivation, checkImportOptions, checkParameterCount,
  checkSize, checkWeight, importedSpec, invalidModel, isRecord, own,
} from './import.js';

/** One entry of `weightSpecs`: a tensor's name, shape and dtype within `weightData`. */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/** A tfjs LayersModel as `tf.io.ModelArtifacts` (what `tf.io.fromMemory` and save handlers take). */
export interface TfjsArtifacts {
  modelTopology: Record<string, unknown>;
  weightSpecs: TfjsWeightSpec[];
  weightData: ArrayBuffer;
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
}

/** What `Network.fromTfjs` accepts: artifacts, or a model.json's contents with its weights as `weightData`. */
export interface TfjsModelInput {
  modelTopology: unknown;
  weightSpecs?: unknown;
  weightsManifest?: unknown;
  weightData?: unknown;
}

const SOURCE = 'TensorFlow.js model';

/** simdnet's activations under their Keras names (leakyRelu is a separate LeakyReLU layer in Keras). */
const TO_KERAS: Record<string, string> = { sigmoid: 'sigmoid', tanh: 'tanh', relu: 'relu', linear: 'linear', softmax: 'softmax' };
const FROM_KERAS: Record<string, string> = { ...TO_KERAS, leaky_relu: 'leakyRelu' };

/** A Keras activation name as simdnet's (unknown names pass through, for the error message to show them). */
const fromKeras = (name: unknown): unknown =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(FROM_KERAS, name) ? FROM_KERAS[name] : name;

/** The model as tfjs LayersModel artifacts; float64 weights (js backend) are rounded to float32, as tfjs holds them. */
export function toTfjsArtifacts(spec: ResolvedSpec, layers: LayerWeights[]): TfjsArtifacts {
  const topology: Record<string, unknown>[] = [];
  const weightSpecs: TfjsWeightSpec[] = [];
  const tensors: ArrayLike<number>[] = [];
  const { l1, l2 } = spec.regularization;
  let inputs = spec.inputSize;
  spec.layers.forEach((layer, i) => {
    const name = `dense_${i + 1}`;
    const config: Record<string, unknown> = {
      units: layer.units,
      activation: layer.activation === 'leakyRelu' ? 'linear' : TO_KERAS[layer.activation],
      use_bias: layer.useBias,
      // Keras' L1L2 adds l1·Σ|w| + l2·Σw² to the loss: simdnet's regularisation, layer by layer.
      kernel_regularizer: l1 || l2 ? { class_name: 'L1L2', config: { l1, l2 } } : null,
      name,
      trainable: true,
      dtype: 'float32',
    };
    if (i === 0) config.batch_input_shape = [null, spec.inputSize];
    topology.push({ class_name: 'Dense', config });
    if (layer.activation === 'leakyRelu') {
      topology.push({ class_name: 'LeakyReLU', config: { alpha: layer.alpha, name: `leaky_re_lu_${i + 1}`, trainable: true, dtype: 'float32' } });
    }
    if (layer.dropout) {
      topology.push({ class_name: 'Dropout', config: { rate: layer.dropout, noise_shape: null, seed: null, name: `dropout_${i + 1}`, trainable: true, dtype: 'float32' } });
    }
    weightSpecs.push({ name: `${name}/kernel`, shape: [inputs, layer.units], dtype: 'float32' });
    tensors.push(layers[i].weights);
    if (layer.useBias) {
      weightSpecs.push({ name: `${name}/bias`, shape: [layer.units], dtype: 'float32' });
      tensors.push(layers[i].biases);
    }
    inputs = layer.units;
  });
  const count = tensors.reduce((sum, t) => sum + t.length, 0);
  const weightData = new ArrayBuffer(count * 4);
  const view = new DataView(weightData);
  let offset = 0;
  for (const tensor of tensors) {
    for (let i = 0; i < tensor.length; i++, offset += 4) view.setFloat32(offset, tensor[i], true);
  }
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'simdnet', layers: topology },
      keras_version: 'tfjs-layers 4',
      backend: 'tensor_flow.js',
    },
    weightSpecs,
    weightData,
    format: 'layers-model',
    generatedBy: 'simdnet',
    convertedBy: null,
  };
}

/** A shape for a message: the array itself when it is a short list of sizes, otherwise a description. */
const showShape = (value: unknown): string =>
  Array.isArray(value) && value.length <= 8 && value.every((n) => n === null || typeof n === 'number')
    ? JSON.stringify(value) : describe(value);

/** The input size a layer config declares: batch_input_shape / batch_shape / batchInputShape [null, n], or input_dim. */
function declaredInputSize(config: Record<string, unknown>, field: string): number | undefined {
  const shape = own(config, 'batch_input_shape') ?? own(config, 'batch_shape') ?? own(config, 'batchInputShape');
  if (shape !== undefined && shape !== null) {
    if (!Array.isArray(shape) || shape.length !== 2) {
      throw invalidModel(SOURCE, `${field}.batch_input_shape: expected [null, size] (Dense layers on vectors), got ` +
        showShape(shape));
    }
    return checkSize(SOURCE, shape[1], `${field}.batch_input_shape[1]`);
  }
  const inputDim = own(config, 'input_dim') ?? own(config, 'inputDim');
  return inputDim === undefined || inputDim === null ? undefined : checkSize(SOURCE, inputDim, `${field}.input_dim`);
}

/** Keras' per-layer regulariser as simdnet's { l1, l2 }, or undefined for none (null), or 'other'. */
function regularizerOf(value: unknown): { l1: number; l2: number } | undefined | 'other' {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || !isRecord(value.config)) return 'other';
  const c = value.config;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : Number.NaN);
  const pair = value.class_name === 'L1L2' ? { l1: num(c.l1 ?? 0), l2: num(c.l2 ?? 0) }
    : value.class_name === 'L1' ? { l1: num(c.l1 ?? 0.01), l2: 0 }
      : value.class_name === 'L2' ? { l1: 0, l2: num(c.l2 ?? 0.01) } : undefined;
  return pair && Number.isFinite(pair.l1) && Number.isFinite(pair.l2) ? pair : 'other';
}

/** The layers of a Sequential topology (a model.json's `modelTopology`, possibly wrapped in `model_config`). */
function sequentialLayers(topology: unknown): unknown[] {
  if (topology instanceof ArrayBuffer || ArrayBuffer.isView(topology)) {
    throw invalidModel(SOURCE, 'modelTopology is binary (a GraphModel): only LayersModels (Keras JSON) can be imported');
  }
  if (!isRecord(topology)) throw invalidModel(SOURCE, `modelTopology: expected an object, got ${describe(topology)}`);
  const model = isRecord(own(topology, 'model_config')) ? own(topology, 'model_config') as Record<string, unknown> : topology;
  const className = own(model, 'class_name');
  if (className !== 'Sequential') {
    throw invalidModel(SOURCE, `modelTopology is a ${describe(className)} model; only Sequential models of Dense ` +
      'layers can be imported (rebuild it with tf.sequential)');
  }
  const config = own(model, 'config');
  const layers = Array.isArray(config) ? config : isRecord(config) ? own(config, 'layers') : undefined;
  if (!Array.isArray(layers) || layers.length === 0) {
    throw invalidModel(SOURCE, `modelTopology.config.layers: expected a non-empty array, got ${describe(layers)}`);
  }
  return layers;
}

interface DenseLayer extends ImportedLayer {
  regularizer: { l1: number; l2: number } | undefined | 'other';
  field: string;
}

/** Reads the Sequential topology into simdnet layers, fusing LeakyReLU/Activation into the Dense before it. */
function readTopology(topology: unknown): { inputSize?: number; layers: DenseLayer[] } {
  const entries = sequentialLayers(topology);
  const layers: DenseLayer[] = [];
  let inputSize: number | undefined;
  let fusable = false; // the last layer is a linear Dense that nothing has been fused into yet
  let droppable = false; // the last layer is a Dense (with its activation layer, if any) without a Dropout yet
  // Index loops over the file's arrays throughout: forEach and map skip the holes of sparse arrays.
  for (let i = 0; i < entries.length; i++) {
    const entry: unknown = entries[i];
    const field = `modelTopology layers[${i}]`;
    if (!isRecord(entry)) throw invalidModel(SOURCE, `${field}: expected an object, got ${describe(entry)}`);
    const className = own(entry, 'class_name');
    const config = own(entry, 'config') ?? {};
    if (!isRecord(config)) throw invalidModel(SOURCE, `${field}.config: expected an object, got ${describe(config)}`);
    switch (className) {
      case 'InputLayer': {
        if (i !== 0) throw invalidModel(SOURCE, `${field}: an InputLayer may only come first`);
        inputSize = declaredInputSize(config, field);
        continue;
      }
      case 'Dense': {
        const units = checkSize(SOURCE, own(config, 'units'), `${field}.units`);
        const activationName = own(config, 'activation') ?? 'linear';
        const activation = checkActivation(SOURCE, fromKeras(activationName), `${field} (Dense)`);
        if (activation === 'leakyRelu') {
          throw invalidModel(SOURCE, `${field}: activation "leaky_relu" without a slope; use a LeakyReLU layer`);
        }
        const useBias = own(config, 'use_bias') ?? own(config, 'useBias') ?? true;
        if (typeof useBias !== 'boolean') throw invalidModel(SOURCE, `${field}.use_bias: expected true or false, got ${describe(useBias)}`);
        if (layers.length === 0) inputSize = declaredInputSize(config, field) ?? inputSize;
        layers.push({ units, activation, useBias, regularizer: regularizerOf(own(config, 'kernel_regularizer')), field });
        fusable = activation === 'linear';
        droppable = true;
        continue;
      }
      case 'LeakyReLU':
      case 'Activation': {
        if (!fusable) {
          throw invalidModel(SOURCE, `${field}: a ${className} layer can be imported only right after a Dense layer with ` +
            'a linear activation');
        }
        const last = layers[layers.length - 1];
        if (className === 'LeakyReLU') {
          const alpha = own(config, 'alpha') ?? own(config, 'negative_slope') ?? 0.3; // Keras' default slope
          if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) {
            throw invalidModel(SOURCE, `${field}.alpha: simdnet's leakyRelu takes a slope in [0, 1], got ${describe(alpha)}`);
          }
          last.activation = 'leakyRelu';
          last.alpha = alpha;
        } else {
          const name = own(config, 'activation');
          const activation = checkActivation(SOURCE, fromKeras(name), `${field} (Activation)`);
          if (activation === 'leakyRelu') throw invalidModel(SOURCE, `${field}: "leaky_relu" without a slope; use a LeakyReLU layer`);
          last.activation = activation;
        }
        fusable = false;
        continue;
      }
      case 'Dropout': {
        if (!droppable) {
          throw invalidModel(SOURCE, `${field}: a Dropout layer can be imported only after a Dense layer (or its ` +
            'activation layer), one per Dense');
        }
        const rate = own(config, 'rate');
        if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
          throw invalidModel(SOURCE, `${field}.rate: expected a number in [0, 1), got ${describe(rate)}`);
        }
        const noiseShape = own(config, 'noise_shape') ?? own(config, 'noiseShape') ?? null;
        if (noiseShape !== null) {
          throw invalidModel(SOURCE, `${field}.noise_shape: only null (a mask per element) can be imported, got ` +
            describe(noiseShape));
        }
        layers[layers.length - 1].dropout = rate;
        // Dropout then an activation is not the activation then dropout: nothing fuses past it.
        fusable = false;
        droppable = false;
        continue;
      }
      default:
        throw invalidModel(SOURCE, `${field} is a ${describe(className)} layer: only Dense layers (with InputLayer, ` +
          'LeakyReLU or Activation after a linear Dense, and Dropout) can be imported');
    }
  }
  if (layers.length === 0) throw invalidModel(SOURCE, 'the model has no Dense layer');
  layers.slice(0, -1).forEach((layer) => {
    if (layer.activation === 'softmax') throw invalidModel(SOURCE, `${layer.field}: softmax is supported on the last layer only`);
  });
  return { inputSize, layers };
}

/** The weight specs: `weightSpecs`, or the `weights` of every group of a model.json's `weightsManifest`. */
function weightSpecsOf(artifacts: Record<string, unknown>): unknown[] {
  const given = own(artifacts, 'weightSpecs');
  if (given !== undefined) {
    if (!Array.isArray(given)) throw invalidModel(SOURCE, `weightSpecs: expected an array, got ${describe(given)}`);
    return given;
  }
  const manifest = own(artifacts, 'weightsManifest');
  if (!Array.isArray(manifest)) throw invalidModel(SOURCE, 'weightSpecs (or a model.json weightsManifest) is missing');
  const specs: unknown[] = [];
  for (let i = 0; i < manifest.length; i++) {
    const group: unknown = manifest[i];
    const weights = isRecord(group) ? own(group, 'weights') : undefined;
    if (!Array.isArray(weights)) throw invalidModel(SOURCE, `weightsManifest[${i}].weights: expected an array`);
    for (let j = 0; j < weights.length; j++) specs.push(weights[j]);
  }
  return specs;
}

/** `weightData` as bytes: an ArrayBuffer, a typed array or Buffer, or an array of ArrayBuffers (tfjs ≥ 4.11). */
function weightBytes(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (Array.isArray(data) && Array.from({ length: data.length }, (_, i) => data[i]).every((p) => p instanceof ArrayBuffer)) {
    const parts = Array.from({ length: data.length }, (_, i) => data[i] as ArrayBuffer);
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
    let at = 0;
    for (const part of parts) {
      bytes.set(new Uint8Array(part), at);
      at += part.byteLength;
    }
    return bytes;
  }
  throw invalidModel(SOURCE, `weightData: expected an ArrayBuffer (or typed array, or ArrayBuffer[]), got ${describe(data)}`);
}

/** Reads tfjs LayersModel artifacts into a spec and weights; throws INVALID_MODEL naming what cannot be imported. */
export function readTfjsArtifacts(artifacts: unknown, givenOptions?: unknown): ImportedModel {
  const options = checkImportOptions(givenOptions);
  if (!isRecord(artifacts)) throw invalidModel(SOURCE, `expected model artifacts (an object), got ${describe(artifacts)}`);
  const topology = readTopology(own(artifacts, 'modelTopology'));
  const specs = weightSpecsOf(artifacts);

  // Which tensor each weight spec must be, in order: kernel then (with use_bias) bias, layer by layer.
  const first = specs[0];
  const inferred = isRecord(first) && Array.isArray(first.shape) ? first.shape[0] : undefined;
  const inputSize = topology.inputSize ?? checkSize(SOURCE, inferred, 'weightSpecs[0].shape[0] (the input size)');
  checkParameterCount(SOURCE, inputSize, topology.layers, options.maxParameters);
  const expected: { layer: number; kind: 'kernel' | 'bias'; shape: number[] }[] = [];
  let inputs = inputSize;
  topology.layers.forEach((layer, i) => {
    expected.push({ layer: i, kind: 'kernel', shape: [inputs, layer.units] });
    if (layer.useBias) expected.push({ layer: i, kind: 'bias', shape: [layer.units] });
    inputs = layer.units;
  });
  if (specs.length !== expected.length) {
    throw invalidModel(SOURCE, `weightSpecs: ${specs.length} tensors, expected ${expected.length} (a kernel per ` +
      'Dense layer and a bias per layer with use_bias)');
  }
  for (let i = 0; i < specs.length; i++) {
    const spec: unknown = specs[i];
    const field = `weightSpecs[${i}]`;
    if (!isRecord(spec)) throw invalidModel(SOURCE, `${field}: expected an object, got ${describe(spec)}`);
    const want = expected[i];
    const name = own(spec, 'name');
    if (own(spec, 'quantization') !== undefined) {
      throw invalidModel(SOURCE, `${field} (${describe(name)}) is quantized; convert the model without quantization`);
    }
    if (own(spec, 'dtype') !== 'float32') {
      throw invalidModel(SOURCE, `${field} (${describe(name)}): dtype ${describe(own(spec, 'dtype'))}, expected "float32"`);
    }
    const shape = own(spec, 'shape');
    if (!Array.isArray(shape) || shape.length !== want.shape.length || want.shape.some((n, d) => shape[d] !== n)) {
      throw invalidModel(SOURCE, `${field} (${describe(name)}): shape ${showShape(shape)}` +
        `, expected [${want.shape.join(', ')}] for the ${want.kind} of ${topology.layers[want.layer].field}`);
    }
    const looksLike = typeof name !== 'string' ? undefined
      : /kernel/.test(name) ? 'kernel' : /bias/.test(name) ? 'bias' : undefined;
    if (looksLike !== undefined && looksLike !== want.kind) {
      throw invalidModel(SOURCE, `${field} is ${describe(name)}, expected the ${want.kind} of ${topology.layers[want.layer].field}`);
    }
  }

  const bytes = weightBytes(own(artifacts, 'weightData'));
  const total = expected.reduce((sum, e) => sum + e.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes.length !== total * 4) {
    throw invalidModel(SOURCE, `weightData: ${bytes.length} bytes, expected ${total * 4} (${total} float32 values)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  const read = (count: number, field: string): Float64Array => {
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++, offset += 4) {
      values[i] = checkWeight(SOURCE, view.getFloat32(offset, true), `${field}[${i}]`, false);
    }
    return values;
  };
  inputs = inputSize;
  const layers = topology.layers.map((layer) => {
    const weights = read(inputs * layer.units, `${layer.field} kernel`);
    const biases = layer.useBias ? read(layer.units, `${layer.field} bias`) : new Float64Array(0);
    inputs = layer.units;
    return { weights, biases };
  });

  // One Keras L1L2 on every kernel (as toTfjs writes) is simdnet's regularisation; anything else is not carried over.
  const regularizers = topology.layers.map((l) => l.regularizer);
  const same = regularizers.every((r) => r !== 'other' && JSON.stringify(r) === JSON.stringify(regularizers[0]));
  const regularization: NetworkSpec['regularization'] = same && regularizers[0] !== undefined && regularizers[0] !== 'other'
    ? regularizers[0] : undefined;
  const last = topology.layers[topology.layers.length - 1];
  const spec = importedSpec(SOURCE, inputSize, topology.layers, options, {
    loss: last.activation === 'softmax' ? 'categoricalCrossEntropy' : 'mse',
    regularization,
  });
  return { spec, layers };
}
