// Work that the test files of one run share, made once whichever worker asks first: that worker makes it in a
// folder of the run's scratch (test/setup/run-scratch.ts) while the others wait for it to be done. Each file still
// gets a fresh result in each run: nothing is kept from one run to the next.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';

/** How long a worker waits for another to make what it needs: longer than any beforeAll would allow. */
const WAIT_MS = 600_000;

/**
 * The folder `name` (a path relative to this run's scratch, whose parent exists) made by `make` (into the empty
 * folder it is given) in exactly one worker. A failure of `make` is thrown in every worker that waits for it.
 */
export async function onceInRun(name: string, make: (dir: string) => Promise<void> | void): Promise<string> {
  const scratch = inject('runScratch') as string | undefined;
  if (!scratch) throw new Error('no scratch folder for this run: run the slow tests through vitest.config.ts');
  const dir = join(scratch, name);
  const done = `${dir}.done`;
  const failed = `${dir}.failed`;
  try {
    mkdirSync(dir); // atomic: the worker that creates the folder is the one that makes its content
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    for (const start = Date.now(); !existsSync(done); await sleep(50)) {
      if (existsSync(failed)) throw new Error(`${name}, made by another test file, failed:\n${readFileSync(failed, 'utf8')}`);
      if (Date.now() - start > WAIT_MS) throw new Error(`${name} was not made within ${WAIT_MS / 1000} s by another test file`);
    }
    return dir;
  }
  try {
    await make(dir);
  } catch (error) {
    writeFileSync(failed, error instanceof Error ? error.stack ?? error.message : String(error));
    throw error;
  }
  writeFileSync(done, '');
  return dir;
}
