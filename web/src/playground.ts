// The Playground page: data sets, features, hidden layers and training settings in the URL; a network trained by
// `trainFor` inside a requestAnimationFrame loop; every neuron drawn from one `activations` call per frame.

import { Network, type FloatArray, type NetworkSpec, type SimdnetError } from '../../src/index.js';
import { LineChart } from './chart.js';
import {
  CLASS_HEX, CLASS_RGB, DIVERGING, DIVERGING_CSS, DIVERGING_LIGHT, divergingIndex, mixClasses, packRgb, type Rgb,
} from './colors.js';
import {
  DATASETS, DOMAIN, FEATURES, datasetInfo, featureRows, makeData, parseCsv, type DataSplit, type DatasetName, type Point,
} from './datasets.js';
import { GRID, THUMB, THUMB_STRIDE, contour, fillUnit, gridPoints, scaleFor } from './heatmap.js';
import {
  BATCH_SIZES, HIDDEN_ACTIVATIONS, LEARNING_RATES, MAX_CLASSES, MAX_LAYERS, MAX_UNITS, REGULARIZATION_RATES,
  copyState, decodeFloats, decodeState, encodeFloats, encodeState, type HiddenActivation, type State,
} from './state.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

interface Problem {
  regression: boolean;
  /** 0 for regression. */
  classes: number;
  outputs: number;
}

function problemOf(s: State): Problem {
  const regression = s.dataset === 'custom' ? s.customRegression : datasetInfo(s.dataset).regression;
  const classes = regression ? 0 : datasetInfo(s.dataset).anyClasses ? s.classes : 2;
  return { regression, classes, outputs: regression || classes === 2 ? 1 : classes };
}

function specOf(s: State): NetworkSpec {
  const p = problemOf(s);
  const output = p.regression ? 'linear' : p.outputs === 1 ? 'sigmoid' : 'softmax';
  const crossEntropy = !p.regression && s.loss === 'crossEntropy';
  return {
    inputSize: s.features.length,
    layers: [
      ...s.layers.map((units, i) => ({ units, activation: s.activations[i] })),
      { units: p.outputs, activation: output },
    ],
    loss: crossEntropy ? (p.outputs === 1 ? 'binaryCrossEntropy' : 'categoricalCrossEntropy') : 'mse',
    optimizer: s.optimizer === 'adam' ? { type: 'adam', learningRate: s.learningRate }
      : { type: 'sgd', learningRate: s.learningRate, momentum: s.optimizer === 'momentum' ? 0.9 : 0 },
    regularization: { l1: s.regularization === 'l1' ? s.regRate : 0, l2: s.regularization === 'l2' ? s.regRate : 0 },
    seed: s.seed,
  };
}

interface Metrics {
  trainLoss: number;
  testLoss: number;
  trainAccuracy: number;
  testAccuracy: number;
}

interface HistoryPoint extends Metrics {
  epoch: number;
}

interface FrameRecord {
  frameMs: number;
  trainMs: number;
  renderMs: number;
  intervalMs: number;
}

interface NodeView {
  canvas: HTMLCanvasElement;
  image: ImageData;
  pixels: Uint32Array;
}

const TRAIN_BUDGET_MS = 12;

interface Rows {
  inputs: Float64Array;
  targets: Float64Array;
}
const HISTORY_LIMIT = 600;

class Playground {
  state: State;
  problem: Problem;
  data: DataSplit = { train: [], test: [] };
  trainSet: Rows = { inputs: new Float64Array(0), targets: new Float64Array(0) };
  testSet: Rows = { inputs: new Float64Array(0), targets: new Float64Array(0) };
  net: Network | undefined;
  generation = 0;
  epoch = 0;
  lastCompleted = 0;
  playing = false;
  ready = false;
  metrics: Metrics = { trainLoss: NaN, testLoss: NaN, trainAccuracy: NaN, testAccuracy: NaN };
  history: HistoryPoint[] = [];
  dirty = true;
  hover: { layer: number; unit: number } | undefined;
  selectedClass = 1;
  frames: FrameRecord[] = [];
  lastFrameAt = 0;
  lastRenderMs = 2;

  readonly grid = gridPoints();
  gridInputs: Float64Array = new Float64Array(0);
  readonly featureThumbs = new Map<string, Float64Array>();
  nodes: NodeView[][] = [];
  geometry: { left: number; right: number; y: number }[][] = [];
  readonly heatmap = $<HTMLCanvasElement>('heatmap');
  readonly heatImage = new ImageData(GRID, GRID);
  readonly heatPixels = new Uint32Array(this.heatImage.data.buffer);
  readonly heatBuffer = Object.assign(document.createElement('canvas'), { width: GRID, height: GRID });
  readonly lossChart = new LineChart($<HTMLCanvasElement>('loss-chart'), { format: formatLoss });
  readonly accuracyChart = new LineChart($<HTMLCanvasElement>('accuracy-chart'),
    { yMin: 0.5, yMax: 1, format: (v) => `${Math.round(v * 100)}%` });

  constructor() {
    this.state = decodeState(location.hash);
    this.problem = problemOf(this.state);
    for (const f of FEATURES) {
      const values = featureRows(this.grid.xs, this.grid.ys, [f]);
      this.featureThumbs.set(f.id, values);
    }
    this.bindControls();
    this.drawTiles();
    this.refreshData();
    this.buildNetworkView();
    this.syncControls();
    this.writeUrl();
    void this.rebuild(true);
    new ResizeObserver(() => {
      this.measure();
      this.dirty = true;
    }).observe($('net'));
    requestAnimationFrame((t) => this.frame(t));
  }

  // ---------- State changes ----------

  /** Applies a change. `kind`: data (new points, new network), network (new network), hyper (same weights, new
   * settings), view (drawing only). */
  change(kind: 'data' | 'network' | 'hyper' | 'view', update: (s: State) => void): void {
    const next = copyState(this.state);
    update(next);
    next.weights = undefined;
    next.weightsEpoch = undefined;
    this.state = next;
    const problem = problemOf(next);
    const shapeChanged = problem.outputs !== this.problem.outputs || problem.regression !== this.problem.regression;
    this.problem = problem;
    if (kind === 'data') this.refreshData();
    if (kind === 'data' || kind === 'network' || shapeChanged) {
      this.buildNetworkView();
      void this.rebuild(false);
    } else if (kind === 'hyper') {
      void this.swapSettings();
    }
    this.syncControls();
    this.writeUrl();
    this.dirty = true;
  }

  writeUrl(): void {
    history.replaceState(null, '', `#${encodeState(this.state)}`);
  }

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
    const inputs = featureRows(points.map((p) => p.x), points.map((p) => p.y), this.activeFeatures());
    const { outputs } = this.problem;
    const targets = new Float64Array(points.length * outputs);
    points.forEach((p, i) => {
      if (outputs === 1) targets[i] = p.label;
      else targets[i * outputs + p.label] = 1;
    });
    return { inputs, targets };
  }

  /** A new network from the state's spec (the seed fixes its first weights); weights from the URL if there. */
  async rebuild(fromUrl: boolean): Promise<void> {
    const generation = ++this.generation;
    this.updateTrainingSet();
    const net = await Network.create(specOf(this.state));
    if (generation !== this.generation) {
      net.dispose();
      return;
    }
    this.epoch = 0;
    if (fromUrl && this.state.weights) {
      const restored = this.restoreWeights(net, this.state.weights);
      if (restored) this.epoch = this.state.weightsEpoch ?? 0;
      else this.toast('The weights in the link do not fit this network; starting afresh.');
    }
    this.net?.dispose();
    this.net = net;
    this.lastCompleted = 0;
    this.history = [];
    this.measureMetrics(true);
    this.dirty = true;
    this.ready = true;
  }

  /** New learning rate, optimiser, loss or regularisation: a new network that keeps the trained weights. */
  async swapSettings(): Promise<void> {
    const old = this.net;
    if (!old) return;
    const generation = ++this.generation;
    const net = await Network.create(specOf(this.state));
    if (generation !== this.generation || this.net !== old) {
      net.dispose();
      return;
    }
    net.setWeights(old.getWeights());
    old.dispose();
    this.net = net;
    this.lastCompleted = 0;
    this.measureMetrics(false);
  }

  restoreWeights(net: Network, text: string): boolean {
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

  // ---------- Training ----------

  /** Epochs completed since the last call, from the network's own count (which restarts when the data resizes). */
  countEpochs(net: Network): void {
    const completed = net.completedEpochs;
    if (completed < this.lastCompleted) this.lastCompleted = 0;
    this.epoch += completed - this.lastCompleted;
    this.lastCompleted = completed;
  }

  batchSize(): number {
    const rows = this.trainSet.targets.length / this.problem.outputs;
    return this.state.batchSize === 0 ? rows : Math.min(this.state.batchSize, rows);
  }

  /** Trains for one frame: whole epochs at speeds 1 and 10, a time budget at "max". Returns false if it cannot. */
  trainFrame(epochs: number | 'budget'): boolean {
    const net = this.net;
    if (!net || this.trainSet.targets.length === 0) return false;
    const options = { batchSize: this.batchSize() };
    try {
      if (epochs === 'budget') {
        net.trainFor(this.trainSet, { ...options, ms: Math.max(2, TRAIN_BUDGET_MS - this.lastRenderMs) });
        this.countEpochs(net);
      } else {
        const target = this.epoch + epochs;
        const start = performance.now();
        while (this.epoch < target && performance.now() - start < 200) {
          net.trainFor(this.trainSet, { ...options, ms: 0 });
          this.countEpochs(net);
        }
      }
    } catch (error) {
      this.pause();
      this.countEpochs(net);
      const code = (error as SimdnetError).code;
      this.toast(code === 'DIVERGED' ? 'Training diverged (the loss became infinite): try a smaller learning rate.'
        : `Training stopped: ${(error as Error).message}`);
    }
    this.measureMetrics(true);
    return true;
  }

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

  play(): void {
    this.playing = true;
    this.syncTransport();
  }

  pause(): void {
    this.playing = false;
    this.syncTransport();
  }

  step(): void {
    this.pause();
    this.trainFrame(1);
    this.dirty = true;
  }

  frame(now: number): void {
    const start = performance.now();
    let trained = false;
    if (this.playing && this.net) {
      const speed = this.state.speed;
      trained = this.trainFrame(speed === 'max' ? 'budget' : Number(speed));
      if (!trained) this.pause();
    }
    const afterTraining = performance.now();
    if (trained || this.dirty) {
      this.render();
      this.dirty = false;
    }
    const end = performance.now();
    if (trained) {
      this.lastRenderMs = end - afterTraining;
      this.frames.push({
        frameMs: end - start, trainMs: afterTraining - start, renderMs: end - afterTraining,
        intervalMs: this.lastFrameAt ? now - this.lastFrameAt : NaN,
      });
      if (this.frames.length > 1000) this.frames.splice(0, this.frames.length - 1000);
    }
    this.lastFrameAt = now;
    requestAnimationFrame((t) => this.frame(t));
  }

  // ---------- Drawing ----------

  render(): void {
    const net = this.net;
    $('epoch').textContent = formatEpoch(this.epoch);
    this.renderMetrics();
    if (!net) return;
    const layers = net.activations(this.gridInputs);
    const spec = net.spec;
    // Hidden and output thumbnails.
    layers.forEach((values, l) => {
      const units = spec.layers[l].units;
      const activation = spec.layers[l].activation;
      this.nodes[l + 1]?.forEach((node, j) => {
        const softmaxUnit = activation === 'softmax';
        fillUnit(node.pixels, THUMB, THUMB_STRIDE, values, units, j, scaleFor(activation),
          softmaxUnit ? classTable(j) : DIVERGING);
        node.canvas.getContext('2d')!.putImageData(node.image, 0, 0);
      });
    });
    this.renderHeatmap(layers, spec.layers.map((l) => l.activation));
    this.renderLinks(net);
    this.renderCharts();
  }

  renderMetrics(): void {
    const m = this.metrics;
    const loss = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');
    const percent = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–');
    $('test-loss').textContent = loss(m.testLoss);
    $('train-loss').textContent = loss(m.trainLoss);
    $('test-accuracy').textContent = percent(m.testAccuracy);
    $('train-accuracy').textContent = percent(m.trainAccuracy);
  }

  renderHeatmap(layers: FloatArray[], activations: string[]): void {
    const s = this.state;
    const p = this.problem;
    const out = layers[layers.length - 1];
    const pixels = this.heatPixels;
    const hover = this.hover;
    const note = $('overlay-note');
    if (hover) {
      const values = hover.layer < 0 ? this.featureThumbs.get(FEATURES[hover.unit].id)! : layers[hover.layer];
      const units = hover.layer < 0 ? 1 : this.net!.spec.layers[hover.layer].units;
      const unit = hover.layer < 0 ? 0 : hover.unit;
      const activation = hover.layer < 0 ? 'linear' : activations[hover.layer];
      fillUnit(pixels, GRID, 1, values, units, unit, scaleFor(activation),
        activation === 'softmax' ? classTable(unit) : DIVERGING_LIGHT);
      note.textContent = hover.layer < 0 ? `Feature ${FEATURES[hover.unit].label}`
        : hover.layer === layers.length - 1 ? `Output ${p.outputs > 1 ? `for class ${unit}` : ''}`
          : `Layer ${hover.layer + 1}, neuron ${unit + 1} (${activation})`;
      note.hidden = false;
    } else {
      note.hidden = true;
      if (p.outputs > 1) {
        for (let i = 0; i < GRID * GRID; i++) pixels[i] = mixClasses(out, i * p.outputs, p.outputs, 0.42, s.discretize);
      } else {
        const binary = !p.regression;
        for (let i = 0; i < GRID * GRID; i++) {
          let v = binary ? out[i] * 2 - 1 : out[i];
          if (s.discretize) v = v > 0 ? 0.75 : -0.75;
          pixels[i] = DIVERGING_LIGHT[divergingIndex(v)];
        }
      }
    }
    this.heatBuffer.getContext('2d')!.putImageData(this.heatImage, 0, 0);

    const canvas = this.heatmap;
    const dpr = window.devicePixelRatio || 1;
    const size = canvas.clientWidth || 334;
    if (canvas.width !== Math.round(size * dpr)) {
      canvas.width = canvas.height = Math.round(size * dpr);
    }
    const g = canvas.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.imageSmoothingEnabled = true;
    g.imageSmoothingQuality = 'low';
    g.drawImage(this.heatBuffer, 0, 0, size, size);

    // The decision boundary: where the output crosses ½ (two classes), or where one class stops leading.
    if (!hover && !p.regression) {
      const segments: number[] = [];
      if (p.outputs === 1) {
        contour((i) => out[i], 0.5, segments);
      } else {
        for (let c = 0; c < p.outputs; c++) {
          contour((i) => {
            let other = 0;
            for (let k = 0; k < p.outputs; k++) if (k !== c) other = Math.max(other, out[i * p.outputs + k]);
            return out[i * p.outputs + c] - other;
          }, 0, segments);
        }
      }
      const k = size / GRID;
      g.strokeStyle = 'rgba(29, 39, 51, 0.55)';
      g.lineWidth = 1.3;
      g.beginPath();
      for (let i = 0; i < segments.length; i += 4) {
        g.moveTo(segments[i] * k, segments[i + 1] * k);
        g.lineTo(segments[i + 2] * k, segments[i + 3] * k);
      }
      g.stroke();
    }

    // The data: training points ringed in white, test points (when shown) in black.
    const toPx = (v: number) => ((v + DOMAIN) / (2 * DOMAIN)) * size;
    const dot = (pt: Point, ring: string, radius: number) => {
      const x = Math.min(size - 2, Math.max(2, toPx(pt.x)));
      const y = Math.min(size - 2, Math.max(2, size - toPx(pt.y)));
      g.beginPath();
      g.arc(x, y, radius, 0, 2 * Math.PI);
      g.fillStyle = pointColor(pt.label, p);
      g.fill();
      g.lineWidth = 1;
      g.strokeStyle = ring;
      g.stroke();
    };
    for (const pt of this.usable(this.data.train)) dot(pt, '#ffffff', 3.2);
    for (const pt of this.usable(s.added)) dot(pt, '#ffffff', 4.2);
    if (s.showTest) for (const pt of this.usable(this.data.test)) dot(pt, '#1d2733', 3.2);
  }

  renderLinks(net: Network): void {
    const canvas = $<HTMLCanvasElement>('links');
    const g = canvas.getContext('2d')!;
    const dpr = window.devicePixelRatio || 1;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, canvas.width, canvas.height);
    if (this.geometry.length !== this.nodes.length) return;
    const activeIndexes = FEATURES.map((f, i) => (this.state.features.includes(f.id) ? i : -1)).filter((i) => i >= 0);
    const weights = net.getWeights();
    const links = weights.reduce((n, l) => n + l.weights.length, 0);
    const alpha = Math.max(0.22, Math.min(0.7, 40 / links));
    const positive = `rgba(8, 119, 189, ${alpha})`;
    const negative = `rgba(245, 147, 34, ${alpha + 0.04})`;
    weights.forEach((layer, l) => {
      const sources = l === 0 ? activeIndexes.map((i) => this.geometry[0][i]) : this.geometry[l];
      const targets = this.geometry[l + 1];
      if (!sources || !targets) return;
      const units = targets.length;
      for (let i = 0; i < sources.length; i++) {
        for (let j = 0; j < units; j++) {
          const w = layer.weights[i * units + j];
          const from = sources[i], to = targets[j];
          if (!from || !to) continue;
          const mid = (from.right + to.left) / 2;
          g.beginPath();
          g.moveTo(from.right, from.y);
          g.bezierCurveTo(mid, from.y, mid, to.y, to.left, to.y);
          g.lineWidth = Math.min(7, 0.4 + Math.abs(w) * 1.4);
          g.strokeStyle = w >= 0 ? positive : negative;
          g.stroke();
        }
      }
    });
  }

  renderCharts(): void {
    const x = this.history.map((h) => h.epoch);
    const series = (key: keyof Metrics, color: string, width: number) =>
      ({ color, width, values: this.history.map((h) => h[key]) });
    this.lossChart.draw(x, [series('trainLoss', '#9aa7b5', 1.6), series('testLoss', '#1d2733', 1.6)]);
    if (!this.problem.regression) {
      this.accuracyChart.draw(x, [series('trainAccuracy', '#9aa7b5', 1.6), series('testAccuracy', '#1d2733', 1.6)]);
    }
  }

  // ---------- The network diagram ----------

  buildNetworkView(): void {
    const s = this.state;
    const p = this.problem;
    const columns = $('columns');
    columns.replaceChildren();
    this.nodes = [];
    const counts = [FEATURES.length, ...s.layers, p.outputs];
    const maxNodes = Math.max(...counts);
    const gap = maxNodes > 12 ? 3 : maxNodes > 8 ? 5 : 9;
    const size = Math.max(12, Math.min(40, Math.floor((420 - (maxNodes - 1) * gap) / maxNodes)));
    columns.style.setProperty('--gap', `${gap}px`);

    const column = (className: string, head: HTMLElement[]): HTMLElement => {
      const el = document.createElement('div');
      el.className = `column ${className}`;
      const headEl = document.createElement('div');
      headEl.className = 'column-head';
      headEl.append(...head);
      const nodes = document.createElement('div');
      nodes.className = 'nodes';
      el.append(headEl, nodes);
      columns.append(el);
      return nodes;
    };
    const node = (parent: HTMLElement, layer: number, unit: number, label?: string, off = false): NodeView => {
      const wrap = document.createElement('div');
      wrap.className = off ? 'node off' : 'node';
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = THUMB;
      canvas.style.width = canvas.style.height = `${size}px`;
      if (label !== undefined) {
        const text = document.createElement('span');
        text.className = 'feature-label';
        text.textContent = label;
        wrap.append(text);
      }
      wrap.append(canvas);
      parent.append(wrap);
      canvas.addEventListener('mouseenter', () => { this.hover = { layer, unit }; this.dirty = true; });
      canvas.addEventListener('mouseleave', () => { this.hover = undefined; this.dirty = true; });
      const image = new ImageData(THUMB, THUMB);
      return { canvas, image, pixels: new Uint32Array(image.data.buffer) };
    };
    const text = (className: string, content: string) => {
      const el = document.createElement('div');
      el.className = className;
      el.textContent = content;
      return el;
    };

    // Input features: click to use or drop one.
    const featureNodes = column('features', [text('title', 'Features'), text('', `${s.features.length} of ${FEATURES.length}`)]);
    this.nodes.push(FEATURES.map((f, i) => {
      const view = node(featureNodes, -1, i, f.label, !s.features.includes(f.id));
      view.canvas.title = s.features.includes(f.id) ? `${f.label}: click to leave it out` : `${f.label}: click to use it`;
      view.canvas.dataset.feature = f.id;
      view.canvas.addEventListener('click', () => this.toggleFeature(f.id));
      fillUnit(view.pixels, THUMB, THUMB_STRIDE, this.featureThumbs.get(f.id)!, 1, 0, { center: 0, half: 0 });
      view.canvas.getContext('2d')!.putImageData(view.image, 0, 0);
      return view;
    }));

    // Hidden layers, each with its neuron count and activation.
    s.layers.forEach((units, l) => {
      const minus = button('−', 'mini', `Remove a neuron from layer ${l + 1}`, () =>
        this.change('network', (t) => { t.layers[l] = Math.max(1, t.layers[l] - 1); }));
      const plus = button('+', 'mini', `Add a neuron to layer ${l + 1}`, () =>
        this.change('network', (t) => { t.layers[l] = Math.min(MAX_UNITS, t.layers[l] + 1); }));
      minus.disabled = units <= 1;
      plus.disabled = units >= MAX_UNITS;
      const pm = document.createElement('div');
      pm.className = 'pm';
      pm.append(plus, minus);
      const select = document.createElement('select');
      select.dataset.layer = String(l);
      select.setAttribute('aria-label', `Activation of layer ${l + 1}`);
      for (const a of HIDDEN_ACTIVATIONS) select.append(new Option(activationLabel(a), a));
      select.value = s.activations[l];
      select.addEventListener('change', () =>
        this.change('network', (t) => { t.activations[l] = select.value as HiddenActivation; }));
      const nodes = column('hidden', [pm, text('', `${units} neuron${units === 1 ? '' : 's'}`), select]);
      this.nodes.push(Array.from({ length: units }, (_, j) => node(nodes, l, j)));
    });

    // The output units.
    const outputLabel = p.regression ? 'linear' : p.outputs === 1 ? 'sigmoid' : `softmax · ${p.outputs} classes`;
    const outputNodes = column('output', [text('title', 'Output'), text('', outputLabel)]);
    this.nodes.push(Array.from({ length: p.outputs }, (_, j) => node(outputNodes, s.layers.length, j)));

    $('layer-count').textContent = String(s.layers.length);
    $<HTMLButtonElement>('add-layer').disabled = s.layers.length >= MAX_LAYERS;
    $<HTMLButtonElement>('remove-layer').disabled = s.layers.length === 0;
    this.measure();
  }

  /** Where each node sits inside the diagram, for drawing links. */
  measure(): void {
    const net = $('net');
    const box = net.getBoundingClientRect();
    const canvas = $<HTMLCanvasElement>('links');
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(box.width * dpr);
    canvas.height = Math.round(box.height * dpr);
    canvas.style.width = `${box.width}px`;
    canvas.style.height = `${box.height}px`;
    this.geometry = this.nodes.map((column) => column.map(({ canvas: c }) => {
      const r = c.getBoundingClientRect();
      return { left: r.left - box.left - 1, right: r.right - box.left + 1, y: r.top - box.top + r.height / 2 };
    }));
  }

  toggleFeature(id: string): void {
    const on = this.state.features.includes(id);
    if (on && this.state.features.length === 1) {
      this.toast('The network needs at least one feature.');
      return;
    }
    this.change('network', (t) => {
      t.features = FEATURES.map((f) => f.id).filter((f) => (f === id ? !on : t.features.includes(f)));
    });
  }

  // ---------- Controls ----------

  bindControls(): void {
    const select = <T extends string | number>(id: keyof State & string, options: [T, string][],
      kind: 'data' | 'network' | 'hyper' | 'view') => {
      const el = $<HTMLSelectElement>(id);
      for (const [value, label] of options) el.append(new Option(label, String(value)));
      el.addEventListener('change', () => this.change(kind, (t) => {
        const sample = options[0][0];
        (t as unknown as Record<string, unknown>)[id] = typeof sample === 'number' ? Number(el.value) : el.value;
      }));
    };
    select('learningRate', LEARNING_RATES.map((v) => [v, String(v)]), 'hyper');
    select('optimizer', [['sgd', 'SGD'], ['momentum', 'Momentum'], ['adam', 'Adam']], 'hyper');
    select('batchSize', BATCH_SIZES.map((v) => [v, v === 0 ? 'All' : String(v)]), 'view');
    select('loss', [['crossEntropy', 'Cross-entropy'], ['squared', 'Squared error']], 'hyper');
    select('regularization', [['none', 'None'], ['l1', 'L1'], ['l2', 'L2']], 'hyper');
    select('regRate', REGULARIZATION_RATES.map((v) => [v, String(v)]), 'hyper');
    select('speed', [['1', '1 epoch / frame'], ['10', '10 epochs / frame'], ['max', 'Max (12 ms / frame)']], 'view');
    select('classes', Array.from({ length: MAX_CLASSES - 1 }, (_, i) => [i + 2, String(i + 2)]), 'data');

    const range = (id: 'ratio' | 'noise' | 'points', format: (v: number) => string) => {
      const el = $<HTMLInputElement>(id);
      el.addEventListener('input', () => { $(`${id}-out`).textContent = format(Number(el.value)); });
      el.addEventListener('change', () => this.change('data', (t) => { t[id] = Number(el.value); }));
    };
    range('ratio', (v) => `${v}%`);
    range('noise', (v) => `${v}%`);
    range('points', (v) => String(v));

    const seed = $<HTMLInputElement>('seed');
    seed.addEventListener('change', () => {
      const v = Number(seed.value);
      if (Number.isInteger(v) && v >= 0 && v < 2 ** 32) this.change('data', (t) => { t.seed = v; });
      else seed.value = String(this.state.seed);
    });
    $('reseed').addEventListener('click', () => this.change('data', (t) => {
      t.seed = crypto.getRandomValues(new Uint32Array(1))[0] % 100000;
    }));

    for (const id of ['showTest', 'discretize'] as const) {
      const el = $<HTMLInputElement>(id);
      el.addEventListener('change', () => this.change('view', (t) => { t[id] = el.checked; }));
    }

    $('play').addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    $('step').addEventListener('click', () => this.step());
    $('reset').addEventListener('click', () => {
      this.pause();
      this.change('network', () => {});
    });
    $('add-layer').addEventListener('click', () => this.change('network', (t) => {
      if (t.layers.length >= MAX_LAYERS) return;
      t.layers.push(t.layers.length ? t.layers[t.layers.length - 1] : 4);
      t.activations.push(t.activations.length ? t.activations[t.activations.length - 1] : 'tanh');
    }));
    $('remove-layer').addEventListener('click', () => this.change('network', (t) => {
      t.layers.pop();
      t.activations.pop();
    }));
    document.addEventListener('keydown', (event) => {
      const target = event.target as HTMLElement;
      if (event.code !== 'Space' || ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(target.tagName)) return;
      event.preventDefault();
      if (this.playing) this.pause();
      else this.play();
    });

    this.heatmap.addEventListener('click', (event) => {
      const size = this.heatmap.clientWidth;
      const x = -DOMAIN + (2 * DOMAIN * event.offsetX) / size;
      const y = DOMAIN - (2 * DOMAIN * event.offsetY) / size;
      const label = this.problem.regression ? (this.selectedClass === 0 ? -1 : 1) : this.selectedClass;
      this.state = copyState(this.state);
      this.state.added.push({ x: Number(x.toFixed(2)), y: Number(y.toFixed(2)), label });
      this.state.weights = undefined;
      this.updateTrainingSet();
      this.measureMetrics(false);
      this.writeUrl();
      this.dirty = true;
    });
    $('clear-points').addEventListener('click', () => this.change('data', (t) => {
      t.added = [];
      if (t.dataset === 'custom') t.custom = [];
    }));
    const csv = $<HTMLInputElement>('csv');
    csv.addEventListener('change', async () => {
      const file = csv.files?.[0];
      csv.value = '';
      if (!file) return;
      const error = $('csv-error');
      try {
        const { points, regression } = parseCsv(await file.text());
        const classes = regression ? 2 : Math.max(2, ...points.map((p) => p.label + 1));
        if (classes > MAX_CLASSES) throw new Error(`at most ${MAX_CLASSES} classes (labels 0–${MAX_CLASSES - 1})`);
        error.hidden = true;
        this.change('data', (t) => {
          t.dataset = 'custom';
          t.custom = points;
          t.customRegression = regression;
          t.classes = classes;
          t.added = [];
        });
        this.toast(`Loaded ${points.length} points from ${file.name}.`);
      } catch (e) {
        error.textContent = `${file.name}: ${(e as Error).message}`;
        error.hidden = false;
      }
    });
    $('export').addEventListener('click', () => this.exportModel());
    $('link').addEventListener('click', () => this.linkWithWeights());
  }

  /** Shows the state in every control. */
  syncControls(): void {
    const s = this.state;
    const p = this.problem;
    for (const id of ['learningRate', 'optimizer', 'batchSize', 'loss', 'regularization', 'regRate', 'speed', 'classes'] as const) {
      $<HTMLSelectElement>(id).value = String(s[id]);
    }
    $<HTMLSelectElement>('loss').disabled = p.regression;
    $<HTMLSelectElement>('regRate').disabled = s.regularization === 'none';
    for (const id of ['ratio', 'noise', 'points'] as const) {
      $<HTMLInputElement>(id).value = String(s[id]);
      $(`${id}-out`).textContent = id === 'points' ? String(s[id]) : `${s[id]}%`;
    }
    $<HTMLInputElement>('points').disabled = s.dataset === 'custom';
    $<HTMLInputElement>('seed').value = String(s.seed);
    $<HTMLInputElement>('showTest').checked = s.showTest;
    $<HTMLInputElement>('discretize').checked = s.discretize;
    $('classes-field').hidden = p.regression || !datasetInfo(s.dataset).anyClasses;
    document.body.classList.toggle('regression', p.regression);
    for (const el of document.querySelectorAll<HTMLElement>('.accuracy')) el.hidden = p.regression;
    for (const tile of document.querySelectorAll<HTMLElement>('.tile')) {
      tile.setAttribute('aria-pressed', String(tile.dataset.dataset === s.dataset));
    }
    // Class swatches for clicked points.
    const swatches = $('swatches');
    swatches.replaceChildren();
    const choices: [string, string][] = p.regression ? [['#f59322', '−1'], ['#0877bd', '+1']]
      : CLASS_HEX.slice(0, p.classes).map((hex, c) => [hex, String(c)]);
    if (this.selectedClass >= choices.length) this.selectedClass = choices.length - 1;
    choices.forEach(([hex, label], c) => {
      const el = button(label, 'swatch', p.regression ? `Add points of value ${label}` : `Add points of class ${label}`,
        () => { this.selectedClass = c; this.syncControls(); });
      el.style.background = hex;
      el.setAttribute('aria-pressed', String(c === this.selectedClass));
      swatches.append(el);
    });
    $('colorbar').innerHTML = p.outputs > 1
      ? CLASS_HEX.slice(0, p.outputs).map((hex, c) => `<span><i style="display:inline-block;width:10px;height:10px;border-radius:50%;background:${hex};vertical-align:-1px;margin-right:4px"></i>class ${c}</span>`).join('')
      : `<span>${p.regression ? '−1' : 'class 0'}</span><span class="bar" style="background:${DIVERGING_CSS}"></span><span>${p.regression ? '+1' : 'class 1'}</span>`;
    this.syncTransport();
  }

  syncTransport(): void {
    const play = $('play');
    play.querySelector<SVGElement>('.icon-play')!.toggleAttribute('hidden', this.playing);
    play.querySelector<SVGElement>('.icon-pause')!.toggleAttribute('hidden', !this.playing);
    play.setAttribute('aria-label', this.playing ? 'Pause' : 'Play');
    play.classList.toggle('playing', this.playing);
  }

  drawTiles(): void {
    const tiles = $('tiles');
    for (const info of DATASETS) {
      const tile = document.createElement('button');
      tile.className = 'tile';
      tile.dataset.dataset = info.name;
      tile.title = `${info.title}${info.regression ? ' (regression)' : ''}`;
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 88;
      const caption = document.createElement('span');
      caption.textContent = info.title;
      tile.append(canvas, caption);
      tile.addEventListener('click', () => this.change('data', (t) => {
        t.dataset = info.name;
        if (info.name !== 'custom') t.added = [];
      }));
      tiles.append(tile);
      drawPreview(canvas, info.name);
    }
  }

  exportModel(): void {
    const net = this.net;
    if (!net) return;
    const model = {
      ...net.toJSON(),
      // Not read by Network.fromJSON: what the inputs are, so that the model can be used elsewhere.
      playground: {
        features: this.activeFeatures().map((f) => ({ id: f.id, label: f.label })),
        epoch: this.epoch,
        link: `${location.origin}${location.pathname}#${encodeState(this.state)}`,
      },
    };
    const blob = new Blob([JSON.stringify(model, null, 1)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `simdnet-playground-${this.state.dataset}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  linkWithWeights(): void {
    const net = this.net;
    if (!net) return;
    const values = net.getWeights().flatMap((l) => [...l.weights, ...l.biases]);
    this.state = { ...copyState(this.state), weights: encodeFloats(values), weightsEpoch: this.epoch };
    this.writeUrl();
    navigator.clipboard?.writeText(location.href).then(
      () => this.toast('Link with the trained weights copied.'),
      () => this.toast('The address bar now holds the trained weights.'),
    );
  }

  toast(message: string): void {
    const el = $('toast');
    el.textContent = message;
    el.classList.add('show');
    clearTimeout(Number(el.dataset.timer));
    el.dataset.timer = String(setTimeout(() => el.classList.remove('show'), 3200));
  }

  // ---------- For tests and the curious: window.playground ----------

  /** Network outputs at points (x₁, x₂): rows of outputSize numbers. */
  predict(points: [number, number][]): number[][] {
    const net = this.net!;
    const inputs = this.featureRowsFor(points);
    const flat = net.predictBatch(inputs);
    const k = net.outputSize;
    return points.map((_, i) => Array.from(flat.subarray(i * k, (i + 1) * k)));
  }

  featureRowsFor(points: [number, number][]): Float64Array {
    return featureRows(points.map((p) => p[0]), points.map((p) => p[1]), this.activeFeatures());
  }

  resetFrameStats(): void {
    this.frames = [];
  }

  frameStats() {
    const frames = this.frames;
    const mean = (key: keyof FrameRecord) => {
      const v = frames.map((f) => f[key]).filter(Number.isFinite);
      return v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
    };
    const sorted = frames.map((f) => f.frameMs).sort((a, b) => a - b);
    return {
      frames: frames.length,
      meanFrameMs: mean('frameMs'),
      p95FrameMs: sorted[Math.floor(sorted.length * 0.95)] ?? NaN,
      meanTrainMs: mean('trainMs'),
      meanRenderMs: mean('renderMs'),
      meanIntervalMs: mean('intervalMs'),
    };
  }
}

function button(label: string, className: string, title: string, onClick: () => void): HTMLButtonElement {
  const el = document.createElement('button');
  el.className = className;
  el.textContent = label;
  el.title = title;
  el.setAttribute('aria-label', title);
  el.addEventListener('click', onClick);
  return el;
}

const activationLabel = (a: HiddenActivation) =>
  ({ tanh: 'Tanh', relu: 'ReLU', leakyRelu: 'Leaky ReLU', sigmoid: 'Sigmoid', linear: 'Linear' })[a];

function formatLoss(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1) return v.toFixed(1);
  return String(Number(v.toPrecision(2)));
}

function formatEpoch(epoch: number): string {
  const text = String(epoch).padStart(6, '0');
  return text.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const classTables = new Map<number, Uint32Array>();
/** White to a class's colour, for softmax units. */
function classTable(c: number): Uint32Array {
  let table = classTables.get(c);
  if (!table) {
    table = new Uint32Array(256);
    const [r, g, b] = CLASS_RGB[c % CLASS_RGB.length];
    for (let i = 0; i < 256; i++) {
      const t = Math.max(0, (i / 255) * 2 - 1) * 0.9 + 0.04;
      table[i] = packRgb([255 + (r - 255) * t, 255 + (g - 255) * t, 255 + (b - 255) * t]);
    }
    classTables.set(c, table);
  }
  return table;
}

function pointColor(label: number, p: Problem): string {
  if (!p.regression) return CLASS_HEX[label % CLASS_HEX.length];
  const c = DIVERGING[divergingIndex(label)];
  const rgb: Rgb = [c & 255, (c >> 8) & 255, (c >> 16) & 255];
  return `rgb(${rgb.join(',')})`;
}

/** A data set's thumbnail on its tile. */
function drawPreview(canvas: HTMLCanvasElement, name: DatasetName): void {
  const g = canvas.getContext('2d')!;
  const size = canvas.width;
  g.fillStyle = '#f7f9fb';
  g.fillRect(0, 0, size, size);
  if (name === 'custom') {
    g.strokeStyle = '#9aa7b5';
    g.lineWidth = 4;
    g.lineCap = 'round';
    g.beginPath();
    g.moveTo(size / 2, size * 0.3);
    g.lineTo(size / 2, size * 0.7);
    g.moveTo(size * 0.3, size / 2);
    g.lineTo(size * 0.7, size / 2);
    g.stroke();
    return;
  }
  const regression = datasetInfo(name).regression;
  const { train } = makeData({
    dataset: name, points: 260, noise: 0, classes: 2, seed: 3,
    ratio: 100, custom: [],
  });
  const problem = { regression, classes: 2, outputs: 1 };
  for (const pt of train) {
    g.fillStyle = pointColor(pt.label, problem);
    g.beginPath();
    g.arc(((pt.x + DOMAIN) / (2 * DOMAIN)) * size, (1 - (pt.y + DOMAIN) / (2 * DOMAIN)) * size, 2.6, 0, 2 * Math.PI);
    g.fill();
  }
}

declare global {
  interface Window {
    playground: Playground;
  }
}

window.playground = new Playground();
