// The Playground page in real headless Chromium: it loads cleanly, learns the circle and the spiral within the
// epochs the TensorFlow Playground needs, keeps its state in the URL, exports a model Node reads back. Its frame time
// is measured by test/browser-frame-time.test.ts, which runs alone.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';
import { type Site, browserAvailable, closeSite, collectProblems, downloadedText, openPage, startSite } from './browser-harness.js';

interface HistoryPoint {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  trainAccuracy: number;
  testAccuracy: number;
}
/** What the page exposes as window.playground (see web/src/playground.ts). */
interface PlaygroundApi {
  ready: boolean;
  epoch: number;
  history: HistoryPoint[];
  state: { added: unknown[]; dataset: string; classes: number };
  net: Network;
  predict(points: [number, number][]): number[][];
  featureRowsFor(points: [number, number][]): Float64Array;
}
declare const window: { playground: PlaygroundApi & { app: { playing: boolean; pause(): void } }; replaced?: unknown };

const POINTS: [number, number][] = [[-3, 2], [1.5, 4], [0.2, -0.3], [5, 5], [-4.5, -1], [2.5, -3.5]];

describe.skipIf(!browserAvailable)('the Playground in Chromium', () => {
  let site: Site;
  beforeAll(async () => {
    site = await startSite();
  }, 120_000);
  afterAll(() => closeSite(site));

  const open = (hash = '') =>
    openPage(site, `playground.html${hash ? `#${hash}` : ''}`, 'playground', { width: 1440, height: 960 });

  let states = 0;
  /**
   * Puts `page` in the state of `hash` as a #… typed into its address bar does (a new network from the state's
   * seed, epoch 0, an empty history: what a load of the page with that #… starts from), at a fraction of a page
   * load's cost. First it clears what an earlier test may have left and a fresh page would not have: Play, the
   * pointer (a hovered neuron), the focus and the sequential focus start (back to the top), and the toast.
   */
  async function applyState(page: Page, hash: string): Promise<void> {
    await page.mouse.move(0, 0);
    await page.evaluate((fragment) => {
      window.playground.app.pause();
      // Focus on an element at the top of the page that then goes away: the next Tab starts from the top.
      const start = document.createElement('span');
      start.tabIndex = -1;
      document.body.prepend(start);
      start.focus();
      start.remove();
      scrollTo(0, 0);
      document.getElementById('toast')!.textContent = '';
      window.replaced = window.playground.net;
      // A key the page does not know makes every #… differ from the page's own, so that it always applies it.
      location.hash = fragment;
    }, `#${hash}&state=${++states}`);
    await page.waitForFunction(() => window.playground.net !== window.replaced);
  }

  /**
   * The page that most tests share: loaded once (by the first test to ask), then put in each test's state by
   * applyState; `problems` holds what the page reported since the test asked.
   */
  let shared: { page: Page; problems: string[] } | undefined;
  async function show(hash = ''): Promise<{ page: Page; problems: string[] }> {
    if (!shared) {
      shared = await open(hash);
      return shared;
    }
    shared.problems.length = 0;
    await applyState(shared.page, hash);
    return shared;
  }
  /** Keeps a test's freshly loaded page as the shared one (if there is none yet) instead of closing it. */
  async function share(opened: { page: Page; problems: string[] }): Promise<void> {
    if (shared) await opened.page.close();
    else shared = opened;
  }

  /** Plays until `accuracy` is reached on the test points or `epochs` have run; returns the first epoch seen there. */
  async function epochsToReach(page: Page, accuracy: number, epochs: number): Promise<number | undefined> {
    await page.click('#play');
    await page.waitForFunction(([a, e]) => window.playground.epoch >= e ||
      window.playground.history.some((h) => h.testAccuracy >= a), [accuracy, epochs] as const, { timeout: 45_000 });
    await page.click('#play');
    return page.evaluate((a) => window.playground.history.find((h) => h.testAccuracy >= a)?.epoch, accuracy);
  }

  it('serves a landing page that links both pages', async () => {
    const page = await site.browser.newPage();
    const problems = collectProblems(page);
    await page.goto(site.server.url);
    expect(await page.locator('main a.card').evaluateAll((links) => links.map((a) => a.getAttribute('href'))))
      .toEqual(['playground.html', 'digits.html']);
    expect(await page.locator('main img').evaluateAll((images) => images.map((i) => (i as HTMLImageElement).naturalWidth > 0)))
      .toEqual([true, true]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('loads without a console error and draws the default network', async () => {
    const opened = await open();
    const { page, problems } = opened;
    expect(await page.locator('#columns .node canvas').count()).toBe(7 + 4 + 2 + 1);
    expect(await page.textContent('#layer-count')).toBe('2');
    expect(await page.textContent('#epoch')).toBe('000,000');
    await page.click('#step');
    await page.waitForFunction(() => window.playground.epoch === 1);
    expect(problems).toEqual([]);
    await share(opened);
  });

  it('learns the circle with [4, 2] tanh: test accuracy ≥ 95% within 500 epochs', async () => {
    const { page, problems } = await show('dataset=circle&layers=4,2&activations=tanh,tanh&speed=10');
    const layers = await page.evaluate(() => window.playground.net.spec.layers.map((l) => `${l.units} ${l.activation}`));
    expect(layers).toEqual(['4 tanh', '2 tanh', '1 sigmoid']);
    const epoch = await epochsToReach(page, 0.95, 500);
    expect(epoch).toBeDefined();
    expect(epoch).toBeLessThanOrEqual(500);
    expect(problems).toEqual([]);
  });

  it('learns the spiral with three ReLU layers of 8: test accuracy ≥ 90% within 2,000 epochs', async () => {
    const { page, problems } = await show('dataset=spiral&layers=8,8,8&activations=relu,relu,relu&speed=max');
    const layers = await page.evaluate(() => window.playground.net.spec.layers.map((l) => `${l.units} ${l.activation}`));
    expect(layers).toEqual(['8 relu', '8 relu', '8 relu', '1 sigmoid']);
    const epoch = await epochsToReach(page, 0.9, 2000);
    expect(epoch).toBeDefined();
    expect(epoch).toBeLessThanOrEqual(2000);
    expect(problems).toEqual([]);
  });

  it('keeps its controls in the URL, and a reload restores them', async () => {
    const { page, problems } = await show();
    await page.selectOption('#learningRate', '0.1');
    await page.click('#add-layer');
    await page.click('canvas[data-feature="xx"]');
    await page.selectOption('select[data-layer="0"]', 'relu');
    await page.selectOption('#optimizer', 'adam');
    const hash = await page.evaluate(() => location.hash);
    for (const part of ['learningRate=0.1', 'layers=4,2,2', 'features=x,y,xx', 'activations=relu,tanh,tanh', 'optimizer=adam']) {
      expect(hash).toContain(part);
    }
    await page.reload();
    await page.waitForFunction(() => window.playground?.ready);
    expect(await page.evaluate(() => location.hash)).toBe(hash);
    expect(await page.inputValue('#learningRate')).toBe('0.1');
    expect(await page.inputValue('#optimizer')).toBe('adam');
    expect(await page.inputValue('select[data-layer="0"]')).toBe('relu');
    expect(await page.textContent('#layer-count')).toBe('3');
    expect(await page.locator('canvas[data-feature="xx"]').evaluate((c) => c.parentElement!.classList.contains('off'))).toBe(false);
    const spec = await page.evaluate(() => {
      const s = window.playground.net.spec;
      return { inputSize: s.inputSize, layers: s.layers.map((l) => `${l.units} ${l.activation}`), optimizer: s.optimizer };
    });
    expect(spec).toEqual({
      inputSize: 3,
      layers: ['4 relu', '2 tanh', '2 tanh', '1 sigmoid'],
      optimizer: expect.objectContaining({ type: 'adam', learningRate: 0.1 }),
    });
    expect(problems).toEqual([]);
  });

  it('exports a model that Network.fromJSON reads in Node and that predicts the same', async () => {
    const { page, problems } = await show('dataset=xor&layers=5&activations=tanh&features=x,y,xy&speed=10');
    for (let i = 0; i < 5; i++) await page.click('#step');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    expect(download.suggestedFilename()).toBe('simdnet-playground-xor.json');
    const text = await downloadedText(download);
    const net = await Network.fromJSON(text);
    const page_ = await page.evaluate((points) => ({
      rows: Array.from(window.playground.featureRowsFor(points)),
      outputs: window.playground.predict(points).flat(),
    }), POINTS);
    expect(net.spec.layers.map((l) => l.units)).toEqual([5, 1]);
    expect(Array.from(net.predictBatch(page_.rows))).toEqual(page_.outputs);
    net.dispose();
    expect(problems).toEqual([]);
  });

  it('puts the trained weights in a link that reproduces the network', async () => {
    const { page, problems } = await show('dataset=gauss&layers=3&activations=tanh&speed=10');
    for (let i = 0; i < 3; i++) await page.click('#step');
    await page.click('#link');
    const url = page.url();
    expect(url).toContain('weights=');
    const before = await page.evaluate((points) => window.playground.predict(points), POINTS);
    const copy = await open(url.split('#')[1]);
    expect(await copy.page.evaluate((points) => window.playground.predict(points), POINTS)).toEqual(before);
    expect(await copy.page.evaluate(() => window.playground.epoch)).toBe(3);
    expect([...problems, ...copy.problems]).toEqual([]);
    await copy.page.close();
  });

  it('takes points from clicks and from a CSV file, with several classes', async () => {
    const { page, problems } = await show('dataset=custom');
    const map = page.locator('#heatmap');
    await page.click('#swatches .swatch >> nth=0');
    await map.click({ position: { x: 60, y: 60 } });
    await page.click('#swatches .swatch >> nth=1');
    await map.click({ position: { x: 260, y: 250 } });
    expect(await page.evaluate(() => window.playground.state.added)).toEqual([
      expect.objectContaining({ label: 0 }), expect.objectContaining({ label: 1 }),
    ]);
    expect(await page.evaluate(() => location.hash)).toContain('added=');
    const csv = ['x,y,label', ...Array.from({ length: 60 }, (_, i) => {
      const c = i % 3;
      const angle = (2 * Math.PI * c) / 3;
      return `${(3 * Math.cos(angle) + (i % 7) * 0.1).toFixed(2)},${(3 * Math.sin(angle) - (i % 5) * 0.1).toFixed(2)},${c}`;
    })].join('\n');
    await page.setInputFiles('#csv', { name: 'three.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => window.playground.state.classes === 3 && window.playground.net.outputSize === 3);
    await page.selectOption('#speed', 'max');
    await page.click('#play');
    await page.waitForFunction(() => window.playground.epoch >= 50);
    await page.click('#play');
    expect(await page.evaluate(() => window.playground.history.at(-1)!.trainAccuracy)).toBeGreaterThan(0.9);
    expect(problems).toEqual([]);
  });

  /** The boxes of the elements `selector` matches, in page pixels. */
  const boxes = (page: Page, selector: string) => page.locator(selector).evaluateAll((els) => els.map((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, what: el.outerHTML.slice(0, 60) };
  }));
  type Box = Awaited<ReturnType<typeof boxes>>[number];
  const overlap = (a: Box, b: Box) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

  it('keeps a diagram of 6 to 8 hidden layers inside its card, with no two menus overlapping (1280 and 1440 wide)', async () => {
    // One page: each size is set before the state that builds the diagram for it, as a load at that size does.
    const { page, problems } = await openPage(site, 'playground.html', 'playground', { width: 1280, height: 900 });
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      for (const layers of [6, 7, 8]) {
        const hash = `layers=${Array(layers).fill(8).join(',')}&activations=${Array(layers).fill('leakyRelu').join(',')}`;
        await applyState(page, hash);
        const [network] = await boxes(page, 'section.network');
        const [output] = await boxes(page, 'section.output');
        const where = `${layers} layers at ${width} px`;
        expect(network.right, where).toBeLessThanOrEqual(output.left);
        const parts = await boxes(page, '#columns .column, #columns .column-head > *, #columns .node canvas, #columns .bias');
        for (const part of parts) {
          expect(part.left, `${where}: ${part.what}`).toBeGreaterThanOrEqual(network.left);
          expect(part.right, `${where}: ${part.what}`).toBeLessThanOrEqual(network.right);
        }
        const menus = await boxes(page, 'select[data-layer]');
        expect(menus).toHaveLength(layers);
        for (let i = 1; i < menus.length; i++) expect(overlap(menus[i - 1], menus[i]), `${where}: menus ${i - 1}, ${i}`).toBe(false);
        const heads = await boxes(page, '#columns .column');
        for (let i = 1; i < heads.length; i++) expect(overlap(heads[i - 1], heads[i]), `${where}: columns ${i - 1}, ${i}`).toBe(false);
        expect(problems).toEqual([]);
      }
    }
    await page.close();
  }, 60_000);

  it('after a divergence, a smaller learning rate resumes from the last finite weights', async () => {
    const { page, problems } = await show('dataset=plane&learningRate=3&speed=1');
    await page.click('#play');
    await page.waitForFunction(() => !window.playground.app.playing, null, { timeout: 20_000 });
    expect(await page.textContent('#toast')).toMatch(/diverged/i);
    const stoppedAt = await page.evaluate(() => window.playground.epoch);
    // The run is back at finite weights: finite losses on screen.
    expect(await page.textContent('#train-loss')).toMatch(/^\d+\.\d{3}$/);
    await page.selectOption('#learningRate', '0.01');
    await page.click('#play');
    await page.waitForFunction((e) => window.playground.epoch >= e + 30, stoppedAt, { timeout: 20_000 });
    await page.click('#play');
    const last = await page.evaluate(() => window.playground.history.at(-1)!);
    expect(Number.isFinite(last.trainLoss) && Number.isFinite(last.testLoss)).toBe(true);
    expect(last.epoch).toBeGreaterThanOrEqual(stoppedAt + 30);
    expect(await page.textContent('#train-loss')).toMatch(/^\d+\.\d{3}$/);
    const weights = await page.evaluate(() => window.playground.net!.getWeights().flatMap((l) => [...l.weights, ...l.biases]));
    expect(weights.every((w) => Number.isFinite(w) && Math.abs(w) < 1e6)).toBe(true);
    expect(problems).toEqual([]);
  });

  it('applies a state typed into the URL\'s #… and keeps it on the next control change', async () => {
    const { page, problems } = await show();
    await page.evaluate(() => { location.hash = '#dataset=xor&layers=3&activations=relu&learningRate=0.1'; });
    await page.waitForFunction(() => window.playground.state.dataset === 'xor' &&
      window.playground.net?.spec.layers.map((l) => l.units).join() === '3,1');
    expect(await page.inputValue('#learningRate')).toBe('0.1');
    expect(await page.evaluate(() => window.playground.net!.spec.layers[0].activation)).toBe('relu');
    await page.selectOption('#optimizer', 'adam');
    const hash = await page.evaluate(() => location.hash);
    for (const part of ['dataset=xor', 'layers=3', 'activations=relu', 'learningRate=0.1', 'optimizer=adam']) {
      expect(hash).toContain(part);
    }
    expect(problems).toEqual([]);
  });

  /** The texts drawn on each canvas (by id) from now on (fillText is wrapped once per page load). */
  const recordCanvasText = (page: Page) => page.evaluate(() => {
    const recorder = window as unknown as { drawn: Record<string, string[]>; recording?: boolean };
    recorder.drawn = {};
    if (recorder.recording) return;
    recorder.recording = true;
    const fillText = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text: string, x: number, y: number, max?: number) {
      (recorder.drawn[this.canvas.id] ??= []).push(text);
      return fillText.call(this, text, x, y, max);
    };
  });
  const canvasText = (page: Page, id: string) =>
    page.evaluate((i) => (window as unknown as { drawn: Record<string, string[]> }).drawn[i] ?? [], id);

  it('fits the accuracy axis to accuracies under 50% (six classes)', async () => {
    const { page, problems } = await show('dataset=spiral&classes=6&layers=2&activations=tanh');
    await recordCanvasText(page);
    await page.click('#step');
    await page.waitForFunction(() => window.playground.epoch === 1);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const lowest = await page.evaluate(() => Math.min(...window.playground.history.map((h) => h.trainAccuracy)));
    expect(lowest).toBeLessThan(0.5);
    const labels = (await canvasText(page, 'accuracy-chart')).filter((t) => t.endsWith('%')).map((t) => Number(t.slice(0, -1)) / 100);
    expect(labels.length).toBeGreaterThan(0);
    expect(Math.min(...labels)).toBeLessThanOrEqual(lowest);
    expect(problems).toEqual([]);
  });

  it('names the loss a regression trains with, and says why Play and Step do nothing without points', async () => {
    const { page, problems } = await show('dataset=plane');
    expect(await page.isDisabled('#loss')).toBe(true);
    expect(await page.locator('#loss').evaluate((s: HTMLSelectElement) => s.selectedOptions[0].textContent)).toBe('Squared error');
    expect(await page.evaluate(() => window.playground.net!.spec.loss)).toBe('mse');

    await page.click('.tile[data-dataset="custom"]');
    await page.waitForFunction(() => window.playground.state.dataset === 'custom');
    for (const control of ['#play', '#step']) {
      await page.evaluate(() => { document.getElementById('toast')!.textContent = ''; });
      await page.click(control);
      await expect.poll(() => page.textContent('#toast')).toMatch(/no (training )?points/i);
      expect(await page.evaluate(() => window.playground.app.playing)).toBe(false);
    }
    expect(await page.evaluate(() => window.playground.epoch)).toBe(0);
    expect(problems).toEqual([]);
  });

  it('says "1 hidden layer", "1 epoch" and "Output" in the singular', async () => {
    const { page, problems } = await show('layers=3&activations=tanh');
    await recordCanvasText(page);
    expect((await page.textContent('.network-head h2'))!.trim()).toBe('1 hidden layer');
    await page.click('#add-layer');
    expect((await page.textContent('.network-head h2'))!.trim()).toBe('2 hidden layers');
    await page.click('#remove-layer');
    await page.click('#step');
    await page.waitForFunction(() => window.playground.epoch === 1);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const loss = await canvasText(page, 'loss-chart');
    expect(loss).toContain('1 epoch');
    expect(loss).not.toContain('1 epochs');
    await page.hover('#columns .column.output .node canvas');
    await expect.poll(() => page.textContent('#overlay-note')).toBe('Output');
    expect(problems).toEqual([]);
  });

  it('shows a link\'s weight on hover and edits it on click; shows and edits each neuron\'s bias', async () => {
    const { page, problems } = await show('dataset=gauss&layers=2&activations=tanh');
    const from = (await page.locator('canvas[data-feature="x"]').boundingBox())!;
    const to = (await page.locator('canvas[data-layer="0"][data-unit="0"]').boundingBox())!;
    // The link's curve passes through the middle of the two nodes' facing sides.
    const mid = { x: (from.x + from.width + to.x) / 2, y: (from.y + from.height / 2 + to.y + to.height / 2) / 2 };
    await page.mouse.move(mid.x, mid.y);
    const weight = await page.evaluate(() => window.playground.net!.getWeights()[0].weights[0]);
    await expect.poll(() => page.textContent('#link-tip')).toContain(weight.toFixed(3));
    await page.mouse.click(mid.x, mid.y);
    const editor = page.locator('#weight-editor input');
    await editor.fill('1.5');
    await editor.press('Enter');
    expect(await page.evaluate(() => window.playground.net!.getWeights()[0].weights[0])).toBe(1.5);

    const bias = page.locator('.bias[data-layer="0"][data-unit="1"]');
    const value = await page.evaluate(() => window.playground.net!.getWeights()[0].biases[1]);
    expect(await bias.getAttribute('aria-label')).toContain(value.toFixed(3));
    await bias.click();
    await editor.fill('-0.75');
    await editor.press('Enter');
    expect(await page.evaluate(() => window.playground.net!.getWeights()[0].biases[1])).toBe(-0.75);
    await expect.poll(() => bias.getAttribute('aria-label')).toContain('-0.750');
    // The edited network is the one that trains.
    await page.click('#step');
    await page.waitForFunction(() => window.playground.epoch === 1);
    expect(problems).toEqual([]);
  });

  it('edits the weights into a neuron by keyboard alone, one after another', async () => {
    const { page, problems } = await show('dataset=gauss&layers=2&activations=tanh');
    const weights = () => page.evaluate(() => Array.from(window.playground.net!.getWeights()[0].weights));
    const before = await weights();
    // Layer 1 has 2 units and 2 inputs (x₁, x₂): the weight from input i to neuron 2 is weights[i * 2 + 1].
    const neuron = page.getByRole('button', { name: '2 weights into layer 1, neuron 2 (press to edit each in turn)' });
    expect(await neuron.count()).toBe(1);
    const onNeuron = () => page.evaluate(() => {
      const d = (document.activeElement as HTMLElement).dataset;
      return d.neuron === '1' && d.layer === '0' && d.unit === '1';
    });
    let tabs = 0;
    while (!(await onNeuron()) && tabs < 120) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    expect(await onNeuron(), `reached by Tab (${tabs} presses)`).toBe(true);

    await page.keyboard.press('Enter');
    const label = () => page.textContent('#weight-editor-label');
    expect(await label()).toBe('Weight x₁ → layer 1, neuron 2 (1 of 2)');
    expect(await page.evaluate(() => document.activeElement === document.querySelector('#weight-editor input'))).toBe(true);
    expect(Number(await page.inputValue('#weight-editor input'))).toBeCloseTo(before[1], 3);
    await page.keyboard.type('-1.375'); // the value is selected: typing replaces it
    await page.keyboard.press('Enter');
    expect(await label()).toBe('Weight x₂ → layer 1, neuron 2 (2 of 2)');
    await page.keyboard.type('0.625');
    await page.keyboard.press('Enter');
    expect(await page.isHidden('#weight-editor')).toBe(true);
    expect(await onNeuron(), 'focus goes back to the neuron').toBe(true);
    const after = await weights();
    expect([after[1], after[3]]).toEqual([-1.375, 0.625]);
    expect([after[0], after[2]]).toEqual([before[0], before[2]]);

    // Escape leaves the weight as it was and gives focus back to the neuron.
    await page.keyboard.press('Enter');
    await page.keyboard.type('9');
    await page.keyboard.press('Escape');
    expect(await page.isHidden('#weight-editor')).toBe(true);
    expect(await onNeuron()).toBe(true);
    expect((await weights())[1]).toBe(-1.375);
    expect(problems).toEqual([]);
  });
});
