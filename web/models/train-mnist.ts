// Trains the model that web/digits.html ships (web/models/mnist.json): [784, 64, 10], ReLU then softmax, Adam,
// on the 60,000 MNIST training digits, seeded, so running it again writes the same file.
// Run with `node web/models/train-mnist.mjs` (it bundles this file, as bench/run.mjs does).

import { writeFileSync } from 'node:fs';
import { Network } from '../../src/index.js';
import { loadMnist } from '../../src/node/mnist.js';

const EPOCHS = 8;

/** Trains the model and writes it to `out`. */
export async function main(out: string): Promise<void> {
  const { train, test } = await loadMnist();
  const net = await Network.create({
    inputSize: 784,
    layers: [{ units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }],
    loss: 'categoricalCrossEntropy',
    optimizer: { type: 'adam', learningRate: 0.001 },
    initializer: 'heNormal',
    seed: 2024,
  });
  const started = performance.now();
  net.trainSync({ inputs: train.inputs, targets: train.targets }, {
    epochs: EPOCHS,
    batchSize: 64,
    callbacks: {
      onEpochEnd(epoch, logs) {
        const { accuracy } = net.evaluate({ inputs: test.inputs, targets: test.targets });
        console.log(`epoch ${epoch + 1}/${EPOCHS}: loss ${logs.loss.toFixed(4)}, training accuracy ` +
          `${(logs.accuracy * 100).toFixed(2)}%, test accuracy ${(accuracy * 100).toFixed(2)}%`);
      },
    },
  });
  const { accuracy } = net.evaluate({ inputs: test.inputs, targets: test.targets });
  const model = {
    ...net.toJSON(),
    // Ignored by Network.fromJSON; shown by the digits page.
    about: {
      data: 'MNIST: 60,000 training digits (pixels / 255, 28 × 28 row-major)',
      epochs: EPOCHS,
      batchSize: 64,
      testAccuracy: Number(accuracy.toFixed(4)),
      script: 'web/models/train-mnist.ts',
    },
  };
  writeFileSync(out, JSON.stringify(model) + '\n');
  console.log(`test accuracy ${(accuracy * 100).toFixed(2)}% after ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
    `wrote ${out}`);
}
