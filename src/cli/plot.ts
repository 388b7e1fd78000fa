// A self-contained SVG line chart of a training run: loss (left axis) and test accuracy (right axis) per epoch.
// Hand-written on purpose: two polylines, axes, ticks and a legend are a few dozen lines, and a browser opens it.

export interface EpochPoint {
  epoch: number;
  loss: number;
  /** Test accuracy as a fraction in [0, 1]; NaN in every point draws the loss alone (a regression). */
  accuracy: number;
}

const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { left: 70, right: 70, top: 50, bottom: 50 };
const LOSS_COLOR = '#d62728';
const ACCURACY_COLOR = '#1f77b4';

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** About five round tick values covering [low, high]. */
function ticks(low: number, high: number, count = 5): number[] {
  const span = high - low || Math.abs(high) || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const first = Math.ceil(low / step - 1e-9) * step;
  const values: number[] = [];
  for (let v = first; v <= high + step * 1e-9; v += step) values.push(Number(v.toPrecision(12)));
  return values;
}

const format = (v: number) => String(Number(v.toPrecision(4)));

export function plotSvg(points: readonly EpochPoint[], title = 'simdnet training', accuracyLabel = 'test accuracy'): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const lastEpoch = Math.max(1, ...points.map((p) => p.epoch));
  const firstEpoch = Math.min(lastEpoch, ...points.map((p) => p.epoch));
  const x = (epoch: number) => MARGIN.left + (lastEpoch === firstEpoch ? plotWidth / 2 : ((epoch - firstEpoch) / (lastEpoch - firstEpoch)) * plotWidth);

  const losses = points.map((p) => p.loss).filter(Number.isFinite);
  const lossMax = Math.max(...losses, 0) * 1.05 || 1;
  const yLoss = (v: number) => MARGIN.top + plotHeight * (1 - v / lossMax);

  const accuracies = points.map((p) => p.accuracy * 100).filter(Number.isFinite);
  const withAccuracy = accuracies.length > 0;
  const accuracyMin = Math.max(0, Math.floor(Math.min(...accuracies, 100) / 5) * 5 - 5);
  const yAccuracy = (v: number) => MARGIN.top + plotHeight * (1 - (v - accuracyMin) / (100 - accuracyMin));

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16">${escapeXml(title)}</text>`,
  ];
  const bottom = MARGIN.top + plotHeight;
  const right = MARGIN.left + plotWidth;
  // Grid and ticks: epochs below, loss on the left, accuracy on the right.
  for (const e of ticks(firstEpoch, lastEpoch, Math.min(10, lastEpoch - firstEpoch || 1)).filter(Number.isInteger)) {
    out.push(`<line x1="${x(e)}" y1="${bottom}" x2="${x(e)}" y2="${bottom + 5}" stroke="black"/>`,
      `<text x="${x(e)}" y="${bottom + 18}" text-anchor="middle">${e}</text>`);
  }
  for (const v of ticks(0, lossMax)) {
    out.push(`<line x1="${MARGIN.left}" y1="${yLoss(v)}" x2="${right}" y2="${yLoss(v)}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 8}" y="${yLoss(v) + 4}" text-anchor="end" fill="${LOSS_COLOR}">${format(v)}</text>`);
  }
  for (const v of withAccuracy ? ticks(accuracyMin, 100) : []) {
    out.push(`<text x="${right + 8}" y="${yAccuracy(v) + 4}" fill="${ACCURACY_COLOR}">${format(v)}%</text>`);
  }
  out.push(
    `<polyline points="${MARGIN.left},${MARGIN.top} ${MARGIN.left},${bottom} ${right},${bottom} ${right},${MARGIN.top}" fill="none" stroke="black"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 12}" text-anchor="middle">epoch</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" fill="${LOSS_COLOR}">training loss</text>`,
  );
  if (withAccuracy) {
    out.push(`<text transform="translate(${WIDTH - 14} ${MARGIN.top + plotHeight / 2}) rotate(90)" text-anchor="middle" fill="${ACCURACY_COLOR}">${escapeXml(accuracyLabel)}</text>`);
  }
  const series = (values: (p: EpochPoint) => number, y: (v: number) => number, color: string, name: string) => {
    const visible = points.filter((p) => Number.isFinite(values(p)));
    const coordinates = visible.map((p) => `${x(p.epoch).toFixed(1)},${y(values(p)).toFixed(1)}`);
    out.push(`<polyline class="${name}" points="${coordinates.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const c of coordinates) {
      const [cx, cy] = c.split(',');
      out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
  };
  series((p) => p.loss, yLoss, LOSS_COLOR, 'loss');
  if (withAccuracy) series((p) => p.accuracy * 100, yAccuracy, ACCURACY_COLOR, 'accuracy');
  const final = points.at(-1);
  const legendY = MARGIN.top - 12;
  out.push(
    `<line x1="${MARGIN.left}" y1="${legendY - 4}" x2="${MARGIN.left + 20}" y2="${legendY - 4}" stroke="${LOSS_COLOR}" stroke-width="2"/>`,
    `<text x="${MARGIN.left + 26}" y="${legendY}">training loss${final ? ` (last ${format(final.loss)})` : ''}</text>`,
  );
  if (withAccuracy) {
    out.push(
      `<line x1="${MARGIN.left + 220}" y1="${legendY - 4}" x2="${MARGIN.left + 240}" y2="${legendY - 4}" stroke="${ACCURACY_COLOR}" stroke-width="2"/>`,
      `<text x="${MARGIN.left + 246}" y="${legendY}">${escapeXml(accuracyLabel)}${final ? ` (last ${(final.accuracy * 100).toFixed(2)}%)` : ''}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
