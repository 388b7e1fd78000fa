// How long the Playground's frames take (training, drawing, the interval between frames), kept for the page's
// browser test, which writes them to build/frame-time.json.

export interface FrameRecord {
  frameMs: number;
  trainMs: number;
  renderMs: number;
  intervalMs: number;
}

export interface FrameSummary {
  frames: number;
  meanFrameMs: number;
  p95FrameMs: number;
  meanTrainMs: number;
  meanRenderMs: number;
  meanIntervalMs: number;
}

/** The most recent frames kept. */
const LIMIT = 1000;

export class FrameStats {
  #frames: FrameRecord[] = [];

  add(frame: FrameRecord): void {
    this.#frames.push(frame);
    if (this.#frames.length > LIMIT) this.#frames.splice(0, this.#frames.length - LIMIT);
  }

  reset(): void {
    this.#frames = [];
  }

  summary(): FrameSummary {
    const frames = this.#frames;
    const mean = (key: keyof FrameRecord) => {
      const v = frames.map((f) => f[key]).filter(Number.isFinite);
      return v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
    };
    const sorted = frames.map((f) => f.frameMs).sort((a, b) => a - b);
    return {
      frames: frames.length,
      meanFrameMs: mean('frameMs'),
      p95FrameMs: sorted[Math.floor(sorted.length * 0.95)] ?? NaN,
      meanTrainMs: mean('trainMs'),
      meanRenderMs: mean('renderMs'),
      meanIntervalMs: mean('intervalMs'),
    };
  }
}
