// The numbers and curves of a run: the epoch counter, the four loss and accuracy figures of the Output card, the
// loss and accuracy charts under the diagram, and a sentence for screen readers that changes only every few seconds
// (the figures change every frame, too often to announce).

import { LineChart } from '../chart.js';
import { $ } from '../dom.js';
import { formatEpoch, formatLoss, formatMetricLoss, formatMetricPercent } from './format.js';
import type { Metrics, PlaygroundModel } from './model.js';

/** The shortest time between two announcements of the metrics. */
const SUMMARY_MS = 1500;

export class Readouts {
  readonly #lossChart = new LineChart($<HTMLCanvasElement>('loss-chart'), { format: formatLoss });
  readonly #accuracyChart = new LineChart($<HTMLCanvasElement>('accuracy-chart'),
    { yMin: 0.5, yMax: 1, extendDown: 0.1, format: (v) => `${Math.round(v * 100)}%` });
  #summaryAt = -Infinity;
  /** A later announcement of figures that changed too soon after the last one. */
  #summaryTimer: ReturnType<typeof setTimeout> | undefined;

  /** The epoch and the latest metrics. */
  renderFigures(model: PlaygroundModel): void {
    const m = model.metrics;
    $('epoch').textContent = formatEpoch(model.epoch);
    $('test-loss').textContent = formatMetricLoss(m.testLoss);
    $('train-loss').textContent = formatMetricLoss(m.trainLoss);
    $('test-accuracy').textContent = formatMetricPercent(m.testAccuracy);
    $('train-accuracy').textContent = formatMetricPercent(m.trainAccuracy);
    this.#summarize(model);
  }

  /** The polite live region: the epoch and metrics in words, at most every SUMMARY_MS (the last ones, late). */
  #summarize(model: PlaygroundModel): void {
    const wait = SUMMARY_MS - (performance.now() - this.#summaryAt);
    if (wait > 0) {
      this.#summaryTimer ??= setTimeout(() => {
        this.#summaryTimer = undefined;
        this.#summarize(model);
      }, wait);
      return;
    }
    const m = model.metrics;
    const accuracy = model.problem.regression ? '' : `, test accuracy ${formatMetricPercent(m.testAccuracy)}`;
    const text = `Epoch ${model.epoch.toLocaleString('en-US')}: test loss ${formatMetricLoss(m.testLoss)}, ` +
      `training loss ${formatMetricLoss(m.trainLoss)}${accuracy}.`;
    const summary = $('summary');
    if (summary.textContent === text) return;
    summary.textContent = text;
    this.#summaryAt = performance.now();
  }

  /** The history as curves: test dark, training light; no accuracy chart for regression. */
  renderCharts(model: PlaygroundModel): void {
    const history = model.history;
    const x = history.map((h) => h.epoch);
    const series = (key: keyof Metrics, color: string, width: number) =>
      ({ color, width, values: history.map((h) => h[key]) });
    this.#lossChart.draw(x, [series('trainLoss', '#9aa7b5', 1.6), series('testLoss', '#1d2733', 1.6)]);
    if (!model.problem.regression) {
      this.#accuracyChart.draw(x, [series('trainAccuracy', '#9aa7b5', 1.6), series('testAccuracy', '#1d2733', 1.6)]);
    }
  }
}
