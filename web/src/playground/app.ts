// The Playground page put together: the model, its views (diagram, output map, readouts) and the controls; every
// change of state goes through `change`, and a requestAnimationFrame loop trains and draws.

import { FEATURES } from '../datasets.js';
import { $, toast } from '../dom.js';
import { copyState, decodeState, encodeState, type ChangeKind, type State } from '../state.js';
import { Controls, type ControlActions } from './controls.js';
import { NetworkDiagram, type NeuronRef } from './diagram.js';
import { copyLink, downloadModel } from './export.js';
import { FrameStats } from './frame-stats.js';
import { PlaygroundModel } from './model.js';
import { OutputMap } from './output-map.js';
import type { Problem } from './problem.js';
import { Readouts } from './readouts.js';

export class Playground implements ControlActions {
  readonly model = new PlaygroundModel(decodeState(location.hash), toast);
  readonly frameStats = new FrameStats();
  playing = false;
  /** Something changed that the next frame must draw. */
  #dirty = true;
  #hover: NeuronRef | undefined;
  #lastFrameAt = 0;
  /** The last training frame's drawing time, left out of the next one's training budget. */
  #lastRenderMs = 2;

  readonly #controls = new Controls(this);
  readonly #diagram = new NetworkDiagram({
    change: (kind, update) => this.change(kind, update),
    toggleFeature: (id) => this.#toggleFeature(id),
    hover: (neuron) => {
      this.#hover = neuron;
      this.#dirty = true;
    },
    setParameter: (layer, from, unit, value) => {
      this.model.setParameter(layer, from, unit, value);
      this.#dirty = true;
    },
  });
  readonly #map = new OutputMap();
  readonly #readouts = new Readouts();

  constructor() {
    this.#controls.bind();
    this.#map.onPick((x, y) => this.#addPoint(x, y));
    this.model.refreshData();
    this.#diagram.build(this.model);
    this.#controls.sync();
    this.#writeUrl();
    void this.#rebuild(true);
    window.addEventListener('hashchange', () => this.#applyUrl());
    new ResizeObserver(() => {
      this.#diagram.measure();
      this.#dirty = true;
    }).observe($('net'));
    requestAnimationFrame((t) => this.#frame(t));
  }

  get state(): State {
    return this.model.state;
  }

  get problem(): Problem {
    return this.model.problem;
  }

  /** Applies a change to a copy of the state; `kind` says what it invalidates. */
  change(kind: ChangeKind, update: (s: State) => void): void {
    const next = copyState(this.model.state);
    update(next);
    next.weights = undefined;
    next.weightsEpoch = undefined;
    const shapeChanged = this.model.setState(next);
    if (kind === 'data') this.model.refreshData();
    if (kind === 'data' || kind === 'network' || shapeChanged) {
      this.#diagram.build(this.model);
      void this.#rebuild(false);
    } else if (kind === 'hyper') {
      void this.model.swapSettings();
    }
    this.#controls.sync();
    this.#writeUrl();
    this.#dirty = true;
  }

  async #rebuild(fromUrl: boolean): Promise<void> {
    if (await this.model.rebuild(fromUrl)) this.#dirty = true;
  }

  #writeUrl(): void {
    history.replaceState(null, '', `#${encodeState(this.model.state)}`);
  }

  /** A #… typed into the address bar (or a link followed within the page) replaces the whole state. */
  #applyUrl(): void {
    if (location.hash.slice(1) === encodeState(this.model.state)) return;
    this.pause();
    this.model.setState(decodeState(location.hash));
    this.model.refreshData();
    this.#diagram.build(this.model);
    this.#controls.sync();
    this.#writeUrl();
    void this.#rebuild(true);
    this.#dirty = true;
  }

  /** Whether there is anything to train on; if not, says so. */
  #canTrain(): boolean {
    if (this.model.trainSet.targets.length > 0) return true;
    toast('There are no training points: click the map to add some, or load a CSV file.');
    return false;
  }

  #toggleFeature(id: string): void {
    const on = this.model.state.features.includes(id);
    if (on && this.model.state.features.length === 1) {
      toast('The network needs at least one feature.');
      return;
    }
    this.change('network', (t) => {
      t.features = FEATURES.map((f) => f.id).filter((f) => (f === id ? !on : t.features.includes(f)));
    });
  }

  /** A click on the map adds a training point of the chosen class (or value, for regression). */
  #addPoint(x: number, y: number): void {
    const selected = this.#controls.selectedClass;
    const label = this.model.problem.regression ? (selected === 0 ? -1 : 1) : selected;
    this.model.addPoint({ x: Number(x.toFixed(2)), y: Number(y.toFixed(2)), label });
    this.#writeUrl();
    this.#dirty = true;
  }

  play(): void {
    if (!this.#canTrain()) return;
    this.playing = true;
    this.#controls.syncTransport();
  }

  pause(): void {
    this.playing = false;
    this.#controls.syncTransport();
  }

  togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  step(): void {
    this.pause();
    if (!this.#canTrain()) return;
    if (this.model.trainFrame(1, this.#lastRenderMs) === 'stopped') this.pause();
    this.#dirty = true;
  }

  /** The same seed, the same starting weights. */
  reset(): void {
    this.pause();
    this.change('network', () => {});
  }

  exportModel(): void {
    downloadModel(this.model);
  }

  linkWithWeights(): void {
    if (!this.model.keepWeightsInState()) return;
    this.#writeUrl();
    copyLink();
  }

  #frame(now: number): void {
    const start = performance.now();
    let trained = false;
    if (this.playing && this.model.net) {
      const speed = this.model.state.speed;
      const outcome = this.model.trainFrame(speed === 'max' ? 'budget' : Number(speed), this.#lastRenderMs);
      trained = outcome !== 'idle';
      if (outcome !== 'trained') this.pause();
    }
    const afterTraining = performance.now();
    if (trained || this.#dirty) {
      this.#render();
      this.#dirty = false;
    }
    const end = performance.now();
    if (trained) {
      this.#lastRenderMs = end - afterTraining;
      this.frameStats.add({
        frameMs: end - start, trainMs: afterTraining - start, renderMs: end - afterTraining,
        intervalMs: this.#lastFrameAt ? now - this.#lastFrameAt : NaN,
      });
    }
    this.#lastFrameAt = now;
    requestAnimationFrame((t) => this.#frame(t));
  }

  /** Everything from one `activations` call: every neuron's values at every grid point. */
  #render(): void {
    const model = this.model;
    this.#readouts.renderFigures(model);
    const net = model.net;
    if (!net) return;
    const layers = net.activations(model.gridInputs);
    this.#diagram.renderNeurons(net, layers);
    this.#map.render(model, layers, this.#hover);
    this.#diagram.renderLinks(net, model.state.features);
    this.#readouts.renderCharts(model);
  }
}
