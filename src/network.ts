// The public Network: validates what users pass, then hands the work to the engine. Every method returns copies;
// nothing live from a backend's heap leaves this file.

import { JsBackend } from './backends/js.js';
import { WasmBackend } from './backends/wasm/backend.js';
import {
  type Features, type FloatArray, type KeyNames, type LabelArray, type Matrix, type MatrixInput,
  type TrainingData, toDataset, toInputRow, toMatrix,
} from './core/data.js';
import { Engine, type LayerTrace, type LayerWeights } from './core/engine.js';
import { SimdnetError, describe } from './core/errors.js';
import { NumpyRandom } from './core/random.js';
import {
  type BackendName, type NetworkSpec, type ResolvedSpec, copySpec, countParameters, resolveSpec,
} from './core/spec.js';
import { type ModelLimits, type NetworkJSON, parseModel, toModelJSON } from './io/model-file.js';
import { readBrainJSON } from './io/brain.js';
import type { ImportOptions, ImportedModel } from './io/import.js';
import { type OnnxOptions, toOnnxModel } from './io/onnx.js';
import { type TfjsArtifacts, type TfjsModelInput, readTfjsArtifacts, toTfjsArtifacts } from './io/tfjs.js';
import {
  type Cursor, type Evaluation, type Pause, type TrainHistory, type TrainOptions, holdOut, newCursor, nonNegative,
  positiveInteger, resolveTrainOptions, trainingLoop,
} from './core/train.js';

/** Options of `trainFor`: a time budget rather than a number of epochs. */
export interface TrainForOptions {
  /** Train whole batches until this many milliseconds have passed (at least one batch runs). Default 16. */
  ms?: number;
  /** Default: all samples. */
  batchSize?: number;
  shuffle?: boolean;
}

/**
 * trainFor's data set, checked once and kept by identity (with its arrays' lengths), and where training stands in
 * it, so that successive calls walk through whole epochs.
 */
interface Stream {
  data: TrainingData;
  lengths: string;
  inputs: Matrix;
  targets: Matrix;
  cursor: Cursor;
}

/** Lets the event loop run (timers, I/O, rendering) before training goes on. */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** Proves that a network is being built by one of Network's own factories (`new Network()` from JS is refused). */
const FACTORY = Symbol('Network.create');

/** Arguments of train, trainSync and evaluate: a data set, or inputs and targets side by side (scikit-learn's fit). */
type DataArguments<O> = [data: TrainingData, options?: O] | [inputs: MatrixInput, targets: MatrixInput | LabelArray,
  options?: O];

/** The data set and options in `args`: (data, options?) or (inputs, targets, options?). */
function splitArguments<O>(args: DataArguments<O>): { data: TrainingData; options: O | undefined } {
  const [first, second, third] = args as unknown[];
  // Options are never arrays, so an array (or typed array) second argument holds the targets.
  if (Array.isArray(second) || ArrayBuffer.isView(second)) {
    return { data: { inputs: first as MatrixInput, targets: second as MatrixInput }, options: third as O | undefined };
  }
  return { data: first as TrainingData, options: second as O | undefined };
}

export class Network {
  #engine: Engine | undefined;
  readonly #spec: ResolvedSpec;
  /** Drew the initial weights; shuffles every epoch after that. */
  readonly #rng: NumpyRandom;
  #training = false;
  #stream: Stream | undefined;
  /** The key names of samples with named keys, fixed by the first such data set (see KeyNames). */
  readonly #names: KeyNames = {};

  private constructor(token: symbol, spec: ResolvedSpec, engine: Engine, rng: NumpyRandom) {
    if (token !== FACTORY) {
      throw new SimdnetError('INVALID_OPTIONS', 'new Network() cannot build a network (its Wasm core loads ' +
        'asynchronously): use `await Network.create(spec)`, or Network.fromJSON, fromTfjs or fromBrainJSON');
    }
    this.#spec = spec;
    this.#engine = engine;
    this.#rng = rng;
  }

  /** Validates the spec, compiles the Wasm core once per process, and builds a network with seeded weights. */
  static async create(spec: NetworkSpec): Promise<Network> {
    const resolved = resolveSpec(spec);
    const backend = resolved.backend === 'js' ? new JsBackend()
      : await WasmBackend.create({ simd: resolved.simd, threads: resolved.threads });
    const engine = new Engine(resolved, backend);
    const rng = new NumpyRandom(resolved.seed);
    engine.initialize(rng);
    return new Network(FACTORY, resolved, engine, rng);
  }

  /**
   * Rebuilds a network from `toJSON()` output (the object, its JSON text, or that text's UTF-8 bytes as a
   * Uint8Array or Buffer), optionally on another backend. Files declaring more than `maxParameters` parameters
   * (default 2²⁴) are refused before anything is allocated.
   */
  static async fromJSON(json: NetworkJSON | string | Uint8Array,
    options: { backend?: BackendName } & ModelLimits = {}): Promise<Network> {
    const { spec, layers } = parseModel(json, options);
    const backend = options?.backend ?? spec.backend;
    // simd and threads say how the Wasm backend runs; a model moved to the js backend leaves them behind.
    const { simd: _simd, threads: _threads, ...portable } = spec;
    const network = await Network.create({ ...(backend === 'js' ? portable : spec), backend });
    network.#alive().setLayers(layers);
    return network;
  }

  /** Imports a sequential TensorFlow.js/Keras model of Dense layers (src/io/tfjs.ts). */
  static async fromTfjs(artifacts: TfjsModelInput, options: ImportOptions = {}): Promise<Network> {
    return Network.#imported(readTfjsArtifacts(artifacts, options));
  }

  /** Imports a brain.js NeuralNetwork saved with `net.toJSON()` (src/io/brain.ts). */
  static async fromBrainJSON(json: object | string, options: ImportOptions = {}): Promise<Network> {
    return Network.#imported(readBrainJSON(json, options));
  }

  static async #imported({ spec, layers }: ImportedModel): Promise<Network> {
    const network = await Network.create(spec);
    network.#alive().setLayers(layers);
    return network;
  }

  get inputSize(): number {
    return this.#spec.inputSize;
  }

  get outputSize(): number {
    return this.#spec.layers[this.#spec.layers.length - 1].units;
  }

  /** The full spec with every default filled in (a copy). */
  get spec(): ResolvedSpec {
    return copySpec(this.#spec);
  }

  /** The input keys in input order, once the network has read samples with named keys (see KeyNames). */
  get inputKeys(): readonly string[] | undefined {
    return this.#names.inputs?.slice();
  }

  /** The output keys in output order, once the network has read samples with named outputs. */
  get outputKeys(): readonly string[] | undefined {
    return this.#names.outputs?.slice();
  }

  #alive(): Engine {
    if (!this.#engine) throw new SimdnetError('DISPOSED', 'this network was disposed; create a new one');
    return this.#engine;
  }

  get #probabilityTargets(): boolean {
    return this.#spec.loss === 'binaryCrossEntropy' || this.#spec.loss === 'categoricalCrossEntropy';
  }

  /** Checks data and options, stages the data, and returns the training loop ready to run. */
  #begin(data: TrainingData, options: TrainOptions | undefined): Generator<Pause, TrainHistory, unknown> {
    const engine = this.#alive();
    if (this.#training) throw new SimdnetError('BUSY', 'this network is already training; wait for that run to end');
    const all = this.#dataset(engine, data);
    const resolved = resolveTrainOptions(this.#withMatrices(engine, options), all.inputs.rows, engine,
      this.#probabilityTargets);
    const { inputs, targets } = holdOut(resolved, all.inputs, all.targets, this.#rng);
    engine.stage(inputs, targets, resolved.batchSize, resolved.validation?.inputs.rows ?? 0);
    return trainingLoop(engine, inputs.rows, resolved, this.#rng,
      (x, y) => this.#evaluate(engine, x, y, true));
  }

  /** Checks a data set in any of its shapes against this network, reading named keys in the network's order. */
  #dataset(engine: Engine, data: unknown, field?: string): { inputs: Matrix; targets: Matrix } {
    return toDataset(data, engine.inputSize, engine.outputSize, this.#probabilityTargets, field, this.#names);
  }

  /** Options whose validationData, if given as samples with named keys, is read here in the network's key order. */
  #withMatrices(engine: Engine, options: TrainOptions | undefined): TrainOptions | undefined {
    if (!Array.isArray(options?.validationData)) return options;
    const { inputs, targets } = this.#dataset(engine, options.validationData, 'options.validationData');
    return { ...options, validationData: { inputs: inputs.values, targets: targets.values } };
  }

  /**
   * Trains on this thread until the run ends; see TrainOptions for every way it can stop. Takes `(data, options?)`
   * or `(inputs, targets, options?)`.
   */
  trainSync(...args: DataArguments<TrainOptions>): TrainHistory {
    const { data, options } = splitArguments(args);
    const loop = this.#begin(data, options);
    this.#training = true;
    try {
      for (let step = loop.next(); ; step = loop.next()) {
        if (step.done) return step.value;
        if (step.value) {
          throw new SimdnetError('INVALID_OPTIONS', 'a callback returned a Promise, which trainSync cannot wait ' +
            'for; use train() with asynchronous callbacks');
        }
        this.#alive();
      }
    } finally {
      this.#training = false;
    }
  }

  /** Trains like trainSync, letting the event loop in every `yieldEveryMs` (default 16 ms). */
  async train(...args: DataArguments<TrainOptions>): Promise<TrainHistory> {
    const { data, options } = splitArguments(args);
    const loop = this.#begin(data, options);
    const yieldEveryMs = options?.yieldEveryMs ?? 16;
    this.#training = true;
    try {
      let lastYield = performance.now();
      let answer: unknown;
      for (;;) {
        const step = loop.next(answer);
        answer = undefined;
        if (step.done) return step.value;
        if (step.value) {
          answer = await step.value.settle;
        } else if (performance.now() - lastYield >= yieldEveryMs) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        this.#alive();
      }
    } finally {
      this.#training = false;
    }
  }

  /**
   * Trains whole batches until `ms` milliseconds are spent and returns how many ran: the step of an animation
   * loop that must keep its frame rate. Successive calls continue through shuffled epochs; `completedEpochs`
   * counts them. The data set is checked and copied in when it is a new object (or its arrays changed length),
   * not on every call.
   */
  trainFor(data: TrainingData, options: TrainForOptions = {}): number {
    const engine = this.#alive();
    if (this.#training) throw new SimdnetError('BUSY', 'this network is already training; wait for that run to end');
    const stream = this.#streamFor(engine, data);
    const samples = stream.inputs.rows;
    const batchSize = Math.min(positiveInteger(options.batchSize, 'batchSize', samples), samples);
    const ms = nonNegative(options.ms, 'ms', 16);
    if (!Number.isFinite(ms)) throw new SimdnetError('INVALID_OPTIONS', 'options.ms: must be finite, got Infinity');
    if (!engine.holds(stream, batchSize)) engine.stage(stream.inputs, stream.targets, batchSize, 0, stream);
    let batches = 0;
    const loop = trainingLoop(engine, samples, {
      epochs: Infinity, batchSize, shuffle: options.shuffle ?? true, errorThreshold: 0, timeoutMs: Infinity,
      yieldEveryMs: 0, onBatchEnd: () => void batches++,
    }, this.#rng, (x, y) => this.#evaluate(engine, x, y, true), stream.cursor);
    const start = performance.now();
    do loop.next(); while (performance.now() - start < ms);
    return batches;
  }

  /** trainFor's stream for `data`: the last one while `data` is the same object with the same lengths. */
  #streamFor(engine: Engine, data: TrainingData): Stream {
    const given = data as { inputs?: { length?: unknown }; targets?: { length?: unknown } } | undefined;
    const lengths = Array.isArray(data) ? `${data.length}` : `${given?.inputs?.length} ${given?.targets?.length}`;
    const last = this.#stream;
    if (last?.data === data && last.lengths === lengths) return last;
    const { inputs, targets } = this.#dataset(engine, data);
    const cursor = last?.cursor.order.length === inputs.rows ? last.cursor : newCursor(inputs.rows);
    this.#stream = { data, lengths, inputs, targets, cursor };
    return this.#stream;
  }

  /** Epochs completed by trainFor since the data set last changed size. */
  get completedEpochs(): number {
    return this.#stream?.cursor.epoch ?? 0;
  }

  /**
   * Every layer's outputs for a batch of inputs, in one pass: per layer a rows × units array, row-major. This is
   * what draws a heat map for every neuron.
   */
  activations(inputs: MatrixInput): FloatArray[] {
    const engine = this.#alive();
    const x = toMatrix(inputs, engine.inputSize, 'inputs');
    const layers = engine.plan.layers.map((layer) => engine.backend.float64
      ? new Float64Array(x.rows * layer.units) : new Float32Array(x.rows * layer.units));
    const chunk = engine.predictionRows(x.rows, this.#training);
    for (let first = 0; first < x.rows; first += chunk) {
      const rows = Math.min(chunk, x.rows - first);
      engine.layerOutputs(x, first, rows).forEach((view, i) => layers[i].set(view, first * view.length / rows));
    }
    return layers;
  }

  /**
   * The network's output for one sample (a copy). The input may be an object with named keys once the network
   * has trained on such samples; the outputs are then in `outputKeys` order.
   */
  predict(input: Features): FloatArray {
    const engine = this.#alive();
    const x = toInputRow(input, engine.inputSize, 'input', this.#names);
    if (x.rows !== 1) throw new SimdnetError('SHAPE_MISMATCH', `input: expected ${engine.inputSize} numbers, ` +
      `got ${x.rows * x.cols} (use predictBatch for several samples)`);
    return this.predictBatch(x.values);
  }

  /** Outputs for many samples: rows × outputSize, row-major. */
  predictBatch(inputs: MatrixInput): FloatArray {
    const engine = this.#alive();
    const x = toMatrix(inputs, engine.inputSize, 'inputs');
    const out = engine.backend.float64 ? new Float64Array(x.rows * engine.outputSize)
      : new Float32Array(x.rows * engine.outputSize);
    const chunk = engine.predictionRows(x.rows, this.#training);
    for (let first = 0; first < x.rows; first += chunk) {
      const rows = Math.min(chunk, x.rows - first);
      out.set(engine.evaluateChunk(x, undefined, first, rows).outputs, first * engine.outputSize);
    }
    return out;
  }

  /** Mean per-sample loss (no regularisation) and accuracy over a data set: `(data)` or `(inputs, targets)`. */
  evaluate(...args: DataArguments<never>): Evaluation {
    const engine = this.#alive();
    const { inputs, targets } = this.#dataset(engine, splitArguments(args).data);
    return this.#evaluate(engine, inputs, targets, this.#training);
  }

  #evaluate(engine: Engine, inputs: Matrix, targets: Matrix, fixedScratch: boolean): Evaluation {
    const chunk = engine.predictionRows(inputs.rows, fixedScratch);
    let loss = 0;
    let correct = 0;
    for (let first = 0; first < inputs.rows; first += chunk) {
      const result = engine.evaluateChunk(inputs, targets, first, Math.min(chunk, inputs.rows - first));
      loss += result.loss;
      correct += result.correct;
    }
    return { loss: loss / inputs.rows, accuracy: correct / inputs.rows };
  }

  /**
   * One forward and backward pass over a few samples, changing nothing, that returns every intermediate quantity
   * per layer (z, a, ∂C/∂a, ∂C/∂z, ∂C/∂W, ∂C/∂b) and the mean loss: backpropagation laid open, for learning and
   * for checking a derivation by hand.
   */
  trace(data: TrainingData): { loss: number; layers: LayerTrace[] } {
    const engine = this.#alive();
    const { inputs, targets } = this.#dataset(engine, data);
    if (this.#training) throw new SimdnetError('BUSY', 'trace needs the network idle; it is training');
    engine.reserve(inputs.rows, 0);
    return engine.trace(inputs, targets);
  }

  /** Copies of every layer's weights ([inputs][units], row-major) and biases. */
  getWeights(): LayerWeights[] {
    return this.#alive().getLayers();
  }

  /** Replaces every layer's weights and biases; lengths and values are checked first. */
  setWeights(layers: readonly { weights: ArrayLike<number>; biases?: ArrayLike<number> }[]): void {
    const engine = this.#alive();
    const plan = engine.plan.layers;
    if (!Array.isArray(layers) || layers.length !== plan.length) {
      throw new SimdnetError('SHAPE_MISMATCH', `weights: expected an array of ${plan.length} layers, got ` +
        describe(layers));
    }
    const checked = plan.map((layer, i) => {
      const given: { weights?: ArrayLike<number>; biases?: ArrayLike<number> } = layers[i] ?? {};
      const expected = layer.inputs * layer.units;
      if ((given.weights?.length ?? 0) !== expected && !Array.isArray(given.weights?.[0])) {
        throw new SimdnetError('SHAPE_MISMATCH', `weights[${i}].weights: expected ${expected} numbers ` +
          `([${layer.inputs}][${layer.units}]), got ${given.weights?.length ?? 0}`);
      }
      const weights = toMatrix(Array.from(given.weights ?? []), layer.units, `weights[${i}].weights`);
      if (weights.rows !== layer.inputs) {
        throw new SimdnetError('SHAPE_MISMATCH', `weights[${i}].weights: expected ${layer.inputs * layer.units} ` +
          `numbers ([${layer.inputs}][${layer.units}]), got ${weights.rows * layer.units}`);
      }
      const count = layer.biases < 0 ? 0 : layer.units;
      if ((given.biases?.length ?? 0) !== (layer.biases < 0 ? 0 : layer.units)) {
        throw new SimdnetError('SHAPE_MISMATCH', `weights[${i}].biases: expected ${layer.biases < 0 ? 0 : layer.units} ` +
          `numbers, got ${given.biases?.length ?? 0}`);
      }
      const biases = Array.from(given.biases ?? []);
      if (biases.length !== count) {
        throw new SimdnetError('SHAPE_MISMATCH', `weights[${i}].biases: expected ${count} numbers, got ${biases.length}`);
      }
      if (count > 0) toMatrix(biases, count, `weights[${i}].biases`);
      return { weights: weights.values, biases };
    });
    engine.setLayers(checked);
  }

  toJSON(): NetworkJSON {
    const engine = this.#alive();
    return toModelJSON(this.spec, engine.getLayers(), engine.backend.float64 ? 'float64' : 'float32');
  }

  /** The network as TensorFlow.js LayersModel artifacts, for `tf.loadLayersModel(tf.io.fromMemory(artifacts))`. */
  toTfjs(): TfjsArtifacts {
    return toTfjsArtifacts(this.spec, this.#alive().getLayers());
  }

  /**
   * The network as the bytes of an ONNX model (a .onnx file) for onnxruntime, Netron or PyTorch's importers:
   * Gemm and activation nodes, float32 weights, input [batch, inputSize] and output [batch, outputSize].
   */
  toOnnx(options?: OnnxOptions): Uint8Array {
    return toOnnxModel(this.spec, this.#alive().getLayers(), options);
  }

  /**
   * A text table of the network: per layer its units, activation and parameters; the totals; the loss, optimiser
   * and backend. `console.log(net)` and Node's `util.inspect` show it too.
   */
  summary(): string {
    const engine = this.#alive();
    const spec = this.#spec;
    let inputs = spec.inputSize;
    const rows = [['layer', 'units', 'activation', 'parameters'], ['input', String(inputs), '', '']];
    spec.layers.forEach((layer, i) => {
      const details = [layer.alpha === undefined ? '' : `alpha ${layer.alpha}`,
        layer.dropout === undefined ? '' : `dropout ${layer.dropout}`].filter(Boolean).join(', ');
      const activation = details ? `${layer.activation} (${details})` : layer.activation;
      rows.push([String(i + 1), String(layer.units), activation,
        String(inputs * layer.units + (layer.useBias ? layer.units : 0))]);
      inputs = layer.units;
    });
    const total = countParameters(spec);
    const biases = spec.layers.reduce((sum, layer) => sum + (layer.useBias ? layer.units : 0), 0);
    rows.push(['total', '', '', String(total)]);
    const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
    const line = (row: string[]) => row.map((cell, c) => (c === 1 || c === 3 ? cell.padStart(widths[c])
      : cell.padEnd(widths[c]))).join('  ').trimEnd();
    const { type, ...settings } = spec.optimizer;
    const optimizer = `${type} (${Object.entries(settings).map(([key, value]) => `${key} ${value}`).join(', ')})`;
    const precision = engine.backend.float64 ? 'float64' : 'float32';
    return [
      `Network: ${plural(spec.inputSize, 'input')} → ${plural(this.outputSize, 'output')}, ${total} parameters ` +
        `(${total - biases} weights, ${biases} biases)`,
      ...rows.map(line),
      `loss: ${spec.loss} · optimizer: ${optimizer} · backend: ${spec.backend} (${precision}) · seed: ${spec.seed}`,
    ].join('\n');
  }

  /** Node's util.inspect (and so console.log) shows the summary rather than an empty object. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.#engine ? this.summary() : 'Network (disposed)';
  }

  get [Symbol.toStringTag](): string {
    return 'Network';
  }

  /** Frees the network's memory. Any later call throws SimdnetError('DISPOSED'). */
  dispose(): void {
    this.#engine?.backend.dispose();
    this.#engine = undefined;
  }
}

// Minifiers rename classes; what users see printed keeps the real name.
Object.defineProperty(Network, 'name', { value: 'Network' });
