// The Output card's map: the network's output over the whole square (or, while the pointer is on a neuron, that
// neuron's), the decision boundary, and the data points on top. Clicking it picks a point of the square.

import type { FloatArray } from '../../../src/index.js';
import { DIVERGING_LIGHT, classTable, divergingIndex, mixClasses, pointColor } from '../colors.js';
import { DOMAIN, FEATURES, type Point } from '../datasets.js';
import { $ } from '../dom.js';
import { GRID, contour, fillUnit, scaleFor } from '../heatmap.js';
import type { NeuronRef } from './diagram.js';
import type { PlaygroundModel } from './model.js';

export class OutputMap {
  readonly #canvas: HTMLCanvasElement;
  readonly #note: HTMLElement;
  readonly #image = new ImageData(GRID, GRID);
  readonly #pixels = new Uint32Array(this.#image.data.buffer);
  /** The map at grid resolution, scaled onto the visible canvas. */
  readonly #buffer = Object.assign(document.createElement('canvas'), { width: GRID, height: GRID });

  /** The Playground's map by default; the learn page's mini-playgrounds pass canvases of their own. */
  constructor(canvas = $<HTMLCanvasElement>('heatmap'), note = $('overlay-note')) {
    this.#canvas = canvas;
    this.#note = note;
  }

  /** Calls `pick` with the point (x₁, x₂) of the square that a click lands on. */
  onPick(pick: (x: number, y: number) => void): void {
    const canvas = this.#canvas;
    canvas.addEventListener('click', (event) => {
      const size = canvas.clientWidth;
      pick(-DOMAIN + (2 * DOMAIN * event.offsetX) / size, DOMAIN - (2 * DOMAIN * event.offsetY) / size);
    });
  }

  /** Draws the map from `layers` (every layer's values over the grid). */
  render(model: PlaygroundModel, layers: FloatArray[], hover: NeuronRef | undefined): void {
    const s = model.state;
    const p = model.problem;
    const spec = model.net!.spec;
    const activations = spec.layers.map((l) => l.activation);
    const out = layers[layers.length - 1];
    const pixels = this.#pixels;
    const note = this.#note;
    if (hover) {
      const values = hover.layer < 0 ? model.featureGrid.get(FEATURES[hover.unit].id)! : layers[hover.layer];
      const units = hover.layer < 0 ? 1 : spec.layers[hover.layer].units;
      const unit = hover.layer < 0 ? 0 : hover.unit;
      const activation = hover.layer < 0 ? 'linear' : activations[hover.layer];
      fillUnit(pixels, GRID, 1, values, units, unit, scaleFor(activation),
        activation === 'softmax' ? classTable(unit) : DIVERGING_LIGHT);
      note.textContent = hover.layer < 0 ? `Feature ${FEATURES[hover.unit].label}`
        : hover.layer === layers.length - 1 ? (p.outputs > 1 ? `Output for class ${unit}` : 'Output')
          : `Layer ${hover.layer + 1}, neuron ${unit + 1} (${activation})`;
      note.hidden = false;
    } else {
      note.hidden = true;
      if (p.outputs > 1) {
        for (let i = 0; i < GRID * GRID; i++) pixels[i] = mixClasses(out, i * p.outputs, p.outputs, 0.42, s.discretize);
      } else {
        const binary = !p.regression;
        for (let i = 0; i < GRID * GRID; i++) {
          let v = binary ? out[i] * 2 - 1 : out[i];
          if (s.discretize) v = v > 0 ? 0.75 : -0.75;
          pixels[i] = DIVERGING_LIGHT[divergingIndex(v)];
        }
      }
    }
    this.#buffer.getContext('2d')!.putImageData(this.#image, 0, 0);

    const canvas = this.#canvas;
    const dpr = window.devicePixelRatio || 1;
    const size = canvas.clientWidth || 334;
    if (canvas.width !== Math.round(size * dpr)) {
      canvas.width = canvas.height = Math.round(size * dpr);
    }
    const g = canvas.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.imageSmoothingEnabled = true;
    g.imageSmoothingQuality = 'low';
    g.drawImage(this.#buffer, 0, 0, size, size);

    // The decision boundary: where the output crosses ½ (two classes), or where one class stops leading.
    if (!hover && !p.regression) {
      const segments: number[] = [];
      if (p.outputs === 1) {
        contour((i) => out[i], 0.5, segments);
      } else {
        for (let c = 0; c < p.outputs; c++) {
          contour((i) => {
            let other = 0;
            for (let k = 0; k < p.outputs; k++) if (k !== c) other = Math.max(other, out[i * p.outputs + k]);
            return out[i * p.outputs + c] - other;
          }, 0, segments);
        }
      }
      const k = size / GRID;
      g.strokeStyle = 'rgba(29, 39, 51, 0.55)';
      g.lineWidth = 1.3;
      g.beginPath();
      for (let i = 0; i < segments.length; i += 4) {
        g.moveTo(segments[i] * k, segments[i + 1] * k);
        g.lineTo(segments[i + 2] * k, segments[i + 3] * k);
      }
      g.stroke();
    }

    // The data: training points ringed in white, test points (when shown) in black.
    const toPx = (v: number) => ((v + DOMAIN) / (2 * DOMAIN)) * size;
    const dot = (pt: Point, ring: string, radius: number) => {
      const x = Math.min(size - 2, Math.max(2, toPx(pt.x)));
      const y = Math.min(size - 2, Math.max(2, size - toPx(pt.y)));
      g.beginPath();
      g.arc(x, y, radius, 0, 2 * Math.PI);
      g.fillStyle = pointColor(pt.label, p.regression);
      g.fill();
      g.lineWidth = 1;
      g.strokeStyle = ring;
      g.stroke();
    };
    for (const pt of model.usable(model.data.train)) dot(pt, '#ffffff', 3.2);
    for (const pt of model.usable(s.added)) dot(pt, '#ffffff', 4.2);
    if (s.showTest) for (const pt of model.usable(model.data.test)) dot(pt, '#1d2733', 3.2);
  }
}
