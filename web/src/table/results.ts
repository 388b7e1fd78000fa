// The Results card: accuracy and a confusion matrix (classification) or MAE, RMSE, R² and a predicted-against-actual
// scatter (regression), all on the held-out test rows.

import type { ClassificationEvaluation, RegressionEvaluation, TableEvaluation } from '../../../src/io/table/index.js';
import { el, short } from './messages.js';

function metric(label: string, value: string, id: string): HTMLElement {
  const box = el('div', 'metric');
  const number = el('div', 'value', value);
  number.id = id;
  box.append(el('span', '', label), number);
  return box;
}

/** Shows `evaluation`; `actual` and `predicted` are the test rows' values for the regression scatter. */
export function renderResults(evaluation: TableEvaluation, scatter?: { actual: number[]; predicted: number[] }): void {
  const metrics = document.getElementById('metrics')!;
  const rows = String(evaluation.rows);
  const rowsLabel = evaluation.skipped ? `Test rows (${evaluation.skipped} more lack a target)` : 'Test rows';
  document.getElementById('confusion-wrap')!.hidden = evaluation.task !== 'classification';
  document.getElementById('scatter-wrap')!.hidden = evaluation.task !== 'regression';
  if (evaluation.task === 'classification') {
    metrics.replaceChildren(metric('Test accuracy', `${(evaluation.accuracy * 100).toFixed(1)}%`, 'accuracy'),
      metric(rowsLabel, rows, 'test-rows'));
    renderConfusion(evaluation);
    return;
  }
  metrics.replaceChildren(metric('R²', short(evaluation.r2), 'r2'), metric('MAE', short(evaluation.mae), 'mae'),
    metric('RMSE', short(evaluation.rmse), 'rmse'), metric(rowsLabel, rows, 'test-rows'));
  if (scatter) drawScatter(document.getElementById('scatter') as HTMLCanvasElement, scatter.actual, scatter.predicted, evaluation);
}

/** matrix[actual][predicted] as a table; each cell shaded by its share of the actual class's rows. */
function renderConfusion({ confusion: { labels, matrix } }: ClassificationEvaluation): void {
  const table = document.getElementById('confusion') as HTMLTableElement;
  const caption = table.caption!;
  table.replaceChildren(caption);
  const head = el('tr');
  const corner = el('th', 'corner', 'actual ↓ predicted →');
  corner.scope = 'col';
  head.append(corner, ...labels.map((label) => {
    const th = el('th', '', String(label));
    th.scope = 'col';
    return th;
  }));
  table.createTHead().append(head);
  const body = table.createTBody();
  matrix.forEach((counts, actual) => {
    const total = counts.reduce((a, b) => a + b, 0);
    const row = el('tr');
    const th = el('th', '', String(labels[actual]));
    th.scope = 'row';
    row.append(th, ...counts.map((count, predicted) => {
      const td = el('td', actual === predicted ? 'hit' : 'miss', String(count));
      const share = total ? count / total : 0;
      td.style.setProperty('--share', share.toFixed(3));
      if (share > 0.55) td.classList.add('strong');
      return td;
    }));
    body.append(row);
  });
}

function drawScatter(canvas: HTMLCanvasElement, actual: number[], predicted: number[], result: RegressionEvaluation): void {
  const dpr = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  const g = canvas.getContext('2d')!;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, height);
  const all = [...actual, ...predicted];
  let low = Math.min(...all);
  let high = Math.max(...all);
  if (!(high > low)) { low -= 1; high += 1; }
  const pad = (high - low) * 0.05;
  low -= pad;
  high += pad;
  const left = 48, right = 10, top = 10, bottom = 34;
  const px = (v: number) => left + ((v - low) / (high - low)) * (width - left - right);
  const py = (v: number) => top + (1 - (v - low) / (high - low)) * (height - top - bottom);
  g.strokeStyle = '#e3e7ec';
  g.strokeRect(left + 0.5, top + 0.5, width - left - right, height - top - bottom);
  g.strokeStyle = '#9aa7b5';
  g.setLineDash([4, 4]);
  g.beginPath();
  g.moveTo(px(low), py(low));
  g.lineTo(px(high), py(high));
  g.stroke();
  g.setLineDash([]);
  g.fillStyle = 'rgba(8, 119, 189, 0.55)';
  actual.forEach((a, i) => {
    g.beginPath();
    g.arc(px(a), py(predicted[i]), 3.2, 0, 2 * Math.PI);
    g.fill();
  });
  g.fillStyle = '#667280';
  g.font = '11px system-ui, sans-serif';
  g.textAlign = 'left';
  g.fillText(short(low), left, height - bottom + 14);
  g.textAlign = 'right';
  g.fillText(short(high), width - right, height - bottom + 14);
  g.textAlign = 'center';
  g.fillText('actual', (left + width - right) / 2, height - 6);
  g.textAlign = 'right';
  g.fillText(short(high), left - 5, top + 10);
  g.fillText(short(low), left - 5, height - bottom);
  g.save();
  g.translate(12, (top + height - bottom) / 2);
  g.rotate(-Math.PI / 2);
  g.textAlign = 'center';
  g.fillText('predicted', 0, 0);
  g.restore();
  canvas.setAttribute('aria-label', `Predicted against actual values of ${actual.length} test rows: R² ${short(result.r2)}, ` +
    `mean absolute error ${short(result.mae)}`);
}
