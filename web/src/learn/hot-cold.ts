// "Hot and cold vs gradient descent": Grokking's two learners of one weight (input 0.5, goal 0.8, weight 0.5 at the
// start), run by examples/grokking-hot-cold.ts (step 0.001, 1,101 iterations) and examples/grokking-gradient-descent.ts
// (20 iterations) on the js backend, side by side: their predictions over the iterations and the line each prints.

import { descend } from '../../../examples/grokking-gradient-descent.js';
import { hotAndCold } from '../../../examples/grokking-hot-cold.js';
import { $ } from '../dom.js';
import { BLUE, MUTED, ORANGE, Plot } from './plot.js';

interface Run {
  predictions: number[];
  lines: string[];
}

export class HotCold {
  hot: Run | undefined;
  descent: Run | undefined;
  iteration = 0;
  readonly #slider = $<HTMLInputElement>('hc-iteration');
  readonly #plot: Plot;
  #timer = 0;

  constructor() {
    this.#plot = new Plot($<HTMLCanvasElement>('hc-plot'),
      { min: 1, max: 1101, label: 'iteration (log scale)', log: true, ticks: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
      { min: 0.2, max: 0.85, label: 'prediction' }, (p) => this.#draw(p));
    this.#slider.addEventListener('input', () => this.show(Number(this.#slider.value)));
    $('hc-play').addEventListener('click', () => this.togglePlay());
  }

  async init(): Promise<void> {
    [this.hot, this.descent] = await Promise.all([hotAndCold(0.001, 1101), descend(0.5, 1)]);
    this.show(0);
  }

  show(iteration: number): void {
    this.iteration = iteration;
    this.#slider.value = String(iteration);
    this.#slider.setAttribute('aria-valuetext', `iteration ${iteration}`);
    $('hc-iteration-out').textContent = String(iteration);
    const hot = this.hot!, descent = this.descent!;
    $('hc-hot-line').textContent = hot.lines[iteration];
    const last = descent.lines.length - 1;
    $('hc-gd-line').textContent = descent.lines[Math.min(iteration, last)];
    $('hc-gd-note').textContent = iteration > last
      ? `The book stops gradient descent after ${last + 1} iterations; this is its last line.` : '';
    this.#plot.render();
  }

  togglePlay(): void {
    if (this.#timer) {
      this.pause();
      return;
    }
    if (this.iteration >= 1100) this.show(0);
    $('hc-play').textContent = 'Pause';
    // Faster through the long tail, so the whole run takes about ten seconds.
    this.#timer = window.setInterval(() => {
      const next = Math.min(1100, this.iteration + Math.max(1, Math.round(this.iteration / 25)));
      this.show(next);
      if (next >= 1100) this.pause();
    }, 60);
  }

  pause(): void {
    clearInterval(this.#timer);
    this.#timer = 0;
    $('hc-play').textContent = 'Play';
  }

  #draw(p: Plot): void {
    const hot = this.hot, descent = this.descent;
    if (!hot || !descent) return;
    const count = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    p.segment(1, 0.8, 1101, 0.8, MUTED, 1, [4, 4]);
    p.text('goal 0.8', 1.05, 0.8, MUTED, 'left', -9);
    p.polyline(count(hot.predictions.length), hot.predictions, ORANGE, 2.5);
    p.polyline(count(descent.predictions.length), descent.predictions, BLUE, 2.5);
    const i = this.iteration;
    p.segment(i + 1, p.y.min, i + 1, p.y.max, '#9aa7b5', 1);
    p.dot(i + 1, hot.predictions[i], ORANGE, 5);
    const d = Math.min(i, descent.predictions.length - 1);
    p.dot(d + 1, descent.predictions[d], BLUE, 5);
  }
}
