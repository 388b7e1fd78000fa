// `threads: n` computes exactly what one thread computes: the kernels split only outputs (rows of samples, rows of
// weights, ranges of parameters, rows of a gathered batch), never a sum. Checked bit for bit against one thread for
// 1, 2 and 3 workers, with the size thresholds lowered so that every product, pass and gather is split (into several
// chunks per thread, or one), on shapes that are not multiples of the kernels' tiles (4 or 5 rows, 8 columns). The
// chooser, which decides split or whole by timing both, is checked on a clock of its own.

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WasmBackend } from '../src/backends/wasm/backend.js';
import { Chooser, split } from '../src/backends/wasm/threads/chooser.js';
import { Network, NumpyRandom } from '../src/index.js';
import { Engine } from '../src/core/engine.js';
import { type NetworkSpec, resolveSpec } from '../src/core/spec.js';
import { type Check, type JobTrace, threadTuning } from '../src/backends/wasm/threads/tuning.js';

const tuning = { ...threadTuning };
beforeAll(() => {
  threadTuning.minimumFlops = 0;
  threadTuning.minimumParameters = 0;
  threadTuning.chunkFlops = 1; // as many chunks as chunksPerThread allows, however small the job
  threadTuning.chunkParameters = 1;
  threadTuning.spinMs = 0.1; // test machines may have fewer free cores than threads: sleep rather than spin
  threadTuning.adaptive = false; // split every time, however fast
});
afterAll(() => Object.assign(threadTuning, tuning));

const WORKERS = [1, 2, 3];

/** Every weight and bias, and the predictions, as plain arrays: compared with toEqual, bit for bit. */
function snapshot(network: Network, inputs: Float32Array): { layers: number[][]; predictions: number[] } {
  return {
    layers: network.getWeights().flatMap((layer) => [Array.from(layer.weights), Array.from(layer.biases)]),
    predictions: Array.from(network.predictBatch(inputs)),
  };
}

describe('threads', () => {
  const rng = new NumpyRandom(11);
  const samples = 61;
  const inputs = Float32Array.from(rng.randn(samples * 37));
  const targets = new Float32Array(samples * 5);
  for (let r = 0; r < samples; r++) targets[r * 5 + ((r * 7) % 5)] = 1;

  const specs: [string, NetworkSpec][] = [
    ['plain SGD (fused gradient and step)', {
      inputSize: 37, layers: [{ units: 29, activation: 'relu' }, { units: 13, activation: 'tanh' }, { units: 5, activation: 'softmax' }],
      loss: 'categoricalCrossEntropy', optimizer: { type: 'sgd', learningRate: 0.05 }, seed: 3,
    }],
    ['momentum with l2 (gradient, then one pass)', {
      inputSize: 37, layers: [{ units: 23, activation: 'sigmoid' }, { units: 5, activation: 'sigmoid' }],
      loss: 'quadratic', optimizer: { type: 'sgd', learningRate: 0.5, momentum: 0.9 }, regularization: { l2: 1e-3 },
      seed: 4,
    }],
    ['adam', {
      inputSize: 37, layers: [{ units: 30, activation: 'leakyRelu' }, { units: 5, activation: 'softmax' }],
      loss: 'categoricalCrossEntropy', optimizer: { type: 'adam', learningRate: 0.01 }, seed: 5,
    }],
  ];

  it.each(specs)('trains bit-identically to one thread: %s', async (_name, spec) => {
    const train = async (threads: number) => {
      const network = await Network.create({ ...spec, threads });
      network.trainSync({ inputs, targets }, { epochs: 2, batchSize: 23 });
      const result = snapshot(network, inputs);
      network.dispose();
      return result;
    };
    const single = await train(1);
    for (const workers of WORKERS) expect(await train(workers + 1), `${workers} workers`).toEqual(single);
  });

  it.each([['several chunks per thread', 1], ['one chunk per thread (a small job)', 2 ** 40]])(
    'splits each product kernel without changing a bit, at ragged shapes: %s', async (_name, chunkFlops) => {
    threadTuning.chunkFlops = chunkFlops;
    const one = await WasmBackend.create();
    const many = await Promise.all(WORKERS.map((workers) => WasmBackend.create({ threads: workers + 1 })));
    for (const [rows, inner, cols] of [[9, 13, 7], [23, 37, 11], [6, 33, 45], [17, 5, 3]]) {
      const data = new NumpyRandom(rows * 100 + inner).randn(rows * inner + inner * cols + cols + rows * cols);
      const results = [one, ...many].map((backend) => {
        const base = backend.baseSlot;
        const at = { x: base, w: base + rows * inner, b: 0, d: 0, o: 0, dx: 0, dw: 0, db: 0 };
        at.b = at.w + inner * cols;
        at.d = at.b + cols;
        at.o = at.d + rows * cols;
        at.dx = at.o + rows * cols;
        at.dw = at.dx + rows * inner;
        at.db = at.dw + inner * cols;
        backend.ensureCapacity(at.db + cols);
        backend.write(base, data);
        const k = backend.kernels;
        k.forward(at.x, at.w, at.b, at.o, rows, inner, cols);
        k.backpropDelta(at.d, at.w, at.dx, rows, cols, inner);
        k.weightGradient(at.x, at.d, at.dw, at.db, rows, inner, cols);
        return [at.o, rows * cols, at.dx, rows * inner, at.dw, inner * cols, at.db, cols]
          .reduce<number[][]>((all, v, i, list) => (i % 2 ? all : [...all, Array.from(backend.read(v, list[i + 1]))]), []);
      });
      for (let i = 1; i < results.length; i++) {
        expect(results[i], `${rows}×${inner}×${cols}, ${WORKERS[i - 1]} workers`).toEqual(results[0]);
      }
    }
    for (const backend of [one, ...many]) backend.dispose();
    threadTuning.chunkFlops = 1;
  });

  it('gathers a minibatch in parts to the same bits, at ragged row counts and lengths', async () => {
    const one = await WasmBackend.create();
    const many = await Promise.all(WORKERS.map((workers) => WasmBackend.create({ threads: workers + 1 })));
    for (const [rows, rowLen, start, count] of [[50, 13, 5, 37], [40, 7, 0, 40], [30, 33, 11, 17]]) {
      const seed = rows * 100 + rowLen;
      const data = new NumpyRandom(seed).randn(rows * rowLen);
      const order = Int32Array.from({ length: rows }, (_, i) => i);
      new NumpyRandom(seed + 1).shuffle(order);
      const results = [one, ...many].map((backend) => {
        const src = backend.baseSlot;
        const index = src + rows * rowLen;
        const dst = index + rows;
        backend.ensureCapacity(dst + count * rowLen);
        backend.write(src, data);
        backend.writeIndices(index, order);
        backend.fill(dst, count * rowLen, 0);
        backend.kernels.gatherRows(src, index, start, count, rowLen, dst);
        return Array.from(backend.read(dst, count * rowLen));
      });
      const expected = Array.from({ length: count }, (_, r) =>
        Array.from(Float32Array.from(data.slice(order[start + r] * rowLen, (order[start + r] + 1) * rowLen)))).flat();
      expect(results[0], `${count} rows of ${rowLen}, NumpyRandom(${seed})`).toEqual(expected);
      for (let i = 1; i < results.length; i++) {
        expect(results[i], `${count} rows of ${rowLen}, ${WORKERS[i - 1]} workers`).toEqual(results[0]);
      }
    }
    for (const backend of [one, ...many]) backend.dispose();
  });

  it('traces a split job: each chunk run once, by one of the threads, within the call', async () => {
    const backend = await WasmBackend.create({ threads: 3 });
    const [rows, inner, cols] = [47, 13, 9];
    const x = backend.baseSlot;
    const w = x + rows * inner;
    const out = w + inner * cols;
    backend.ensureCapacity(out + rows * cols);
    backend.write(x, new NumpyRandom(7).randn(rows * inner + inner * cols));
    const jobs: JobTrace[] = [];
    threadTuning.trace = (job) => jobs.push(job);
    try {
      for (let i = 0; i < 20; i++) backend.kernels.forward(x, w, -1, out, rows, inner, cols);
    } finally {
      threadTuning.trace = undefined;
    }
    expect(jobs).toHaveLength(20);
    for (const job of jobs) {
      expect(job.kernel).toBe('forward');
      expect(job.chunks).toHaveLength(9); // 47 rows in steps of 5, at most chunksPerThread (4) per thread
      for (const { thread, start, end } of job.chunks) {
        expect([0, 1, 2]).toContain(thread);
        expect(job.posted <= start && start <= end && end <= job.done, `${job.posted} ≤ ${start} ≤ ${end} ≤ ${job.done}`).toBe(true);
      }
    }
    backend.dispose();
  });

  it('reports a non-finite step found by any thread, and keeps the last good weights', async () => {
    const spec: NetworkSpec = { inputSize: 3, layers: [{ units: 9, activation: 'linear' }, { units: 2, activation: 'linear' }],
      loss: 'quadratic', optimizer: { type: 'sgd', learningRate: 1e6 }, seed: 1, threads: 3 };
    const network = await Network.create(spec);
    const before = network.getWeights();
    expect(() => network.trainSync({ inputs: [[1e30, 1, 1]], targets: [[0, 0]] }, { epochs: 1 })).toThrow(/diverged/);
    expect(network.getWeights()).toEqual(before);
    network.dispose();
  });

  it('with adaptive splitting (timed both ways, the faster kept), still gives the same bits', async () => {
    threadTuning.adaptive = true;
    try {
      const [spec] = specs[0].slice(1) as [NetworkSpec];
      const train = async (threads: number) => {
        const network = await Network.create({ ...spec, threads });
        network.trainSync({ inputs, targets }, { epochs: 4, batchSize: 7 });
        const result = snapshot(network, inputs);
        network.dispose();
        return result;
      };
      expect(await train(3)).toEqual(await train(1));
    } finally {
      threadTuning.adaptive = false;
    }
  });

  it('is validated as a spec field', async () => {
    await expect(Network.create({ inputSize: 2, layers: [{ units: 1 }], threads: 0 })).rejects.toThrow(/threads: expected an integer in \[1, 16\], got 0/);
    await expect(Network.create({ inputSize: 2, layers: [{ units: 1 }], threads: 2, backend: 'js' }))
      .rejects.toThrow(/threads: 2 applies to the wasm backend only/);
    const network = await Network.create({ inputSize: 2, layers: [{ units: 1 }], threads: 2, seed: 1 });
    expect(network.spec.threads).toBe(2);
    // A model file records it; moved to the js backend, the model leaves it behind.
    const moved = await Network.fromJSON(network.toJSON(), { backend: 'js' });
    expect('threads' in moved.spec).toBe(false);
    expect(Array.from(moved.getWeights()[0].weights)).toEqual(Array.from(network.getWeights()[0].weights));
    network.dispose();
  });
});

describe('split and the chooser', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    threadTuning.adaptive = false;
  });

  it('splits rows into nearly equal parts on multiples of the step, never an empty one', () => {
    const bounds = new Int32Array(65);
    const parts = (count: number, wanted: number, step: number) =>
      Array.from(bounds.subarray(0, split(count, wanted, step, bounds) + 1));
    expect(parts(128, 8, 4)).toEqual([0, 16, 32, 48, 64, 80, 96, 112, 128]);
    expect(parts(10, 2, 4)).toEqual([0, 4, 10]);
    expect(parts(784, 2, 4)).toEqual([0, 392, 784]);
    expect(parts(23, 3, 8)).toEqual([0, 8, 16, 23]);
    expect(parts(5, 4, 4)).toEqual([0, 4, 5]);
    expect(parts(3, 4, 4)).toEqual([0, 3]);
  });

  /** Runs `calls` calls through `chooser`, a split call taking `cost(true)` ms and a whole one `cost(false)`. */
  function drive(chooser: Chooser, calls: number, cost: (split: boolean) => number, clock: { now: number }): boolean[] {
    const ways: boolean[] = [];
    for (let i = 0; i < calls; i++) {
      chooser.run('product 64 64 64', (splitting) => {
        clock.now += cost(splitting);
        ways.push(splitting);
      });
    }
    return ways;
  }

  it('keeps the faster way, checks less often while its verdict holds, and follows a change', () => {
    threadTuning.adaptive = true;
    const clock = { now: 0 };
    vi.spyOn(performance, 'now').mockImplementation(() => clock.now);
    const chooser = new Chooser();
    // Splitting pays: after the first few calls, a whole call happens only in the checks' trials (the second five of
    // ten each: a block of split calls, then one of whole calls).
    const first = drive(chooser, 3000, (splitting) => (splitting ? 1 : 2), clock);
    const whole = first.flatMap((splitting, i) => (splitting ? [] : [i]));
    // Eight untimed (every other of the first sixteen), then the first check's five.
    expect(whole.slice(0, 13)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 21, 22, 23, 24, 25]);
    const checks = whole.filter((i, k) => k === 0 || i - whole[k - 1] > 10).length;
    // The first check, then after 32, 64, 128, 256, 512, 1024 calls: the interval doubles while it agrees.
    expect(checks).toBe(7);
    expect(whole.length).toBe(8 + 5 * checks);
    // Then whole calls become the faster (another process took a core): the next check switches, and stays.
    const after = drive(chooser, 3000, (splitting) => (splitting ? 3 : 2), clock);
    const switched = after.findIndex((splitting, i) => !splitting && after.slice(i, i + 300).every((s) => !s));
    expect(switched).toBeGreaterThan(0);
    expect(switched).toBeLessThanOrEqual(2048 + 10);
    expect(after.slice(switched + 300).filter((s) => s).length).toBeLessThanOrEqual(5 * 4);
  });

  it('once splitting, keeps splitting while it is faster at all, and goes back to whole calls once it is not', () => {
    threadTuning.adaptive = true;
    const clock = { now: 0 };
    vi.spyOn(performance, 'now').mockImplementation(() => clock.now);
    const chooser = new Chooser();
    // Split at half the time of whole until the first check's split calls are done (calls 16–20, the clock at 24–28),
    // then at 0.95 times: not clearly faster, which would not start splitting, but faster, so the next checks (calls
    // 58–67, 132–141, 270–279) keep it; then at 1.05 times, which the check after switches.
    const ways = drive(chooser, 280, (splitting) => (splitting ? (clock.now < 30 ? 1 : 1.9) : 2), clock);
    const block = (from: number) => Array.from({ length: 5 }, (_, i) => from + i);
    expect(ways.flatMap((s, i) => (s || i < 26 ? [] : [i]))).toEqual([...block(63), ...block(137), ...block(275)]);
    const later = drive(chooser, 800, (splitting) => (splitting ? 2.1 : 2), clock);
    // The split verdict agreed with the last, so the next check is 256 calls on (calls 536–545): it chooses whole,
    // until the check after (32 calls on, since it disagreed).
    expect(later.slice(0, 536 - 280).every((s) => s)).toBe(true);
    expect(later.slice(546 - 280, 546 + 32 - 280).every((s) => !s)).toBe(true);
  });

  it('times split calls after split calls and whole after whole, not the first of each block', () => {
    // A call right after one of the other way pays for the change (a split weight step leaves half the weights in
    // the other core's cache for the next forward pass): here 4 ms instead of 1 split, 2 whole. Trials alternating
    // one by one would time only such calls and keep whole calls; in blocks, the untimed first pays it.
    threadTuning.adaptive = true;
    const clock = { now: 0 };
    vi.spyOn(performance, 'now').mockImplementation(() => clock.now);
    let last: boolean | undefined;
    const checks: Check[] = [];
    threadTuning.verdict = (check) => checks.push(check);
    drive(new Chooser(), 60, (splitting) => {
      const changed = last !== undefined && last !== splitting;
      last = splitting;
      return changed ? 4 : splitting ? 1 : 2;
    }, clock);
    threadTuning.verdict = undefined;
    expect(checks[0]).toMatchObject({ split: 1, whole: 2, splitting: true });
  });

  it('keeps timings apart per key, splits only when clearly faster, and splits every call when not adaptive', () => {
    const clock = { now: 0 };
    vi.spyOn(performance, 'now').mockImplementation(() => clock.now);
    threadTuning.adaptive = false;
    expect(drive(new Chooser(), 50, () => 1, clock).every((s) => s)).toBe(true);
    threadTuning.adaptive = true;
    const chooser = new Chooser();
    // Split calls taking half, twice, and 0.95 times what whole ones take: the last gain is too small to be worth it.
    const costs: Record<string, number> = { fast: 0.5, slow: 2, close: 0.95 };
    const ways: Record<string, boolean[]> = { fast: [], slow: [], close: [] };
    const checks: Check[] = [];
    threadTuning.verdict = (check) => checks.push(check);
    for (let i = 0; i < 300; i++) {
      for (const key of Object.keys(costs)) {
        chooser.run(key, (splitting) => {
          clock.now += splitting ? costs[key] : 1;
          ways[key].push(splitting);
        });
      }
    }
    // Between the end of the first check (call 26) and the start of the next (call 58), each key's verdict.
    expect(ways.fast.slice(26, 58).every((s) => s)).toBe(true);
    expect(ways.slow.slice(26, 58).every((s) => !s)).toBe(true);
    expect(ways.close.slice(26, 58).every((s) => !s)).toBe(true);
    // What a benchmark sees of each check: the key, the trials' medians and the verdict (the first check per key).
    threadTuning.verdict = undefined;
    expect(checks.slice(0, 3).map((c) => ({ ...c, split: Number(c.split.toFixed(9)) }))).toEqual([
      { key: 'fast', split: 0.5, whole: 1, splitting: true },
      { key: 'slow', split: 2, whole: 1, splitting: false },
      { key: 'close', split: 0.95, whole: 1, splitting: false },
    ]);
  });
});

describe('kernelsFor: phases too small to split run the single-thread kernels', () => {
  let backend: WasmBackend;
  beforeAll(async () => {
    backend = await WasmBackend.create({ threads: 2 });
  });
  afterAll(() => backend.dispose());
  afterEach(() => {
    threadTuning.minimumFlops = 0;
    threadTuning.minimumParameters = 0;
  });

  it('gives the single-thread kernels below both thresholds, the splitting ones at either', () => {
    threadTuning.minimumFlops = 2 ** 21;
    threadTuning.minimumParameters = 2 ** 15;
    const whole = backend.kernelsFor!(2 ** 21 - 1, 2 ** 15 - 1);
    expect(whole).not.toBe(backend.kernels);
    expect(Object.keys(whole).sort()).toEqual(Object.keys(backend.kernels).sort());
    expect(backend.kernelsFor!(2 ** 21, 0)).toBe(backend.kernels);
    expect(backend.kernelsFor!(0, 2 ** 15)).toBe(backend.kernels);
    // The thresholds are read at each call, as tests and benchmarks change them.
    threadTuning.minimumFlops = 0;
    expect(backend.kernelsFor!(2 ** 21 - 1, 2 ** 15 - 1)).toBe(backend.kernels);
  });

  it('the engine asks with its largest product and pass at the phase\'s rows', () => {
    const spec = resolveSpec({ inputSize: 7, layers: [{ units: 9, activation: 'tanh' }, { units: 3, activation: 'softmax' }],
      loss: 'categoricalCrossEntropy', threads: 2 });
    const engine = new Engine(spec, backend);
    const asked: [number, number][] = [];
    const spied = Object.create(backend) as WasmBackend;
    Object.defineProperty(spied, 'kernelsFor', { value: (flops: number, elements: number) => {
      asked.push([flops, elements]);
      return backend.kernelsFor!(flops, elements);
    } });
    const probe = new Engine(spec, spied);
    probe.initialize(new NumpyRandom(1));
    engine.initialize(new NumpyRandom(1));
    const rows = 5;
    const inputs = { values: Float32Array.from({ length: rows * 7 }, (_, i) => Math.sin(i)), rows, cols: 7 };
    const targets = { values: Float32Array.from({ length: rows * 3 }, (_, i) => (i % 3 === 1 ? 1 : 0)), rows, cols: 3 };
    probe.reserve(rows, 0);
    const { loss } = probe.evaluateChunk(inputs, targets, 0, rows);
    // 2·7·9 FLOPs per row in the larger product; the larger pass: 7 inputs per row, or the parameter block's slots
    // (7·9 + 9 + 9·3 + 3 parameters, each region padded to 16 bytes).
    expect(probe.plan.blockSlots).toBe(108);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked).toEqual(asked.map(() => [rows * 2 * 7 * 9, 108]));
    engine.reserve(rows, 0);
    expect(engine.evaluateChunk(inputs, targets, 0, rows).loss).toBe(loss);
  });
});
