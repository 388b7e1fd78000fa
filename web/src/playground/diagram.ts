// The network diagram: a column of feature thumbnails, one column per hidden layer (with its neuron count and
// activation menu), the output column, and the links between them drawn on a canvas underneath, coloured by sign
// and as thick as the weight. Hovering a link shows its weight; clicking a link or a neuron's bias square edits it,
// and pressing a neuron (by mouse or keyboard) edits the links into it one after another.

import type { FloatArray, LayerWeights, Network } from '../../../src/index.js';
import { DIVERGING, classTable, divergingIndex } from '../colors.js';
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
  /** Sets the weight of `layer` from its input `from` to `unit`, or with `from` = −1 the unit's bias. */
  setParameter(layer: number, from: number, unit: number, value: number): void;
}

/** A link of the diagram: the weight of `layer` from its input `from` to its unit `unit`. */
interface LinkRef {
  layer: number;
  from: number;
  unit: number;
}

/** Room left of the feature thumbnails for their labels (the features column's padding). */
const FEATURE_LABELS = 44;
/** A pointer this close to a link (in CSS pixels) is on it. */
const LINK_REACH = 5;

interface NodeView {
  canvas: HTMLCanvasElement;
  image: ImageData;
  pixels: Uint32Array;
  /** The bias square of a hidden or output neuron. */
  bias?: HTMLButtonElement;
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
  /** What the last renderLinks drew: the weights, and the feature indexes that feed the first layer. */
  #drawn: { weights: LayerWeights[]; features: number[] } | undefined;
  /** What the editor is open for: `links[index]` (a weight or a bias), the links after it that Enter goes on to,
   * and the neuron or bias square that opened it (focused again when the editor closes) or the pointer's click. */
  #editing: { links: LinkRef[]; index: number; at: HTMLElement | MouseEvent } | undefined;
  readonly #actions: DiagramActions;

  constructor(actions: DiagramActions) {
    this.#actions = actions;
    const net = $('net');
    net.addEventListener('mousemove', (event) => this.#showLink(event));
    net.addEventListener('mouseleave', () => { $('link-tip').hidden = true; });
    net.addEventListener('click', (event) => {
      const link = this.#linkAt(event);
      if (link) this.#edit([link], 0, event);
    });
    const editor = $<HTMLFormElement>('weight-editor');
    editor.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#closeEditor(true);
    });
    editor.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.#closeEditor(false);
    });
    editor.addEventListener('focusout', (event) => {
      if (!editor.contains(event.relatedTarget as Node | null)) this.#closeEditor(false);
    });
  }

  /** Builds the columns for the model's state: called whenever the network's shape changes. */
  build(model: PlaygroundModel): void {
    const s = model.state;
    const p = model.problem;
    const actions = this.#actions;
    const columns = $('columns');
    const focused = document.activeElement instanceof HTMLElement && columns.contains(document.activeElement)
      ? document.activeElement.dataset : undefined;
    const refocus = focused?.feature ? `[data-feature="${focused.feature}"]`
      : focused?.bias ? `.bias[data-layer="${focused.layer}"][data-unit="${focused.unit}"]`
      : focused?.neuron ? `canvas[data-layer="${focused.layer}"][data-unit="${focused.unit}"]` : undefined;
    columns.replaceChildren();
    this.#nodes = [];
    this.#drawn = undefined;
    const counts = [FEATURES.length, ...s.layers, p.outputs];
    const maxNodes = Math.max(...counts);
    const gap = maxNodes > 12 ? 3 : maxNodes > 8 ? 5 : 9;
    // As tall as 420 px allows, and narrow enough that every column keeps room for its links.
    const perColumn = ($('net').clientWidth - FEATURE_LABELS) / counts.length;
    const size = Math.max(12, Math.min(40, Math.floor((420 - (maxNodes - 1) * gap) / maxNodes), Math.floor(perColumn * 0.6)));
    columns.style.setProperty('--gap', `${gap}px`);
    columns.classList.toggle('crowded', s.layers.length >= 5);

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
      canvas.dataset.layer = String(layer);
      canvas.dataset.unit = String(unit);
      if (layer >= 0) {
        const bias = document.createElement('button');
        bias.className = 'bias';
        bias.dataset.layer = String(layer);
        bias.dataset.unit = String(unit);
        bias.dataset.bias = '1';
        bias.addEventListener('click', (event) => {
          event.stopPropagation();
          this.#edit([{ layer, from: -1, unit }], 0, bias);
        });
        wrap.append(bias);
        this.#editableNeuron(canvas, layer, unit, layer === 0 ? s.features.length : s.layers[layer - 1], s.layers.length + 1);
      }
      parent.append(wrap);
      canvas.addEventListener('mouseenter', () => actions.hover({ layer, unit }));
      canvas.addEventListener('mouseleave', () => actions.hover(undefined));
      const image = new ImageData(THUMB, THUMB);
      return { canvas, image, pixels: new Uint32Array(image.data.buffer), bias: wrap.querySelector<HTMLButtonElement>('.bias') ?? undefined };
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
      const on = s.features.includes(f.id);
      const view = node(featureNodes, -1, i, f.label, !on);
      const canvas = view.canvas;
      canvas.title = on ? `${f.label}: click to leave it out` : `${f.label}: click to use it`;
      canvas.dataset.feature = f.id;
      // A toggle button for the keyboard and for screen readers, as a click toggles it for the mouse.
      canvas.tabIndex = 0;
      canvas.setAttribute('role', 'button');
      canvas.setAttribute('aria-pressed', String(on));
      canvas.setAttribute('aria-label', `Feature ${f.label}`);
      canvas.addEventListener('click', () => actions.toggleFeature(f.id));
      canvas.addEventListener('keydown', (event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault();
        actions.toggleFeature(f.id);
      });
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
    $('layer-noun').textContent = s.layers.length === 1 ? 'hidden layer' : 'hidden layers';
    $<HTMLButtonElement>('add-layer').disabled = s.layers.length >= MAX_LAYERS;
    $<HTMLButtonElement>('remove-layer').disabled = s.layers.length === 0;
    this.measure();
    if (refocus) columns.querySelector<HTMLElement>(refocus)?.focus();
  }

  /** Makes a hidden or output neuron a button (for the keyboard and screen readers as for the mouse) that opens the
   * editor on each of its `inputs` incoming weights in turn. */
  #editableNeuron(canvas: HTMLCanvasElement, layer: number, unit: number, inputs: number, layers: number): void {
    canvas.dataset.neuron = '1';
    canvas.tabIndex = 0;
    canvas.setAttribute('role', 'button');
    const name = neuronName(layer, unit, layers);
    const label = inputs === 1 ? `Weight into ${name} (press to edit)` : `${inputs} weights into ${name} (press to edit each in turn)`;
    canvas.setAttribute('aria-label', label);
    canvas.title = label;
    const open = () => {
      const weights = this.#drawn?.weights[layer];
      if (!weights) return;
      const count = weights.weights.length / weights.biases.length;
      this.#edit(Array.from({ length: count }, (_, from) => ({ layer, from, unit })), 0, canvas);
    };
    canvas.addEventListener('click', open);
    canvas.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      open();
    });
  }

  /** Where each node sits inside the diagram, for drawing links; again whenever the diagram resizes. */
  measure(): void {
    const net = $('net');
    const box = net.getBoundingClientRect();
    const canvas = $<HTMLCanvasElement>('links');
    const dpr = window.devicePixelRatio || 1;
    // The diagram scrolls sideways where it cannot fit (a phone): the links cover all of it.
    const width = Math.max(box.width, net.scrollWidth);
    const left = box.left - net.scrollLeft;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(box.height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${box.height}px`;
    this.#geometry = this.#nodes.map((column) => column.map(({ canvas: c }) => {
      const r = c.getBoundingClientRect();
      return { left: r.left - left - 1, right: r.right - left + 1, y: r.top - box.top + r.height / 2 };
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
    this.#drawn = { weights, features: activeIndexes };
    this.#showBiases(weights);
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

  /** Each neuron's bias as the colour of its square (blue positive, orange negative) and in its name. */
  #showBiases(weights: LayerWeights[]): void {
    weights.forEach((layer, l) => {
      this.#nodes[l + 1]?.forEach((node, j) => {
        const bias = node.bias;
        const b = layer.biases[j];
        if (!bias || b === undefined) return;
        const label = `Bias of ${neuronName(l, j, weights.length)}: ${b.toFixed(3)} (press to edit)`;
        if (bias.getAttribute('aria-label') === label) return;
        bias.setAttribute('aria-label', label);
        bias.title = label;
        const packed = DIVERGING[divergingIndex(Math.tanh(b))]; // little-endian RGBA
        bias.style.background = `rgb(${packed & 255}, ${(packed >>> 8) & 255}, ${(packed >>> 16) & 255})`;
      });
    });
  }

  /** The link under the pointer (within LINK_REACH pixels), if any and if the pointer is not on a control. */
  #linkAt(event: MouseEvent): (LinkRef & { weight: number }) | undefined {
    const drawn = this.#drawn;
    const target = event.target as HTMLElement;
    if (!drawn || target.closest('canvas, button, select, input, form')) return undefined;
    const net = $('net');
    const box = net.getBoundingClientRect();
    const x = event.clientX - box.left + net.scrollLeft;
    const y = event.clientY - box.top;
    let best: (LinkRef & { weight: number }) | undefined;
    let bestDistance = LINK_REACH;
    drawn.weights.forEach((layer, l) => {
      const sources = l === 0 ? drawn.features.map((i) => this.#geometry[0]?.[i]) : this.#geometry[l];
      const targets = this.#geometry[l + 1];
      if (!sources || !targets) return;
      for (let i = 0; i < sources.length; i++) {
        const from = sources[i];
        if (!from || x < from.right - LINK_REACH) continue;
        for (let j = 0; j < targets.length; j++) {
          const to = targets[j];
          if (x > to.left + LINK_REACH) continue;
          const distance = curveDistance(from, to, x, y);
          if (distance < bestDistance) {
            bestDistance = distance;
            best = { layer: l, from: i, unit: j, weight: layer.weights[i * targets.length + j] };
          }
        }
      }
    });
    return best;
  }

  #showLink(event: MouseEvent): void {
    const tip = $('link-tip');
    const link = this.#linkAt(event);
    if (!link) {
      tip.hidden = true;
      return;
    }
    tip.textContent = `Weight ${link.weight.toFixed(3)} · ${this.#linkName(link)}`;
    this.#place(tip, event);
    tip.hidden = false;
  }

  #linkName(link: LinkRef): string {
    const layers = this.#drawn?.weights.length ?? 0;
    const from = link.layer === 0 ? FEATURES[this.#drawn?.features[link.from] ?? 0].label
      : neuronName(link.layer - 1, link.from, layers);
    return `${from} → ${neuronName(link.layer, link.unit, layers)}`;
  }

  /** Puts an overlay of the diagram just below and right of the pointer, inside the diagram. */
  #place(el: HTMLElement, event: MouseEvent): void {
    const net = $('net');
    const box = net.getBoundingClientRect();
    const x = event.clientX - box.left + net.scrollLeft;
    el.style.left = `${Math.max(0, Math.min(x + 10, net.scrollWidth - 190))}px`;
    el.style.top = `${event.clientY - box.top + 12}px`;
  }


  /** Opens the small editor for `links[index]`, a weight (or, `from` = −1, a bias), below the element that opened
   * it (a bias square or neuron, by mouse or key) or where the pointer is. */
  #edit(links: LinkRef[], index: number, at: HTMLElement | MouseEvent): void {
    const drawn = this.#drawn;
    const ref = links[index];
    if (!drawn || !ref) return;
    const layer = drawn.weights[ref.layer];
    const units = layer.biases.length;
    const value = ref.from < 0 ? layer.biases[ref.unit] : layer.weights[ref.from * units + ref.unit];
    this.#editing = { links, index, at };
    const editor = $<HTMLFormElement>('weight-editor');
    const turn = links.length > 1 ? ` (${index + 1} of ${links.length})` : '';
    $('weight-editor-label').textContent = ref.from < 0
      ? `Bias of ${neuronName(ref.layer, ref.unit, drawn.weights.length)}` : `Weight ${this.#linkName(ref)}${turn}`;
    const input = editor.querySelector('input')!;
    input.value = String(Number(value.toFixed(4)));
    if (at instanceof HTMLElement) {
      const r = at.getBoundingClientRect();
      this.#place(editor, { clientX: r.left, clientY: r.bottom - 6 } as MouseEvent);
    } else {
      this.#place(editor, at);
    }
    editor.hidden = false;
    input.focus();
    input.select();
  }

  /** Sets the typed value when `apply`, then goes on to the next link in turn or closes the editor. */
  #closeEditor(apply: boolean): void {
    const editor = $<HTMLFormElement>('weight-editor');
    const editing = this.#editing;
    if (editor.hidden || !editing) return;
    const ref = editing.links[editing.index];
    const value = Number(editor.querySelector('input')!.value);
    if (apply && Number.isFinite(value)) this.#actions.setParameter(ref.layer, ref.from, ref.unit, value);
    if (apply && editing.index + 1 < editing.links.length) {
      this.#edit(editing.links, editing.index + 1, editing.at);
      return;
    }
    this.#editing = undefined;
    editor.hidden = true;
    if (editing.at instanceof HTMLElement) editing.at.focus();
  }
}

/** "layer 2, neuron 3", or "output 1" for the last layer. */
function neuronName(layer: number, unit: number, layers: number): string {
  return layer === layers - 1 ? `output ${unit + 1}` : `layer ${layer + 1}, neuron ${unit + 1}`;
}

/** How far (x, y) is from a link's curve: the bezier of renderLinks, sampled. */
function curveDistance(from: NodeBox, to: NodeBox, x: number, y: number): number {
  const mid = (from.right + to.left) / 2;
  let best = Infinity;
  for (let k = 0; k <= 32; k++) {
    const t = k / 32, u = 1 - t;
    const cx = u * u * u * from.right + 3 * u * u * t * mid + 3 * u * t * t * mid + t * t * t * to.left;
    const cy = u * u * u * from.y + 3 * u * u * t * from.y + 3 * u * t * t * to.y + t * t * t * to.y;
    best = Math.min(best, Math.hypot(cx - x, cy - y));
  }
  return best;
}
