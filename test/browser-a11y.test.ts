// Every page of web/ in Chromium at a desktop's 1280 and a phone's 390 px: axe-core finds no serious or critical
// violation, nothing scrolls sideways, one <h1>; each page's screenshot is saved (build/screenshots/page-<page>-<width>.png).
// Then the Playground by keyboard: named sliders, features that toggle with Enter and Space, visible focus, and
// metrics announced by a polite summary rather than every frame.
// Each page is loaded once, at 390 px, and shared by its tests, which resize it (the learn test loads it at 1280).
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Site, addAxe, browserAvailable, closeSite, collectProblems, root, screenshotPath, startSite, tabWalk,
} from './browser-harness.js';

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }[];
}
declare const window: Record<string, { ready?: boolean } | undefined> & { axe: { run(): Promise<AxeResult> } };

/** The pages, and the window property each sets ready once it has drawn (the landing page has none). */
const PAGES: [string, string | undefined][] = [
  ['index', undefined], ['playground', 'playground'], ['digits', 'digits'],
  ...(existsSync(`${root}web/learn.html`) ? [['learn', 'learn'] as [string, string]] : []),
];

describe.skipIf(!browserAvailable)('the pages, for everyone and on every screen', () => {
  let site: Site;
  beforeAll(async () => {
    site = await startSite();
  }, 120_000);
  afterAll(() => closeSite(site));

  async function open(name: string, width: number, height = 844): Promise<{ page: Page; problems: string[] }> {
    const page = await site.browser.newPage({ viewport: { width, height } });
    const problems = collectProblems(page);
    await page.goto(`${site.server.url}${name}.html`);
    const api = PAGES.find(([n]) => n === name)?.[1];
    if (api) await page.waitForFunction((a) => window[a]?.ready, api, { timeout: 60_000 });
    await page.evaluate(() => document.fonts.ready);
    return { page, problems };
  }

  const loaded = new Map<string, Promise<{ page: Page; problems: string[] }>>();
  /** The page `name` as loaded at 390 px by its first test, at `width` × `height`. */
  async function shared(name: string, width: number, height = 844): Promise<{ page: Page; problems: string[] }> {
    if (!loaded.has(name)) loaded.set(name, open(name, 390));
    const opened = await loaded.get(name)!;
    await opened.page.setViewportSize({ width, height });
    return opened;
  }
  async function done(name: string): Promise<void> {
    const opened = loaded.get(name);
    loaded.delete(name);
    await (await opened)?.page.close();
  }
  afterAll(async () => {
    for (const name of [...loaded.keys()]) await done(name);
  });

  for (const [name] of PAGES) {
    for (const width of [390, 1280]) {
      it(`${name} at ${width} px: no serious axe violation, no sideways scroll, one <h1>`, async () => {
        const { page, problems } = await shared(name, width);
        await page.waitForTimeout(300);
        await page.screenshot({ path: screenshotPath(`page-${name}-${width}`), fullPage: true });
        const layout = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          header: document.querySelector('header.masthead')!.getBoundingClientRect().width,
          h1: document.querySelectorAll('h1').length,
        }));
        expect(layout.scrollWidth).toBeLessThanOrEqual(width);
        expect(layout.header).toBe(width);
        expect(layout.h1).toBe(1);
        await addAxe(page);
        const result = await page.evaluate(() => window.axe.run());
        const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}`);
        const minor = result.violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
        console.log(`axe ${name} ${width}px: ${result.violations.length} violations` +
          (minor.length ? ` (${minor.map((v) => `${v.impact} ${v.id}`).join(', ')})` : ''));
        expect(serious).toEqual([]);
        expect(problems).toEqual([]);
        // The Playground and the digits page have more tests below.
        if (width === 1280 && name !== 'playground' && name !== 'digits') await done(name);
      }, 90_000);
    }
  }

  it('shows the digits page\'s scores on a phone, and the Playground\'s data tiles whole at 1024 px', async () => {
    const digits = await shared('digits', 390);
    const scores = (await digits.page.locator('.scores').boundingBox())!;
    expect(scores.x).toBeGreaterThanOrEqual(0);
    expect(scores.x + scores.width).toBeLessThanOrEqual(390);

    const { page, problems } = await shared('playground', 1024, 800);
    const tiles = await page.locator('.tile').evaluateAll((els) => els.map((tile) => {
      const card = tile.closest('.card')!.getBoundingClientRect();
      const box = tile.getBoundingClientRect();
      const inside = Array.from(tile.children).every((child) => {
        const r = child.getBoundingClientRect();
        return r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && child.scrollWidth <= child.clientWidth + 0.5;
      });
      return { name: tile.textContent, inside, inCard: box.left >= card.left && box.right <= card.right };
    }));
    expect(tiles.length).toBe(7);
    for (const tile of tiles) expect(tile, tile.name!).toEqual(expect.objectContaining({ inside: true, inCard: true }));
    expect(problems).toEqual([]);
  });

  it('gives the Playground\'s controls names, keyboard access and a visible focus', async () => {
    const { page, problems } = await shared('playground', 1280, 800);
    for (const name of ['Training data', 'Noise', 'Points']) {
      expect(await page.getByRole('slider', { name }).count(), name).toBe(1);
    }
    // A feature is a toggle button: Enter turns X₁² on, Space turns it off again, and focus stays on it.
    const feature = page.locator('canvas[data-feature="xx"]');
    expect(await feature.getAttribute('role')).toBe('button');
    expect(await feature.getAttribute('aria-pressed')).toBe('false');
    await feature.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window.playground as unknown as { state: { features: string[] } }).state.features.includes('xx'));
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.feature)).toBe('xx');
    expect(await page.locator('canvas[data-feature="xx"]').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => !(window.playground as unknown as { state: { features: string[] } }).state.features.includes('xx'));
    expect(await page.evaluate(() => (window.playground as unknown as { app: { playing: boolean } }).app.playing)).toBe(false);

    // "Load CSV…" is reached by Tab and opens the file chooser from the keyboard.
    const load = page.getByRole('button', { name: 'Load CSV…' });
    expect(await load.evaluate((el) => el.tabIndex)).toBe(0);
    await load.focus();
    const chooser = page.waitForEvent('filechooser', { timeout: 5000 });
    await page.waitForTimeout(200); // Playwright starts intercepting file choosers a moment after the listener
    await page.keyboard.press('Enter');
    expect(await chooser).toBeTruthy();

    // Focus reached by the keyboard shows an outline on menus, buttons, sliders, tiles and features.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    const outlined = await tabWalk(page, 60);
    for (const id of ['learningRate', 'optimizer', 'play', 'step', 'ratio', 'seed', 'circle', 'x']) {
      expect(outlined[id], id).toMatch(/^(solid|auto) [2-9]/);
    }
    expect(problems).toEqual([]);
  });

  it('announces the Playground\'s metrics politely, at most every second or two, not every frame', async () => {
    const { page, problems } = await shared('playground', 1280, 800);
    const perFrame = ['epoch', 'test-loss', 'train-loss', 'test-accuracy', 'train-accuracy'];
    const inLiveRegion = await page.evaluate((ids) => ids.filter((id) =>
      document.getElementById(id)!.closest('[aria-live]:not([aria-live="off"]), [role="status"], [role="log"], [role="alert"], output')),
    perFrame);
    expect(inLiveRegion).toEqual([]);
    const summary = page.locator('[aria-live="polite"]#summary');
    expect(await summary.count()).toBe(1);
    await page.evaluate(() => {
      const changes: number[] = [];
      (window as unknown as { changes: number[] }).changes = changes;
      new MutationObserver(() => changes.push(performance.now()))
        .observe(document.getElementById('summary')!, { childList: true, characterData: true, subtree: true });
    });
    await page.selectOption('#speed', 'max');
    await page.click('#play');
    await page.waitForTimeout(4000);
    await page.click('#play');
    const changes = await page.evaluate(() => (window as unknown as { changes: number[] }).changes);
    expect(changes.length).toBeGreaterThanOrEqual(2);
    expect(changes.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < changes.length; i++) expect(changes[i] - changes[i - 1]).toBeGreaterThan(900);
    expect(await summary.textContent()).toMatch(/^Epoch [\d,]+: test loss \d+\.\d{3}/);
    expect(problems).toEqual([]);
    await done('playground');
  });

  it('names the digits page\'s progress bar', async () => {
    const { page, problems } = await shared('digits', 1280, 800);
    expect(await page.getByRole('progressbar', { name: 'Training progress' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await done('digits');
  });
});
