import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { Network } from '../src/index.js';
import { loadMnist } from '../src/node/mnist.js';
import { captureIO } from './fixtures/capture-io.js';

// Real MNIST through the command line, in-process, on the default (wasm) backend.
let dir: string;
const model = () => join(dir, 'model.json');
let trained: { out: string; status: number };

/** The count of "label: correct / total" lines, e.g. Nielsen's "Epoch 0: 9032 / 10000". */
function correctCount(text: string, pattern: RegExp): number {
  const match = text.match(pattern);
  expect(match, `no line matching ${pattern} in:\n${text}`).not.toBeNull();
  return Number(match![1]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'simdnet-cli-'));
  const io = captureIO();
  const status = await main(['train', 'mnist', '--epochs', '1', '--train-size', '5000', '--test-size', '1000',
    '--save', model(), '--plot', join(dir, 'curve.svg')], io);
  trained = { out: io.out() + io.err(), status };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simdnet train mnist', () => {
  it('learns the first 5,000 training images in one epoch to over 80% on the first 1,000 test images', () => {
    expect(trained.status, trained.out).toBe(0);
    expect(trained.out).toContain('MNIST: 5000 training images, 1000 test images');
    const correct = correctCount(trained.out, /^Epoch 0: (\d+) \/ 1000 {2}\(loss \d+\.\d{4}, test loss \d+\.\d{4}, /m);
    expect(correct).toBeGreaterThan(800);
    // The confusion matrix after training counts the same network on the same images.
    expect(trained.out).toContain('Confusion matrix (rows: true digit, columns: predicted digit)');
    expect(correctCount(trained.out, /^Test accuracy: (\d+) \/ 1000 /m)).toBe(correct);
    expect(trained.out).toContain('Trained 1 epoch in ');
  });

  it('saves a model that loads and scores as reported, and a chart', async () => {
    expect(trained.out).toContain(`Saved the model to ${model()}`);
    const json = JSON.parse(readFileSync(model(), 'utf8'));
    expect(json.format).toBe('simdnet');
    const net = await Network.fromJSON(json);
    const { test } = await loadMnist();
    const { accuracy } = net.evaluate({ inputs: test.inputs.subarray(0, 784_000), targets: test.targets.subarray(0, 10_000) });
    net.dispose();
    expect(Math.round(accuracy * 1000)).toBe(correctCount(trained.out, /^Epoch 0: (\d+) \/ 1000/m));
    const svg = readFileSync(join(dir, 'curve.svg'), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*>[\s\S]*<polyline class="accuracy" points="[\d.]+,[\d.]+"[\s\S]*<\/svg>\n$/);
  });

  it('stops after the current batch on Ctrl-C, and still reports and saves', async () => {
    const io = captureIO();
    const write = io.stdout.write;
    // "Press Ctrl-C" as soon as the first epoch is reported: the second epoch stops after its first batch.
    io.stdout.write = (text: string) => {
      write(text);
      if (text.startsWith('Epoch 0:')) io.interrupt();
    };
    const saved = join(dir, 'interrupted.json');
    const status = await main(['train', 'mnist', '--epochs', '5', '--train-size', '2000', '--test-size', '500',
      '--save', saved], io);
    expect(status, io.out() + io.err()).toBe(0);
    expect(io.err()).toContain('Stopping after the current batch');
    expect(io.out()).toMatch(/^Epoch 0: \d+ \/ 500 /m);
    expect(io.out()).not.toMatch(/^Epoch 1:/m);
    expect(io.out()).toContain('Stopped by Ctrl-C after 1 epoch and part of the next');
    expect(io.out()).toContain('Test accuracy: ');
    const net = await Network.fromJSON(readFileSync(saved, 'utf8'));
    expect(net.outputSize).toBe(10);
    net.dispose();
  });

  it('shows a progress bar per epoch when stdout is a terminal', async () => {
    const io = captureIO();
    let screen = '';
    const terminal = Object.assign(io.stdout, {
      isTTY: true,
      columns: 120,
      write: (text: string) => { screen += text; return true; },
    });
    io.stdout = terminal;
    const status = await main(['train', 'mnist', '--epochs', '2', '--train-size', '1000', '--test-size', '100'], io);
    expect(status, screen + io.err()).toBe(0);
    expect(screen).toContain('Epoch 0 (1/2) ');
    expect(screen).toContain('Epoch 1 (2/2) ');
    expect(screen).toMatch(/samples\/s \| loss/);
    expect(screen).toMatch(/Epoch 1: \d+ \/ 100 /);
  });
});

describe('simdnet eval and predict', () => {
  it('eval reports the saved model\'s accuracy and confusion matrix', async () => {
    const io = captureIO();
    expect(await main(['eval', model(), '--test-size', '1000'], io), io.err()).toBe(0);
    expect(io.out()).toContain('Test loss: ');
    expect(correctCount(io.out(), /^Test accuracy: (\d+) \/ 1000 /m)).toBe(correctCount(trained.out, /^Epoch 0: (\d+) \/ 1000/m));
  });

  it('predict --index N and predict image.png agree on the same digit', async () => {
    const byIndex = captureIO();
    expect(await main(['predict', model(), '--index', '0'], byIndex), byIndex.err()).toBe(0);
    expect(byIndex.out()).toContain('MNIST test image 0 (labelled 7)');
    const digit = correctCount(byIndex.out(), /^Digit: (\d)/m);
    expect(byIndex.out().match(/^ {2}\d {2}\d\.\d{6}/gm)).toHaveLength(10);

    // The same image as a grayscale PNG file.
    const { test } = await loadMnist();
    const image = new pngjs.PNG({ width: 28, height: 28 });
    for (let k = 0; k < 784; k++) {
      const v = Math.round(test.inputs[k]! * 255);
      image.data.set([v, v, v, 255], 4 * k);
    }
    const file = join(dir, 'seven.png');
    writeFileSync(file, pngjs.PNG.sync.write(image, { colorType: 0 }));
    const byImage = captureIO();
    expect(await main(['predict', model(), file], byImage), byImage.err()).toBe(0);
    expect(correctCount(byImage.out(), /^Digit: (\d)/m)).toBe(digit);
    expect(byImage.out().match(/^ {2}\d {2}\d\.\d{6}.*$/gm)).toEqual(byIndex.out().match(/^ {2}\d {2}\d\.\d{6}.*$/gm));
  });

  it('eval rejects a model that is not for MNIST', async () => {
    const other = await Network.create({ inputSize: 2, layers: [{ units: 1, activation: 'sigmoid' }] });
    const file = join(dir, 'xor.json');
    writeFileSync(file, JSON.stringify(other.toJSON()));
    other.dispose();
    const io = captureIO();
    expect(await main(['eval', file], io)).toBe(1);
    expect(io.err()).toContain('a network of 2 inputs and 1 outputs, expected 784 and 10 for MNIST [INVALID_MODEL]');
  });
});
