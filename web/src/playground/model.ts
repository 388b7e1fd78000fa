// The Playground's model: the state, the points it draws, the network trained on them, and one frame's training.
// No DOM here: the views read this model, and messages for the learner go out through `notify`.

import { Network, type LayerWeights, type SimdnetError } from '../../../src/index.js';
import { FEATURES, featureRows, makeData, type DataSplit, type Point } from '../datasets.js';
import { gridPoints } from '../heatmap.js';
import { copyState, decodeFloats, encodeFloats, type State } from '../state.js';
import { problemOf, specOf, type Problem } from './problem.js';

export interface Metrics {
  trainLoss: number;
  testLoss: number;
  trainAccuracy: number;
  testAccuracy: number;
}

export interface HistoryPoint extends Metrics {
  epoch: number;
}

/** A data set as the network takes it: feature rows and target rows. */
export interface Rows {
  inputs: Float64Array;
  targets: Float64Array;
}

/** What one frame of training did: nothing to train, trained, or stopped by an error (already reported). */
export type FrameOutcome = 'idle' | 'trained' | 'stopped';

/** At speed "max" a frame trains for this long minus the last frame's drawing time. */
const TRAIN_BUDGET_MS = 12;
/** More history points than this are thinned (every other one kept), so the charts stay cheap. */
const HISTORY_LIMIT = 600;

const emptyRows = (): Rows => ({ inputs: new Float64Array(0), targets: new Float64Array(0) });

export class PlaygroundModel {
  state: State;
  problem: Problem;
  data: DataSplit = { train: [], test: [] };
  trainSet: Rows = emptyRows();
  testSet: Rows = emptyRows();
  net: Network | undefined;
  epoch = 0;
  /** True once the first network exists. */
  ready = false;
  metrics: Metrics = { trainLoss: NaN, testLoss: NaN, trainAccuracy: NaN, testAccuracy: NaN };
  history: HistoryPoint[] = [];

  /** The points where the maps are drawn, and the active features' values there (the network's inputs). */
  readonly grid = gridPoints();
  gridInputs: Float64Array = new Float64Array(0);
  /** Every feature's values on the grid, by feature id. */
  readonly featureGrid = new Map<string, Float64Array>();

  /** Bumped by every new network, so that a slower earlier `Network.create` does not win. */
  #generation = 0;
  /** The network's own epoch count at the last look (see countEpochs). */
  #lastCompleted = 0;
  /**
   * Where a divergence goes back to: the weights at the end of the last frame whose training loss was no worse than
   * the run's first (a diverging run's weights stay finite, up to ~1e20, for a while before an update overflows).
   */
  #lastSound: { weights: LayerWeights[]; epoch: number } | undefined;
  readonly #notify: (message: string) => void;

  constructor(state: State, notify: (message: string) => void) {
    this.state = state;
    this.problem = problemOf(state);
    this.#notify = notify;
    for (const f of FEATURES) this.featureGrid.set(f.id, featureRows(this.grid.xs, this.grid.ys, [f]));
  }

  /** Takes a new state; returns whether the network's output shape changed (so a new network is needed). */
  setState(next: State): boolean {
    this.state = next;
    const problem = problemOf(next);
    const shapeChanged = problem.outputs !== this.problem.outputs || problem.regression !== this.problem.regression;
    this.problem = problem;
    return shapeChanged;
  }

  /** Draws the data set the state describes. */
  refreshData(): void {
    const s = this.state;
    this.data = makeData({
      dataset: s.dataset, points: s.points, noise: s.noise / 100, classes: this.problem.classes || 2, seed: s.seed,
      ratio: s.ratio, custom: s.custom,
    });
    this.updateTrainingSet();
  }

  /** Points that fit the current problem (clicked points of a class that no longer exists are left out). */
  usable(points: Point[]): Point[] {
    const p = this.problem;
    return points.filter((pt) => (p.regression ? Math.abs(pt.label) <= 1 : Number.isInteger(pt.label) && pt.label >= 0 && pt.label < p.classes));
  }

  updateTrainingSet(): void {
    this.trainSet = this.encode([...this.usable(this.data.train), ...this.usable(this.state.added)]);
    this.testSet = this.encode(this.usable(this.data.test));
    this.gridInputs = featureRows(this.grid.xs, this.grid.ys, this.activeFeatures());
  }

  activeFeatures() {
    return FEATURES.filter((f) => this.state.features.includes(f.id));
  }

  encode(points: Point[]): Rows {
    const inputs = this.featureRowsFor(points.map((p) => [p.x, p.y]));
    const { outputs } = this.problem;
    const targets = new Float64Array(points.length * outputs);
    points.forEach((p, i) => {
      if (outputs === 1) targets[i] = p.label;
      else targets[i * outputs + p.label] = 1;
    });
    return { inputs, targets };
  }

  /** The active features at points (x₁, x₂), row-major: the network's inputs. */
  featureRowsFor(points: [number, number][]): Float64Array {
    return featureRows(points.map((p) => p[0]), points.map((p) => p[1]), this.activeFeatures());
  }

  /** Network outputs at points (x₁, x₂): rows of outputSize numbers. */
  predict(points: [number, number][]): number[][] {
    const net = this.net!;
    const flat = net.predictBatch(this.featureRowsFor(points));
    const k = net.outputSize;
    return points.map((_, i) => Array.from(flat.subarray(i * k, (i + 1) * k)));
  }

  /** A training point added by a click; the weights in the state no longer describe the run. */
  addPoint(point: Point): void {
    this.state = copyState(this.state);
    this.state.added.push(point);
    this.state.weights = undefined;
    this.updateTrainingSet();
    this.measureMetrics(false);
  }

  /**
   * A new network from the state's spec (the seed fixes its first weights), with the weights from the URL when
   * `fromUrl` and the state has some. Resolves to false when a later call replaced it.
   */
  async rebuild(fromUrl: boolean): Promise<boolean> {
    const generation = ++this.#generation;
    this.updateTrainingSet();
    const net = await Network.create(specOf(this.state));
    if (generation !== this.#generation) {
      net.dispose();
      return false;
    }
    this.epoch = 0;
    if (fromUrl && this.state.weights) {
      if (restoreWeights(net, this.state.weights)) this.epoch = this.state.weightsEpoch ?? 0;
      else this.#notify('The weights in the link do not fit this network; starting afresh.');
    }
    this.net?.dispose();
    this.net = net;
    this.#lastCompleted = 0;
    this.history = [];
    this.#lastSound = undefined;
    this.measureMetrics(true);
    this.#keepIfSound(net);
    this.ready = true;
    return true;
  }

  /** New learning rate, optimiser, loss or regularisation: a new network that keeps the trained weights. */
  async swapSettings(): Promise<void> {
    const old = this.net;
    if (!old) return;
    const generation = ++this.#generation;
    const net = await Network.create(specOf(this.state));
    if (generation !== this.#generation || this.net !== old) {
      net.dispose();
      return;
    }
    net.setWeights(old.getWeights());
    old.dispose();
    this.net = net;
    this.#lastCompleted = 0;
    this.measureMetrics(false);
  }

  /** Puts the trained weights (and their epoch) into the state, so that the URL carries them. */
  keepWeightsInState(): boolean {
    const net = this.net;
    if (!net) return false;
    const values = net.getWeights().flatMap((l) => [...l.weights, ...l.biases]);
    this.state = { ...copyState(this.state), weights: encodeFloats(values), weightsEpoch: this.epoch };
    return true;
  }

  /** Epochs completed since the last call, from the network's own count (which restarts when the data resizes). */
  #countEpochs(net: Network): void {
    const completed = net.completedEpochs;
    if (completed < this.#lastCompleted) this.#lastCompleted = 0;
    this.epoch += completed - this.#lastCompleted;
    this.#lastCompleted = completed;
  }

  #batchSize(): number {
    const rows = this.trainSet.targets.length / this.problem.outputs;
    return this.state.batchSize === 0 ? rows : Math.min(this.state.batchSize, rows);
  }

  /**
   * Trains for one frame: whole epochs at speeds 1 and 10, a time budget (less `renderMs`, the last frame's
   * drawing) at "max". A failure (divergence) stops training and is reported through `notify`.
   */
  trainFrame(epochs: number | 'budget', renderMs: number): FrameOutcome {
    const net = this.net;
    if (!net || this.trainSet.targets.length === 0) return 'idle';
    const options = { batchSize: this.#batchSize() };
    let outcome: FrameOutcome = 'trained';
    try {
      if (epochs === 'budget') {
        net.trainFor(this.trainSet, { ...options, ms: Math.max(2, TRAIN_BUDGET_MS - renderMs) });
        this.#countEpochs(net);
      } else {
        const target = this.epoch + epochs;
        const start = performance.now();
        while (this.epoch < target && performance.now() - start < 200) {
          net.trainFor(this.trainSet, { ...options, ms: 0 });
          this.#countEpochs(net);
        }
      }
    } catch (error) {
      outcome = 'stopped';
      this.#countEpochs(net);
      const kept = this.#lastSound;
      if ((error as SimdnetError).code === 'DIVERGED' && kept) {
        // The engine's last finite weights can be ~1e17, which no learning rate recovers from.
        net.setWeights(kept.weights);
        this.epoch = kept.epoch;
        this.#lastCompleted = net.completedEpochs;
        this.history = this.history.filter((h) => h.epoch <= kept.epoch);
        this.#notify(`Training diverged (the loss became infinite); the network is back at epoch ${kept.epoch}. ` +
          'Choose a smaller learning rate and press Play.');
      } else {
        this.#notify(`Training stopped: ${(error as Error).message}`);
      }
    }
    this.measureMetrics(true);
    if (outcome === 'trained') this.#keepIfSound(net);
    return outcome;
  }

  #keepIfSound(net: Network): void {
    const loss = this.metrics.trainLoss;
    const first = this.history[0]?.trainLoss ?? loss;
    if (Number.isFinite(loss) && !(loss > first)) this.#lastSound = { weights: net.getWeights(), epoch: this.epoch };
  }

  /** Sets one weight of `layer` (from its input `from` to its unit `unit`), or with `from` = −1 that unit's bias. */
  setParameter(layer: number, from: number, unit: number, value: number): void {
    const net = this.net;
    if (!net || !Number.isFinite(value)) return;
    const layers = net.getWeights();
    const target = layers[layer];
    if (from < 0) target.biases[unit] = value;
    else target.weights[from * net.spec.layers[layer].units + unit] = value;
    net.setWeights(layers);
    this.state = { ...copyState(this.state), weights: undefined, weightsEpoch: undefined };
    this.measureMetrics(true);
    this.#keepIfSound(net);
  }

  /** Loss and accuracy on both sets; `record` adds them to the history (one point per epoch). */
  measureMetrics(record: boolean): void {
    const net = this.net;
    if (!net) return;
    const measure = (set: Rows) =>
      set.targets.length ? net.evaluate(set) : { loss: NaN, accuracy: NaN };
    const train = measure(this.trainSet);
    const test = measure(this.testSet);
    this.metrics = { trainLoss: train.loss, testLoss: test.loss, trainAccuracy: train.accuracy, testAccuracy: test.accuracy };
    if (!record) return;
    const last = this.history[this.history.length - 1];
    const point = { epoch: this.epoch, ...this.metrics };
    if (last && last.epoch === this.epoch) this.history[this.history.length - 1] = point;
    else this.history.push(point);
    if (this.history.length > HISTORY_LIMIT) this.history = this.history.filter((_, i) => i % 2 === 0 || i === this.history.length - 1);
  }
}

/** Sets the weights a URL carries (float32, layer by layer: weights then biases); false if they do not fit. */
function restoreWeights(net: Network, text: string): boolean {
  const values = decodeFloats(text);
  if (!values) return false;
  const shapes = net.getWeights();
  const total = shapes.reduce((n, l) => n + l.weights.length + l.biases.length, 0);
  if (values.length !== total) return false;
  let at = 0;
  const take = (n: number) => Array.from(values.subarray(at, (at += n)));
  net.setWeights(shapes.map((l) => ({ weights: take(l.weights.length), biases: take(l.biases.length) })));
  return true;
}
