// "The sigmoid": a logistic neuron a = sigmoid(wx + b) over bean size, its curve drawn by simdnet (`predictBatch`
// of a 1→1 sigmoid network with the sliders' w and b). The 0.5 boundary sits at x = −b/w. "Fit" takes the w and b
// that gradient descent finds in examples/xiaolan.ts (the same 20 beans, poisonous above size 0.5).

import { classify } from '../../../examples/xiaolan.js';
import { NumpyRandom, Network } from '../../../src/index.js';
import { $ } from '../dom.js';
import { BLUE, GREEN, INK, MUTED, ORANGE, Plot } from './plot.js';

export class SigmoidNeuron {
  net: Network | undefined;
  w = 6;
  b = -2;
  fitted: { w: number; b: number } | undefined;
  /** examples/xiaolan.ts's beans for this step: sizes from NumpyRandom(3), poisonous (1) above 0.5. */
  readonly sizes = Array.from(new NumpyRandom(3).random(20));
  readonly labels = this.sizes.map((x) => (x > 0.5 ? 1 : 0));
  readonly #plot: Plot;
  readonly #w = $<HTMLInputElement>('sig-w');
  readonly #b = $<HTMLInputElement>('sig-b');

  constructor() {
    this.#plot = new Plot($<HTMLCanvasElement>('sig-plot'), { min: 0, max: 1, label: 'bean size x' },
      { min: -0.05, max: 1.05, label: 'probability poisonous a', ticks: [0, 0.25, 0.5, 0.75, 1] }, (p) => this.#draw(p));
    this.#w.addEventListener('input', () => this.set(Number(this.#w.value), this.b));
    this.#b.addEventListener('input', () => this.set(this.w, Number(this.#b.value)));
    $('sig-fit').addEventListener('click', () => this.fitted && this.set(this.fitted.w, this.fitted.b));
  }

  async init(): Promise<void> {
    this.net = await Network.create({ inputSize: 1, layers: [{ units: 1, activation: 'sigmoid' }], seed: 0, backend: 'js' });
    const result = await classify('js', () => {});
    this.fitted = { w: result.w, b: result.b };
    $('sig-fit-note').textContent = `Gradient descent (3,000 steps) finds w = ${result.w.toFixed(2)}, ` +
      `b = ${result.b.toFixed(2)}: the boundary at x = ${result.boundary.toFixed(3)}.`;
    this.set(this.w, this.b);
  }

  get boundary(): number {
    return -this.b / this.w;
  }

  set(w: number, b: number): void {
    this.w = w;
    this.b = b;
    this.net!.setWeights([{ weights: [w], biases: [b] }]);
    this.#w.value = String(w);
    this.#b.value = String(b);
    this.#w.setAttribute('aria-valuetext', w.toFixed(2));
    this.#b.setAttribute('aria-valuetext', b.toFixed(2));
    $('sig-w-out').textContent = w.toFixed(2);
    $('sig-b-out').textContent = b.toFixed(2);
    const { accuracy } = this.net!.evaluate({ inputs: this.sizes.map((x) => [x]), targets: this.labels.map((y) => [y]) });
    const where = Number.isFinite(this.boundary) && w !== 0 ? `x = −b/w = ${this.boundary.toFixed(3)}` : 'nowhere (w = 0)';
    $('sig-readout').textContent = `a = 0.5 at ${where}; ${Math.round(accuracy * this.sizes.length)} of ` +
      `${this.sizes.length} beans on the right side`;
    this.#plot.render();
  }

  #draw(p: Plot): void {
    const net = this.net;
    if (!net) return;
    const xs = Array.from({ length: 201 }, (_, i) => i / 200);
    p.segment(0, 0.5, 1, 0.5, MUTED, 1, [4, 4]);
    if (this.w !== 0 && this.boundary >= 0 && this.boundary <= 1) {
      p.segment(this.boundary, -0.05, this.boundary, 1.05, INK, 1.2, [5, 4]);
      p.text(`x = ${this.boundary.toFixed(2)}`, this.boundary, 0.08, INK, this.boundary > 0.8 ? 'right' : 'left', 0);
    }
    p.polyline(xs, net.predictBatch(xs.map((x) => [x])), GREEN, 2.5);
    this.sizes.forEach((x, i) => p.dot(x, this.labels[i], this.labels[i] ? BLUE : ORANGE, 5));
  }
}
