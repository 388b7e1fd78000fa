// Memory soaks: create/train/dispose cycles, with every disposed Network kept referenced so that dispose() itself
// must release the memory (garbage collection of dropped networks would hide a dispose() that does nothing).
// They take tens of seconds, so they run under `npm test` but not `npm run test:unit`.
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Network, NumpyRandom } from '../src/index.js';
import { XOR } from './helpers.js';

/** global.gc when node runs with --expose-gc; otherwise the same function obtained at run time. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

describe.each(['wasm', 'js'] as const)('memory across create/train/dispose cycles on the %s backend', (backend) => {
  // Each cycle builds a 32 → 64 → 4 network (about 2,400 parameters), stages 64 samples and trains one epoch in
  // batches of 16. Its heap (two parameter blocks, gradients, scratch for 16 rows, the staged data) is about 12,500
  // slots: one 64 KiB page of Wasm memory, or about 100 KiB of Float64Array on js. If dispose() freed nothing, the
  // 1,000 measured cycles would leak 1,000 × 64 KiB = 62.5 MiB on wasm and about 110 MiB on js.
  //
  // The disposed Network objects are all kept referenced, so it is dispose() itself that must release the memory
  // (garbage collection of dropped networks would hide a dispose() that does nothing). What a disposed object may
  // still hold (its spec and its random generator's 2.5 KB state) adds about 2.4 MiB over 1,000 cycles.
  //
  // V8 counts Wasm memories and ArrayBuffers in `external` (arrayBuffers is part of it), not in the JS heap.
  // Measured here: external +2.4 MiB with dispose(), +65 MiB (wasm) / +114 MiB (js) with dispose() made a no-op;
  // rss +20–28 MiB with dispose() (allocator and JIT code move it too), +87–113 MiB without. The bounds, 24 MiB on
  // external and 64 MiB on rss, sit well between the two.
  const CYCLES = 1000;
  const WARM_UP = 100;

  it(`does not grow over ${CYCLES} cycles after ${WARM_UP} warm-up cycles`, async () => {
    const gc = collector();
    const rng = new NumpyRandom(2024);
    const data = { inputs: rng.randn(64 * 32), targets: rng.random(64 * 4) };
    const kept: Network[] = [];
    const cycle = async (i: number) => {
      const net = await Network.create({ inputSize: 32,
        layers: [{ units: 64, activation: 'tanh' }, { units: 4, activation: 'sigmoid' }], seed: i, backend });
      net.trainSync(data, { epochs: 1, batchSize: 16 });
      net.dispose();
      kept.push(net);
    };
    const measure = () => {
      for (let i = 0; i < 3; i++) gc();
      const { rss, external } = process.memoryUsage();
      return { rss, external };
    };

    for (let i = 0; i < WARM_UP; i++) await cycle(i);
    const before = measure();
    for (let i = 0; i < CYCLES; i++) await cycle(WARM_UP + i);
    const after = measure();

    expect(kept).toHaveLength(WARM_UP + CYCLES);
    const MiB = 2 ** 20;
    expect((after.external - before.external) / MiB).toBeLessThan(24);
    expect((after.rss - before.rss) / MiB).toBeLessThan(64);
  });
});

describe('memory over 10,000 create/train/dispose cycles', () => {
  // Each cycle creates an XOR network (wasm and js alternately), trains it two epochs and disposes it. The disposed
  // objects stay referenced, so that dispose() itself must release their memory: a wasm network holds at least one
  // 64 KiB page, and 5,000 of them kept would be 312 MiB of external memory. What a disposed object still holds
  // (its spec, and its random generator's 2.5 KB of state in an ArrayBuffer, counted as external) adds about 25 MiB
  // over the 10,000.
  it('stays flat', async () => {
    const kept: Network[] = [];
    const gc = collector();
    const cycle = async (i: number) => {
      const net = await Network.create({ inputSize: 2, layers: [{ units: 4, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' }], seed: i, backend: i % 2 ? 'js' : 'wasm' });
      net.trainSync(XOR, { epochs: 2 });
      net.dispose();
      kept.push(net);
    };
    const measure = () => {
      for (let i = 0; i < 3; i++) gc();
      return process.memoryUsage();
    };
    for (let i = 0; i < 500; i++) await cycle(i);
    const before = measure();
    for (let i = 0; i < 10_000; i++) await cycle(500 + i);
    const after = measure();
    const MiB = 2 ** 20;
    expect((after.external - before.external) / MiB).toBeLessThan(48); // 2.5 KB of generator state per kept object: 24 MiB
    expect(kept).toHaveLength(10_500);
    expect((after.heapUsed - before.heapUsed) / MiB).toBeLessThan(48);
    expect((after.rss - before.rss) / MiB).toBeLessThan(64);
  }, 120_000);
});
