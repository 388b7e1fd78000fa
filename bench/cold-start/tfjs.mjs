// W6 for TensorFlow.js on the backend named by the argument (wasm or cpu): from loading the package to the first
// prediction of a [784, 30, 10] network, in this fresh process. Prints the milliseconds. tfjs is required (its
// CommonJS build, as the contender process loads it), and node:module's import is inside the timed span.
const backend = process.argv[2];
const t0 = performance.now();
const { createRequire } = await import('node:module');
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
if (backend === 'wasm') require('@tensorflow/tfjs-backend-wasm');
await tf.setBackend(backend);
const model = tf.sequential({ layers: [tf.layers.dense({ units: 30, activation: 'sigmoid', inputShape: [784] }),
  tf.layers.dense({ units: 10, activation: 'sigmoid' })] });
model.predict(tf.zeros([1, 784])).dataSync();
console.log(performance.now() - t0);
