// The Playground page in real headless Chromium: it loads cleanly, learns the circle and the spiral within the
// epochs the TensorFlow Playground needs, keeps its state in the URL, exports a model Node reads back, and measures
// its own frame time (written to build/frame-time.json).
import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';
import { type Site, browserAvailable, closeSite, collectProblems, openPage, root, screenshotPath, startSite }
  from './browser-harness.js';

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
  frameStats(): { frames: number; meanFrameMs: number; p95FrameMs: number; meanTrainMs: number; meanRenderMs: number; meanIntervalMs: number };
  resetFrameStats(): void;
}
declare const window: { playground: PlaygroundApi };

const POINTS: [number, number][] = [[-3, 2], [1.5, 4], [0.2, -0.3], [5, 5], [-4.5, -1], [2.5, -3.5]];

describe.skipIf(!browserAvailable)('the Playground in Chromium', () => {
  let site: Site;
  beforeAll(async () => {
    site = await startSite('playground');
  }, 120_000);
  afterAll(() => closeSite(site));

  const open = (hash = '') =>
    openPage(site, `playground.html${hash ? `#${hash}` : ''}`, 'playground', { width: 1440, height: 960 });

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
    const { page, problems } = await open();
    expect(await page.locator('#columns .node canvas').count()).toBe(7 + 4 + 2 + 1);
    expect(await page.textContent('#layer-count')).toBe('2');
    expect(await page.textContent('#epoch')).toBe('000,000');
    await page.click('#step');
    await page.waitForFunction(() => window.playground.epoch === 1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('learns the circle with [4, 2] tanh: test accuracy ≥ 95% within 500 epochs', async () => {
    const { page, problems } = await open('dataset=circle&layers=4,2&activations=tanh,tanh&speed=10');
    const layers = await page.evaluate(() => window.playground.net.spec.layers.map((l) => `${l.units} ${l.activation}`));
    expect(layers).toEqual(['4 tanh', '2 tanh', '1 sigmoid']);
    const epoch = await epochsToReach(page, 0.95, 500);
    expect(epoch).toBeDefined();
    expect(epoch).toBeLessThanOrEqual(500);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('learns the spiral with three ReLU layers of 8: test accuracy ≥ 90% within 2,000 epochs', async () => {
    const { page, problems } = await open('dataset=spiral&layers=8,8,8&activations=relu,relu,relu&speed=max');
    const layers = await page.evaluate(() => window.playground.net.spec.layers.map((l) => `${l.units} ${l.activation}`));
    expect(layers).toEqual(['8 relu', '8 relu', '8 relu', '1 sigmoid']);
    const epoch = await epochsToReach(page, 0.9, 2000);
    expect(epoch).toBeDefined();
    expect(epoch).toBeLessThanOrEqual(2000);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps its controls in the URL, and a reload restores them', async () => {
    const { page, problems } = await open();
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
    await page.close();
  });

  it('exports a model that Network.fromJSON reads in Node and that predicts the same', async () => {
    const { page, problems } = await open('dataset=xor&layers=5&activations=tanh&features=x,y,xy&speed=10');
    for (let i = 0; i < 5; i++) await page.click('#step');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    expect(download.suggestedFilename()).toBe('simdnet-playground-xor.json');
    const text = readFileSync(await download.path(), 'utf8');
    const net = await Network.fromJSON(text);
    const page_ = await page.evaluate((points) => ({
      rows: Array.from(window.playground.featureRowsFor(points)),
      outputs: window.playground.predict(points).flat(),
    }), POINTS);
    expect(net.spec.layers.map((l) => l.units)).toEqual([5, 1]);
    expect(Array.from(net.predictBatch(page_.rows))).toEqual(page_.outputs);
    net.dispose();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('puts the trained weights in a link that reproduces the network', async () => {
    const { page, problems } = await open('dataset=gauss&layers=3&activations=tanh&speed=10');
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
    await page.close();
  });

  it('takes points from clicks and from a CSV file, with several classes', async () => {
    const { page, problems } = await open('dataset=custom');
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
    await page.close();
  });

  it('measures its frame time on [8, 8] with every thumbnail, and takes a screenshot', async () => {
    const { page, problems } = await open('dataset=circle&layers=8,8&activations=tanh,tanh&speed=max');
    await page.click('#play');
    await page.waitForTimeout(500);
    await page.evaluate(() => window.playground.resetFrameStats());
    await page.waitForTimeout(2000);
    const budget = await page.evaluate(() => window.playground.frameStats());
    await page.selectOption('#speed', '1');
    await page.evaluate(() => window.playground.resetFrameStats());
    await page.waitForTimeout(1500);
    const oneEpoch = await page.evaluate(() => window.playground.frameStats());
    await page.click('#play');
    expect(budget.frames).toBeGreaterThan(20);
    expect(oneEpoch.frames).toBeGreaterThan(20);
    const version = site.browser.version();
    writeFileSync(`${root}build/frame-time.json`, JSON.stringify({
      measured: new Date().toISOString(),
      browser: `Chromium ${version} (headless)`,
      network: 'circle, features x₁ x₂, hidden [8, 8] tanh, sigmoid output; 100 × 100 grid for the map and all 19 thumbnails',
      // Each frame: trainFor's budget (12 ms minus the last render), then activations + every heat map, links, charts.
      maxSpeed: budget,
      // Each frame: exactly one epoch (25 batches of 10), then the same drawing.
      oneEpochPerFrame: oneEpoch,
    }, null, 2) + '\n');

    // The README's picture: a three-class spiral, trained.
    await page.goto(`${site.server.url}playground.html#dataset=spiral&classes=3&layers=8,8,8&activations=relu,relu,relu` +
      '&optimizer=adam&learningRate=0.003&speed=max&showTest=1');
    await page.reload();
    await page.waitForFunction(() => window.playground?.ready);
    await page.click('#play');
    await page.waitForFunction(() => window.playground.epoch >= 1500);
    await page.click('#play');
    await page.waitForTimeout(100);
    await page.screenshot({ path: screenshotPath('playground') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
