// `simdnet train mnist`: builds the network of a preset (or of the flags), trains it with the public API, prints
// test accuracy after every epoch in Nielsen's form, then the confusion matrix, and saves the model and the chart.
// Ctrl-C aborts training through an AbortSignal after the current batch; the run is still reported and saved.

import { type BatchLogs, type EpochLogs, Network, type NetworkSpec, type TrainHistory } from '../index.js';
import { MNIST_CLASSES, MNIST_PIXELS } from '../io/mnist.js';
import { writeFileAtomic } from '../node/atomic-write.js';
import type { TrainConfig } from './args.js';
import { firstSamples, loadData } from './data.js';
import { prepareOutput } from './files.js';
import type { CliIO } from './io.js';
import { type EpochPoint, plotSvg } from './plot.js';
import { mnistSpec } from './presets.js';
import { epochProgress } from './progress.js';
import { confusion, epochLine, formatConfusion } from './report.js';

/** "[784, 30, 10] sigmoid → sigmoid" */
function architecture(config: TrainConfig): string {
  const sizes = [MNIST_PIXELS, ...config.hidden, MNIST_CLASSES].join(', ');
  const activations = config.hidden.length > 0 ? `${config.activation} → ${config.outputActivation}` : config.outputActivation;
  return `[${sizes}] ${activations}`;
}

export function describeConfig(config: TrainConfig): string {
  const optimizer = config.optimizer === 'momentum' ? 'sgd with momentum' : config.optimizer;
  return `${architecture(config)}, ${config.loss}, ${optimizer} η ${config.learningRate}, batch ${config.batchSize}, `
    + `${config.epochs} epoch${config.epochs === 1 ? '' : 's'}, ${config.initializer} init, seed ${config.seed}, ${config.backend} backend`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Runs the command; returns the exit status. */
export async function runTrain(config: TrainConfig, io: CliIO): Promise<number> {
  const out = (line: string) => io.stdout.write(line + '\n');
  const savePath = config.save === undefined ? undefined : await prepareOutput('--save', config.save, io);
  const plotPath = config.plot === undefined ? undefined : await prepareOutput('--plot', config.plot, io);
  const { data, seconds: loadSeconds } = await loadData(config.dataDir, io);
  const train = firstSamples(data.train, config.trainSize, '--train-size');
  const test = firstSamples(data.test, config.testSize, '--test-size');
  out(`MNIST: ${train.count} training images, ${test.count} test images (loaded in ${loadSeconds.toFixed(2)} s)`);
  out(`Preset ${config.preset}: ${describeConfig(config)}`);

  const net = await Network.create(mnistSpec(config) satisfies NetworkSpec);
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => {
    io.stderr.write('\nStopping after the current batch (Ctrl-C again quits at once)…\n');
    controller.abort();
  });
  const progress = epochProgress(io.stdout);
  const points: EpochPoint[] = [];
  let samplesDone = 0;
  let lossSum = 0;
  const trainingStarted = performance.now();

  const startEpoch = (epoch: number) => {
    samplesDone = 0;
    lossSum = 0;
    progress.start(epoch, config.epochs, train.count);
  };
  /** Nielsen's line for a finished epoch, plus the losses and the time it took. */
  const reportEpoch = (logs: EpochLogs) => {
    const accuracy = logs.valAccuracy ?? testAccuracy(net, test.inputs, test.labels);
    const correct = Math.round(accuracy * test.count);
    const testLoss = logs.valLoss === undefined ? '' : `, test loss ${logs.valLoss.toFixed(4)}`;
    out(`${epochLine(logs.epoch, correct, test.count)}  (loss ${logs.loss.toFixed(4)}${testLoss}, ${seconds(logs.elapsedMs)})`);
    points.push({ epoch: logs.epoch, loss: logs.loss, accuracy: correct / test.count });
  };

  let history: TrainHistory;
  try {
    startEpoch(0);
    try {
      history = await net.train({ inputs: train.inputs, targets: train.targets }, {
        epochs: config.epochs,
        batchSize: config.batchSize,
        shuffle: true,
        validationData: { inputs: test.inputs, targets: test.targets },
        signal: controller.signal,
        callbacks: {
          onBatchEnd: (_batch: number, logs: BatchLogs) => {
            samplesDone += logs.size;
            lossSum += logs.loss * logs.size;
            progress.update(samplesDone, lossSum / samplesDone);
          },
          onEpochEnd: (epoch: number, logs: EpochLogs) => {
            progress.stop();
            reportEpoch(logs);
            if (epoch + 1 < config.epochs && !controller.signal.aborted) startEpoch(epoch + 1);
          },
        },
      });
    } finally {
      progress.stop();
      stopListening();
    }
    // A run stopped by Ctrl-C does not call onEpochEnd for its last epoch: report it if it was complete.
    const last = history.epochs.at(-1);
    if (last && !last.partial && points.at(-1)?.epoch !== last.epoch) reportEpoch(last);

    const elapsed = performance.now() - trainingStarted;
    const complete = history.epochs.filter((logs) => !logs.partial).length;
    const epochs = `${complete} epoch${complete === 1 ? '' : 's'}`;
    out(history.stopReason === 'aborted'
      ? `Stopped by Ctrl-C after ${epochs}${last?.partial ? ' and part of the next' : ''} (${seconds(elapsed)}).`
      : `Trained ${epochs} in ${seconds(elapsed)}.`);
    out('');
    io.stdout.write(formatConfusion(confusion(net.predictBatch(test.inputs), test.labels, test.count)));

    if (savePath !== undefined) {
      await writeFileAtomic(savePath, JSON.stringify(net.toJSON()));
      out(`Saved the model to ${savePath}`);
    }
    if (plotPath !== undefined) {
      await writeFileAtomic(plotPath, plotSvg(points, `simdnet on MNIST: ${architecture(config)} (preset ${config.preset})`));
      out(`Wrote the chart to ${plotPath}`);
    }
  } finally {
    net.dispose();
  }
  return 0;
}

/** The fraction of `labels` the network's argmax matches: the test accuracy when an epoch's logs carry none. */
function testAccuracy(net: Network, inputs: Float32Array, labels: Uint8Array): number {
  const { correct, total } = confusion(net.predictBatch(inputs), labels);
  return total === 0 ? 0 : correct / total;
}
