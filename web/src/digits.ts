// The digits page: a drawing pad read live by an MNIST network (the one shipped in web/models/, or one trained in
// this tab by a Web Worker through `trainInWorker`).

import { Network, type NetworkJSON, type NetworkSpec } from '../../src/index.js';
import { argmax } from '../../src/core/argmax.js';
import { MNIST_CLASSES, MNIST_FILES, MNIST_PIXELS, MNIST_SIDE, mnistSplit, type MnistSplit } from '../../src/io/mnist.js';
import { trainInWorker, type WorkerProgress } from '../../src/worker/index.js';
import { $ } from './dom.js';
import { toMnistInput } from './mnist-input.js';

/** The pad's drawing is kept at this resolution for reading. */
const INK_SIDE = 280;
/** Pen width as a share of the pad: about what MNIST's strokes are to its digits. */
const PEN = 0.075;

const TAB_SPEC: NetworkSpec = {
  inputSize: MNIST_PIXELS,
  layers: [{ units: 32, activation: 'relu' }, { units: MNIST_CLASSES, activation: 'softmax' }],
  loss: 'categoricalCrossEntropy',
  optimizer: { type: 'adam', learningRate: 0.002 },
  initializer: 'heNormal',
  seed: 7,
};

/** The MNIST subset that the build writes into build/mnist/ (see web/assets.mjs): four IDX files. */
async function fetchSubset(): Promise<{ train: MnistSplit; test: MnistSplit }> {
  const fetchIdx = async (name: string) => {
    const url = `build/mnist/${name}`;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
    return { name: url, bytes: new Uint8Array(await response.arrayBuffer()) };
  };
  const files = await Promise.all([MNIST_FILES.trainImages, MNIST_FILES.trainLabels, MNIST_FILES.testImages,
    MNIST_FILES.testLabels].map(fetchIdx));
  return { train: mnistSplit(files[0], files[1]), test: mnistSplit(files[2], files[3]) };
}

const count = (n: number) => n.toLocaleString('en-US');

class DigitsPage {
  readonly pad = $<HTMLCanvasElement>('pad');
  readonly ink = Object.assign(document.createElement('canvas'), { width: INK_SIDE, height: INK_SIDE });
  readonly seen = $<HTMLCanvasElement>('seen');
  shipped: Network | undefined;
  tab: Network | undefined;
  net: Network | undefined;
  ready = false;
  /** The latest reading, for tests and the curious. */
  scores: number[] = [];
  digit: number | undefined;
  input: Float32Array | undefined;
  drawing = false;
  last: { x: number; y: number } | undefined;
  pending = false;
  frames = 0;
  training: { running: boolean; progress?: WorkerProgress; framesWhileTraining: number; done: boolean; error?: string } =
    { running: false, framesWhileTraining: 0, done: false };
  abort: AbortController | undefined;

  constructor() {
    this.ink.getContext('2d', { willReadFrequently: true });
    this.buildBars();
    this.sizePad();
    this.bindPad();
    $('clear').addEventListener('click', () => this.clear());
    $('train').addEventListener('click', () => void this.trainInTab());
    $('cancel').addEventListener('click', () => this.abort?.abort());
    for (const id of ['use-shipped', 'use-tab']) {
      $(id).addEventListener('change', () => {
        this.net = $<HTMLInputElement>('use-tab').checked ? this.tab : this.shipped;
        this.read();
      });
    }
    const tick = () => {
      this.frames++;
      if (this.training.running) this.training.framesWhileTraining++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    void this.loadShipped();
  }

  async loadShipped(): Promise<void> {
    const response = await fetch('models/mnist.json');
    const json = (await response.json()) as NetworkJSON & { about?: { testAccuracy?: number } };
    this.shipped = await Network.fromJSON(json);
    this.net ??= this.shipped;
    const sizes = [json.spec.inputSize, ...json.spec.layers.map((l) => l.units)].join(', ');
    const accuracy = json.about?.testAccuracy;
    $('shipped-about').textContent = `[${sizes}], trained on the 60,000 MNIST training digits` +
      (accuracy ? `; ${(accuracy * 100).toFixed(1)}% right on the 10,000 test digits.` : '.');
    this.ready = true;
    this.read();
  }

  buildBars(): void {
    const bars = $('bars');
    for (let d = 0; d < MNIST_CLASSES; d++) {
      const row = document.createElement('div');
      row.className = 'bar-row';
      row.innerHTML = `<b>${d}</b><div class="track"><div class="fill"></div></div><span>–</span>`;
      bars.append(row);
    }
  }

  sizePad(): void {
    const dpr = window.devicePixelRatio || 1;
    const side = this.pad.clientWidth || 308;
    this.pad.width = this.pad.height = Math.round(side * dpr);
    this.clear();
  }

  clear(): void {
    const g = this.pad.getContext('2d')!;
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, this.pad.width, this.pad.height);
    this.drawGuide(g);
    this.ink.getContext('2d')!.clearRect(0, 0, INK_SIDE, INK_SIDE);
    this.read();
  }

  /** A faint frame where MNIST's 20 × 20 box would be, so people draw at a sensible size. */
  drawGuide(g: CanvasRenderingContext2D): void {
    const w = this.pad.width;
    g.save();
    g.strokeStyle = 'rgba(29, 39, 51, 0.08)';
    g.lineWidth = Math.max(1, w / 300);
    g.setLineDash([w / 60, w / 60]);
    g.strokeRect(w * 0.14, w * 0.14, w * 0.72, w * 0.72);
    g.restore();
  }

  bindPad(): void {
    const pad = this.pad;
    const at = (event: PointerEvent) => {
      const r = pad.getBoundingClientRect();
      return { x: (event.clientX - r.left) / r.width, y: (event.clientY - r.top) / r.height };
    };
    pad.addEventListener('pointerdown', (event) => {
      event.preventDefault();
      pad.setPointerCapture(event.pointerId);
      this.drawing = true;
      this.last = at(event);
      this.stroke(this.last, this.last);
    });
    pad.addEventListener('pointermove', (event) => {
      if (!this.drawing) return;
      const events = event.getCoalescedEvents?.() ?? [event];
      for (const e of events.length ? events : [event]) {
        const p = at(e);
        this.stroke(this.last!, p);
        this.last = p;
      }
    });
    const end = () => {
      this.drawing = false;
      this.last = undefined;
    };
    pad.addEventListener('pointerup', end);
    pad.addEventListener('pointercancel', end);
  }

  /** Draws a segment (in pad fractions) on the visible pad and on the ink canvas, and asks for a new reading. */
  stroke(from: { x: number; y: number }, to: { x: number; y: number }): void {
    for (const [canvas, color] of [[this.pad, '#1d2733'], [this.ink, '#000']] as const) {
      const g = canvas.getContext('2d')!;
      const side = canvas.width;
      g.strokeStyle = color;
      g.lineWidth = PEN * side;
      g.lineCap = 'round';
      g.lineJoin = 'round';
      g.beginPath();
      g.moveTo(from.x * side, from.y * side);
      g.lineTo(to.x * side + 0.01, to.y * side);
      g.stroke();
    }
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        this.read();
      });
    }
  }

  /** Preprocesses the drawing and shows the network's ten scores. */
  read(): void {
    const pixels = this.ink.getContext('2d')!.getImageData(0, 0, INK_SIDE, INK_SIDE).data;
    const ink = new Float32Array(INK_SIDE * INK_SIDE);
    for (let i = 0; i < ink.length; i++) ink[i] = pixels[i * 4 + 3] / 255;
    const input = toMnistInput(ink, INK_SIDE);
    this.input = input;
    this.showSeen(input);
    const rows = [...document.querySelectorAll<HTMLElement>('.bar-row')];
    if (!input || !this.net) {
      this.scores = [];
      this.digit = undefined;
      $('digit').textContent = '?';
      $('sure').textContent = this.net ? 'Draw a digit from 0 to 9.' : 'Loading the model…';
      rows.forEach((row) => {
        row.classList.remove('top');
        row.querySelector<HTMLElement>('.fill')!.style.width = '0';
        row.querySelector('span')!.textContent = '–';
      });
      return;
    }
    const scores = Array.from(this.net.predict(input));
    const digit = argmax(scores);
    this.scores = scores;
    this.digit = digit;
    $('digit').textContent = String(digit);
    $('sure').textContent = `${(scores[digit] * 100).toFixed(scores[digit] > 0.995 ? 1 : 0)}% sure`;
    rows.forEach((row, d) => {
      row.classList.toggle('top', d === digit);
      row.querySelector<HTMLElement>('.fill')!.style.width = `${(scores[d] * 100).toFixed(1)}%`;
      row.querySelector('span')!.textContent = `${(scores[d] * 100).toFixed(1)}%`;
    });
  }

  showSeen(input: Float32Array | undefined): void {
    const g = this.seen.getContext('2d')!;
    const image = g.createImageData(MNIST_SIDE, MNIST_SIDE);
    for (let i = 0; i < MNIST_SIDE * MNIST_SIDE; i++) {
      const v = Math.round((input?.[i] ?? 0) * 255);
      image.data.set([v, v, v, 255], i * 4);
    }
    g.putImageData(image, 0, 0);
  }

  async trainInTab(): Promise<void> {
    if (this.training.running) return;
    const epochs = Number($<HTMLSelectElement>('epochs').value);
    const status = $('train-status');
    const bar = $('progress');
    const setProgress = (fraction: number) => {
      (bar.firstElementChild as HTMLElement).style.width = `${(fraction * 100).toFixed(1)}%`;
      bar.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
    };
    this.training = { running: true, framesWhileTraining: 0, done: false };
    this.abort = new AbortController();
    $<HTMLButtonElement>('train').disabled = true;
    $<HTMLButtonElement>('cancel').disabled = false;
    setProgress(0);
    status.textContent = 'Loading the digits…';
    const started = performance.now();
    const heartbeat = $('heartbeat');
    const showHeartbeat = () => {
      const seconds = (performance.now() - started) / 1000;
      heartbeat.textContent = `This page drew ${this.training.framesWhileTraining} frames meanwhile ` +
        `(${Math.round(this.training.framesWhileTraining / Math.max(seconds, 0.001))} per second): the training is off the main thread.`;
    };
    const beat = setInterval(showHeartbeat, 250);
    try {
      const subset = await fetchSubset();
      const data = (split: MnistSplit) => ({ inputs: split.inputs, targets: split.targets });
      status.textContent = 'Starting the worker…';
      const { model, history } = await trainInWorker(
        { network: TAB_SPEC, data: data(subset.train), options: { epochs, batchSize: 32 } },
        {
          signal: this.abort.signal,
          workerUrl: new URL('build/worker-runner.js', location.href),
          onProgress: (p) => {
            this.training.progress = p;
            setProgress(p.fraction);
            status.textContent = `Epoch ${p.epoch + 1} of ${p.epochs} · batch ${p.batch} of ${p.batches} · loss ${p.loss.toFixed(3)}`;
          },
        },
      );
      const net = await Network.fromJSON(model);
      const { accuracy } = net.evaluate(data(subset.test));
      this.tab?.dispose();
      this.tab = net;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const stopped = history.stopReason === 'aborted';
      status.textContent = stopped
        ? `Cancelled after ${history.epochs.length} epoch${history.epochs.length === 1 ? '' : 's'} (${seconds} s): ${(accuracy * 100).toFixed(1)}% of the test digits right.`
        : `Done in ${seconds} s: ${(accuracy * 100).toFixed(1)}% of the ${count(subset.test.count)} test digits right.`;
      const sizes = [TAB_SPEC.inputSize, ...TAB_SPEC.layers.map((l) => l.units)].join(', ');
      $('tab-about').textContent = `[${sizes}], ${history.epochs.length} epoch${history.epochs.length === 1 ? '' : 's'} on ` +
        `${count(subset.train.count)} digits; ${(accuracy * 100).toFixed(1)}% right on ${count(subset.test.count)} test digits.`;
      $('tab-label').classList.remove('disabled');
      const useTab = $<HTMLInputElement>('use-tab');
      useTab.disabled = false;
      useTab.checked = true;
      this.net = net;
      this.read();
      if (!stopped) setProgress(1);
      this.training.done = true;
    } catch (error) {
      this.training.error = (error as Error).message;
      status.textContent = `Training failed: ${(error as Error).message}`;
    } finally {
      clearInterval(beat);
      showHeartbeat();
      this.training.running = false;
      $<HTMLButtonElement>('train').disabled = false;
      $<HTMLButtonElement>('cancel').disabled = true;
    }
  }
}

declare global {
  interface Window {
    digits: DigitsPage;
  }
}

window.digits = new DigitsPage();
