// brain.js interoperability: a `brain.NeuralNetwork` (or NeuralNetworkGPU) saved with `net.toJSON()`, as a simdnet
// network that gives the same outputs, so that brain.js users can migrate their trained models.
//
// Two formats exist:
// - brain.js 2.x: { type: 'NeuralNetwork', sizes, layers: [{ weights: number[][], biases: number[] }, …],
//   inputLookup, outputLookup, options, trainOpts: { activation, leakyReluAlpha, learningRate, momentum, … } },
//   where layers[l].weights[node][k] connects node k of layer l − 1 to `node` (layer 0 is the input and empty);
// - brain.js 1.x: { sizes, layers: [{ "0": {}, … }, { "0": { bias, weights: { "0": w, … } }, … }, …],
//   inputLookup: boolean, outputLookup: boolean, activation, trainOpts }.
// brain.js applies one activation to every layer, the output included. Its weights are [units][inputs]; simdnet's
// are [inputs][units], so they are transposed.
//
// brain.js 1.x's 'leaky-relu' is not a leaky ReLU: it computes `sum < 0 ? 0 : alpha * sum`, i.e. alpha·relu(z).
// Since alpha·relu(z) = relu(alpha·z) for alpha ≥ 0, such a network is imported as relu layers with every weight
// and bias multiplied by alpha, which reproduces what brain.js 1.x computes. brain.js 2.x's is the real one:
// max(z, alpha·z), simdnet's leakyRelu.
//
// brain.js trains on ½Σ(a − y)² (its delta is (y − a)·f′): simdnet's 'quadratic' loss, the default here, with
// plain SGD (or Adam, for praxis 'adam') at the file's learning rate and momentum when they are valid.

import { describe } from '../core/errors.js';
import type { OptimizerSpec } from '../core/spec.js';
import {
  type ImportedLayer, type ImportedModel, checkImportOptions, checkParameterCount, checkSize, checkWeight,
  importedSpec, invalidModel, isRecord, own,
} from './import.js';

const SOURCE = 'brain.js model';

const ACTIVATIONS: Record<string, ImportedLayer['activation']> = {
  sigmoid: 'sigmoid', relu: 'relu', tanh: 'tanh', 'leaky-relu': 'leakyRelu',
};

/** The file's training settings as a simdnet optimiser, where they are valid (they matter only for more training). */
function optimizerOf(trainOpts: unknown): OptimizerSpec | undefined {
  const number = (key: string, min: number, max: number, minExclusive = false, maxExclusive = false) => {
    const v = own(trainOpts, key);
    return typeof v === 'number' && (minExclusive ? v > min : v >= min) && (maxExclusive ? v < max : v <= max)
      ? v : undefined;
  };
  const learningRate = number('learningRate', 0, 1e6, true);
  if (own(trainOpts, 'praxis') === 'adam') {
    return { type: 'adam', learningRate: learningRate ?? 0.01, beta1: number('beta1', 0, 1, false, true),
      beta2: number('beta2', 0, 1, false, true), epsilon: number('epsilon', 0, 1, true) };
  }
  return { type: 'sgd', learningRate: learningRate ?? 0.3, momentum: number('momentum', 0, 1, false, true) ?? 0.1 };
}

/** Reads brain.js NeuralNetwork JSON (object or text) into a spec and weights; INVALID_MODEL naming any problem. */
export function readBrainJSON(json: unknown, givenOptions?: unknown): ImportedModel {
  const options = checkImportOptions(givenOptions);
  let model = json;
  if (typeof json === 'string') {
    // Decimal weights take at most ~25 characters each: longer text cannot hold a model within maxParameters.
    if (json.length > options.maxParameters * 48 + 2 ** 20) {
      throw invalidModel(SOURCE, `${json.length} characters of text, more than a model of at most ` +
        `${options.maxParameters} parameters can take (pass a larger maxParameters to load it)`);
    }
    try {
      model = JSON.parse(json);
    } catch (error) {
      throw invalidModel(SOURCE, `not JSON (${(error as Error).message})`, error);
    }
  }
  if (!isRecord(model)) throw invalidModel(SOURCE, `expected the object of net.toJSON(), got ${describe(model)}`);
  const type = own(model, 'type');
  if (type !== undefined && type !== 'NeuralNetwork' && type !== 'NeuralNetworkGPU') {
    throw invalidModel(SOURCE, `type is ${describe(type)}: only feed-forward NeuralNetwork models can be imported`);
  }
  for (const key of ['inputLookup', 'outputLookup']) {
    const lookup = own(model, key);
    if (lookup !== undefined && lookup !== null && lookup !== false) {
      throw invalidModel(SOURCE, `${key}: the network was trained on objects ({ name: value }); simdnet takes ` +
        'arrays of numbers, so retrain it on arrays (brain.js does this with its lookup tables) to import it');
    }
  }

  const sizes = own(model, 'sizes');
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw invalidModel(SOURCE, `sizes: expected an array of at least two layer sizes, got ${describe(sizes)}`);
  }
  // Index loops over the file's arrays throughout: forEach and map skip the holes of sparse arrays.
  for (let i = 0; i < sizes.length; i++) checkSize(SOURCE, sizes[i], `sizes[${i}]`);

  const trainOpts = own(model, 'trainOpts');
  const stored = own(model, 'layers');
  const version2 = type !== undefined || (Array.isArray(stored) && Array.isArray(own(stored[1], 'weights')));
  const activationName = version2
    ? own(trainOpts, 'activation') ?? own(own(model, 'options'), 'activation') ?? 'sigmoid'
    : own(model, 'activation') ?? 'sigmoid';
  const activation = typeof activationName === 'string' && Object.prototype.hasOwnProperty.call(ACTIVATIONS, activationName)
    ? ACTIVATIONS[activationName] : undefined;
  if (activation === undefined) {
    throw invalidModel(SOURCE, `activation ${describe(activationName)} is not supported (brain.js' sigmoid, relu, ` +
      'leaky-relu and tanh are)');
  }
  const alpha = (version2 ? own(trainOpts, 'leakyReluAlpha') : own(model, 'leakyReluAlpha')) ?? 0.01;
  // brain.js 1.x's "leaky-relu" is alpha·relu(z) = relu(alpha·z): relu on weights scaled by alpha (see above).
  const scale = activation === 'leakyRelu' && !version2 ? alpha : 1;
  if (activation === 'leakyRelu' && (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1))) {
    throw invalidModel(SOURCE, `leakyReluAlpha: expected a number in [0, 1], got ${describe(alpha)}`);
  }
  const inputSize = sizes[0] as number;
  const layers: ImportedLayer[] = Array.from({ length: sizes.length - 1 }, (_, l) => ({
    units: sizes[l + 1] as number,
    activation: activation === 'leakyRelu' && !version2 ? 'relu' : activation,
    alpha: activation === 'leakyRelu' && version2 ? alpha as number : undefined,
    useBias: true,
  }));
  checkParameterCount(SOURCE, inputSize, layers, options.maxParameters);

  if (!Array.isArray(stored) || stored.length !== sizes.length) {
    throw invalidModel(SOURCE, `layers: expected an array of ${sizes.length} (one per size), got ${describe(stored)}`);
  }
  const float32 = (options.backend ?? 'wasm') !== 'js';
  const weight = (value: unknown, field: string) => checkWeight(SOURCE, value, field, float32) * (scale as number);
  const weightsOut = layers.map((layer, l) => {
    const inputs = sizes[l] as number;
    const units = layer.units;
    const source = stored[l + 1];
    const field = `layers[${l + 1}]`;
    const weights = new Float64Array(inputs * units);
    const biases = new Float64Array(units);
    if (version2) {
      const rows = own(source, 'weights');
      const bias = own(source, 'biases');
      if (!Array.isArray(rows) || rows.length !== units) {
        throw invalidModel(SOURCE, `${field}.weights: expected ${units} rows (one per node), got ${describe(rows)}`);
      }
      if (!Array.isArray(bias) || bias.length !== units) {
        throw invalidModel(SOURCE, `${field}.biases: expected ${units} numbers, got ${describe(bias)}`);
      }
      for (let n = 0; n < units; n++) {
        const row: unknown = rows[n];
        if (!Array.isArray(row) || row.length !== inputs) {
          throw invalidModel(SOURCE, `${field}.weights[${n}]: expected ${inputs} numbers, got ${describe(row)}`);
        }
        for (let k = 0; k < inputs; k++) weights[k * units + n] = weight(row[k], `${field}.weights[${n}][${k}]`);
        biases[n] = weight(bias[n], `${field}.biases[${n}]`);
      }
    } else {
      if (!isRecord(source) || Object.keys(source).length !== units) {
        throw invalidModel(SOURCE, `${field}: expected an object of ${units} nodes ("0" … "${units - 1}")`);
      }
      for (let n = 0; n < units; n++) {
        const node = own(source, String(n));
        const nodeWeights = own(node, 'weights');
        if (!isRecord(nodeWeights) || Object.keys(nodeWeights).length !== inputs) {
          throw invalidModel(SOURCE, `${field}["${n}"].weights: expected an object of ${inputs} weights`);
        }
        for (let k = 0; k < inputs; k++) {
          weights[k * units + n] = weight(own(nodeWeights, String(k)), `${field}["${n}"].weights["${k}"]`);
        }
        biases[n] = weight(own(node, 'bias'), `${field}["${n}"].bias`);
      }
    }
    return { weights, biases };
  });
  // Scaling by alpha may take a weight below float32's smallest normal: harmless. Above its range: impossible, alpha ≤ 1.
  const spec = importedSpec(SOURCE, inputSize, layers, options, { loss: 'quadratic', optimizer: optimizerOf(trainOpts) });
  return { spec, layers: weightsOut };
}
