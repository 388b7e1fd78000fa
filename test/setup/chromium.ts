// Global setup of the slow project: one Chromium for the whole run, shared by every browser test file of every worker
// (each test opens its own pages, each page in a fresh context). It starts in the background, so that the run does
// not wait for it; test/browser-harness.ts's launch() connects once it is up. Runs after test/setup/run-scratch.ts,
// in whose folder it writes the endpoint ("chromium", then "chromium.done") or why it could not start
// ("chromium.failed", which the browser tests then report).
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserServer, chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';

export const CHROMIUM = process.env.SIMDNET_CHROMIUM ?? '/usr/bin/chromium';
/** Browser tests run where Chromium is installed, and always in CI (where a missing Chromium is a failure). */
export const browserAvailable = existsSync(CHROMIUM) || Boolean(process.env.CI);

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export default function setup(project: TestProject): () => Promise<void> {
  const file = join(project.getProvidedContext().runScratch, 'chromium');
  const started: Promise<BrowserServer | undefined> = !browserAvailable ? Promise.resolve(undefined) :
    chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, host: '127.0.0.1' }).then((server) => {
      writeFileSync(`${file}.tmp`, server.wsEndpoint());
      renameSync(`${file}.tmp`, file);
      writeFileSync(`${file}.done`, '');
      return server;
    }, (error: unknown) => {
      writeFileSync(`${file}.failed`, error instanceof Error ? error.stack ?? error.message : String(error));
      return undefined;
    });
  return async () => {
    await (await started)?.close();
  };
}
