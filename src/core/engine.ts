// Runs a network on a backend, as the phases of backpropagation over planned heap regions:
//   forward    each layer's z = a_prev·W + b, then a = f(z); while training, a dropout layer's a ⊙ mask
//   backward   the output delta from the loss, then every hidden layer's delta, top down (through the same masks)
//   gradients  ∂C/∂W = a_prevᵀ·δ and ∂C/∂b = Σδ per layer
//   update     the optimiser step into the other parameter block (plain SGD fuses it with the gradients)
// trainStep is gather → forward → backward → update; trace runs the same phases and reads the regions between
// them; evaluation and prediction run forward alone. Each phase is a short sequence of kernel calls: no loop here
// touches a number of the heap (accuracy counting and gradient scaling are kernels too).

import { activationId, lossId } from './constants.js';
import type { FloatArray, Matrix } from './data.js';
import type { Backend, DrawKind, Kernels } from './kernels.js';
import { type ParameterPlan, type Regions, planParameters, planRegions } from './layout.js';
import type { NumpyRandom } from './random.js';
import type { InitializerName, ResolvedSpec } from './spec.js';

/** Rows of scratch planned for prediction and evaluation when no training run needs more. */
const PREDICTION_ROWS = 1024;

export interface LayerWeights {
  weights: FloatArray;
  biases: FloatArray;
}

/** One layer's part in a forward and backward pass, for learners: every quantity of the chain rule. */
export interface LayerTrace {
  /** Weighted input z = a_prev · W + b, per sample. */
  z: FloatArray;
  /** Activation a = f(z). */
  a: FloatArray;
  /** ∂C/∂a: how the cost changes with this layer's output. */
  dCda: FloatArray;
  /** ∂C/∂z = ∂C/∂a ⊙ f′(z), the layer's delta; equal to ∂C/∂b per sample. */
  dCdz: FloatArray;
  /** ∂C/∂W, [inputs][units], averaged over the samples as a training step uses it. */
  dCdw: FloatArray;
  /** ∂C/∂b, averaged over the samples (empty without bias). */
  dCdb: FloatArray;
}

/** The outcome of one training step: the batch's summed loss and correct count, or why it could not be taken. */
export type StepResult =
  | { ok: true; loss: number; correct: number }
  | { ok: false; reason: 'loss' | 'update'; loss: number };

/** Sees a region between two kernels of a phase: `layer`'s values at slot `at`. */
type PhaseObserver = (layer: number, at: number) => void;

/** How an initializer draws: scale·(2r − 1) for uniform r in [0, 1), or scale·g for gaussian g; none: zeros. */
function recipe(initializer: InitializerName, fanIn: number, fanOut: number): { kind: DrawKind; scale: number } | undefined {
  switch (initializer) {
    case 'zeros':
      return undefined;
    case 'uniform':
      return { kind: 'uniform', scale: 1 };
    case 'normal':
      return { kind: 'normal', scale: 1 };
    case 'glorotUniform':
      return { kind: 'uniform', scale: Math.sqrt(6 / (fanIn + fanOut)) };
    case 'heNormal':
      return { kind: 'normal', scale: Math.sqrt(2 / fanIn) };
  }
}

export class Engine {
  readonly plan: ParameterPlan;
  private regions: Regions;
  /** Which of the two parameter blocks holds the live values. */
  private live = 0;
  private steps = 0;
  /** Whether the last forward pass applied dropout: the phases after it then read each layer's kept outputs. */
  private dropping = false;
  /** The optimiser's learning rate for the next steps: the spec's, unless a schedule set another. */
  learningRate: number;
  /** Who staged the data now in the heap (see `holds`). */
  private stagedBy: object | undefined;
  /**
   * Plain gradient descent (no momentum, no penalties) takes each layer's step straight from a_prevᵀ·δ (sgdDense)
   * instead of the gradient phase then one sgd pass: the same numbers, the gradient never stored. It pays in online
   * learning: 1.30–1.53× faster per step at batch 1 (W4, 784-100-10) in six same-process runs on the Wasm backend
   * (bench/fused-update.bench.ts, 2 busy cores); at batches 10–128 (W1–W3) the medians were 0.74–1.35×, no
   * difference beyond that machine's noise.
   */
  private readonly fused: boolean;
  private readonly loss: number;
  readonly inputSize: number;
  readonly outputSize: number;
  /** Per row of a phase: the FLOPs of its largest product, and the numbers of its largest minibatch copy. */
  private readonly flopsPerRow: number;
  private readonly elementsPerRow: number;

  constructor(readonly spec: ResolvedSpec, readonly backend: Backend) {
    this.plan = planParameters(spec);
    this.loss = lossId(spec.loss);
    this.inputSize = spec.inputSize;
    this.outputSize = spec.layers[spec.layers.length - 1].units;
    this.flopsPerRow = Math.max(...this.plan.layers.map((layer) => 2 * layer.inputs * layer.units));
    this.elementsPerRow = Math.max(this.inputSize, this.outputSize);
    const o = spec.optimizer;
    this.fused = o.type === 'sgd' && o.momentum === 0 && spec.regularization.l1 === 0 && spec.regularization.l2 === 0;
    this.learningRate = o.learningRate;
    this.regions = this.replan(1, 0);
  }

  /**
   * The backend's kernels for a phase over `rows` rows (0: a pass over the parameters alone), sized by its largest
   * product and its largest pass, which no optimiser pass exceeds (Backend.kernelsFor).
   */
  private kernels(rows: number): Kernels {
    const { backend } = this;
    return backend.kernelsFor?.(rows * this.flopsPerRow, Math.max(rows * this.elementsPerRow, this.plan.blockSlots))
      ?? backend.kernels;
  }

  private replan(rows: number, dataRows: number): Regions {
    const { packing } = this.backend;
    const regions = planRegions(this.backend.baseSlot, this.spec, this.plan, rows, dataRows, packing);
    this.backend.ensureCapacity(regions.end);
    packing?.use(regions.pack);
    this.stagedBy = undefined;
    return regions;
  }

  /** Plans scratch for `rows` samples and room for `dataRows` staged ones. Moves the staged data: call it first. */
  reserve(rows: number, dataRows: number): void {
    if (rows <= this.regions.rows && dataRows <= this.regions.dataRows) return;
    this.regions = this.replan(Math.max(rows, this.regions.rows), Math.max(dataRows, this.regions.dataRows));
  }

  /** Scratch rows available for a prediction over `rows` samples (more are planned unless `fixed`). */
  predictionRows(rows: number, fixed: boolean): number {
    if (!fixed) this.reserve(Math.min(rows, PREDICTION_ROWS), 0);
    return this.regions.rows;
  }

  private parameters(): number {
    return this.regions.parameters[this.live];
  }

  initialize(rng: NumpyRandom): void {
    const { initializer, biasInitializer } = this.spec;
    const base = this.parameters();
    const draw = (name: InitializerName, offset: number, count: number, fanIn: number, fanOut: number) => {
      const how = recipe(name, fanIn, fanOut);
      if (how) this.backend.draw(how.kind, rng, base + offset, count, how.scale);
      else this.backend.fill(base + offset, count, 0);
    };
    for (const layer of this.plan.layers) {
      draw(initializer, layer.weights, layer.inputs * layer.units, layer.inputs, layer.units);
      if (layer.biases >= 0) draw(biasInitializer, layer.biases, layer.units, layer.inputs, layer.units);
    }
  }

  getLayers(): LayerWeights[] {
    return this.readBlock(this.parameters());
  }

  /** A copy of the live parameter block, exact: what restore() puts back (early stopping's best weights). */
  snapshot(): FloatArray {
    return this.backend.read(this.parameters(), this.plan.blockSlots);
  }

  restore(snapshot: FloatArray): void {
    this.backend.write(this.parameters(), snapshot);
  }

  /** Writes weights whose lengths the caller has checked. */
  setLayers(layers: { weights: ArrayLike<number>; biases: ArrayLike<number> }[]): void {
    const base = this.parameters();
    this.plan.layers.forEach((layer, i) => {
      this.backend.write(base + layer.weights, layers[i].weights);
      if (layer.biases >= 0) this.backend.write(base + layer.biases, layers[i].biases);
    });
  }

  /** Forgets momentum and Adam's moments (after a diverged step left them non-finite). */
  resetOptimizer(): void {
    for (const block of this.regions.state) this.backend.fill(block, this.plan.blockSlots, 0);
    this.steps = 0;
  }

  /**
   * Copies a training set into the heap once; batches are then gathered inside the backend. `owner`, if given,
   * names the data for `holds`.
   */
  stage(inputs: Matrix, targets: Matrix, batchRows: number, evaluationRows: number, owner?: object): void {
    this.reserve(Math.max(batchRows, evaluationRows), inputs.rows);
    this.backend.write(this.regions.dataInputs, inputs.values);
    this.backend.write(this.regions.dataTargets, targets.values);
    this.stagedBy = owner;
  }

  /** Whether the staged data is still `owner`'s (no other staging, no replan since) with scratch for batchRows. */
  holds(owner: object, batchRows: number): boolean {
    return this.stagedBy === owner && batchRows <= this.regions.rows;
  }

  /** Sets the order in which staged rows are visited. */
  setOrder(order: Int32Array): void {
    this.backend.writeIndices(this.regions.index, order);
  }

  /** Copies staged rows order[start … start + rows) and their targets into the batch regions. */
  private gather(start: number, rows: number): void {
    const k = this.kernels(rows);
    const { regions } = this;
    k.gatherRows(regions.dataInputs, regions.index, start, rows, this.inputSize, regions.input);
    k.gatherRows(regions.dataTargets, regions.index, start, rows, this.outputSize, regions.target);
  }

  /**
   * Forward phase over `rows` samples in the input region: each layer's z = a_prev·W + b into its activation
   * region, then a = f(z) in place. With `masks` (training), each dropout layer then draws a mask from it and
   * writes a ⊙ mask to its kept region, which the next layer reads. `observe` sees each z before f is applied.
   * Returns the output region's offset.
   */
  private forward(rows: number, observe?: PhaseObserver, masks?: NumpyRandom): number {
    const k = this.kernels(rows);
    const { regions } = this;
    const base = this.parameters();
    this.dropping = masks !== undefined;
    let input = regions.input;
    this.plan.layers.forEach((layer, i) => {
      const out = regions.activations[i];
      k.forward(input, base + layer.weights, layer.biases < 0 ? -1 : base + layer.biases, out, rows,
        layer.inputs, layer.units);
      observe?.(i, out);
      k.activate(layer.activation, layer.alpha, out, rows, layer.units);
      input = out;
      if (masks && layer.dropout > 0) {
        this.backend.draw('mask', masks, regions.masks[i], rows * layer.units, layer.dropout);
        k.applyMask(out, regions.masks[i], regions.kept[i], rows * layer.units);
        input = regions.kept[i];
      }
    });
    return input;
  }

  /** What layer i read in the last forward pass: the batch inputs, or the layer below's (kept) outputs. */
  private layerInput(i: number): number {
    const { regions } = this;
    if (i === 0) return regions.input;
    return this.dropping && regions.kept[i - 1] >= 0 ? regions.kept[i - 1] : regions.activations[i - 1];
  }

  /**
   * Backward phase after forward: the output layer's delta ∂C/∂z from the target region, then every hidden
   * layer's delta, top down: ∂C/∂a = δ_next·W_nextᵀ (times the layer's mask after a dropout forward pass), then
   * δ = ∂C/∂a ⊙ f′. Each layer has its own delta region and
   * no weight changes here, so every delta is ready before the update reads any. `observe` sees each hidden
   * layer's ∂C/∂a before f′ is applied. Returns the loss summed over the rows.
   */
  private backward(rows: number, observe?: PhaseObserver): number {
    const k = this.kernels(rows);
    const { plan, regions } = this;
    const layers = plan.layers;
    const last = layers.length - 1;
    const base = this.parameters();
    const loss = k.outputDelta(this.loss, layers[last].activation, layers[last].alpha, regions.activations[last],
      regions.target, regions.deltas[last], rows, this.outputSize);
    for (let i = last; i > 0; i--) {
      const layer = layers[i];
      const below = layers[i - 1];
      k.backpropDelta(regions.deltas[i], base + layer.weights, regions.deltas[i - 1], rows, layer.units, layer.inputs);
      if (this.dropping && regions.masks[i - 1] >= 0) {
        k.applyMask(regions.deltas[i - 1], regions.masks[i - 1], regions.deltas[i - 1], rows * below.units);
      }
      observe?.(i - 1, regions.deltas[i - 1]);
      k.activationBackward(below.activation, below.alpha, regions.activations[i - 1], regions.deltas[i - 1], rows,
        below.units);
    }
    return loss;
  }

  /** Weight-gradient phase after backward: ∂C/∂W = a_prevᵀ·δ and ∂C/∂b = Σ δ, summed over the rows, every layer. */
  private gradients(rows: number): void {
    const k = this.kernels(rows);
    const { regions } = this;
    this.plan.layers.forEach((layer, i) => {
      k.weightGradient(this.layerInput(i), regions.deltas[i],
        regions.gradients + layer.weights, layer.biases < 0 ? -1 : regions.gradients + layer.biases, rows,
        layer.inputs, layer.units);
    });
  }

  /**
   * Update phase after backward: the optimiser step from the current parameter block into the other, with the
   * gradient divided by `rows`. True when every new value (optimiser state included) is finite; only then does
   * the new block become the live one.
   */
  private update(rows: number): boolean {
    const { spec, plan, regions } = this;
    const { l1, l2 } = spec.regularization;
    const scale = 1 / rows;
    let finite = true;
    if (this.fused) {
      const k = this.kernels(rows);
      const base = this.parameters();
      const next = regions.parameters[1 - this.live];
      const { learningRate } = this;
      this.plan.layers.forEach((layer, i) => {
        const bias = layer.biases < 0;
        finite = k.sgdDense(this.layerInput(i), regions.deltas[i],
          base + layer.weights, next + layer.weights, bias ? -1 : base + layer.biases, bias ? -1 : next + layer.biases,
          rows, layer.inputs, layer.units, learningRate, scale) && finite;
      });
    } else {
      this.gradients(rows);
      finite = this.optimize(0, plan.weightSlots, scale, l1, l2) &&
        this.optimize(plan.biasStart, plan.biasSlots, scale, 0, 0);
    }
    if (!finite) return false;
    this.live = 1 - this.live;
    this.steps++;
    return true;
  }

  /** The optimiser step over slots [start, start + count) of the parameter block, into the other block. */
  private optimize(start: number, count: number, scale: number, l1: number, l2: number): boolean {
    if (count === 0) return true;
    const k = this.kernels(0);
    const { regions } = this;
    const from = regions.parameters[this.live] + start;
    const to = regions.parameters[1 - this.live] + start;
    const grad = regions.gradients + start;
    const o = this.spec.optimizer;
    const { learningRate } = this;
    if (o.type === 'adam') {
      const t = this.steps + 1;
      return k.adam(from, to, grad, regions.state[0] + start, regions.state[1] + start, count, learningRate, scale,
        l1, l2, o.beta1, o.beta2, o.epsilon, 1 / (1 - o.beta1 ** t), 1 / (1 - o.beta2 ** t));
    }
    if (o.momentum > 0) {
      return k.momentum(from, to, grad, regions.state[0] + start, count, learningRate, scale, l1, l2, o.momentum,
        o.nesterov);
    }
    return k.sgd(from, to, grad, count, learningRate, scale, l1, l2);
  }

  /**
   * One step of gradient descent on staged rows order[start … start + rows): gather, forward, backward, update.
   * Dropout layers draw their masks from `masks` (without it, none drops).
   */
  trainStep(start: number, rows: number, masks?: NumpyRandom): StepResult {
    this.gather(start, rows);
    const output = this.forward(rows, undefined, masks);
    const loss = this.backward(rows);
    if (!Number.isFinite(loss)) return { ok: false, reason: 'loss', loss };
    const correct = this.kernels(rows).countCorrect(output, this.regions.target, rows, this.outputSize);
    if (!this.update(rows)) return { ok: false, reason: 'update', loss };
    return { ok: true, loss, correct };
  }

  /**
   * The gradient a training step on staged rows order[start … start + rows) descends, per layer, as sums over the
   * rows (the step divides by `rows`), without taking the step: gather, forward, backward and the gradient phase
   * of trainStep, dropout masks drawn from `masks` as trainStep draws them. For the gradient check.
   */
  stepGradient(start: number, rows: number, masks?: NumpyRandom): LayerWeights[] {
    this.gather(start, rows);
    this.forward(rows, undefined, masks);
    this.backward(rows);
    this.gradients(rows);
    return this.readBlock(this.regions.gradients);
  }

  /** Copies of one parameter-shaped block, layer by layer. */
  private readBlock(block: number): LayerWeights[] {
    return this.plan.layers.map((layer) => ({
      weights: this.backend.read(block + layer.weights, layer.inputs * layer.units),
      biases: this.backend.read(block + Math.max(layer.biases, 0), layer.biases < 0 ? 0 : layer.units),
    }));
  }

  /**
   * Forward, backward and the gradient phase over the given samples without changing any weight, recording every
   * layer: the training step's own phases, read between them.
   */
  trace(inputs: Matrix, targets: Matrix): { loss: number; layers: LayerTrace[] } {
    const { plan, regions, backend } = this;
    const rows = inputs.rows;
    const k = this.kernels(rows);
    const last = plan.layers.length - 1;
    const sizeOf = (i: number) => rows * plan.layers[i].units;
    backend.write(regions.input, inputs.values);
    backend.write(regions.target, targets.values);
    const z: FloatArray[] = [];
    const dCda: FloatArray[] = [];
    this.forward(rows, (i, at) => { z[i] = backend.read(at, sizeOf(i)); });
    // The output layer's ∂C/∂a is its delta as if it were linear (f′ = 1); backward then writes the real delta.
    k.outputDelta(this.loss, activationId('linear'), 0, regions.activations[last], regions.target,
      regions.deltas[last], rows, this.outputSize);
    dCda[last] = backend.read(regions.deltas[last], sizeOf(last));
    const loss = this.backward(rows, (i, at) => { dCda[i] = backend.read(at, sizeOf(i)); });
    this.gradients(rows);
    k.scale(regions.gradients, plan.blockSlots, 1 / rows);
    const means = this.readBlock(regions.gradients);
    const layers = plan.layers.map((_, i) => ({
      z: z[i],
      a: backend.read(regions.activations[i], sizeOf(i)),
      dCda: dCda[i],
      dCdz: backend.read(regions.deltas[i], sizeOf(i)),
      dCdw: means[i].weights,
      dCdb: means[i].biases,
    }));
    return { loss: loss / rows, layers };
  }

  /** Runs rows [first, first + rows) of `inputs` and returns views of every layer's outputs (valid until the next call). */
  layerOutputs(inputs: Matrix, first: number, rows: number): FloatArray[] {
    this.backend.write(this.regions.input, inputs.values, first * this.inputSize, rows * this.inputSize);
    this.forward(rows);
    return this.plan.layers.map((layer, i) => this.backend.view(this.regions.activations[i], rows * layer.units));
  }

  /**
   * Runs rows [first, first + rows) of `inputs` (and their targets, if given) through the network from scratch
   * rows; returns the output view (valid until the next call) and the summed loss and correct count.
   */
  evaluateChunk(inputs: Matrix, targets: Matrix | undefined, first: number, rows: number):
    { outputs: FloatArray; loss: number; correct: number } {
    this.backend.write(this.regions.input, inputs.values, first * this.inputSize, rows * this.inputSize);
    const output = this.forward(rows);
    const outputs = this.backend.view(output, rows * this.outputSize);
    if (!targets) return { outputs, loss: 0, correct: 0 };
    this.backend.write(this.regions.target, targets.values, first * this.outputSize, rows * this.outputSize);
    const k = this.kernels(rows);
    const loss = k.loss(this.loss, output, this.regions.target, rows, this.outputSize);
    const correct = k.countCorrect(output, this.regions.target, rows, this.outputSize);
    return { outputs, loss, correct };
  }
}
