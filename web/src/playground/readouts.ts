// The numbers and curves of a run: the epoch counter, the four loss and accuracy figures of the Output card, and the
// loss and accuracy charts under the diagram.

import { LineChart } from '../chart.js';
import { $ } from '../dom.js';
import { formatEpoch, formatLoss, formatMetricLoss, formatMetricPercent } from './format.js';
import type { Metrics, PlaygroundModel } from './model.js';

export class Readouts {
  readonly #lossChart = new LineChart($<HTMLCanvasElement>('loss-chart'), { format: formatLoss });
  readonly #accuracyChart = new LineChart($<HTMLCanvasElement>('accuracy-chart'),
    { yMin: 0.5, yMax: 1, format: (v) => `${Math.round(v * 100)}%` });

  /** The epoch and the latest metrics. */
  renderFigures(model: PlaygroundModel): void {
    const m = model.metrics;
    $('epoch').textContent = formatEpoch(model.epoch);
    $('test-loss').textContent = formatMetricLoss(m.testLoss);
    $('train-loss').textContent = formatMetricLoss(m.trainLoss);
    $('test-accuracy').textContent = formatMetricPercent(m.testAccuracy);
    $('train-accuracy').textContent = formatMetricPercent(m.trainAccuracy);
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
