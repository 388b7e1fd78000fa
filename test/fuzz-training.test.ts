// Properties of training (trainSync, train, trainFor) on both backends, with random networks, data and options:
// - any data and options: the run succeeds or throws a SimdnetError with a data/option/divergence code, or the
//   callback's own exception unchanged; never anything else. Afterwards every weight is finite and the network
//   trains again (not left BUSY).
// - clean data and valid options: no error but DIVERGED (or the callback's), and DIVERGED names an epoch and a
//   batch that exist.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type Dataset, Network, type NetworkSpec, type TrainHistory, type TrainOptions } from '../src/index.js';
import { CallbackError, cell, fuzzOptions, matrix, probabilityCell, smallSpec } from './fuzz/arbitraries.js';
import { FUZZ_TIMEOUT, check, expectCoded } from './fuzz/harness.js';

const DATA_CODES = ['SHAPE_MISMATCH', 'NON_FINITE_INPUT', 'TARGET_OUT_OF_RANGE', 'INVALID_OPTIONS', 'DIVERGED'];

const probabilistic = (spec: NetworkSpec) =>
  spec.loss === 'binaryCrossEntropy' || spec.loss === 'categoricalCrossEntropy';

const outputsOf = (spec: NetworkSpec) => spec.layers[spec.layers.length - 1].units;

/** A data set for `spec`, with every defect `matrix` can produce (and mismatched row counts). */
function dirtyData(spec: NetworkSpec): fc.Arbitrary<Dataset> {
  const rows = fc.integer({ min: 0, max: 10 });
  return fc.record({
    inputs: matrix(rows, spec.inputSize),
    targets: matrix(rows, outputsOf(spec), probabilistic(spec) ? probabilityCell : cell),
  });
}

/** A data set for `spec` with nothing wrong: 1–12 rows, moderate finite values, targets in range. */
function cleanData(spec: NetworkSpec): fc.Arbitrary<Dataset> {
  return fc.integer({ min: 1, max: 12 }).chain((rows) => fc.record({
    inputs: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: rows * spec.inputSize,
      maxLength: rows * spec.inputSize }).map((v) => Float64Array.from(v)),
    targets: fc.array(probabilistic(spec) ? fc.double({ min: 0, max: 1, noNaN: true })
      : fc.double({ min: -2, max: 2, noNaN: true }), { minLength: rows * outputsOf(spec), maxLength: rows * outputsOf(spec) }),
  }));
}

const cleanOptions: fc.Arbitrary<TrainOptions> = fc.record({
  epochs: fc.integer({ min: 1, max: 3 }),
  batchSize: fc.integer({ min: 1, max: 16 }),
  shuffle: fc.boolean(),
  errorThreshold: fc.constantFrom(0, 0.01),
}, { requiredKeys: ['epochs'] });

/** Every weight finite, and a fresh one-epoch run on clean data completes: the network is usable. */
function expectUsable(net: Network): void {
  for (const layer of net.getWeights()) {
    for (const v of [...layer.weights, ...layer.biases]) {
      if (!Number.isFinite(v)) throw new Error(`a weight is ${v} after the run`);
    }
  }
  const inputs = new Float64Array(net.inputSize).fill(0.25);
  const targets = new Float64Array(net.outputSize).fill(1 / net.outputSize);
  const weights = net.getWeights();
  net.setWeights(weights); // setWeights accepts what getWeights returns
  try {
    net.trainSync({ inputs, targets }, { epochs: 1 });
  } catch (error) {
    expectCoded(error, ['DIVERGED']); // a learning rate of 10⁶ may diverge again, but not be BUSY
  }
}

function expectSaneHistory(history: TrainHistory, options: TrainOptions): void {
  const epochs = typeof options.epochs === 'number' ? options.epochs : 1;
  if (!['epochs', 'errorThreshold', 'timeout', 'aborted', 'callback'].includes(history.stopReason)) {
    throw new Error(`stopReason ${history.stopReason}`);
  }
  if (history.epochs.length > epochs) throw new Error(`${history.epochs.length} epochs of ${epochs}`);
  history.epochs.forEach((logs, i) => {
    if (logs.epoch !== i) throw new Error(`epoch ${logs.epoch} at position ${i}`);
    if (!Number.isFinite(logs.loss) || !(logs.accuracy >= 0 && logs.accuracy <= 1)) {
      throw new Error(`epoch ${i}: loss ${logs.loss}, accuracy ${logs.accuracy}`);
    }
  });
}

type Run = 'trainSync' | 'train';

async function runTraining(net: Network, data: Dataset, options: TrainOptions, run: Run): Promise<TrainHistory> {
  return run === 'train' ? net.train(data, { ...options, yieldEveryMs: 0 }) : net.trainSync(data, options);
}

describe.each(['wasm', 'js'] as const)('fuzz: training on the %s backend', (backend) => {
  it('succeeds or throws a coded error (or the callback\'s own), and leaves the network usable', async () => {
    const arbitrary = smallSpec(backend).chain((spec) => fc.record({
      spec: fc.constant(spec),
      data: fc.oneof({ weight: 3, arbitrary: dirtyData(spec) }, { weight: 1, arbitrary: cleanData(spec) }),
      options: fuzzOptions(fc.option(dirtyData(spec), { freq: 4, nil: undefined })),
      run: fc.constantFrom<Run>('trainSync', 'train'),
    }));
    await check('training', fc.asyncProperty(arbitrary, async ({ spec, data, options, run }) => {
      const net = await Network.create(spec);
      try {
        let history: TrainHistory | undefined;
        try {
          history = await runTraining(net, data, options, run);
        } catch (error) {
          if (!(error instanceof CallbackError)) {
            const coded = expectCoded(error, DATA_CODES);
            if (coded.code === 'DIVERGED' && !/epoch \d+, batch \d+/.test(coded.message)) {
              throw new Error(`DIVERGED without epoch and batch: ${coded.message}`);
            }
          }
        }
        if (history) expectSaneHistory(history, options);
        expectUsable(net);
      } finally {
        net.dispose();
      }
    }), 60, 0.5);
  }, FUZZ_TIMEOUT);

  it('on clean data with valid options fails only by diverging, at an epoch and batch that exist', async () => {
    const arbitrary = smallSpec(backend).chain((spec) => fc.record({
      spec: fc.constant(spec),
      data: cleanData(spec),
      options: cleanOptions,
      run: fc.constantFrom<Run>('trainSync', 'train'),
    }));
    await check('trainingClean', fc.asyncProperty(arbitrary, async ({ spec, data, options, run }) => {
      const net = await Network.create(spec);
      const rows = (data.inputs as Float64Array).length / spec.inputSize;
      const batchSize = Math.min(options.batchSize ?? rows, rows);
      const batchesPerEpoch = Math.ceil(rows / batchSize);
      let completed = 0;
      try {
        const history = await runTraining(net, data,
          { ...options, callbacks: { onBatchEnd: () => void completed++ } }, run);
        expectSaneHistory(history, options);
        if (history.stopReason !== 'epochs' && history.stopReason !== 'errorThreshold') {
          throw new Error(`stopReason ${history.stopReason} without a reason to stop`);
        }
      } catch (error) {
        const coded = expectCoded(error, ['DIVERGED']);
        const [, epoch, batch] = /epoch (\d+), batch (\d+)/.exec(coded.message) ?? [];
        // The step that failed comes right after the `completed` steps that did.
        if (Number(epoch) !== Math.floor(completed / batchesPerEpoch) || Number(batch) !== completed % batchesPerEpoch) {
          throw new Error(`DIVERGED says epoch ${epoch}, batch ${batch}, after ${completed} completed steps of ` +
            `${batchesPerEpoch} per epoch: ${coded.message}`);
        }
      }
      expectUsable(net);
      net.dispose();
    }), 60, 0.5);
  }, FUZZ_TIMEOUT);

  it('trainFor takes any data and options to a result or a coded error', async () => {
    const arbitrary = smallSpec(backend).chain((spec) => fc.record({
      spec: fc.constant(spec),
      data: fc.oneof(dirtyData(spec), cleanData(spec)),
      options: fc.record({
        ms: fc.oneof(fc.constantFrom(0, 0.5, 2), fc.constantFrom(-1, Number.NaN, '1', null)),
        batchSize: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(0, -2, 1.5, Infinity, 'x')),
        shuffle: fc.boolean(),
      }, { requiredKeys: [] }),
      calls: fc.integer({ min: 1, max: 3 }),
    }));
    await check('trainFor', fc.asyncProperty(arbitrary, async ({ spec, data, options, calls }) => {
      const net = await Network.create(spec);
      try {
        for (let i = 0; i < calls; i++) {
          try {
            const batches = net.trainFor(data, options as Parameters<Network['trainFor']>[1]);
            if (!Number.isInteger(batches) || batches < 1) throw new Error(`trainFor returned ${batches}`);
          } catch (error) {
            if (error instanceof Error && error.message.startsWith('trainFor returned')) throw error;
            expectCoded(error, DATA_CODES);
          }
        }
        expectUsable(net);
      } finally {
        net.dispose();
      }
    }), 40, 0.5);
  }, FUZZ_TIMEOUT);
});
