// Work that the test files of one run share, made once whichever worker asks first: that worker makes it in a
// folder of the run's scratch (test/setup/run-scratch.ts) while the others wait for it to be done (as they wait for
// the Chromium of test/setup/chromium.ts). Each run makes its own: nothing is kept from one run to the next.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';

/** How long a worker waits for what another makes: longer than any beforeAll would allow. */
const WAIT_MS = 600_000;

/** This run's scratch folder (test/setup/run-scratch.ts). */
function runScratch(): string {
  const scratch = inject('runScratch') as string | undefined;
  if (!scratch) throw new Error('no scratch folder for this run: run the slow tests through vitest.config.ts');
  return scratch;
}

/**
 * Waits until `name` of this run's scratch is made (`name`.done exists) by another worker or by a global setup, and
 * returns its path; throws what `name`.failed says if making it failed.
 */
export async function madeInRun(name: string): Promise<string> {
  const path = join(runScratch(), name);
  for (const start = Date.now(); !existsSync(`${path}.done`); await sleep(50)) {
    if (existsSync(`${path}.failed`)) throw new Error(`${name} failed:\n${readFileSync(`${path}.failed`, 'utf8')}`);
    if (Date.now() - start > WAIT_MS) throw new Error(`${name} was not made within ${WAIT_MS / 1000} s`);
  }
  return path;
}

/**
 * The folder `name` (a path relative to this run's scratch, whose parent exists) made by `make` (into the empty
 * folder it is given) in exactly one worker. A failure of `make` is thrown in every worker that waits for it.
 */
export async function onceInRun(name: string, make: (dir: string) => Promise<void> | void): Promise<string> {
  const dir = join(runScratch(), name);
  try {
    mkdirSync(dir); // atomic: the worker that creates the folder is the one that makes its content
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return madeInRun(name);
  }
  try {
    await make(dir);
  } catch (error) {
    writeFileSync(`${dir}.failed`, error instanceof Error ? error.stack ?? error.message : String(error));
    throw error;
  }
  writeFileSync(`${dir}.done`, '');
  return dir;
}
