// Runs before every test file: fast-check draws from the run's seed (test/setup/seed.ts), and a failing test
// prints that seed, so that `SIMDNET_SEED=<seed>` replays the failure.
import fc from 'fast-check';
import { beforeEach, inject } from 'vitest';

const seed = inject('seed');
fc.configureGlobal({ seed });

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => console.error(`failed with test seed ${seed}: SIMDNET_SEED=${seed} replays it`));
});
