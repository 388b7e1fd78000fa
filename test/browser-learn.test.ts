// The learn page in real headless Chromium: every section draws, its numbers are the tutorials' (the valley's bottom
// at w = 1.7, Grokking's printed lines, the Primer's nineteen values, the hill of examples/xiaolan.ts), the mini
// playgrounds stall or learn as the slides say, the keyboard reaches every control, and a phone's 390 px width needs
// no sideways scrolling. Screenshots at 1280 and 390 go to build/screenshots/learn-{1280,390}.png.
// Each lesson's test touches only its own section, so those tests share one loaded page; the keyboard, the phone and
// axe share another (the keyboard's first, on the page as loaded).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hill as xiaolanHill } from '../examples/xiaolan.js';
import type { Network } from '../src/index.js';
import { expectClose } from './helpers.js';
import {
  type Site, addAxe, browserAvailable, clickTimes, closeSite, collectProblems, openPage, screenshotPath, startSite, tabWalk,
} from './browser-harness.js';
import { GD_ALPHA_LAST_PREDICTION, GD_DIVERGES, GD_LEARNS, HOT_COLD_FIRST, HOT_COLD_LAST, NIELSEN_111 } from './tutorial-numbers.js';

/** What the page exposes as window.learn (see web/src/learn.ts); only what the tests read. */
interface LearnApi {
  ready: boolean;
  oneWeight: { w: number; log: string[]; bottom: number; errorAt(w: number): number; slope(): number; step(): void };
  bias: { path: { w: number; b: number }[]; many: { inputs: number[][]; targets: number[][] }; train(epochs: number): void };
  sigmoid: { w: number; b: number; boundary: number };
  hill: { net: Network; epoch: number; train(epochs: number): void };
  minis: { model: { epoch: number; metrics: { testAccuracy: number } }; train(epochs: number): void }[];
}
declare const window: { learn: LearnApi };

const SECTIONS = ['one-weight', 'hot-cold', 'bias', 'sigmoid', 'hill', 'backprop', 'two-d'];

describe.skipIf(!browserAvailable)('the learn page in Chromium', () => {
  let site: Site;
  beforeAll(async () => {
    site = await startSite();
  }, 120_000);
  afterAll(() => closeSite(site));

  const open = () => openPage(site, 'learn.html', 'learn', { width: 1280, height: 900 });

  /** Canvas pixels that are not blank: every figure draws something. */
  const inkedPixels = (page: Page, id: string) => page.$eval(`#${id}`, (canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let inked = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
    return inked;
  });

  describe('one page, each lesson in its own section', () => {
    let page: Page;
    let problems: string[];
    beforeAll(async () => {
      ({ page, problems } = await open());
    }, 120_000);
    afterAll(() => page?.close());

    it('loads without a problem, one h1, every section drawn, and links from the other pages', async () => {
      expect(await page.locator('h1').count()).toBe(1);
      expect(await page.locator('main section.lesson').evaluateAll((s) => s.map((e) => e.id))).toEqual(SECTIONS);
      for (const id of ['bean-plot', 'hc-plot', 'bias-plot', 'sig-plot', 'hill-hidden', 'hill-sum', 'hill-output',
        'mini-circle-map', 'mini-spiral-map']) {
        expect(await inkedPixels(page, id), id).toBeGreaterThan(1000);
      }
      // Every lesson cites its source, with a link where the source has a public address (the slide deck has none).
      for (const id of SECTIONS) expect(await page.locator(`#${id} .source`).count(), id).toBe(1);
      for (const id of ['one-weight', 'hot-cold', 'backprop', 'two-d']) {
        expect(await page.locator(`#${id} .source a`).count(), id).toBeGreaterThan(0);
      }
      // The other pages in a page of their own: the learn page stays loaded for the lessons' tests.
      const elsewhere = await site.browser.newPage();
      const problemsElsewhere = collectProblems(elsewhere);
      for (const other of ['index.html', 'playground.html', 'digits.html']) {
        await elsewhere.goto(`${site.server.url}${other}`);
        expect(await elsewhere.locator('header a[href="learn.html"]').count(), other).toBe(1);
      }
      await elsewhere.close();
      expect([...problems, ...problemsElsewhere]).toEqual([]);
    });

    it('one weight: gradient descent on the bean slides to the bottom at w = 1.7, where the slope is 0', async () => {
      expect(await page.textContent('#bean-problem')).toContain('w = y / x = 1.7');
      await clickTimes(page, '#bean-step', 60);
      const { w, slope, log } = await page.evaluate(() => ({ w: window.learn.oneWeight.w, slope: window.learn.oneWeight.slope(), log: window.learn.oneWeight.log }));
      expect(Math.abs(w - 1.7)).toBeLessThan(1e-9);
      expect(Math.abs(slope)).toBeLessThan(1e-9);
      expect(log).toHaveLength(61);
      // The curve simdnet draws is lowest there.
      const errors = await page.evaluate(() => [1.6, 1.69, 1.7, 1.71, 1.8].map((w) => window.learn.oneWeight.errorAt(w)));
      expect(errors[2]).toBeLessThan(1e-20);
      expect(Math.min(...errors)).toBe(errors[2]);
    });

    it('one weight: the divergence preset prints the book’s lines, and stepping the figure repeats them', async () => {
      await page.click('#bean-preset-diverge');
      await page.waitForFunction(() => document.getElementById('bean-printed-lines')!.textContent !== '');
      expect((await page.textContent('#bean-printed-lines'))!.split('\n'))
        .toEqual([...GD_DIVERGES.first, '....', ...GD_DIVERGES.last]);
      await clickTimes(page, '#bean-step', 19);
      const log = await page.evaluate(() => window.learn.oneWeight.log);
      expect([...log.slice(0, 3), ...log.slice(-3)]).toEqual([...GD_DIVERGES.first, ...GD_DIVERGES.last]);
      expect(await page.textContent('#bean-regime')).toMatch(/^Diverges/);

      await page.click('#bean-preset-alpha');
      await page.waitForFunction(() => document.getElementById('bean-printed-lines')!.textContent!.startsWith('Error:0.04'));
      expect((await page.textContent('#bean-printed-lines'))!.split('\n').at(-1))
        .toMatch(new RegExp(` Prediction:${String(GD_ALPHA_LAST_PREDICTION).replace('.', '\\.')}$`));
    });

    it('hot and cold vs gradient descent: the book’s first and last lines at their iterations', async () => {
      const lines = async () => [await page.textContent('#hc-hot-line'), await page.textContent('#hc-gd-line')];
      expect(await lines()).toEqual([HOT_COLD_FIRST[0], GD_LEARNS.first[0]]);
      await page.focus('#hc-iteration');
      await page.keyboard.press('ArrowRight');
      expect(await lines()).toEqual([HOT_COLD_FIRST[1], GD_LEARNS.first[1]]);
      await page.$eval('#hc-iteration', (el) => {
        (el as HTMLInputElement).value = '19';
        el.dispatchEvent(new Event('input'));
      });
      expect((await lines())[1]).toBe(GD_LEARNS.last[2]);
      await page.keyboard.press('End');
      expect((await lines())[0]).toBe(HOT_COLD_LAST[1]);
    });

    it('the bias: gradient descent reaches the least-squares line on twenty beans, and the trough’s floor on one', async () => {
      const end = await page.evaluate(() => {
        window.learn.bias.train(1000);
        return window.learn.bias.path.at(-1)!;
      });
      const { inputs, targets } = await page.evaluate(() => window.learn.bias.many);
      const xs = inputs.map(([x]) => x), ys = targets.map(([y]) => y);
      const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
      const [mx, my] = [mean(xs), mean(ys)];
      const w = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
      expect(Math.abs(end.w - w)).toBeLessThan(1e-3);
      expect(Math.abs(end.b - (my - w * mx))).toBeLessThan(1e-3);

      // Play takes a few frames' steps live; train() takes the rest of the 200 (Play's own step, without a drawing each).
      await page.click('#bias-one');
      await page.click('#bias-play');
      await page.waitForFunction(() => window.learn.bias.path.length > 20);
      await page.click('#bias-play');
      const trough = await page.evaluate(() => {
        window.learn.bias.train(201 - window.learn.bias.path.length);
        return window.learn.bias.path.at(-1)!;
      });
      expect(Math.abs(0.4 * trough.w + trough.b - 0.68)).toBeLessThan(1e-6);
    });

    it('the sigmoid: the sliders move the 0.5 boundary to −b/w; fitting puts every bean on its side', async () => {
      await page.$eval('#sig-w', (el) => {
        (el as HTMLInputElement).value = '10';
        el.dispatchEvent(new Event('input'));
      });
      await page.$eval('#sig-b', (el) => {
        (el as HTMLInputElement).value = '-3';
        el.dispatchEvent(new Event('input'));
      });
      expect(await page.textContent('#sig-readout')).toContain('x = −b/w = 0.300');
      await page.focus('#sig-b');
      await page.keyboard.press('ArrowLeft');
      expect(await page.evaluate(() => window.learn.sigmoid.b)).toBeCloseTo(-3.1, 10);
      expect(await page.textContent('#sig-readout')).toContain('x = −b/w = 0.310');
      await page.click('#sig-fit');
      expect(await page.textContent('#sig-readout')).toContain('20 of 20 beans');
      const boundary = await page.evaluate(() => window.learn.sigmoid.boundary);
      expect(Math.abs(boundary - 0.5)).toBeLessThan(0.05);
    });

    it('the hill: trained live, the 1→2→1 network ends where examples/xiaolan.ts’s does', async () => {
      await page.click('#hill-play');
      await page.waitForFunction(() => window.learn.hill.epoch >= 200);
      await page.click('#hill-play');
      const curve = await page.evaluate(() => {
        window.learn.hill.train(5000);
        return { epoch: window.learn.hill.epoch, curve: Array.from(window.learn.hill.net.predictBatch([[0.1], [0.5], [0.9]])) };
      });
      expect(curve.epoch).toBe(5000);
      const expected = await xiaolanHill('js', () => {});
      // Trained in chunks of epochs rather than in one call: the same steps, equal to float64 rounding.
      expectClose(curve.curve, expected.curve, { rel: 1e-9 });
      expect(await page.textContent('#hill-readout')).toContain('30 of 30 beans right');
    });

    it('backpropagation by hand: step by step, the nineteen values are the tutorial’s, digit for digit', async () => {
      expect(await page.locator('#bp-values li:not(.pending)').count()).toBe(0);
      const revealed: number[] = [];
      for (let i = 0; i < 8; i++) {
        await page.click('#bp-next');
        revealed.push(await page.locator('#bp-values li:not(.pending)').count());
      }
      expect(revealed).toEqual([2, 4, 7, 9, 11, 13, 17, 19]);
      const shown = await page.locator('#bp-values li').evaluateAll((items) =>
        items.map((li) => [(li as HTMLElement).dataset.name, li.querySelector('.bp-value')!.textContent]));
      expect(Object.fromEntries(shown)).toEqual(NIELSEN_111);
      expect(shown.map(([name]) => name)).toEqual(Object.keys(NIELSEN_111));
      // The diagram carries the updated parameters at the end.
      expect(await page.textContent('#bp-w1')).toBe('w¹ = 1.5807');
      expect(await page.textContent('#bp-b2')).toBe('b² = -0.1081');
    });

    it('two dimensions: 3×4 sigmoid stalls on the spiral, 3×8 ReLU learns it; 3 sigmoid neurons close the circle', async () => {
      // Play trains and draws a few frames live; train() takes the same frames' steps on to `epochs`, drawing once.
      const train = async (index: number, epochs: number) => {
        await page.click(`#mini-${index === 0 ? 'circle' : 'spiral'}-play`);
        await page.waitForFunction((i) => window.learn.minis[i].model.epoch >= 25, index);
        return page.evaluate(([i, e]) => {
          const mini = window.learn.minis[i];
          mini.train(e - mini.model.epoch);
          return mini.model.metrics.testAccuracy;
        }, [index, epochs] as const);
      };
      expect(await train(0, 600)).toBeGreaterThanOrEqual(0.95);
      expect(await train(1, 1000)).toBeLessThan(0.7);
      await page.selectOption('#mini-spiral-net', 'relu-8');
      await page.waitForFunction(() => window.learn.minis[1].model.epoch === 0);
      expect(await train(1, 1500)).toBeGreaterThanOrEqual(0.9);
    });
  });

  describe('one more page: as loaded for the keyboard, then at 1280 and 390 for the phone and axe', () => {
    let page: Page;
    let problems: string[];
    beforeAll(async () => {
      ({ page, problems } = await open());
    }, 120_000);
    afterAll(() => page?.close());

    it('the keyboard reaches every control in order, with a visible focus ring; sliders move with the arrows', async () => {
      const controls = await page.locator('main :is(button, input, select):not([disabled])').evaluateAll((els) => els.map((e) => e.id));
      const reached = await tabWalk(page, controls.length + 40);
      for (const id of controls) expect(reached[id], id).toBeDefined();
      for (const id of controls) expect(reached[id], id).not.toMatch(/^none /);
      await page.focus('#bean-w');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      expect(await page.evaluate(() => window.learn.oneWeight.w)).toBeCloseTo(0.02, 10);
    });

    it('fits a phone: no sideways scrolling at 390 px; screenshots at 1280 and 390', async () => {
      // A few steps taken, so that the pictures show something happening.
      await clickTimes(page, '#bean-step', 3);
      await page.evaluate(() => window.learn.bias.train(60));
      await page.evaluate(() => window.learn.hill.train(5000));
      await page.click('#bp-all');
      // The page as loaded at 1280, then turned into a phone's 390 (the a11y test loads it at 390).
      for (const [width, height] of [[1280, 900], [390, 844]]) {
        await page.setViewportSize({ width, height });
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${width}`).toBeLessThanOrEqual(width);
        await page.screenshot({ path: screenshotPath(`learn-${width}`), fullPage: true });
        // The README's picture: the page's first screen.
        if (width === 1280) {
          await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
          await page.screenshot({ path: screenshotPath('learn-1280-top') });
        }
      }
      expect(problems).toEqual([]);
    });

    const axePath = (() => {
      try {
        return createRequire(import.meta.url).resolve('axe-core');
      } catch {
        return undefined;
      }
    })();
    // On the page with its figures stepped, trained and revealed (the a11y test runs axe on the page as loaded).
    it.skipIf(!axePath || !existsSync(axePath))('axe-core finds no serious or critical violation at 1280 and 390', async () => {
      await addAxe(page);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe;
          const result = await axe.run();
          return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
        });
        expect(violations, `${width}`).toEqual([]);
      }
    });
  });
});
