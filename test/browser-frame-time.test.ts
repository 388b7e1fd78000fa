// The Playground's frame time in real headless Chromium, on [8, 8] with every thumbnail (written to
// build/frame-time.json), and the README's picture of it. It counts the frames drawn in a given time, so it runs
// alone, after the slow tests (vitest.config.ts), where no other test takes the cores the page draws with.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Site, browserAvailable, closeSite, openPage, root, screenshotPath, startSite } from './browser-harness.js';

interface FrameStats { frames: number; meanFrameMs: number; p95FrameMs: number; meanTrainMs: number; meanRenderMs: number; meanIntervalMs: number }
/** What the page exposes as window.playground (see web/src/playground.ts); only what the test reads. */
declare const window: { playground: { ready: boolean; epoch: number; frameStats(): FrameStats; resetFrameStats(): void } };

describe.skipIf(!browserAvailable)('the Playground\'s frame time in Chromium', () => {
  let site: Site;
  beforeAll(async () => {
    site = await startSite();
  }, 120_000);
  afterAll(() => closeSite(site));

  const open = (hash: string) => openPage(site, `playground.html#${hash}`, 'playground', { width: 1440, height: 960 });

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
