// W6 for brain.js: from loading the package to the first prediction of a network with 30 hidden units, in this
// fresh process. Prints the milliseconds. brain.js sizes its layers from the data, so it needs one training
// iteration before it can run.
const t0 = performance.now();
const { createRequire } = await import('node:module');
const require = createRequire(import.meta.url);
const brain = require('brain.js');
const net = new brain.NeuralNetwork({ hiddenLayers: [30] });
net.train([{ input: new Array(784).fill(0), output: new Array(10).fill(0) }], { iterations: 1 });
net.run(new Array(784).fill(0));
console.log(performance.now() - t0);
