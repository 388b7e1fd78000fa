// "One weight, one bean": the error e(w) = (y − wx)² of a one-weight network as a parabola, the current weight on
// it with its tangent, and gradient descent stepping down to the bottom, w = y / x. simdnet does every number: a
// 1→1 linear network without bias (quadratic loss ½(a − y)², SGD) predicts, `trace` gives the slope and `trainSync`
// takes the step, on the float64 js backend. Presets: Xiao Lan's bean, and Grokking's input-2 runs (alpha 1 and 0.1)
// with the lines the book prints, from examples/grokking-gradient-descent.ts.

import { descend } from '../../../examples/grokking-gradient-descent.js';
import { excerpt, str } from '../../../examples/print.js';
import { Network } from '../../../src/index.js';
import { $ } from '../dom.js';
import { BLUE, INK, MUTED, ORANGE, Plot } from './plot.js';

/** simdnet's learning rates on the slider (the slides' α is half of one; Grokking's alpha is one). */
export const RATES = [0.03, 0.1, 0.3, 1, 2, 3, 5, 7, 9, 11, 12.5, 14];

interface Preset {
  id: string;
  x: number;
  y: number;
  w0: number;
  rate: number;
  /** Half the width of the w axis around the bottom. */
  span: number;
  /** The lines the tutorial prints for this run, when it prints any. */
  printed?: () => Promise<string[]>;
  /** How a log line reads (before each step). */
  line: (step: number, w: number, prediction: number, error: number) => string;
}

const grokkingLine = (_: number, __: number, prediction: number, error: number) =>
  'Error:' + str(error) + ' Prediction:' + str(prediction);

const PRESETS: Preset[] = [
  {
    id: 'bean', x: 0.4, y: 0.68, w0: 0, rate: 2, span: 2.3,
    line: (step, w, _, error) => `step ${step}: w = ${w.toFixed(4)}  e = ${error.toFixed(6)}`,
  },
  {
    id: 'diverge', x: 2, y: 0.8, w0: 0.5, rate: 1, span: 1,
    printed: async () => excerpt((await descend(2, 1)).lines, 3, 3), line: grokkingLine,
  },
  {
    id: 'alpha', x: 2, y: 0.8, w0: 0.5, rate: 0.1, span: 1,
    printed: async () => excerpt((await descend(2, 0.1)).lines, 3, 3), line: grokkingLine,
  },
];

/** How gradient descent behaves at this rate: each step multiplies the distance to the bottom by 1 − rate·x². */
function regime(rate: number, x: number): string {
  const factor = 1 - rate * x * x;
  const times = `each step multiplies the distance to the bottom by 1 − ${rate}·${x}² = ${Number(factor.toFixed(3))}`;
  if (factor <= -1) return `Diverges: ${times}, so every step lands farther away, on alternate sides.`;
  if (factor < 0) return `Overshoots: ${times}; it jumps past the bottom and zig-zags in.`;
  if (factor < 0.5) return `Fast: ${times}.`;
  return `Slow: ${times}.`;
}

export class OneWeight {
  preset = PRESETS[0];
  rate = PRESETS[0].rate;
  w = 0;
  /** Every weight taken so far, from the start. */
  trail: number[] = [];
  log: string[] = [];
  net: Network | undefined;
  #timer = 0;
  readonly #plot: Plot;
  readonly #slider = $<HTMLInputElement>('bean-w');
  readonly #rateSlider = $<HTMLInputElement>('bean-rate');

  constructor() {
    this.#plot = new Plot($<HTMLCanvasElement>('bean-plot'), { min: 0, max: 1, label: 'weight w' },
      { min: 0, max: 1, label: 'error e(w)' }, (p) => this.#draw(p));
    this.#rateSlider.max = String(RATES.length - 1);
    this.#slider.addEventListener('input', () => this.setWeight(Number(this.#slider.value)));
    this.#rateSlider.addEventListener('input', () => void this.setRate(RATES[Number(this.#rateSlider.value)]));
    $('bean-step').addEventListener('click', () => this.step());
    $('bean-play').addEventListener('click', () => this.togglePlay());
    $('bean-reset').addEventListener('click', () => this.reset());
    for (const preset of PRESETS) {
      $(`bean-preset-${preset.id}`).addEventListener('click', () => void this.choose(preset.id));
    }
    // Dragging on the plot sets w too (the slider is the keyboard's way).
    const canvas = this.#plot.canvas;
    const drag = (event: PointerEvent) => {
      if (event.type === 'pointerdown') canvas.setPointerCapture(event.pointerId);
      else if (!canvas.hasPointerCapture(event.pointerId)) return;
      this.setWeight(Math.max(Number(this.#slider.min), Math.min(Number(this.#slider.max), this.#plot.xAt(event.offsetX))));
    };
    canvas.addEventListener('pointerdown', drag);
    canvas.addEventListener('pointermove', drag);
  }

  async init(): Promise<void> {
    await this.choose('bean');
  }

  get bottom(): number {
    return this.preset.y / this.preset.x;
  }

  /** e(w) = (y − prediction)², the prediction from the network with weight w (its own weight is kept). */
  errorAt(w: number): number {
    const net = this.net!;
    net.setWeights([{ weights: [w] }]);
    const e = (this.preset.y - net.predict([this.preset.x])[0]) ** 2;
    net.setWeights([{ weights: [this.w] }]);
    return e;
  }

  /** de/dw at the current weight, from trace: ∂C/∂w of C = ½(a − y)² is half of it. */
  slope(): number {
    return 2 * this.net!.trace({ inputs: [[this.preset.x]], targets: [[this.preset.y]] }).layers[0].dCdw[0];
  }

  async choose(id: string): Promise<void> {
    this.pause();
    this.preset = PRESETS.find((p) => p.id === id)!;
    for (const p of PRESETS) $(`bean-preset-${p.id}`).setAttribute('aria-pressed', String(p === this.preset));
    const { x, y, span } = this.preset;
    const lo = this.bottom - span, hi = this.bottom + span;
    Object.assign(this.#slider, { min: String(lo), max: String(hi), step: '0.01' });
    const top = Math.max((y - lo * x) ** 2, (y - hi * x) ** 2);
    this.#plot.x = { min: lo, max: hi, label: 'weight w' };
    this.#plot.y = { min: 0, max: top * 1.05, label: 'error e(w) = (y − wx)²' };
    $('bean-problem').textContent = `x = ${x}, y = ${y}: the bottom of the valley is at w = y / x = ${str(this.bottom)}`;
    const printed = $('bean-printed');
    printed.hidden = !this.preset.printed;
    $('bean-printed-lines').textContent = this.preset.printed ? (await this.preset.printed()).join('\n') : '';
    await this.setRate(this.preset.rate);
    this.reset();
  }

  async setRate(rate: number): Promise<void> {
    this.rate = rate;
    this.#rateSlider.value = String(RATES.indexOf(rate));
    const rateText = this.preset.id === 'bean' ? `${rate} (the slides' α = ${rate / 2})` : `${rate} (Grokking's alpha)`;
    $('bean-rate-out').textContent = rateText;
    this.#rateSlider.setAttribute('aria-valuetext', String(rate));
    $('bean-regime').textContent = regime(rate, this.preset.x);
    const net = await Network.create({
      inputSize: 1, layers: [{ units: 1, activation: 'linear', useBias: false }], loss: 'quadratic',
      optimizer: { type: 'sgd', learningRate: rate }, seed: 0, backend: 'js',
    });
    this.net?.dispose();
    this.net = net;
    net.setWeights([{ weights: [this.w] }]);
    this.render();
  }

  reset(): void {
    this.pause();
    this.trail = [];
    this.log = [];
    this.setWeight(this.preset.w0);
  }

  setWeight(w: number): void {
    this.w = w;
    this.net?.setWeights([{ weights: [w] }]);
    this.trail = [w];
    this.log = [];
    this.#record();
    this.render();
  }

  /** One step of gradient descent: simdnet's training step on the one sample. */
  step(): void {
    const net = this.net!;
    try {
      net.trainSync({ inputs: [[this.preset.x]], targets: [[this.preset.y]] }, { epochs: 1, shuffle: false });
      this.w = net.getWeights()[0].weights[0];
    } catch (error) {
      this.pause();
      $('bean-status').textContent = `simdnet stopped: ${(error as Error).message}`;
      return;
    }
    this.trail.push(this.w);
    this.#record();
    this.render();
  }

  togglePlay(): void {
    if (this.#timer) this.pause();
    else {
      $('bean-play').textContent = 'Pause';
      this.#timer = window.setInterval(() => {
        this.step();
        if (this.trail.length > 60 || Math.abs(this.w - this.bottom) < 1e-4 || !Number.isFinite(this.w)) this.pause();
      }, 300);
    }
  }

  pause(): void {
    clearInterval(this.#timer);
    this.#timer = 0;
    $('bean-play').textContent = 'Play';
  }

  #record(): void {
    const prediction = this.net ? this.net.predict([this.preset.x])[0] : this.w * this.preset.x;
    const error = (prediction - this.preset.y) ** 2;
    this.log.push(this.preset.line(this.log.length, this.w, prediction, error));
  }

  render(): void {
    if (!this.net) return;
    this.#slider.value = String(this.w);
    this.#slider.setAttribute('aria-valuetext', `w = ${this.w.toFixed(3)}`);
    const e = this.errorAt(this.w);
    const slope = this.slope();
    $('bean-w-out').textContent = this.w.toFixed(3);
    $('bean-readout').textContent = `w = ${this.#num(this.w)}   e(w) = ${this.#num(e)}   slope de/dw = ${this.#num(slope)}`;
    $('bean-status').textContent = this.trail.length > 1 ? `${this.trail.length - 1} steps taken` : '';
    $('bean-log').textContent = this.log.join('\n');
    $('bean-log').scrollTop = 1e6;
    this.#plot.render();
  }

  #num(v: number): string {
    return Math.abs(v) >= 1e5 ? v.toExponential(3) : v.toFixed(4);
  }

  #draw(p: Plot): void {
    if (!this.net) return;
    p.curve((w) => this.errorAt(w), BLUE, 2.5);
    p.segment(this.bottom, p.y.min, this.bottom, p.y.max, MUTED, 1, [4, 4]);
    p.text(`bottom: w = ${str(this.bottom)}`, this.bottom, p.y.max * 0.93, MUTED, 'left', 0);
    // The path so far, then the tangent at the current weight.
    const path = this.trail.filter(Number.isFinite);
    p.polyline(path, path.map((w) => this.errorAt(w)), ORANGE, 1.5, [3, 3]);
    for (const w of path.slice(0, -1)) p.dot(w, this.errorAt(w), '#f2b97a', 3.5);
    const e = this.errorAt(this.w);
    const slope = this.slope();
    const half = (p.x.max - p.x.min) * 0.18;
    p.segment(this.w - half, e - slope * half, this.w + half, e + slope * half, INK, 1.5);
    p.dot(this.w, e, ORANGE, 6);
  }
}
