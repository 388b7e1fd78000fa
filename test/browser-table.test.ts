// The table page (web/table.html) and the Playground's CSV columns in real headless Chromium: the penguins sample
// trains to a held-out accuracy with its confusion matrix, a regression table (vega-datasets' cars) shows R² and
// its scatter, the one-row form predicts, the model file round-trips through Download and Open, a bad CSV is
// reported with its line, the page fits 390 px; the Playground takes a CSV with columns of any name.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TabularModel, readCsv } from '../src/io/table/index.js';
import { type Site, addAxe, browserAvailable, closeSite, downloadedText, openPage, screenshotPath, startSite, tabWalk } from './browser-harness.js';

interface TablePageHooks {
  ready: boolean;
  page: {
    curve: { epoch: number; loss: number; valLoss: number; metric: number }[];
    evaluation?: { task: string; accuracy?: number; r2?: number; rows: number };
    prediction?: { label?: string; probabilities?: Record<string, number>; value?: number };
    model?: { schema: { target: { name: string } } };
  };
}
declare const window: { tablePage: TablePageHooks; seenMidway?: { curve: number; trainDisabled: boolean; stopEnabled: boolean }; playground: { state: { dataset: string; classes: number; custom: { x: number; y: number; label: number }[] }; epoch: number; history: { trainAccuracy: number }[]; net: { outputSize: number } } };

/** vega-datasets' cars as CSV text (a real regression table with missing cells and a category). */
function carsCsv(): string {
  const records = JSON.parse(readFileSync(fileURLToPath(new URL('../node_modules/vega-datasets/data/cars.json',
    import.meta.url)), 'utf8')) as Record<string, unknown>[];
  const columns = Object.keys(records[0]);
  const quote = (v: unknown) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return [columns.join(','), ...records.map((r) => columns.map((c) => quote(r[c])).join(','))].join('\n') + '\n';
}

const file = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

/** Waits for the results card, or for an error, which fails the test with its text. */
async function results(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.getElementById('results-card')!.hidden ||
    !document.getElementById('error')!.hidden, undefined, { timeout: 90_000 });
  expect(await page.textContent('#error')).toBe('');
}

/** Clicks Train and waits for the results card. */
async function trainAndWait(page: Page): Promise<void> {
  await page.click('#train');
  await results(page);
}

/** axe-core's serious and critical violations on the page as it is now. */
async function axeSerious(page: Page): Promise<string[]> {
  await addAxe(page);
  const violations = await page.evaluate(() => (window as unknown as { axe: { run(): Promise<{ violations:
    { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run().then((r) => r.violations));
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}`);
}

/** Whether the document is wider than the window (a horizontal scroll bar). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe.skipIf(!browserAvailable)('the table page in Chromium', { timeout: 180_000 }, () => {
  let site: Site;
  beforeAll(async () => {
    site = await startSite();
  }, 120_000);
  afterAll(() => closeSite(site));

  /**
   * The table page, loaded afresh for each test in one tab: a navigation to a new document costs less than a new page
   * (a new browser context). `problems` are the new document's.
   */
  let tab: { page: Page; problems: string[] } | undefined;
  async function open(width = 1280, height = 900): Promise<{ page: Page; problems: string[] }> {
    if (!tab) {
      tab = await openPage(site, 'table.html', 'tablePage', { width, height });
      return tab;
    }
    await tab.page.setViewportSize({ width, height });
    tab.problems.length = 0;
    await tab.page.goto(`${site.server.url}table.html`);
    await tab.page.waitForFunction(() => window.tablePage?.ready);
    return tab;
  }

  it('trains on the penguins sample: columns reported, live curve, ≥ 90% held-out accuracy, a confusion matrix', async () => {
    const { page, problems } = await open();
    expect(await page.locator('h1').count()).toBe(1);
    await page.click('#sample');
    expect(await page.inputValue('#target')).toBe('Species');
    const rows = await page.locator('#columns-table tbody tr').evaluateAll((trs) => trs.map((tr) =>
      Array.from(tr.children).slice(1).map((c) => c.textContent)));
    expect(rows.map((r) => r[0])).toEqual(['Species', 'Island', 'Beak Length (mm)', 'Beak Depth (mm)',
      'Flipper Length (mm)', 'Body Mass (g)', 'Sex']);
    const byName = Object.fromEntries(rows.map((r) => [r[0], r]));
    expect(byName.Island.slice(1, 3)).toEqual(['category', '0']);
    expect(byName.Island[3]).toBe('Biscoe (168), Dream (124), Torgersen (52)');
    expect(byName.Island[4]).toBe('one-hot (3 categories)');
    expect(byName['Body Mass (g)'].slice(1, 3)).toEqual(['number', '2']);
    expect(byName['Body Mass (g)'][4]).toMatch(/^standardised \(mean 4202, std 80\d\.\d+\); 2 missing cells? imputed/);
    expect(byName.Species[4]).toMatch(/^target: /);
    expect(await page.locator('#notices li').allTextContents()).toContain('task: classification, because target "Species" holds words');

    // The curve grows while training runs (Train disabled, Stop enabled): the page runs between epochs. Stop is
    // clicked in the page when the status line first reports epoch 3 or later of a 2,000-epoch run (an observer of
    // it, set up before Train, called as the run lets the page in): a click from here arrives a few round trips
    // later, and polling the page by animation frames missed the whole run once on a busy machine.
    await page.fill('#epochs', '2000');
    await page.evaluate(() => {
      const status = document.getElementById('train-status')!;
      const observer = new MutationObserver(() => {
        const epoch = /^Epoch (\d+) of 2000:/.exec(status.textContent ?? '');
        if (!epoch || Number(epoch[1]) < 3) return;
        observer.disconnect();
        const stop = document.getElementById('stop') as HTMLButtonElement;
        window.seenMidway = { curve: window.tablePage.page.curve.length,
          trainDisabled: (document.getElementById('train') as HTMLButtonElement).disabled, stopEnabled: !stop.disabled };
        stop.click();
      });
      observer.observe(status, { childList: true, characterData: true, subtree: true });
    });
    await page.click('#train');
    await results(page);
    expect(await page.textContent('#train-status')).toMatch(/^Trained \d+ epochs \(stopped\) on \d+ rows\.$/);
    expect(await page.evaluate(() => window.tablePage.page.curve.length)).toBeLessThan(2000);
    const midway = await page.evaluate(() => window.seenMidway);
    expect(midway).toMatchObject({ trainDisabled: true, stopEnabled: true });
    expect(midway!.curve).toBeGreaterThanOrEqual(3);
    expect(midway!.curve).toBeLessThan(2000);

    await page.fill('#epochs', '40');
    await trainAndWait(page);
    const curve = await page.evaluate(() => window.tablePage.page.curve);
    expect(curve).toHaveLength(40);
    expect(curve[39].loss).toBeLessThan(curve[0].loss);
    expect(curve[39].metric).toBeGreaterThanOrEqual(0.9);
    expect(curve.every((p) => Number.isFinite(p.valLoss))).toBe(true);

    const evaluation = await page.evaluate(() => window.tablePage.page.evaluation!);
    expect(evaluation.task).toBe('classification');
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(await page.textContent('#accuracy')).toBe(`${(evaluation.accuracy! * 100).toFixed(1)}%`);
    const matrix = await page.locator('#confusion tbody tr').evaluateAll((trs) => trs.map((tr) =>
      Array.from(tr.querySelectorAll('td')).map((td) => Number(td.textContent))));
    expect(await page.locator('#confusion thead th').allTextContents()).toEqual(['actual ↓ predicted →', 'Adelie', 'Chinstrap', 'Gentoo']);
    expect(matrix).toHaveLength(3);
    const total = matrix.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(evaluation.rows);
    expect((matrix[0][0] + matrix[1][1] + matrix[2][2]) / total).toBeCloseTo(evaluation.accuracy!, 10);
    expect(await page.isVisible('#scatter-wrap')).toBe(false);
    expect(await page.isEnabled('#train')).toBe(true);
    await page.screenshot({ path: screenshotPath('table-1280'), fullPage: true });
    expect(await axeSerious(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('predicts one row from the form: a label with every class\'s probability, summing to 1; Download and Open keep it', async () => {
    const { page, problems } = await open();
    await page.click('#sample');
    await page.fill('#epochs', '30');
    await trainAndWait(page);
    const fields = await page.locator('#predict-inputs .field > span').allTextContents();
    expect(fields).toEqual(['Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex']);
    expect(await page.evaluate(() => document.querySelector('#predict-inputs select')?.tagName)).toBe('SELECT');
    // A Gentoo-like row typed in.
    await page.selectOption('[data-column="Island"]', 'Biscoe');
    await page.fill('[data-column="Beak Length (mm)"]', '47.5');
    await page.fill('[data-column="Beak Depth (mm)"]', '14.8');
    await page.fill('[data-column="Flipper Length (mm)"]', '217');
    await page.fill('[data-column="Body Mass (g)"]', '5200');
    await page.selectOption('[data-column="Sex"]', 'MALE');
    await page.click('#predict-form button[type="submit"]');
    expect(await page.textContent('#predicted-label')).toBe('Gentoo');
    const bars = await page.locator('.class-bar').evaluateAll((els) => els.map((e) => [(e as HTMLElement).dataset.label,
      Number((e as HTMLElement).dataset.probability)] as [string, number]));
    expect(bars.map(([label]) => label).sort()).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(bars[0][0]).toBe('Gentoo');
    expect(Math.abs(bars.reduce((sum, [, p]) => sum + p, 0) - 1)).toBeLessThan(1e-6);
    const inPage = await page.evaluate(() => window.tablePage.page.prediction!);

    // The downloaded file is a model Node loads and predicts the same row with.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('simdnet-Species.json');
    const json = await downloadedText(download);
    const model = await TabularModel.fromJSON(json);
    const row = { Island: 'Biscoe', 'Beak Length (mm)': '47.5', 'Beak Depth (mm)': '14.8', 'Flipper Length (mm)': '217',
      'Body Mass (g)': '5200', Sex: 'MALE' };
    const inNode = model.predict(row);
    expect(inNode).toMatchObject({ label: 'Gentoo' });
    if (!('probabilities' in inNode)) throw new Error('expected classes');
    for (const [label, p] of Object.entries(inNode.probabilities)) expect(Math.abs(p - inPage.probabilities![label])).toBeLessThan(1e-5);
    model.dispose();

    // Opened in a fresh page, the file predicts without any table.
    const fresh = await openPage(site, 'table.html', 'tablePage', { width: 1280, height: 900 });
    await fresh.page.setInputFiles('#model-file', { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    await fresh.page.waitForSelector('#predict-card:not([hidden])');
    expect(await fresh.page.isVisible('#columns-card')).toBe(false);
    await fresh.page.selectOption('[data-column="Island"]', 'Biscoe');
    for (const [column, value] of Object.entries(row).filter(([c]) => c !== 'Island' && c !== 'Sex')) {
      await fresh.page.fill(`[data-column="${column}"]`, value);
    }
    await fresh.page.selectOption('[data-column="Sex"]', 'MALE');
    await fresh.page.click('#predict-form button[type="submit"]');
    expect(await fresh.page.textContent('#predicted-label')).toBe('Gentoo');
    const reopened = await fresh.page.evaluate(() => window.tablePage.page.prediction!);
    expect(reopened.probabilities).toEqual(inPage.probabilities);
    expect([...problems, ...fresh.problems]).toEqual([]);
    await fresh.page.close();
  });

  it('trains a regression table (cars): R², MAE and RMSE on held-out rows and a predicted-against-actual scatter', async () => {
    const { page, problems } = await open();
    await page.setInputFiles('#csv-file', file('cars.csv', carsCsv()));
    await page.waitForSelector('#columns-card:not([hidden])');
    expect(await page.inputValue('#target')).toBe('Origin'); // the last column
    await page.selectOption('#target', 'Miles_per_Gallon');
    await page.uncheck('input[aria-label="Use Name as an input"]');
    expect(await page.textContent('#columns-table tbody tr:first-child td.encoding')).toBe('not used');
    expect(await page.locator('#notices li').allTextContents()).toContain('task: regression, because target "Miles_per_Gallon" holds numbers');
    await page.fill('#epochs', '80');
    await trainAndWait(page);
    expect(await page.textContent('#metric-title')).toBe('Validation R²');
    const evaluation = await page.evaluate(() => window.tablePage.page.evaluation!);
    expect(evaluation.task).toBe('regression');
    expect(evaluation.r2).toBeGreaterThan(0.75);
    expect(Number(await page.textContent('#r2'))).toBeCloseTo(evaluation.r2!, 3);
    expect(await page.isVisible('#scatter')).toBe(true);
    expect(await page.isVisible('#confusion-wrap')).toBe(false);
    // Dots were drawn: the scatter holds the accent colour.
    const blue = await page.evaluate(() => {
      const canvas = document.getElementById('scatter') as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 2] > 150 && data[i] < 120 && data[i + 3] > 0) count++;
      return count;
    });
    expect(blue).toBeGreaterThan(200);
    expect(await page.getAttribute('#scatter', 'aria-label')).toMatch(/^Predicted against actual values of \d+ test rows: R² /);
    const value = Number(await page.textContent('#predicted-value'));
    expect(value).toBeGreaterThan(5);
    expect(value).toBeLessThan(50);
    await page.screenshot({ path: screenshotPath('table-regression-1280'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('shows a bad CSV\'s problem with its line, and a one-class target with its column, never a stack trace', async () => {
    const { page, problems } = await open();
    await page.setInputFiles('#csv-file', file('ragged.csv', 'a,b,label\n1,2,x\n3,4\n5,6,y\n'));
    const error = page.locator('#error');
    await error.waitFor();
    const message = await error.textContent();
    expect(message).toContain('ragged.csv line 3: 2 fields, but the header has 3 columns');
    expect(message).not.toMatch(/\bat\s+\S+\s+\(|\.ts:\d+|\.js:\d+/);
    expect(await page.getAttribute('#error', 'role')).toBe('alert');
    expect(await page.isVisible('#columns-card')).toBe(false);

    await page.setInputFiles('#csv-file', file('one.csv', 'a,b,label\n1,2,x\n3,4,x\n5,6,x\n'));
    await page.waitForSelector('#columns-card:not([hidden])');
    expect(await error.textContent()).toContain('one.csv, column "label": the target has one class ("x")');
    expect(await page.isDisabled('#train')).toBe(true);

    await page.setInputFiles('#model-file', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"nope": 1}') });
    await page.waitForFunction(() => document.getElementById('error')!.textContent!.startsWith('broken.json: '));
    expect(problems).toEqual([]);
  });

  it('fits a 390 px screen with no horizontal scroll, one h1, named controls, a visible focus and no serious axe violation', async () => {
    const { page, problems } = await open(390, 844);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.click('#sample');
    await page.fill('#epochs', '20');
    await trainAndWait(page);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await page.locator('h1').count()).toBe(1);
    // Every control has a name.
    const unnamed = await page.locator('button:visible, input:visible, select:visible').evaluateAll((els) => els
      .filter((e) => {
        const labelled = (e as HTMLInputElement).labels?.length || e.getAttribute('aria-label') || (e.textContent ?? '').trim();
        return !labelled;
      }).map((e) => e.outerHTML.slice(0, 80)));
    expect(unnamed).toEqual([]);
    // The keyboard reaches the sample button and Train, and focus is outlined.
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    const reached = await tabWalk(page, 40);
    for (const id of ['choose-csv', 'sample', 'open-model', 'target', 'task', 'hidden', 'epochs', 'train']) {
      expect(reached[id], id).toMatch(/^(solid|auto) [2-9]/);
    }
    await page.screenshot({ path: screenshotPath('table-390'), fullPage: true });
    expect(await axeSerious(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe.skipIf(!browserAvailable)('the Playground\'s CSV columns in Chromium', () => {
  let site: Site;
  beforeAll(async () => {
    site = await startSite();
  }, 120_000);
  afterAll(() => closeSite(site));

  it('takes a CSV with columns of any name: the user picks x₁, x₂ and the label, and it trains', async () => {
    const { page, problems } = await openPage(site, 'playground.html#dataset=custom', 'playground', { width: 1280, height: 900 });
    // Two measured columns in centimetres (outside the map's ±6), a column to leave out, string classes last.
    const lines = ['id,length (cm),note,width (cm),kind'];
    for (let i = 0; i < 90; i++) {
      const kind = ['small', 'medium', 'large'][i % 3];
      const base = [10, 20, 30][i % 3];
      lines.push(`${i},${(base + (i % 7) * 0.5).toFixed(1)},"n, ${i}",${(base / 2 + (i % 5) * 0.4).toFixed(1)},${kind}`);
    }
    const csv = lines.join('\n');
    expect(readCsv(csv).columnNames).toEqual(['id', 'length (cm)', 'note', 'width (cm)', 'kind']);
    await page.setInputFiles('#csv', file('sizes.csv', csv));
    await page.waitForSelector('#csv-columns:not([hidden])');
    // Defaults: the first two numeric columns and the last column.
    expect(await page.inputValue('#csv-x1')).toBe('id');
    expect(await page.inputValue('#csv-x2')).toBe('length (cm)');
    expect(await page.inputValue('#csv-label')).toBe('kind');
    expect(await page.locator('#csv-x1 option').allTextContents()).toEqual(['id', 'length (cm)', 'width (cm)']);
    await page.selectOption('#csv-x1', 'length (cm)');
    await page.selectOption('#csv-x2', 'width (cm)');
    await page.waitForFunction(() => window.playground.state.custom.length === 90 && window.playground.state.classes === 3 &&
      window.playground.net.outputSize === 3);
    const custom = await page.evaluate(() => window.playground.state.custom);
    // Scaled into the map, classes in the labels' order (large, medium, small).
    expect(Math.max(...custom.map((p) => Math.abs(p.x)), ...custom.map((p) => Math.abs(p.y)))).toBeLessThanOrEqual(6);
    expect(custom.slice(0, 3).map((p) => p.label)).toEqual([2, 1, 0]);
    expect(await page.textContent('#csv-columns-note')).toContain('large = class 0');
    await page.selectOption('#speed', 'max');
    await page.click('#play');
    await page.waitForFunction(() => window.playground.epoch >= 60, undefined, { timeout: 45_000 });
    await page.click('#play');
    expect(await page.evaluate(() => window.playground.history.at(-1)!.trainAccuracy)).toBeGreaterThan(0.9);
    await page.screenshot({ path: screenshotPath('playground-csv-columns'), fullPage: false });
    // A column of words is not offered as a feature; a file with one numeric column is refused with a message.
    await page.setInputFiles('#csv', file('thin.csv', 'size,kind\n1,a\n2,b\n'));
    await page.waitForFunction(() => !document.getElementById('csv-error')!.hidden);
    expect(await page.textContent('#csv-error')).toContain('thin.csv: two numeric columns are needed');
    expect(problems).toEqual([]);
    await page.close();
  });
});
