// simdnet as a contender: the float32 Wasm backend (default, relaxed SIMD, threads) and its float64 JS backend,
// the benchmarks' "pure JS" line. Training runs the way users run it: one `train()` call for many epochs; the
// session pauses it at unit boundaries from onEpochEnd, so the data set is staged once, as in real use.

import { JsBackend } from '../../src/backends/js.js';
import { WasmBackend } from '../../src/backends/wasm/backend.js';
import type { Backend } from '../../src/core/kernels.js';
import { type MnistData, loadMnist } from '../../src/node/mnist.js';
import { Network, NumpyRandom } from '../../src/index.js';
import type { NetworkSpec } from '../../src/core/spec.js';
import type { Params, UnitResult } from '../harness/protocol.js';
import { W1, W2, W3, W4, gridPoints, spiral } from '../workloads.js';
import { type Contender, type Session, num, timeCalls } from './session.js';

export interface Variant {
  backend: 'wasm' | 'js';
  simd?: 'relaxed';
  threads?: number;
}

let mnist: Promise<MnistData> | undefined;
const loadData = (): Promise<MnistData> => (mnist ??= loadMnist());

/** The first `samples` rows of a split. */
function slice(split: MnistData['train'], samples: number): { inputs: Float32Array; targets: Float32Array } {
  return { inputs: split.inputs.subarray(0, samples * 784), targets: split.targets.subarray(0, samples * 10) };
}

/**
 * Trains `network` on `data` with one `train()` call; each `run()` lets `epochsPerUnit` epochs happen and reports
 * their time. The pause at a unit's end is a promise returned from onEpochEnd, which train() waits for.
 */
class EpochStream implements Session {
  private resume: ((go: boolean) => void) | undefined;
  private unitDone: ((ms: number) => void) | undefined;
  private started = 0;
  private epochs = 0;
  /** The unit's epochs by the network's own clock (EpochLogs.elapsedMs). */
  private epochMs = 0;
  private running: Promise<unknown> | undefined;

  constructor(private readonly network: Network, private readonly data: { inputs: Float32Array; targets: Float32Array },
    private readonly batchSize: number, private readonly epochsPerUnit: number, private readonly samples: number,
    private readonly evaluation?: () => Record<string, number>) {}

  /**
   * The unit's time is the sum of its epochs' elapsedMs (the network's own measure, from the start of an epoch's
   * first batch to the end of its last); the first unit also reports, as `setup ms`, what train() spent before
   * its first epoch (checking and staging the data set, once per call).
   */
  run(): Promise<UnitResult> {
    const done = new Promise<number>((resolve) => (this.unitDone = resolve));
    this.started = performance.now();
    this.epochMs = 0;
    const first = !this.running;
    if (!this.running) {
      this.running = this.network.train(this.data, {
        epochs: 1_000_000, batchSize: this.batchSize, shuffle: true, yieldEveryMs: 1e9,
        callbacks: {
          onEpochEnd: (_epoch, logs) => {
            this.epochs++;
            this.epochMs += logs.elapsedMs;
            if (this.epochs % this.epochsPerUnit !== 0) return true;
            const wall = performance.now() - this.started;
            return new Promise<boolean>((resolve) => {
              this.resume = resolve;
              this.unitDone?.(wall);
            });
          },
        },
      });
      this.running.catch((error) => {
        throw error;
      });
    } else {
      this.resume?.(true);
    }
    return done.then((wall) => ({
      ms: this.epochMs, count: this.epochsPerUnit * this.samples,
      ...(first ? { extra: { 'setup ms': wall - this.epochMs } } : {}),
    }));
  }

  evaluate(): Record<string, number> {
    return this.evaluation?.() ?? {};
  }

  async dispose(): Promise<void> {
    this.resume?.(false);
    await this.running;
    this.network.dispose();
  }
}

function kernelsBackend(variant: Variant): Promise<Backend> {
  if (variant.backend === 'js') return Promise.resolve(new JsBackend());
  return WasmBackend.create({ simd: variant.simd, threads: variant.threads });
}

export function simdnet(variant: Variant): Contender {
  const options: Partial<NetworkSpec> = { backend: variant.backend };
  if (variant.simd) options.simd = variant.simd;
  if (variant.threads) options.threads = variant.threads;
  const create = (spec: NetworkSpec) => Network.create({ ...spec, ...options });

  return async (workload: string, params: Params): Promise<Session | string> => {
    switch (workload) {
      case 'W1': {
        const { train, test } = await loadData();
        const samples = num(params, 'samples');
        const network = await create({
          inputSize: 784,
          layers: [{ units: W1.sizes[1], activation: 'sigmoid' }, { units: W1.sizes[2], activation: 'sigmoid' }],
          loss: 'quadratic', optimizer: { type: 'sgd', learningRate: W1.learningRate },
          initializer: 'normal', biasInitializer: 'normal', seed: 1,
        });
        const testData = { inputs: test.inputs, targets: test.targets };
        return new EpochStream(network, slice(train, samples), W1.batchSize, 1, samples,
          () => ({ accuracy: network.evaluate(testData).accuracy }));
      }
      case 'W2': {
        const { train } = await loadData();
        const samples = num(params, 'samples');
        const network = await create({
          inputSize: 784,
          layers: [{ units: W2.sizes[1], activation: 'relu' }, { units: W2.sizes[2], activation: 'softmax' }],
          loss: 'categoricalCrossEntropy', optimizer: { type: 'sgd', learningRate: W2.learningRate },
          initializer: 'heNormal', seed: 1,
        });
        return new EpochStream(network, slice(train, samples), num(params, 'batchSize'), 1, samples);
      }
      case 'W3-train':
      case 'W3-grid': {
        const network = await create({
          inputSize: 2,
          layers: W3.sizes.slice(1).map((units) => ({ units, activation: 'tanh' as const })),
          loss: 'quadratic', optimizer: { type: 'sgd', learningRate: W3.learningRate }, seed: 1,
        });
        const data = spiral(W3.points);
        if (workload === 'W3-train') {
          return new EpochStream(network, data, W3.batchSize, num(params, 'units'), W3.points);
        }
        network.trainSync(data, { epochs: 5, batchSize: W3.batchSize });
        const grid = gridPoints();
        const calls = num(params, 'units');
        return {
          run: () => timeCalls(calls, () => network.activations(grid)),
          dispose: () => network.dispose(),
        };
      }
      case 'W4': {
        const { train } = await loadData();
        const samples = num(params, 'samples');
        const network = await create({
          inputSize: 784,
          layers: [{ units: W4.sizes[1], activation: 'sigmoid' }, { units: W4.sizes[2], activation: 'sigmoid' }],
          loss: 'quadratic', optimizer: { type: 'sgd', learningRate: W4.learningRate }, seed: 1,
        });
        return new EpochStream(network, slice(train, samples), 1, 1, samples);
      }
      case 'W5': {
        const backend = await kernelsBackend(variant);
        const rows = num(params, 'rows');
        const inner = num(params, 'inner');
        const cols = num(params, 'cols');
        const base = backend.baseSlot;
        const at = { x: base, w: 0, b: 0, out: 0, delta: 0, dx: 0, dw: 0, db: 0 };
        at.w = at.x + rows * inner + 4;
        at.b = at.w + inner * cols + 4;
        at.out = at.b + cols + 4;
        at.delta = at.out + rows * cols + 4;
        at.dx = at.delta + rows * cols + 4;
        at.dw = at.dx + rows * inner + 4;
        at.db = at.dw + inner * cols + 4;
        // A packing area as a network's layout plans one (the core packs only the products large enough to gain).
        const pack = Math.ceil((at.db + cols) / 4) * 4 + 4;
        backend.ensureCapacity(pack + (backend.packing?.slots ?? 0));
        backend.packing?.use(pack);
        const rng = new NumpyRandom(1);
        backend.write(at.x, rng.randn(rows * inner));
        backend.write(at.w, rng.randn(inner * cols));
        backend.write(at.b, rng.randn(cols));
        backend.write(at.delta, rng.randn(rows * cols));
        const k = backend.kernels;
        const calls = num(params, 'units');
        const product = params.product;
        const call = product === 'forward' ? () => k.forward(at.x, at.w, at.b, at.out, rows, inner, cols)
          : product === 'backprop' ? () => k.backpropDelta(at.delta, at.w, at.dx, rows, cols, inner)
            : () => k.weightGradient(at.x, at.delta, at.dw, at.db, rows, inner, cols);
        return { run: () => timeCalls(calls, call), dispose: () => backend.dispose() };
      }
    }
    return `no workload ${workload}`;
  };
}
