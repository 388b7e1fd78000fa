// The digits page in real headless Chromium: a "1" and a "0" drawn with pointer events are read as 1 and 0 by the
// shipped model, and "train in this tab" trains in a Web Worker while the page keeps drawing frames. The tests share
// one loaded page: each Train click starts its training afresh, and each drawing starts from Clear.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Site, browserAvailable, closeSite, openPage, screenshotPath, startSite } from './browser-harness.js';

interface DigitsApi {
  ready: boolean;
  digit: number | undefined;
  scores: number[];
  training: { running: boolean; done: boolean; error?: string; framesWhileTraining: number; progress?: { fraction: number } };
}
declare const window: { digits: DigitsApi };

type Stroke = [number, number][];
const ONE: Stroke[] = [[[0.53, 0.2], [0.51, 0.5], [0.49, 0.8]]];
const ZERO: Stroke[] = [Array.from({ length: 41 }, (_, i): [number, number] => {
  const t = (i / 40) * 2 * Math.PI;
  return [0.5 + 0.19 * Math.sin(t), 0.5 - 0.3 * Math.cos(t)];
})];
const SEVEN: Stroke[] = [[[0.3, 0.22], [0.7, 0.22], [0.45, 0.8]]];

describe.skipIf(!browserAvailable)('the digits page in Chromium', () => {
  let site: Site;
  beforeAll(async () => {
    site = await startSite();
  }, 120_000);
  afterAll(() => closeSite(site));

  let page: Page;
  let problems: string[];
  beforeAll(async () => {
    ({ page, problems } = await openPage(site, 'digits.html', 'digits', { width: 1280, height: 800 }));
  }, 120_000);
  afterAll(() => page?.close());

  /** Draws strokes (in fractions of the pad) with the mouse: pointerdown, pointermoves, pointerup. */
  async function draw(page: Page, strokes: Stroke[]): Promise<number | undefined> {
    await page.click('#clear');
    const box = (await page.locator('#pad').boundingBox())!;
    const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
    for (const stroke of strokes) {
      await page.mouse.move(...at(stroke[0]));
      await page.mouse.down();
      for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 3 });
      await page.mouse.up();
    }
    await page.waitForFunction(() => window.digits.scores.length === 10);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    return page.evaluate(() => window.digits.digit);
  }

  it('reads a drawn "1" as 1 and a drawn "0" as 0', async () => {
    expect(await draw(page, ONE)).toBe(1);
    expect(await page.textContent('#digit')).toBe('1');
    expect(await draw(page, ZERO)).toBe(0);
    expect(await page.textContent('#digit')).toBe('0');
    await page.click('#clear');
    expect(await page.evaluate(() => window.digits.digit)).toBeUndefined();
    expect(await draw(page, SEVEN)).toBe(7);
    await page.waitForTimeout(200); // the bars' width transition
    await page.screenshot({ path: screenshotPath('digits') });
    expect(problems).toEqual([]);
  });

  it('trains a model in a Web Worker while the page keeps drawing, then reads with it', async () => {
    await page.selectOption('#epochs', '1');
    await page.click('#train');
    await page.waitForFunction(() => window.digits.training.done || window.digits.training.error, null, { timeout: 45_000 });
    const training = await page.evaluate(() => window.digits.training);
    expect(training.error).toBeUndefined();
    expect(training.progress?.fraction).toBe(1);
    expect(training.framesWhileTraining).toBeGreaterThan(0);
    expect(await page.isChecked('#use-tab')).toBe(true);
    expect(await page.textContent('#train-status')).toMatch(/^Done in [\d.]+ s: \d+\.\d% of the 2,000 test digits right\.$/);
    const accuracy = Number((await page.textContent('#train-status'))!.match(/(\d+\.\d)%/)![1]);
    expect(accuracy).toBeGreaterThan(80);
    expect(await draw(page, ONE)).toBe(1);
    expect(problems).toEqual([]);
  });

  it('cancels training in the worker and keeps what was learnt so far', async () => {
    await page.selectOption('#epochs', '20');
    await page.click('#train');
    await page.waitForFunction(() => (window.digits.training.progress?.fraction ?? 0) > 0);
    await page.click('#cancel');
    await page.waitForFunction(() => window.digits.training.done || window.digits.training.error, null, { timeout: 45_000 });
    expect(await page.textContent('#train-status')).toMatch(/^Cancelled after \d+ epochs? /);
    expect(await page.evaluate(() => window.digits.training.progress!.fraction)).toBeLessThan(1);
    expect(problems).toEqual([]);
  });
});
