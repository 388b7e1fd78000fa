// "Two dimensions": the slides' Playground experiments as small playgrounds, each the Playground's own model
// (playground/model.ts: data, network, one frame's training) drawn by its output map on a canvas of its own.
// Circle: one hidden layer of two sigmoid neurons cannot close a loop, three can. Spiral: three hidden layers of
// four sigmoid neurons stall; ReLU learns it (here with eight neurons a layer: four ReLU are too few on these points).

import type { HiddenActivation } from '../state.js';
import { DEFAULTS, copyState } from '../state.js';
import { $ } from '../dom.js';
import { PlaygroundModel } from '../playground/model.js';
import { OutputMap } from '../playground/output-map.js';

interface Choice {
  value: string;
  layers: number[];
  activation: HiddenActivation;
}

interface MiniSpec {
  id: string;
  dataset: 'circle' | 'spiral';
  learningRate: number;
  choices: Choice[];
  /** Epochs after which Play stops by itself. */
  epochs: number;
}

const EPOCHS_PER_FRAME = 5;

export const MINIS: MiniSpec[] = [
  {
    id: 'circle', dataset: 'circle', learningRate: 0.3, epochs: 600,
    choices: [{ value: '2', layers: [2], activation: 'sigmoid' }, { value: '3', layers: [3], activation: 'sigmoid' }],
  },
  {
    id: 'spiral', dataset: 'spiral', learningRate: 0.03, epochs: 1500,
    choices: [
      { value: 'sigmoid-4', layers: [4, 4, 4], activation: 'sigmoid' },
      { value: 'relu-4', layers: [4, 4, 4], activation: 'relu' },
      { value: 'relu-8', layers: [8, 8, 8], activation: 'relu' },
    ],
  },
];

export class MiniPlayground {
  readonly model: PlaygroundModel;
  readonly #map: OutputMap;
  readonly #spec: MiniSpec;
  readonly #select: HTMLSelectElement;
  #playing = false;

  constructor(spec: MiniSpec) {
    this.#spec = spec;
    this.#select = $<HTMLSelectElement>(`mini-${spec.id}-net`);
    this.model = new PlaygroundModel(this.#state(), (message) => { $(`mini-${spec.id}-status`).textContent = message; });
    this.#map = new OutputMap($<HTMLCanvasElement>(`mini-${spec.id}-map`), $(`mini-${spec.id}-note`));
    this.#select.addEventListener('change', () => void this.reset());
    $(`mini-${spec.id}-play`).addEventListener('click', () => this.togglePlay());
    $(`mini-${spec.id}-reset`).addEventListener('click', () => void this.reset());
    new ResizeObserver(() => this.render()).observe($(`mini-${spec.id}-map`));
  }

  #state() {
    const choice = this.#spec.choices.find((c) => c.value === this.#select.value) ?? this.#spec.choices[0];
    return {
      ...copyState(DEFAULTS), dataset: this.#spec.dataset, layers: [...choice.layers],
      activations: choice.layers.map(() => choice.activation), learningRate: this.#spec.learningRate,
    };
  }

  async init(): Promise<void> {
    await this.reset();
  }

  async reset(): Promise<void> {
    this.pause();
    this.model.setState(this.#state());
    this.model.refreshData();
    await this.model.rebuild(false);
    this.render();
  }

  togglePlay(): void {
    if (this.#playing) {
      this.pause();
      return;
    }
    this.#playing = true;
    $(`mini-${this.#spec.id}-play`).textContent = 'Pause';
    const frame = () => {
      if (!this.#playing) return;
      const outcome = this.model.trainFrame(EPOCHS_PER_FRAME, 0);
      this.render();
      if (outcome !== 'trained' || this.model.epoch >= this.#spec.epochs) this.pause();
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  /**
   * Trains `epochs` more epochs in Play's frames of EPOCHS_PER_FRAME epochs (the same steps, so the same network as
   * Play reaches), drawing once at the end rather than every frame: for the browser tests and the console.
   */
  train(epochs: number): void {
    this.pause();
    const target = this.model.epoch + epochs;
    while (this.model.epoch < target) {
      if (this.model.trainFrame(Math.min(EPOCHS_PER_FRAME, target - this.model.epoch), 0) !== 'trained') break;
    }
    this.render();
  }

  pause(): void {
    this.#playing = false;
    $(`mini-${this.#spec.id}-play`).textContent = 'Play';
  }

  render(): void {
    const model = this.model;
    const net = model.net;
    if (!net) return;
    this.#map.render(model, net.activations(model.gridInputs), undefined);
    const accuracy = model.metrics.testAccuracy;
    $(`mini-${this.#spec.id}-readout`).textContent =
      `epoch ${model.epoch}: test accuracy ${Number.isFinite(accuracy) ? `${(accuracy * 100).toFixed(1)}%` : '–'}`;
  }
}
