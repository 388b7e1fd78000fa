// "Adding the bias": with y = wx + b the error is a surface over (w, b). For one bean it is a trough (every line
// through the bean fits it); for many beans a bowl with one bottom. The map's heights are simdnet's own: a 1→1
// linear network with bias evaluated at every (w, b) of the grid (e = 2 × the quadratic loss ½(a − y)², averaged
// over the beans), and gradient descent is its training step. The beans are examples/xiaolan.ts's data set for this
// step of the slides (20 beans, y ≈ 0.3 + 0.5x).

import { withBias } from '../../../examples/xiaolan.js';
import { Network } from '../../../src/index.js';
import { $ } from '../dom.js';
import { GRID, contour } from '../heatmap.js';
import { INK, ORANGE, Plot } from './plot.js';

const W = { min: -1.5, max: 2.5 };
const B = { min: -1, max: 1.5 };
const START = { w: 2.2, b: -0.8 };
const LEVELS = [0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
const EPOCHS_PER_FRAME = 4;
const MAX_EPOCHS = 1000;

interface Beans {
  inputs: number[][];
  targets: number[][];
}

export class BiasSurface {
  net: Network | undefined;
  many: Beans | undefined;
  readonly one: Beans = { inputs: [[0.4]], targets: [[0.68]] };
  kind: 'one' | 'many' = 'many';
  path: { w: number; b: number }[] = [];
  start = { ...START };
  readonly #surfaces = new Map<string, Float64Array>();
  readonly #image = new ImageData(GRID, GRID);
  readonly #buffer = Object.assign(document.createElement('canvas'), { width: GRID, height: GRID });
  readonly #plot: Plot;
  #playing = false;

  constructor() {
    this.#plot = new Plot($<HTMLCanvasElement>('bias-plot'), { min: W.min, max: W.max, label: 'weight w' },
      { min: B.min, max: B.max, label: 'bias b' }, (p) => this.#draw(p));
    $('bias-one').addEventListener('click', () => this.choose('one'));
    $('bias-many').addEventListener('click', () => this.choose('many'));
    $('bias-play').addEventListener('click', () => this.togglePlay());
    $('bias-step').addEventListener('click', () => this.train(1));
    $('bias-reset').addEventListener('click', () => this.reset());
    const canvas = this.#plot.canvas;
    canvas.addEventListener('click', (event) => {
      const rect = canvas.getBoundingClientRect();
      const { left, right, top, bottom } = this.#plot.margins;
      const w = W.min + ((event.clientX - rect.left - left) / (rect.width - left - right)) * (W.max - W.min);
      const b = B.max - ((event.clientY - rect.top - top) / (rect.height - top - bottom)) * (B.max - B.min);
      if (w < W.min || w > W.max || b < B.min || b > B.max) return;
      this.start = { w, b };
      this.reset();
    });
  }

  async init(): Promise<void> {
    const { data } = await withBias('js', () => {});
    this.many = { inputs: data.inputs, targets: data.targets.map((y) => [y]) };
    this.net = await Network.create({
      inputSize: 1, layers: [{ units: 1, activation: 'linear' }], loss: 'quadratic',
      optimizer: { type: 'sgd', learningRate: 1 }, seed: 0, backend: 'js',
    });
    this.choose('many');
  }

  get beans(): Beans {
    return this.kind === 'one' ? this.one : this.many!;
  }

  /** The slides' error e = mean (y − (wx + b))² at (w, b), from simdnet's evaluate. */
  errorAt(w: number, b: number): number {
    this.net!.setWeights([{ weights: [w], biases: [b] }]);
    return 2 * this.net!.evaluate(this.beans).loss;
  }

  /** e over the grid, row 0 at the top (b = B.max), column 0 at the left (w = W.min). */
  surface(): Float64Array {
    let values = this.#surfaces.get(this.kind);
    if (!values) {
      values = new Float64Array(GRID * GRID);
      for (let r = 0; r < GRID; r++) {
        for (let c = 0; c < GRID; c++) {
          const w = W.min + ((c + 0.5) / GRID) * (W.max - W.min);
          const b = B.max - ((r + 0.5) / GRID) * (B.max - B.min);
          values[r * GRID + c] = this.errorAt(w, b);
        }
      }
      this.#surfaces.set(this.kind, values);
      this.#paint(values);
    }
    return values;
  }

  choose(kind: 'one' | 'many'): void {
    this.kind = kind;
    $('bias-one').setAttribute('aria-pressed', String(kind === 'one'));
    $('bias-many').setAttribute('aria-pressed', String(kind === 'many'));
    this.#paint(this.surface());
    this.reset();
  }

  reset(): void {
    this.pause();
    this.path = [{ ...this.start }];
    this.net!.setWeights([{ weights: [this.start.w], biases: [this.start.b] }]);
    this.render();
  }

  /** `epochs` full-batch steps of gradient descent, every one recorded on the path. */
  train(epochs: number): void {
    const net = this.net!;
    const last = this.path[this.path.length - 1];
    net.setWeights([{ weights: [last.w], biases: [last.b] }]);
    for (let i = 0; i < epochs && this.path.length <= MAX_EPOCHS; i++) {
      net.trainSync(this.beans, { epochs: 1, shuffle: false });
      const { weights, biases } = net.getWeights()[0];
      this.path.push({ w: weights[0], b: biases[0] });
    }
    this.render();
  }

  togglePlay(): void {
    if (this.#playing) {
      this.pause();
      return;
    }
    if (this.path.length > MAX_EPOCHS) this.reset();
    this.#playing = true;
    $('bias-play').textContent = 'Pause';
    const frame = () => {
      if (!this.#playing) return;
      this.train(EPOCHS_PER_FRAME);
      if (this.path.length > MAX_EPOCHS) this.pause();
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  pause(): void {
    this.#playing = false;
    $('bias-play').textContent = 'Play';
  }

  render(): void {
    const at = this.path[this.path.length - 1];
    const e = this.errorAt(at.w, at.b);
    $('bias-readout').textContent =
      `step ${this.path.length - 1}: w = ${at.w.toFixed(3)}, b = ${at.b.toFixed(3)}, e = ${e.toFixed(5)}`;
    this.#plot.render();
  }

  /** Light where e is small, deeper blue where it is large, on a log scale. */
  #paint(values: Float64Array): void {
    const pixels = new Uint32Array(this.#image.data.buffer);
    const lo = Math.log(2e-3), hi = Math.log(10);
    for (let i = 0; i < values.length; i++) {
      const t = Math.min(1, Math.max(0, (Math.log(values[i] + 1e-9) - lo) / (hi - lo)));
      const r = Math.round(252 - t * 150), g = Math.round(253 - t * 100), b = Math.round(255 - t * 50);
      pixels[i] = (255 << 24) | (b << 16) | (g << 8) | r;
    }
    this.#buffer.getContext('2d')!.putImageData(this.#image, 0, 0);
  }

  #draw(p: Plot): void {
    if (!this.net) return;
    const g = p.g;
    const x0 = p.px(W.min), y0 = p.py(B.max);
    const width = p.px(W.max) - x0, height = p.py(B.min) - y0;
    g.imageSmoothingEnabled = true;
    g.drawImage(this.#buffer, x0, y0, width, height);
    // Contour lines: the heat map's marching squares, in grid units.
    const values = this.surface();
    g.strokeStyle = 'rgba(29, 39, 51, 0.35)';
    g.lineWidth = 1;
    g.beginPath();
    for (const level of LEVELS) {
      const segments: number[] = [];
      contour((i) => values[i], level, segments);
      for (let i = 0; i < segments.length; i += 4) {
        g.moveTo(x0 + (segments[i] / GRID) * width, y0 + (segments[i + 1] / GRID) * height);
        g.lineTo(x0 + (segments[i + 2] / GRID) * width, y0 + (segments[i + 3] / GRID) * height);
      }
    }
    g.stroke();
    if (this.kind === 'one') {
      // Every (w, b) with 0.4w + b = 0.68 fits the one bean exactly: the floor of the trough.
      p.segment(W.min, 0.68 - 0.4 * W.min, W.max, 0.68 - 0.4 * W.max, INK, 1.2, [5, 4]);
    }
    p.polyline(this.path.map((q) => q.w), this.path.map((q) => q.b), ORANGE, 2.5);
    const at = this.path[this.path.length - 1];
    p.dot(this.path[0].w, this.path[0].b, '#ffffff', 4, INK);
    p.dot(at.w, at.b, ORANGE, 6);
  }
}
