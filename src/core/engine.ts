// Runs a network on a backend: the forward pass, backpropagation and the optimiser step as a short sequence of
// kernel calls on planned regions. No numeric loops live here; every number is crunched by a kernel.

import { activationId, lossId } from './constants.js';
import type { FloatArray, Matrix } from './data.js';
import type { Backend, DrawKind } from './kernels.js';
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

/** Argmax agreement for several outputs; for one output, both on the same side of 0.5. */
export function countCorrect(outputs: ArrayLike<number>, targets: ArrayLike<number>, rows: number,
  cols: number): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    if (cols === 1) {
      if (outputs[at] >= 0.5 === targets[at] >= 0.5) correct++;
      continue;
    }
    let predicted = 0;
    let expected = 0;
    for (let c = 1; c < cols; c++) {
      if (outputs[at + c] > outputs[at + predicted]) predicted = c;
      if (targets[at + c] > targets[at + expected]) expected = c;
    }
    if (predicted === expected) correct++;
  }
  return correct;
}

export class Engine {
  readonly plan: ParameterPlan;
  private regions: Regions;
  /** Which of the two parameter blocks holds the live values. */
  private live = 0;
  private steps = 0;
  private readonly loss: number;
  readonly inputSize: number;
  readonly outputSize: number;

  constructor(readonly spec: ResolvedSpec, readonly backend: Backend) {
    this.plan = planParameters(spec);
    this.loss = lossId(spec.loss);
    this.inputSize = spec.inputSize;
    this.outputSize = spec.layers[spec.layers.length - 1].units;
    this.regions = this.replan(1, 0);
  }

  private replan(rows: number, dataRows: number): Regions {
    const regions = planRegions(this.backend.baseSlot, this.spec, this.plan, rows, dataRows);
    this.backend.ensureCapacity(regions.end);
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
    const base = this.parameters();
    return this.plan.layers.map((layer) => ({
      weights: this.backend.read(base + layer.weights, layer.inputs * layer.units),
      biases: layer.biases < 0 ? this.backend.read(0, 0) : this.backend.read(base + layer.biases, layer.units),
    }));
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

  /** Runs the layers over `rows` samples already in the input region; returns the output region's offset. */
  private forward(rows: number): number {
    const k = this.backend.kernels;
    const base = this.parameters();
    let input = this.regions.input;
    this.plan.layers.forEach((layer, i) => {
      const out = this.regions.activations[i];
      k.forward(input, base + layer.weights, layer.biases < 0 ? -1 : base + layer.biases, out, rows,
        layer.inputs, layer.units);
      k.activate(layer.activation, layer.alpha, out, rows, layer.units);
      input = out;
    });
    return input;
  }

  /** Copies a training set into the heap once; batches are then gathered inside the backend. */
  stage(inputs: Matrix, targets: Matrix, batchRows: number, evaluationRows: number): void {
    this.reserve(Math.max(batchRows, evaluationRows), inputs.rows);
    this.backend.write(this.regions.dataInputs, inputs.values);
    this.backend.write(this.regions.dataTargets, targets.values);
  }

  /** Sets the order in which staged rows are visited. */
  setOrder(order: Int32Array): void {
    this.backend.writeIndices(this.regions.index, order);
  }

  /** One step of gradient descent on staged rows order[start … start + rows). */
  trainStep(start: number, rows: number): StepResult {
    const k = this.backend.kernels;
    const { spec, plan, regions } = this;
    const layers = plan.layers;
    const last = layers.length - 1;
    k.gatherRows(regions.dataInputs, regions.index, start, rows, this.inputSize, regions.input);
    k.gatherRows(regions.dataTargets, regions.index, start, rows, this.outputSize, regions.target);
    const output = this.forward(rows);
    const loss = k.outputDelta(this.loss, layers[last].activation, layers[last].alpha, output, regions.target,
      regions.deltas[last], rows, this.outputSize);
    if (!Number.isFinite(loss)) return { ok: false, reason: 'loss', loss };
    const correct = countCorrect(this.backend.view(output, rows * this.outputSize),
      this.backend.view(regions.target, rows * this.outputSize), rows, this.outputSize);

    const base = this.parameters();
    const { l1, l2 } = spec.regularization;
    const scale = 1 / rows;
    // Plain gradient descent without penalties takes each layer's step straight from its weight gradient, which is
    // never stored (sgdDense); the step writes the other parameter block, so backpropDelta still reads the old W.
    const o = spec.optimizer;
    const fused = o.type === 'sgd' && o.momentum === 0 && l1 === 0 && l2 === 0;
    const next = regions.parameters[1 - this.live];
    let finite = true;
    for (let i = last; i >= 0; i--) {
      const layer = layers[i];
      const input = i === 0 ? regions.input : regions.activations[i - 1];
      if (fused) {
        const bias = layer.biases < 0;
        finite = k.sgdDense(input, regions.deltas[i], base + layer.weights, next + layer.weights,
          bias ? -1 : base + layer.biases, bias ? -1 : next + layer.biases, rows, layer.inputs, layer.units,
          o.learningRate, scale) && finite;
      } else {
        k.weightGradient(input, regions.deltas[i], regions.gradients + layer.weights,
          layer.biases < 0 ? -1 : regions.gradients + layer.biases, rows, layer.inputs, layer.units);
      }
      if (i === 0) break;
      k.backpropDelta(regions.deltas[i], base + layer.weights, regions.deltas[i - 1], rows, layer.units, layer.inputs);
      const below = layers[i - 1];
      k.activationBackward(below.activation, below.alpha, regions.activations[i - 1], regions.deltas[i - 1], rows,
        below.units);
    }

    if (!fused) {
      finite = this.optimize(0, plan.weightSlots, scale, l1, l2) &&
        this.optimize(plan.biasStart, plan.biasSlots, scale, 0, 0);
    }
    if (!finite) return { ok: false, reason: 'update', loss };
    this.live = 1 - this.live;
    this.steps++;
    return { ok: true, loss, correct };
  }

  /** The optimiser step over slots [start, start + count) of the parameter block, into the other block. */
  private optimize(start: number, count: number, scale: number, l1: number, l2: number): boolean {
    if (count === 0) return true;
    const k = this.backend.kernels;
    const { regions } = this;
    const from = regions.parameters[this.live] + start;
    const to = regions.parameters[1 - this.live] + start;
    const grad = regions.gradients + start;
    const o = this.spec.optimizer;
    if (o.type === 'adam') {
      const t = this.steps + 1;
      return k.adam(from, to, grad, regions.state[0] + start, regions.state[1] + start, count, o.learningRate, scale,
        l1, l2, o.beta1, o.beta2, o.epsilon, 1 / (1 - o.beta1 ** t), 1 / (1 - o.beta2 ** t));
    }
    if (o.momentum > 0) {
      return k.momentum(from, to, grad, regions.state[0] + start, count, o.learningRate, scale, l1, l2, o.momentum,
        o.nesterov);
    }
    return k.sgd(from, to, grad, count, o.learningRate, scale, l1, l2);
  }

  /** Forward and backward over the given samples without changing any weight, recording every layer. */
  trace(inputs: Matrix, targets: Matrix): { loss: number; layers: LayerTrace[] } {
    const k = this.backend.kernels;
    const { plan, regions, backend } = this;
    const rows = inputs.rows;
    const base = this.parameters();
    const read = (offset: number, count: number) => backend.read(offset, count);
    const scaled = (values: FloatArray) => values.map((v) => v / rows);
    backend.write(regions.input, inputs.values);
    backend.write(regions.target, targets.values);
    const z: FloatArray[] = [];
    const a: FloatArray[] = [];
    let input = regions.input;
    for (const [i, layer] of plan.layers.entries()) {
      const out = regions.activations[i];
      k.forward(input, base + layer.weights, layer.biases < 0 ? -1 : base + layer.biases, out, rows, layer.inputs,
        layer.units);
      z.push(read(out, rows * layer.units));
      k.activate(layer.activation, layer.alpha, out, rows, layer.units);
      a.push(read(out, rows * layer.units));
      input = out;
    }
    const last = plan.layers.length - 1;
    const output = plan.layers[last];
    const traces: LayerTrace[] = [];
    const count = rows * output.units;
    // ∂C/∂a is the output delta of a linear layer (whose derivative is 1); then the real delta.
    k.outputDelta(this.loss, activationId('linear'), 0, regions.activations[last], regions.target, regions.deltas[last],
      rows, output.units);
    let dCda = read(regions.deltas[last], count);
    const loss = k.outputDelta(this.loss, output.activation, output.alpha, regions.activations[last], regions.target,
      regions.deltas[last], rows, output.units);
    for (let i = last; i >= 0; i--) {
      const layer = plan.layers[i];
      const inputAt = i === 0 ? regions.input : regions.activations[i - 1];
      const dw = regions.gradients + layer.weights;
      const db = layer.biases < 0 ? -1 : regions.gradients + layer.biases;
      k.weightGradient(inputAt, regions.deltas[i], dw, db, rows, layer.inputs, layer.units);
      traces[i] = {
        z: z[i], a: a[i], dCda,
        dCdz: read(regions.deltas[i], rows * layer.units),
        dCdw: scaled(read(dw, layer.inputs * layer.units)),
        dCdb: db < 0 ? read(0, 0) : scaled(read(db, layer.units)),
      };
      if (i === 0) break;
      const below = plan.layers[i - 1];
      k.backpropDelta(regions.deltas[i], base + layer.weights, regions.deltas[i - 1], rows, layer.units, layer.inputs);
      dCda = read(regions.deltas[i - 1], rows * below.units);
      k.activationBackward(below.activation, below.alpha, regions.activations[i - 1], regions.deltas[i - 1], rows,
        below.units);
    }
    return { loss: loss / rows, layers: traces };
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
    const loss = this.backend.kernels.loss(this.loss, output, this.regions.target, rows, this.outputSize);
    const correct = countCorrect(outputs, this.backend.view(this.regions.target, rows * this.outputSize), rows,
      this.outputSize);
    return { outputs, loss, correct };
  }
}
