// The per-epoch progress display of `simdnet train`: a live cli-progress bar (samples/s, running loss, ETA) when
// stdout is a terminal; nothing between the per-epoch lines otherwise, so logs and pipes stay clean.

import cliProgress from 'cli-progress';
import type { CliStream } from './io.js';

export interface EpochProgress {
  /** Epoch `epoch` (counted from 0) of `epochs`, `total` samples, begins. */
  start(epoch: number, epochs: number, total: number): void;
  /** `done` samples of the epoch are through; `loss` is the running mean loss of the epoch so far. */
  update(done: number, loss: number | undefined): void;
  /** The epoch is over: the bar is removed so the epoch's line can take its place. */
  stop(): void;
}

const UPDATE_INTERVAL_MS = 50;

class TerminalProgress implements EpochProgress {
  private bar: cliProgress.SingleBar | undefined;
  private total = 0;
  /** Speed is measured from the first update on: the first batch also pays for warming up. */
  private first: { time: number; done: number } | undefined;
  private lastUpdate = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(epoch: number, epochs: number, total: number): void {
    this.stop();
    this.bar = new cliProgress.SingleBar({
      stream: this.stream,
      format: `Epoch ${epoch} (${epoch + 1}/${epochs}) {bar} {percentage}% | {value}/{total} | {speed} samples/s | loss {loss} | ETA {remaining}`,
      barsize: 24,
      hideCursor: false, // a second Ctrl-C exits at once: never leave the terminal without its cursor
      clearOnComplete: true,
      etaBuffer: 200,
      fps: 10,
    }, cliProgress.Presets.shades_classic);
    this.bar.start(total, 0, { speed: '—', loss: '—', remaining: '—' });
    this.total = total;
    this.first = undefined;
    this.lastUpdate = 0;
  }

  update(done: number, loss: number | undefined): void {
    if (!this.bar) return;
    const now = performance.now();
    if (!this.first) this.first = { time: now, done };
    if (now - this.lastUpdate < UPDATE_INTERVAL_MS) return;
    this.lastUpdate = now;
    const seconds = (now - this.first.time) / 1000;
    const rate = seconds > 0 ? (done - this.first.done) / seconds : 0;
    this.bar.update(done, {
      speed: rate > 0 ? Math.round(rate).toLocaleString('en-US') : '—',
      loss: loss === undefined || !Number.isFinite(loss) ? '—' : loss.toFixed(4),
      remaining: rate > 0 ? `${Math.ceil((this.total - done) / rate)} s` : '—',
    });
  }

  stop(): void {
    if (!this.bar) return;
    this.bar.stop();
    this.bar = undefined;
  }
}

const silent: EpochProgress = { start() {}, update() {}, stop() {} };

/** A progress bar on `stream` when it is a terminal, otherwise a display that prints nothing. */
export function epochProgress(stream: CliStream): EpochProgress {
  return stream.isTTY ? new TerminalProgress(stream as NodeJS.WriteStream) : silent;
}
