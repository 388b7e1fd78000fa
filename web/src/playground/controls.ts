// The Playground's controls: the toolbar's menus and transport buttons, the Data card (data set tiles, sliders,
// seed, points of your own, CSV files), the Output card's options and buttons, and the space bar. `bind` wires
// them to the page's actions once; `sync` shows the current state in them after every change.

import { CLASS_HEX, DIVERGING_CSS, pointColor } from '../colors.js';
import { DATASETS, DOMAIN, datasetInfo, makeData, type DatasetName } from '../datasets.js';
import { $, button, toast } from '../dom.js';
import {
  BATCH_SIZES, LEARNING_RATES, MAX_CLASSES, MAX_LAYERS, REGULARIZATION_RATES, type ChangeKind, type State,
} from '../state.js';
import { CsvColumns } from './csv-columns.js';
import type { Problem } from './problem.js';

/** What the controls read and ask of the page. */
export interface ControlActions {
  readonly state: State;
  readonly problem: Problem;
  readonly playing: boolean;
  change(kind: ChangeKind, update: (s: State) => void): void;
  togglePlay(): void;
  step(): void;
  reset(): void;
  exportModel(): void;
  linkWithWeights(): void;
}

export class Controls {
  /** The class (or, for regression, 0 = −1 and 1 = +1) that a click on the map adds. */
  selectedClass = 1;
  readonly #page: ControlActions;

  constructor(page: ControlActions) {
    this.#page = page;
  }

  /** Fills the menus and tiles and listens to every control. */
  bind(): void {
    const page = this.#page;
    const select = <T extends string | number>(id: keyof State & string, options: [T, string][], kind: ChangeKind) => {
      const el = $<HTMLSelectElement>(id);
      for (const [value, label] of options) el.append(new Option(label, String(value)));
      el.addEventListener('change', () => page.change(kind, (t) => {
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
      el.addEventListener('change', () => page.change('data', (t) => { t[id] = Number(el.value); }));
    };
    range('ratio', (v) => `${v}%`);
    range('noise', (v) => `${v}%`);
    range('points', (v) => String(v));

    const seed = $<HTMLInputElement>('seed');
    seed.addEventListener('change', () => {
      const v = Number(seed.value);
      if (Number.isInteger(v) && v >= 0 && v < 2 ** 32) page.change('data', (t) => { t.seed = v; });
      else seed.value = String(page.state.seed);
    });
    $('reseed').addEventListener('click', () => page.change('data', (t) => {
      t.seed = crypto.getRandomValues(new Uint32Array(1))[0] % 100000;
    }));

    for (const id of ['showTest', 'discretize'] as const) {
      const el = $<HTMLInputElement>(id);
      el.addEventListener('change', () => page.change('view', (t) => { t[id] = el.checked; }));
    }

    $('play').addEventListener('click', () => page.togglePlay());
    $('step').addEventListener('click', () => page.step());
    $('reset').addEventListener('click', () => page.reset());
    $('add-layer').addEventListener('click', () => page.change('network', (t) => {
      if (t.layers.length >= MAX_LAYERS) return;
      t.layers.push(t.layers.length ? t.layers[t.layers.length - 1] : 4);
      t.activations.push(t.activations.length ? t.activations[t.activations.length - 1] : 'tanh');
    }));
    $('remove-layer').addEventListener('click', () => page.change('network', (t) => {
      t.layers.pop();
      t.activations.pop();
    }));
    document.addEventListener('keydown', (event) => {
      // Space on a control is that control's own (a button's press, a feature's toggle).
      const target = event.target as HTMLElement;
      if (event.code !== 'Space' || target.closest('input, select, textarea, button, a, [role="button"]')) return;
      event.preventDefault();
      page.togglePlay();
    });

    $('clear-points').addEventListener('click', () => page.change('data', (t) => {
      t.added = [];
      if (t.dataset === 'custom') t.custom = [];
    }));
    this.#bindCsv();
    $('export').addEventListener('click', () => page.exportModel());
    $('link').addEventListener('click', () => page.linkWithWeights());
    this.#buildTiles();
  }

  /** A CSV file becomes the custom data set, from the columns chosen in its chooser (csv-columns.ts). */
  #bindCsv(): void {
    const csv = $<HTMLInputElement>('csv');
    $('load-csv').addEventListener('click', () => csv.click());
    const columns = new CsvColumns(({ points, regression, classes }, file) => {
      this.#page.change('data', (t) => {
        t.dataset = 'custom';
        t.custom = points;
        t.customRegression = regression;
        t.classes = classes;
        t.added = [];
      });
      toast(`Loaded ${points.length} points from ${file}.`);
    });
    csv.addEventListener('change', async () => {
      const file = csv.files?.[0];
      csv.value = '';
      if (file) columns.load(file.name, await file.text());
    });
  }

  /** One tile per data set, with a preview of its points. */
  #buildTiles(): void {
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
      tile.addEventListener('click', () => this.#page.change('data', (t) => {
        t.dataset = info.name;
        if (info.name !== 'custom') t.added = [];
      }));
      tiles.append(tile);
      drawPreview(canvas, info.name);
    }
  }

  /** Shows the state in every control. */
  sync(): void {
    const s = this.#page.state;
    const p = this.#page.problem;
    for (const id of ['learningRate', 'optimizer', 'batchSize', 'loss', 'regularization', 'regRate', 'speed', 'classes'] as const) {
      $<HTMLSelectElement>(id).value = String(s[id]);
    }
    // Regression always trains with squared error, whatever the state keeps for classification.
    if (p.regression) $<HTMLSelectElement>('loss').value = 'squared';
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
    this.#syncSwatches(p);
    $('colorbar').innerHTML = p.outputs > 1
      ? CLASS_HEX.slice(0, p.outputs).map((hex, c) => `<span><i style="display:inline-block;width:10px;height:10px;border-radius:50%;background:${hex};vertical-align:-1px;margin-right:4px"></i>class ${c}</span>`).join('')
      : `<span>${p.regression ? '−1' : 'class 0'}</span><span class="bar" style="background:${DIVERGING_CSS}"></span><span>${p.regression ? '+1' : 'class 1'}</span>`;
    this.syncTransport();
  }

  /** The class swatches for clicked points. */
  #syncSwatches(p: Problem): void {
    const swatches = $('swatches');
    swatches.replaceChildren();
    const choices: [string, string][] = p.regression ? [['#f59322', '−1'], ['#0877bd', '+1']]
      : CLASS_HEX.slice(0, p.classes).map((hex, c) => [hex, String(c)]);
    if (this.selectedClass >= choices.length) this.selectedClass = choices.length - 1;
    choices.forEach(([hex, label], c) => {
      const el = button(label, 'swatch', p.regression ? `Add points of value ${label}` : `Add points of class ${label}`,
        () => { this.selectedClass = c; this.sync(); });
      el.style.background = hex;
      el.setAttribute('aria-pressed', String(c === this.selectedClass));
      swatches.append(el);
    });
  }

  /** The play button as play or pause. */
  syncTransport(): void {
    const playing = this.#page.playing;
    const play = $('play');
    play.querySelector<SVGElement>('.icon-play')!.toggleAttribute('hidden', playing);
    play.querySelector<SVGElement>('.icon-pause')!.toggleAttribute('hidden', !playing);
    play.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    play.classList.toggle('playing', playing);
  }
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
  const { train } = makeData({ dataset: name, points: 260, noise: 0, classes: 2, seed: 3, ratio: 100, custom: [] });
  for (const pt of train) {
    g.fillStyle = pointColor(pt.label, regression);
    g.beginPath();
    g.arc(((pt.x + DOMAIN) / (2 * DOMAIN)) * size, (1 - (pt.y + DOMAIN) / (2 * DOMAIN)) * size, 2.6, 0, 2 * Math.PI);
    g.fill();
  }
}
