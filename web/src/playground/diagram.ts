// The network diagram: a column of feature thumbnails, one column per hidden layer (with its neuron count and
// activation menu), the output column, and the links between them drawn on a canvas underneath, coloured by sign
// and as thick as the weight.

import type { FloatArray, Network } from '../../../src/index.js';
import { DIVERGING, classTable } from '../colors.js';
import { FEATURES } from '../datasets.js';
import { $, button } from '../dom.js';
import { THUMB, THUMB_STRIDE, fillUnit, scaleFor } from '../heatmap.js';
import { HIDDEN_ACTIVATIONS, MAX_LAYERS, MAX_UNITS, type ChangeKind, type HiddenActivation, type State } from '../state.js';
import { activationLabel } from './format.js';
import type { PlaygroundModel } from './model.js';

/** A neuron (or feature) of the diagram: layer −1 for the features, then hidden layers, then the output. */
export interface NeuronRef {
  layer: number;
  unit: number;
}

/** What the diagram asks of the page when it is used. */
export interface DiagramActions {
  change(kind: ChangeKind, update: (s: State) => void): void;
  toggleFeature(id: string): void;
  /** The neuron under the pointer, or undefined when it leaves. */
  hover(neuron: NeuronRef | undefined): void;
}

interface NodeView {
  canvas: HTMLCanvasElement;
  image: ImageData;
  pixels: Uint32Array;
}

/** A node's box inside the diagram, where links start (right) and end (left). */
interface NodeBox {
  left: number;
  right: number;
  y: number;
}

export class NetworkDiagram {
  /** Per column (features, hidden layers, output) its nodes. */
  #nodes: NodeView[][] = [];
  #geometry: NodeBox[][] = [];
  readonly #actions: DiagramActions;

  constructor(actions: DiagramActions) {
    this.#actions = actions;
  }

  /** Builds the columns for the model's state: called whenever the network's shape changes. */
  build(model: PlaygroundModel): void {
    const s = model.state;
    const p = model.problem;
    const actions = this.#actions;
    const columns = $('columns');
    columns.replaceChildren();
    this.#nodes = [];
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
      canvas.addEventListener('mouseenter', () => actions.hover({ layer, unit }));
      canvas.addEventListener('mouseleave', () => actions.hover(undefined));
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
    this.#nodes.push(FEATURES.map((f, i) => {
      const view = node(featureNodes, -1, i, f.label, !s.features.includes(f.id));
      view.canvas.title = s.features.includes(f.id) ? `${f.label}: click to leave it out` : `${f.label}: click to use it`;
      view.canvas.dataset.feature = f.id;
      view.canvas.addEventListener('click', () => actions.toggleFeature(f.id));
      fillUnit(view.pixels, THUMB, THUMB_STRIDE, model.featureGrid.get(f.id)!, 1, 0, { center: 0, half: 0 });
      view.canvas.getContext('2d')!.putImageData(view.image, 0, 0);
      return view;
    }));

    // Hidden layers, each with its neuron count and activation.
    s.layers.forEach((units, l) => {
      const minus = button('−', 'mini', `Remove a neuron from layer ${l + 1}`, () =>
        actions.change('network', (t) => { t.layers[l] = Math.max(1, t.layers[l] - 1); }));
      const plus = button('+', 'mini', `Add a neuron to layer ${l + 1}`, () =>
        actions.change('network', (t) => { t.layers[l] = Math.min(MAX_UNITS, t.layers[l] + 1); }));
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
        actions.change('network', (t) => { t.activations[l] = select.value as HiddenActivation; }));
      const nodes = column('hidden', [pm, text('', `${units} neuron${units === 1 ? '' : 's'}`), select]);
      this.#nodes.push(Array.from({ length: units }, (_, j) => node(nodes, l, j)));
    });

    // The output units.
    const outputLabel = p.regression ? 'linear' : p.outputs === 1 ? 'sigmoid' : `softmax · ${p.outputs} classes`;
    const outputNodes = column('output', [text('title', 'Output'), text('', outputLabel)]);
    this.#nodes.push(Array.from({ length: p.outputs }, (_, j) => node(outputNodes, s.layers.length, j)));

    $('layer-count').textContent = String(s.layers.length);
    $<HTMLButtonElement>('add-layer').disabled = s.layers.length >= MAX_LAYERS;
    $<HTMLButtonElement>('remove-layer').disabled = s.layers.length === 0;
    this.measure();
  }

  /** Where each node sits inside the diagram, for drawing links; again whenever the diagram resizes. */
  measure(): void {
    const net = $('net');
    const box = net.getBoundingClientRect();
    const canvas = $<HTMLCanvasElement>('links');
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(box.width * dpr);
    canvas.height = Math.round(box.height * dpr);
    canvas.style.width = `${box.width}px`;
    canvas.style.height = `${box.height}px`;
    this.#geometry = this.#nodes.map((column) => column.map(({ canvas: c }) => {
      const r = c.getBoundingClientRect();
      return { left: r.left - box.left - 1, right: r.right - box.left + 1, y: r.top - box.top + r.height / 2 };
    }));
  }

  /** Each hidden and output neuron's thumbnail: its values over the grid (`layers`, one array per layer). */
  renderNeurons(net: Network, layers: FloatArray[]): void {
    const spec = net.spec;
    layers.forEach((values, l) => {
      const units = spec.layers[l].units;
      const activation = spec.layers[l].activation;
      this.#nodes[l + 1]?.forEach((node, j) => {
        const softmaxUnit = activation === 'softmax';
        fillUnit(node.pixels, THUMB, THUMB_STRIDE, values, units, j, scaleFor(activation),
          softmaxUnit ? classTable(j) : DIVERGING);
        node.canvas.getContext('2d')!.putImageData(node.image, 0, 0);
      });
    });
  }

  /** The links, from the network's current weights (features left out have none). */
  renderLinks(net: Network, features: string[]): void {
    const canvas = $<HTMLCanvasElement>('links');
    const g = canvas.getContext('2d')!;
    const dpr = window.devicePixelRatio || 1;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, canvas.width, canvas.height);
    const geometry = this.#geometry;
    if (geometry.length !== this.#nodes.length) return;
    const activeIndexes = FEATURES.map((f, i) => (features.includes(f.id) ? i : -1)).filter((i) => i >= 0);
    const weights = net.getWeights();
    const links = weights.reduce((n, l) => n + l.weights.length, 0);
    const alpha = Math.max(0.22, Math.min(0.7, 40 / links));
    const positive = `rgba(8, 119, 189, ${alpha})`;
    const negative = `rgba(245, 147, 34, ${alpha + 0.04})`;
    weights.forEach((layer, l) => {
      const sources = l === 0 ? activeIndexes.map((i) => geometry[0][i]) : geometry[l];
      const targets = geometry[l + 1];
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
}
