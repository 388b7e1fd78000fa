// W6 for simdnet: from importing the ESM bundle (its path is the argument) to the first prediction of a
// [784, 30, 10] network, in this fresh process. Prints the milliseconds.
const bundle = process.argv[2];
const t0 = performance.now();
const { Network } = await import(bundle);
const net = await Network.create({ inputSize: 784, layers: [{ units: 30 }, { units: 10 }], seed: 1 });
net.predict(new Float32Array(784));
console.log(performance.now() - t0);
