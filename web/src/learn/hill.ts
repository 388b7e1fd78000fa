// "The hill": only middle-sized beans are poisonous, a low-high-low shape that one S-curve cannot draw. A 1→2→1
// sigmoid network learns it live, with examples/xiaolan.ts's data and settings (30 beans from NumpyRandom(4),
// poisonous between 0.35 and 0.65; quadratic loss, SGD at 10, uniform start from seed 1, full batch, js backend).
// Three plots from one `activations` call: the two hidden neurons, their weighted sum, and the output neuron's hill.

import { NumpyRandom, Network } from '../../../src/index.js';
import { $ } from '../dom.js';
import { BLUE, GREEN, INK, MUTED, ORANGE, PURPLE, Plot } from './plot.js';

export const HILL_EPOCHS = 5000;
const EPOCHS_PER_FRAME = 20;
const XS = Array.from({ length: 161 }, (_, i) => i / 160);

export class Hill {
  net: Network | undefined;
  epoch = 0;
  readonly sizes = Array.from(new NumpyRandom(4).random(30));
  readonly labels = this.sizes.map((x) => (x > 0.35 && x < 0.65 ? 1 : 0));
  /** Hidden activations (XS × 2), output (XS), and the output layer's weights, from the last draw. */
  #hidden = new Float64Array(0);
  #output = new Float64Array(0);
  #w = [0, 0];
  #b = 0;
  #playing = false;
  readonly #plots: Plot[];

  constructor() {
    const x = { min: 0, max: 1, label: 'bean size x' };
    const unit = { min: -0.05, max: 1.05, label: 'activation', ticks: [0, 0.5, 1] };
    this.#plots = [
      new Plot($<HTMLCanvasElement>('hill-hidden'), x, unit, (p) => this.#drawHidden(p)),
      new Plot($<HTMLCanvasElement>('hill-sum'), x, { min: -2, max: 2, label: 'z of the output' }, (p) => this.#drawSum(p)),
      new Plot($<HTMLCanvasElement>('hill-output'), x, { ...unit, label: 'a = sigmoid(z)' }, (p) => this.#drawOutput(p)),
    ];
    $('hill-play').addEventListener('click', () => this.togglePlay());
    $('hill-reset').addEventListener('click', () => void this.reset());
  }

  async init(): Promise<void> {
    await this.reset();
  }

  async reset(): Promise<void> {
    this.pause();
    const net = await Network.create({
      inputSize: 1, layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'quadratic',
      optimizer: { type: 'sgd', learningRate: 10 }, initializer: 'uniform', seed: 1, backend: 'js',
    });
    this.net?.dispose();
    this.net = net;
    this.epoch = 0;
    this.render();
  }

  /** Full-batch epochs, as examples/xiaolan.ts trains (so the run ends where its `hill` does). */
  train(epochs: number): void {
    const n = Math.min(epochs, HILL_EPOCHS - this.epoch);
    if (n <= 0) return;
    this.net!.trainSync({ inputs: this.sizes.map((x) => [x]), targets: this.labels.map((y) => [y]) },
      { epochs: n, shuffle: false });
    this.epoch += n;
    this.render();
  }

  togglePlay(): void {
    if (this.#playing) {
      this.pause();
      return;
    }
    if (this.epoch >= HILL_EPOCHS) void this.reset();
    this.#playing = true;
    $('hill-play').textContent = 'Pause';
    const frame = () => {
      if (!this.#playing) return;
      this.train(EPOCHS_PER_FRAME);
      if (this.epoch >= HILL_EPOCHS) this.pause();
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  pause(): void {
    this.#playing = false;
    $('hill-play').textContent = this.epoch > 0 && this.epoch < HILL_EPOCHS ? 'Resume' : 'Train';
  }

  render(): void {
    const net = this.net!;
    const [hidden, output] = net.activations(XS.map((x) => [x]));
    this.#hidden = Float64Array.from(hidden);
    this.#output = Float64Array.from(output);
    const out = net.getWeights()[1];
    this.#w = [out.weights[0], out.weights[1]];
    this.#b = out.biases[0];
    const { loss, accuracy } = net.evaluate({ inputs: this.sizes.map((x) => [x]), targets: this.labels.map((y) => [y]) });
    const sign = (v: number) => (v < 0 ? `− ${(-v).toFixed(2)}` : `+ ${v.toFixed(2)}`);
    $('hill-formula').textContent = `z = ${this.#w[0].toFixed(2)}·a₁ ${sign(this.#w[1])}·a₂ ${sign(this.#b)}`;
    $('hill-readout').textContent = `epoch ${this.epoch} of ${HILL_EPOCHS}: error (y − a)² = ${(2 * loss).toFixed(4)}, ` +
      `${Math.round(accuracy * this.sizes.length)} of ${this.sizes.length} beans right`;
    // The sum's axis follows its range, so the curve stays readable as the weights grow.
    const reach = XS.reduce((m, _, i) => {
      const [p, q] = [this.#w[0] * hidden[i * 2], this.#w[1] * hidden[i * 2 + 1]];
      return Math.max(m, Math.abs(p), Math.abs(q), Math.abs(p + q + this.#b));
    }, 0);
    const half = Math.max(2, Math.ceil(reach * 1.15));
    this.#plots[1].y = { min: -half, max: half, label: 'z of the output' };
    for (const plot of this.#plots) plot.render();
  }

  #unit(k: number): number[] {
    return XS.map((_, i) => this.#hidden[i * 2 + k]);
  }

  #drawHidden(p: Plot): void {
    p.polyline(XS, this.#unit(0), BLUE, 2.5);
    p.polyline(XS, this.#unit(1), PURPLE, 2.5);
    p.text('a₁', 0.02, 1.0, BLUE, 'left', 4);
    p.text('a₂', 0.1, 1.0, PURPLE, 'left', 4);
  }

  #drawSum(p: Plot): void {
    const [a1, a2] = [this.#unit(0), this.#unit(1)];
    p.segment(0, 0, 1, 0, MUTED, 1, [4, 4]);
    p.polyline(XS, a1.map((a) => this.#w[0] * a), BLUE, 1.5, [5, 3]);
    p.polyline(XS, a2.map((a) => this.#w[1] * a), PURPLE, 1.5, [5, 3]);
    p.polyline(XS, XS.map((_, i) => this.#w[0] * a1[i] + this.#w[1] * a2[i] + this.#b), INK, 2.5);
  }

  #drawOutput(p: Plot): void {
    p.segment(0, 0.5, 1, 0.5, MUTED, 1, [4, 4]);
    p.polyline(XS, this.#output, GREEN, 3);
    this.sizes.forEach((x, i) => p.dot(x, this.labels[i], this.labels[i] ? BLUE : ORANGE, 4.5));
  }
}
