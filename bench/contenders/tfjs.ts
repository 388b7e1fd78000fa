// TensorFlow.js 4.22 as a contender, on its cpu backend (plain JS) or its wasm backend (XNNPACK, SIMD; one thread
// in Node). Training goes through the Layers API users reach for: `model.fit`; products through `tf.matMul`.

import { createRequire } from 'node:module';
import { type MnistData, loadMnist } from '../../src/node/mnist.js';
import type { Params } from '../harness/protocol.js';
import { W1, W2, W3, W4, gridPoints, spiral } from '../workloads.js';
import { type Contender, type Session, accuracy, num, timeCalls } from './session.js';

// The types are tfjs' own; the package is loaded through require so that Node picks its CommonJS build.
type Tf = typeof import('@tensorflow/tfjs');
type Tensor = import('@tensorflow/tfjs').Tensor;
type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Sequential = import('@tensorflow/tfjs').Sequential;

const require = createRequire(import.meta.url);

let tfReady: Promise<Tf> | undefined;
function loadTf(backend: 'cpu' | 'wasm'): Promise<Tf> {
  tfReady ??= (async () => {
    const tf = require('@tensorflow/tfjs') as Tf;
    if (backend === 'wasm') require('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`);
    await tf.ready();
    return tf;
  })();
  return tfReady;
}

let mnist: Promise<MnistData> | undefined;
const loadData = (): Promise<MnistData> => (mnist ??= loadMnist());

/** ½ Σ (a − y)² per sample, Nielsen's cost (tfjs' meanSquaredError divides by the outputs instead). */
const quadratic = (tf: Tf) => (yTrue: Tensor, yPred: Tensor): Tensor =>
  tf.tidy(() => tf.mul(0.5, tf.sum(tf.squaredDifference(yPred, yTrue), -1)));

function dense(tf: Tf, sizes: readonly number[], activation: 'sigmoid' | 'relu' | 'tanh',
  last: 'sigmoid' | 'softmax' | 'tanh', initializer?: 'normal'): Sequential {
  const model = tf.sequential();
  for (let i = 1; i < sizes.length; i++) {
    const init = initializer === 'normal' ? {
      kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: i }),
      biasInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: 100 + i }),
    } : {};
    model.add(tf.layers.dense({
      units: sizes[i], activation: i === sizes.length - 1 ? last : activation,
      ...(i === 1 ? { inputShape: [sizes[0]] } : {}), ...init,
    }));
  }
  return model;
}

/** Each run is `epochs` epochs of model.fit over x, y (shuffled, as fit does by default). */
function fitSession(tf: Tf, model: LayersModel, x: Tensor, y: Tensor, batchSize: number, epochs: number,
  evaluation?: () => Record<string, number>): Session {
  return {
    run: async () => {
      const start = performance.now();
      await model.fit(x, y, { batchSize, epochs, shuffle: true, verbose: 0 });
      return { ms: performance.now() - start, count: epochs * x.shape[0] };
    },
    evaluate: evaluation,
    dispose: () => {
      tf.dispose([x, y]);
      model.dispose();
    },
  };
}

export function tfjs(backend: 'cpu' | 'wasm'): Contender {
  return async (workload: string, params: Params): Promise<Session | string> => {
    const tf = await loadTf(backend);
    const mnistTensors = async (samples: number) => {
      const { train } = await loadData();
      return {
        x: tf.tensor2d(train.inputs.subarray(0, samples * 784), [samples, 784]),
        y: tf.tensor2d(train.targets.subarray(0, samples * 10), [samples, 10]),
      };
    };
    switch (workload) {
      case 'W1': {
        const { x, y } = await mnistTensors(num(params, 'samples'));
        const { test } = await loadData();
        const model = dense(tf, W1.sizes, 'sigmoid', 'sigmoid', 'normal');
        model.compile({ optimizer: tf.train.sgd(W1.learningRate), loss: quadratic(tf) });
        return fitSession(tf, model, x, y, W1.batchSize, 1, () => {
          const outputs = tf.tidy(() => model.predict(tf.tensor2d(test.inputs, [test.count, 784])) as Tensor);
          const values = outputs.dataSync();
          outputs.dispose();
          return { accuracy: accuracy(values, test.labels, 10) };
        });
      }
      case 'W2': {
        const { x, y } = await mnistTensors(num(params, 'samples'));
        const model = dense(tf, W2.sizes, 'relu', 'softmax');
        model.compile({ optimizer: tf.train.sgd(W2.learningRate), loss: 'categoricalCrossentropy' });
        return fitSession(tf, model, x, y, num(params, 'batchSize'), 1);
      }
      case 'W3-train':
      case 'W3-grid': {
        const data = spiral(W3.points);
        const x = tf.tensor2d(data.inputs, [W3.points, 2]);
        const y = tf.tensor2d(data.targets, [W3.points, 1]);
        const model = dense(tf, W3.sizes, 'tanh', 'tanh');
        model.compile({ optimizer: tf.train.sgd(W3.learningRate), loss: quadratic(tf) });
        if (workload === 'W3-train') return fitSession(tf, model, x, y, W3.batchSize, num(params, 'units'));
        await model.fit(x, y, { batchSize: W3.batchSize, epochs: 5, verbose: 0 });
        // One model whose outputs are every layer's: all heat maps in one predict call.
        const everyLayer = tf.model({ inputs: model.inputs, outputs: model.layers.map((layer) => layer.output as never) });
        const grid = tf.tensor2d(gridPoints(), [W3.grid * W3.grid, 2]);
        const calls = num(params, 'units');
        return {
          run: () => timeCalls(calls, () => {
            const outputs = everyLayer.predict(grid) as Tensor[];
            for (const output of outputs) output.dataSync();
            tf.dispose(outputs);
          }),
          dispose: () => {
            tf.dispose([x, y, grid]);
            model.dispose();
          },
        };
      }
      case 'W4': {
        const { x, y } = await mnistTensors(num(params, 'samples'));
        const model = dense(tf, W4.sizes, 'sigmoid', 'sigmoid');
        model.compile({ optimizer: tf.train.sgd(W4.learningRate), loss: quadratic(tf) });
        return fitSession(tf, model, x, y, 1, 1);
      }
      case 'W5': {
        const rows = num(params, 'rows');
        const inner = num(params, 'inner');
        const cols = num(params, 'cols');
        const x = tf.randomNormal([rows, inner], 0, 1, 'float32', 1);
        const w = tf.randomNormal([inner, cols], 0, 1, 'float32', 2);
        const delta = tf.randomNormal([rows, cols], 0, 1, 'float32', 3);
        const product = params.product;
        const call = product === 'forward' ? () => tf.matMul(x, w)
          : product === 'backprop' ? () => tf.matMul(delta, w, false, true)
            : () => tf.matMul(x, delta, true, false);
        const calls = num(params, 'units');
        return {
          run: () => timeCalls(calls, () => call().dispose()),
          dispose: () => tf.dispose([x, w, delta]),
        };
      }
    }
    return `no workload ${workload}`;
  };
}
