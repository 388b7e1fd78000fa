// Shared by the browser tests: bundles built for the test into a directory of its own, the static server of
// web/server.mjs on an ephemeral port, and Debian's Chromium (the run's one, test/setup/chromium.ts) driven by
// playwright-core.
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type Download, type Page, chromium } from 'playwright-core';
import { madeInRun, onceInRun } from './setup/once.js';

export { browserAvailable } from './setup/chromium.js';

export const root = fileURLToPath(new URL('../', import.meta.url));
export const screenshots = fileURLToPath(new URL('../build/screenshots/', import.meta.url));

interface BuildResult {
  name: string;
  outdir: string;
  files: string[];
  metafile: {
    inputs: Record<string, unknown>;
    outputs: Record<string, {
      inputs: Record<string, unknown>;
      imports: { path: string; kind: string; external?: boolean }[];
      entryPoint?: string;
    }>;
  };
}
interface BuildModule {
  buildBundles(options: { only?: string[]; outRoot?: string }): Promise<BuildResult[]>;
}

/** Runs build.mjs's esbuild step for the named bundles into build/test-<dir>/ (not dist/ or web/build/). */
export async function buildInto(dir: string, only: string[]): Promise<{ outdir: string; results: BuildResult[] }> {
  const build = (await import(/* @vite-ignore */ new URL('../build.mjs', import.meta.url).href)) as BuildModule;
  const outdir = fileURLToPath(new URL(`../build/test-${dir}/`, import.meta.url));
  mkdirSync(outdir, { recursive: true });
  const results = await build.buildBundles({ only, outRoot: outdir });
  return { outdir, results };
}

export interface Server {
  url: string;
  close(): Promise<void>;
}
interface ServerModule {
  startServer(options: { root?: string; mounts?: Record<string, string>; port?: number }): Promise<Server>;
}

/** web/ served on 127.0.0.1 with /build/ mapped to `buildDir` (and any other mounts). */
export async function serveSite(mounts: Record<string, string>): Promise<Server> {
  const server = (await import(/* @vite-ignore */ new URL('../web/server.mjs', import.meta.url).href)) as ServerModule;
  return server.startServer({ mounts });
}

/**
 * A connection to the run's Chromium, once it is up. Its close() closes the pages this connection opened and
 * disconnects; Chromium itself stops at the end of the run.
 */
export async function launch(): Promise<Browser> {
  return chromium.connect(readFileSync(await madeInRun('chromium'), 'utf8'));
}

/** A download's content as text (Download.path() is not there for a browser connected to over the network). */
export async function downloadedText(download: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The pages of web/ served from a fresh build, and a Chromium to open them in. */
export interface Site {
  server: Server;
  browser: Browser;
}

/** Where startSite's server serves node_modules/axe-core/ (see addAxe). */
const AXE_MOUNT = '/test-axe-core/';

/**
 * Serves web/ with the web bundles as /build/ (and axe-core for addAxe), and connects to the run's Chromium. The bundles are built once per
 * run, into the run's scratch folder, for every page test of the run.
 */
export async function startSite(): Promise<Site> {
  const outdir = await onceInRun('web', async (dir) => {
    const build = (await import(/* @vite-ignore */ new URL('../build.mjs', import.meta.url).href)) as BuildModule;
    await build.buildBundles({ only: ['web'], outRoot: dir });
  });
  const server = await serveSite({ '/build/': outdir, [AXE_MOUNT]: `${root}node_modules/axe-core/` });
  try {
    return { server, browser: await launch() };
  } catch (error) {
    await server.close(); // the caller gets no Site to close
    throw error;
  }
}

/** Closes what startSite started; `site` is undefined when startSite failed. */
export async function closeSite(site: Site | undefined): Promise<void> {
  await site?.browser.close();
  await site?.server.close();
}

/**
 * Opens `path` of the site in a new page, collecting its problems from the start, and waits until the page's
 * `window[api].ready` is set.
 */
export async function openPage(site: Site, path: string, api: string, viewport: { width: number; height: number }):
  Promise<{ page: Page; problems: string[] }> {
  const page = await site.browser.newPage({ viewport });
  const problems = collectProblems(page);
  await page.goto(`${site.server.url}${path}`);
  // Runs in the page, so it can only read what it is passed.
  const ready = (name: string) => (window as unknown as Record<string, { ready?: boolean } | undefined>)[name]?.ready;
  await page.waitForFunction(ready, api);
  return { page, problems };
}

/** Everything a page reports as wrong: console errors, uncaught exceptions, failed or refused requests. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    // ERR_ABORTED is a request cut short on purpose: by a navigation or reload, or a download handed over.
    const error = request.failure()?.errorText ?? '';
    if (error !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} ${error}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

export function screenshotPath(name: string): string {
  mkdirSync(screenshots, { recursive: true });
  return `${screenshots}${name}.png`;
}

/**
 * Clicks `selector` `times` times: the first as page.click does (scrolled into view, visible, enabled, stable), the
 * others with the mouse at the same spot, without those checks again (a few round trips to the page per click).
 */
export async function clickTimes(page: Page, selector: string, times: number): Promise<void> {
  await page.click(selector);
  const box = (await page.locator(selector).boundingBox())!;
  for (let i = 1; i < times; i++) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/**
 * Adds axe-core (window.axe) to a page of startSite's site, unless it is there already. It is loaded by URL: Chromium
 * takes about twice as long over the same script passed as text.
 */
export async function addAxe(page: Page): Promise<void> {
  if (await page.evaluate(() => 'axe' in window)) return;
  await page.addScriptTag({ url: `${AXE_MOUNT}axe.min.js` });
}

/**
 * Presses Tab `presses` times and returns, for each element focused on the way, its outline while focused
 * (`outline-style outline-width`), keyed by its id (or data-feature / data-dataset, or its tag name).
 */
export async function tabWalk(page: Page, presses: number): Promise<Record<string, string>> {
  const reached: Record<string, string> = {};
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    const seen = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { what: el.id || el.dataset.feature || el.dataset.dataset || el.tagName, outline: `${style.outlineStyle} ${style.outlineWidth}` };
    });
    reached[seen.what] = seen.outline;
  }
  return reached;
}
