// Global setup of the slow project: a scratch folder for this test run, where test/setup/once.ts keeps what the
// test files of the run share (one packed tarball, one npm install, one build of the pages) whichever worker runs
// them. Removed at the end of the run unless SIMDNET_KEEP is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    runScratch: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'simdnet-run-'));
  project.provide('runScratch', dir);
  return () => {
    if (process.env.SIMDNET_KEEP) console.log(`kept the run's scratch folder ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
}
