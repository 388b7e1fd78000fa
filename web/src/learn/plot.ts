// A small 2-D plot on a canvas for the learn page: linear (or log) axes with ticks and labels, curves, points,
// segments and text in data coordinates, sized to the canvas's CSS box and redrawn when that box changes.

export const INK = '#1d2733';
export const MUTED = '#5f6b7a';
export const GRID_LINE = '#e3e7ec';
export const BLUE = '#0877bd';
export const ORANGE = '#d9730d';
export const GREEN = '#2e9e5b';
export const PURPLE = '#8e5bc5';

export interface Axis {
  min: number;
  max: number;
  label: string;
  log?: boolean;
  /** Tick values; default: about five round numbers. */
  ticks?: number[];
}

export interface Margins {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Round tick values covering [min, max]: steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks;
}

/** A number short enough for a tick label. */
export const tickText = (v: number): string =>
  Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(0) : String(Number(v.toPrecision(3)));

export class Plot {
  readonly canvas: HTMLCanvasElement;
  x: Axis;
  y: Axis;
  readonly margins: Margins;
  g!: CanvasRenderingContext2D;
  width = 0;
  height = 0;

  /** `draw` is called with the plot cleared and its axes drawn, whenever the canvas's size changes or on `render`. */
  constructor(canvas: HTMLCanvasElement, x: Axis, y: Axis, private readonly draw: (plot: Plot) => void,
    margins: Partial<Margins> = {}) {
    this.canvas = canvas;
    this.x = x;
    this.y = y;
    this.margins = { left: 46, right: 12, top: 10, bottom: 34, ...margins };
    new ResizeObserver(() => this.render()).observe(canvas);
  }

  /** Pixel x of a data x. */
  px(v: number): number {
    const { left, right } = this.margins;
    return left + this.#fraction(this.x, v) * (this.width - left - right);
  }

  /** Pixel y of a data y. */
  py(v: number): number {
    const { top, bottom } = this.margins;
    return this.height - bottom - this.#fraction(this.y, v) * (this.height - top - bottom);
  }

  /** Data x at pixel x (for pointer input). */
  xAt(pixel: number): number {
    const { left, right } = this.margins;
    const t = (pixel - left) / (this.width - left - right);
    return this.x.log ? 10 ** (Math.log10(this.x.min) + t * (Math.log10(this.x.max) - Math.log10(this.x.min)))
      : this.x.min + t * (this.x.max - this.x.min);
  }

  #fraction(axis: Axis, v: number): number {
    return axis.log ? (Math.log10(v) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min))
      : (v - axis.min) / (axis.max - axis.min);
  }

  render(): void {
    const canvas = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    this.width = canvas.clientWidth;
    this.height = canvas.clientHeight;
    if (!this.width || !this.height) return;
    if (canvas.width !== Math.round(this.width * dpr) || canvas.height !== Math.round(this.height * dpr)) {
      canvas.width = Math.round(this.width * dpr);
      canvas.height = Math.round(this.height * dpr);
    }
    const g = (this.g = canvas.getContext('2d')!);
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, this.width, this.height);
    this.#axes();
    g.save();
    const { left, right, top, bottom } = this.margins;
    g.beginPath();
    g.rect(left, top, this.width - left - right, this.height - top - bottom);
    g.clip();
    this.draw(this);
    g.restore();
  }

  #axes(): void {
    const g = this.g;
    const { left, right, top, bottom } = this.margins;
    const x0 = left, x1 = this.width - right, y0 = this.height - bottom, y1 = top;
    g.font = '11px system-ui, sans-serif';
    g.lineWidth = 1;
    g.fillStyle = MUTED;
    g.strokeStyle = GRID_LINE;
    g.textAlign = 'center';
    g.textBaseline = 'top';
    const xTicks = this.x.ticks ?? niceTicks(this.x.min, this.x.max, Math.max(2, Math.round((x1 - x0) / 70)));
    for (const t of xTicks) {
      const p = Math.round(this.px(t)) + 0.5;
      g.beginPath(); g.moveTo(p, y0); g.lineTo(p, y1); g.stroke();
      g.fillText(tickText(t), p, y0 + 4);
    }
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (const t of this.y.ticks ?? niceTicks(this.y.min, this.y.max, 4)) {
      const p = Math.round(this.py(t)) + 0.5;
      g.beginPath(); g.moveTo(x0, p); g.lineTo(x1, p); g.stroke();
      g.fillText(tickText(t), x0 - 5, p);
    }
    g.strokeStyle = '#b7c2ce';
    g.beginPath(); g.moveTo(x0 + 0.5, y1); g.lineTo(x0 + 0.5, y0 + 0.5); g.lineTo(x1, y0 + 0.5); g.stroke();
    g.fillStyle = INK;
    g.textAlign = 'center';
    g.textBaseline = 'bottom';
    g.fillText(this.x.label, (x0 + x1) / 2, this.height - 1);
    g.save();
    g.translate(11, (y0 + y1) / 2);
    g.rotate(-Math.PI / 2);
    g.textBaseline = 'middle';
    g.fillText(this.y.label, 0, 0);
    g.restore();
  }

  /** y = f(x) sampled across the x axis (one sample every 2 px); non-finite values break the line. */
  curve(f: (x: number) => number, color: string, width = 2, dash: number[] = []): void {
    const n = Math.max(20, Math.round(this.width / 2));
    const xs = Array.from({ length: n + 1 }, (_, i) => this.xAt(this.margins.left + (i / n) * (this.width - this.margins.left - this.margins.right)));
    this.polyline(xs, xs.map(f), color, width, dash);
  }

  /** A line through (xs[i], ys[i]); non-finite values break it. */
  polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, color: string, width = 2, dash: number[] = []): void {
    const g = this.g;
    g.strokeStyle = color;
    g.lineWidth = width;
    g.setLineDash(dash);
    g.lineJoin = 'round';
    g.beginPath();
    let pen = false;
    for (let i = 0; i < xs.length; i++) {
      if (!Number.isFinite(ys[i])) { pen = false; continue; }
      // Far-off values are clamped a little outside the plot so that the clip draws them as leaving it.
      const y = Math.max(-1e4, Math.min(1e4, this.py(ys[i])));
      if (pen) g.lineTo(this.px(xs[i]), y); else g.moveTo(this.px(xs[i]), y);
      pen = true;
    }
    g.stroke();
    g.setLineDash([]);
  }

  segment(xa: number, ya: number, xb: number, yb: number, color: string, width = 1.5, dash: number[] = []): void {
    this.polyline([xa, xb], [ya, yb], color, width, dash);
  }

  dot(x: number, y: number, color: string, radius = 4, ring = '#ffffff'): void {
    const g = this.g;
    g.beginPath();
    g.arc(this.px(x), this.py(y), radius, 0, 2 * Math.PI);
    g.fillStyle = color;
    g.fill();
    g.lineWidth = 1.5;
    g.strokeStyle = ring;
    g.stroke();
  }

  text(text: string, x: number, y: number, color = INK, align: CanvasTextAlign = 'left', dy = 0): void {
    const g = this.g;
    g.font = '12px system-ui, sans-serif';
    g.fillStyle = color;
    g.textAlign = align;
    g.textBaseline = 'middle';
    g.fillText(text, this.px(x), this.py(y) + dy);
  }
}
