// A small line chart on a canvas: epochs along x, a few series, light axes. Enough for loss and accuracy curves.

export interface Series {
  color: string;
  width: number;
  values: number[];
}

export interface ChartOptions {
  /** Fixed y range, or undefined to fit [0, max]. */
  yMin?: number;
  yMax?: number;
  /** Lets the axis start below yMin, at a multiple of this step, when a value lies lower. */
  extendDown?: number;
  format: (v: number) => string;
}

export class LineChart {
  readonly #canvas: HTMLCanvasElement;
  readonly #options: ChartOptions;

  constructor(canvas: HTMLCanvasElement, options: ChartOptions) {
    this.#canvas = canvas;
    this.#options = options;
  }

  /** Draws the series against x (one x per value); NaN values leave gaps. */
  draw(x: number[], series: Series[]): void {
    const canvas = this.#canvas;
    const dpr = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
    }
    const g = canvas.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);

    const left = 38, right = 6, top = 6, bottom = 16;
    const plotW = width - left - right;
    const plotH = height - top - bottom;
    let yMax = this.#options.yMax ?? 0;
    let yMin = this.#options.yMin ?? 0;
    if (this.#options.yMax === undefined) {
      // Fit the curves after their first steps, whose loss would flatten everything after it.
      const from = Math.floor(x.length * 0.05);
      for (const s of series) {
        s.values.forEach((v, i) => {
          if (i >= from && Number.isFinite(v)) yMax = Math.max(yMax, v);
        });
      }
      yMax = niceCeil(yMax || 1);
    }
    const step = this.#options.extendDown;
    if (step) {
      let lowest = Infinity;
      for (const s of series) for (const v of s.values) if (Number.isFinite(v)) lowest = Math.min(lowest, v);
      if (lowest < yMin) yMin = Math.floor(lowest / step) * step;
    }
    if (yMax <= yMin) yMin = yMax - 1;
    const xMin = x.length ? x[0] : 0;
    const xMax = Math.max(x.length ? x[x.length - 1] : 1, xMin + 1);
    const px = (v: number) => left + ((v - xMin) / (xMax - xMin)) * plotW;
    const py = (v: number) => top + (1 - (v - yMin) / (yMax - yMin)) * plotH;

    g.font = '10px system-ui, sans-serif';
    g.fillStyle = '#667280'; // the pages' --faint: 4.9:1 on white
    g.strokeStyle = '#e8ecf0';
    g.lineWidth = 1;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let i = 0; i <= 2; i++) {
      const v = yMin + ((yMax - yMin) * i) / 2;
      const y = Math.round(py(v)) + 0.5;
      g.beginPath();
      g.moveTo(left, y);
      g.lineTo(width - right, y);
      g.stroke();
      g.fillText(this.#options.format(v), left - 5, y);
    }
    g.textAlign = 'left';
    g.textBaseline = 'alphabetic';
    g.fillText(String(Math.round(xMin)), left, height - 3);
    g.textAlign = 'right';
    const epochs = Math.round(xMax);
    g.fillText(`${epochs.toLocaleString('en-US')} epoch${epochs === 1 ? '' : 's'}`, width - right, height - 3);

    g.save();
    g.beginPath();
    g.rect(left, top - 1, plotW, plotH + 2);
    g.clip();
    g.lineJoin = 'round';
    for (const s of series) {
      g.strokeStyle = s.color;
      g.lineWidth = s.width;
      g.beginPath();
      let pen = false;
      s.values.forEach((v, i) => {
        if (!Number.isFinite(v)) {
          pen = false;
          return;
        }
        const clamped = Math.min(Math.max(v, yMin), yMax);
        if (pen) g.lineTo(px(x[i]), py(clamped));
        else g.moveTo(px(x[i]), py(clamped));
        pen = true;
      });
      g.stroke();
    }
    g.restore();
  }
}

function niceCeil(v: number): number {
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * power >= v) return step * power;
  return 10 * power;
}
