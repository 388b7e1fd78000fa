// The slide deck "Neural network basics": Xiao Lan (小蓝), a sea creature, learns how poisonous beans (豆豆) are.
// The slides print no runs and give one data point (a bean of size 0.4 and toxicity 0.68), so each step of the
// story gets a small seeded data set that shows exactly what the slides describe:
//   1. y = wx fitted to the single bean: w walks down the error valley e(w) = (0.68 − 0.4w)² to its floor, w = 1.7;
//   2. y = wx + b: beans that are poisonous even when tiny; without b the line is pinned to the origin;
//   3. a = sigmoid(wx + b): poisonous or not, decided at the threshold a = 0.5;
//   4. hill-shaped data (only middle-sized beans are poisonous): one sigmoid neuron cannot fit it, 1→2→1 can;
//   5. two inputs (size, colour): one neuron draws a straight boundary, a 2→2→1 network a curved one.
// The slides' error is e = (y − a)² (no ½). simdnet's quadratic loss is ½(a − y)², whose gradient is half of e's,
// so the slides' learning rate α is simdnet's learningRate / 2. Printed errors are e, averaged over the beans.
import { type LayerSpec, Network, NumpyRandom } from 'simdnet';
import { type ExampleOptions, str } from './print.js';

type Backend = ExampleOptions['backend'];

/** Mean of (y − a)² over the beans: the slides' squared error. */
function meanSquaredError(net: Network, inputs: number[][], targets: number[]): number {
  const a = net.predictBatch(inputs);
  return targets.reduce((sum, y, i) => sum + (y - a[i]) ** 2, 0) / targets.length;
}

/** Share of beans on the right side of a = 0.5. */
function accuracy(net: Network, inputs: number[][], targets: number[]): number {
  const a = net.predictBatch(inputs);
  return targets.filter((y, i) => (a[i] > 0.5 ? 1 : 0) === y).length / targets.length;
}

const rightOn = (share: number, count: number) => `right on ${Math.round(share * count)} of ${count} beans`;
const plus = (v: number) => (v < 0 ? `− ${str(-v)}` : `+ ${str(v)}`);

async function fit(inputs: number[][], targets: number[], layers: LayerSpec[], learningRate: number, epochs: number,
  backend: Backend): Promise<Network> {
  const net = await Network.create({
    inputSize: inputs[0].length, layers, loss: 'quadratic', optimizer: { type: 'sgd', learningRate },
    initializer: 'uniform', seed: 1, backend,
  });
  net.trainSync({ inputs, targets }, { epochs, shuffle: false }); // full batch: every bean, every step
  return net;
}

const sigmoid = (units: number): LayerSpec => ({ units, activation: 'sigmoid' });

/** 1. One bean, y = wx, w starting at 0 (the slides' picture). */
export async function singleBean(backend: Backend, print: (line: string) => void) {
  const x = 0.4;
  const y = 0.68;
  const net = await Network.create({
    inputSize: 1, layers: [{ units: 1, activation: 'linear', useBias: false }], loss: 'quadratic',
    optimizer: { type: 'sgd', learningRate: 2 }, // α = 1 on e = (y − wx)²
    seed: 1, backend,
  });
  net.setWeights([{ weights: [0] }]);
  const e = () => (y - net.predict([x])[0]) ** 2;
  print(`e(w) = 0.16w² − 0.544w + 0.4624 is lowest where its slope is 0: w = 0.544 / 0.32 = ${str(0.544 / 0.32)}`);
  const path: { step: number; w: number; e: number }[] = [];
  for (let step = 0; ; step += 10) {
    const w = net.getWeights()[0].weights[0];
    path.push({ step, w, e: e() });
    print(`step ${step}: w = ${str(w)}  e = ${str(e())}`);
    if (step === 60) break;
    net.trainSync({ inputs: [[x]], targets: [[y]] }, { epochs: 10 }); // 10 × (new w = w − α·(−2x(y − wx)))
  }
  net.dispose();
  return { w: path[path.length - 1].w, e: path[path.length - 1].e, path };
}

/** 2. Beans with a base toxicity: y ≈ 0.3 + 0.5x. y = wx must pass through (0, 0); y = wx + b need not. */
export async function withBias(backend: Backend, print: (line: string) => void) {
  const rng = new NumpyRandom(2);
  const sizes = Array.from(rng.random(20));
  const noise = rng.randn(20);
  const inputs = sizes.map((x) => [x]);
  const targets = sizes.map((x, i) => 0.3 + 0.5 * x + 0.02 * noise[i]);
  const line = (useBias: boolean) => fit(inputs, targets, [{ units: 1, activation: 'linear', useBias }], 1, 1000,
    backend);
  const pinned = await line(false);
  const free = await line(true);
  const result = {
    data: { inputs, targets },
    noBias: { w: pinned.getWeights()[0].weights[0], e: meanSquaredError(pinned, inputs, targets) },
    bias: {
      w: free.getWeights()[0].weights[0], b: free.getWeights()[0].biases[0], e: meanSquaredError(free, inputs, targets),
    },
  };
  print(`y = wx:     w = ${str(result.noBias.w)}  e = ${str(result.noBias.e)}`);
  print(`y = wx + b: w = ${str(result.bias.w)}  b = ${str(result.bias.b)}  e = ${str(result.bias.e)}`);
  pinned.dispose();
  free.dispose();
  return result;
}

/** 3. Poisonous (1) or not (0): beans bigger than 0.5 are poisonous. a = sigmoid(wx + b), decided at a = 0.5. */
export async function classify(backend: Backend, print: (line: string) => void) {
  const sizes = Array.from(new NumpyRandom(3).random(20));
  const inputs = sizes.map((x) => [x]);
  const targets = sizes.map((x) => (x > 0.5 ? 1 : 0));
  const net = await fit(inputs, targets, [sigmoid(1)], 10, 3000, backend);
  const { weights, biases } = net.getWeights()[0];
  const [w, b] = [weights[0], biases[0]];
  const probe = [0.2, 0.45, 0.55, 0.8];
  const probabilities = Array.from(net.predictBatch(probe.map((x) => [x])));
  const result = { w, b, boundary: -b / w, accuracy: accuracy(net, inputs, targets), probabilities };
  print(`a = sigmoid(wx + b): w = ${str(w)}  b = ${str(b)}  a = 0.5 at x = −b/w = ${str(result.boundary)}`);
  probe.forEach((x, i) => print(`  size ${x}: poisonous with probability ${str(probabilities[i])}`));
  print(`  ${rightOn(result.accuracy, sizes.length)}`);
  net.dispose();
  return result;
}

/** 4. Only middle-sized beans (0.35 … 0.65) are poisonous: a hill one S-curve cannot draw. */
export async function hill(backend: Backend, print: (line: string) => void) {
  const sizes = Array.from(new NumpyRandom(4).random(30));
  const inputs = sizes.map((x) => [x]);
  const targets = sizes.map((x) => (x > 0.35 && x < 0.65 ? 1 : 0));
  const one = await fit(inputs, targets, [sigmoid(1)], 10, 5000, backend);
  const team = await fit(inputs, targets, [sigmoid(2), sigmoid(1)], 10, 5000, backend);
  const result = {
    neuron: { e: meanSquaredError(one, inputs, targets), accuracy: accuracy(one, inputs, targets) },
    network: { e: meanSquaredError(team, inputs, targets), accuracy: accuracy(team, inputs, targets) },
    curve: Array.from(team.predictBatch([[0.1], [0.5], [0.9]])),
  };
  print(`one sigmoid neuron: e = ${str(result.neuron.e)}  ${rightOn(result.neuron.accuracy, sizes.length)}`);
  print(`1→2→1 network:      e = ${str(result.network.e)}  ${rightOn(result.network.accuracy, sizes.length)}`);
  print(`  the network's hill: a(0.1) = ${str(result.curve[0])}  a(0.5) = ${str(result.curve[1])}  ` +
    `a(0.9) = ${str(result.curve[2])}`);
  one.dispose();
  team.dispose();
  return result;
}

/** Where the a = 0.5 contour crosses the vertical line at x1: the colour x2 found by bisection over [−1, 2]. */
function boundaryAt(net: Network, x1: number): number {
  let [low, high] = [-1, 2];
  const side = (x2: number) => net.predict([x1, x2])[0] > 0.5;
  if (side(low) === side(high)) return NaN;
  for (let i = 0; i < 50; i++) {
    const middle = (low + high) / 2;
    if (side(middle) === side(low)) low = middle; else high = middle;
  }
  return (low + high) / 2;
}

/**
 * Beans of random size x1 and colour x2, poisonous (1) when darker than `border(x1)`; beans within 0.05 of the
 * border are left out so that the two kinds can be told apart cleanly.
 */
function beans(seed: number, count: number, border: (x1: number) => number) {
  const r = new NumpyRandom(seed).random(2 * count);
  const inputs: number[][] = [];
  const targets: number[] = [];
  for (let i = 0; i < count; i++) {
    const [x1, x2] = [r[2 * i], r[2 * i + 1]];
    if (Math.abs(x2 - border(x1)) < 0.05) continue;
    inputs.push([x1, x2]);
    targets.push(x2 > border(x1) ? 1 : 0);
  }
  return { inputs, targets };
}

/** 5. Two inputs. Straight: big and dark beans (x1 + x2 > 1). Curved: colour above (2·x1 − 1)². */
export async function twoInputs(backend: Backend, print: (line: string) => void) {
  const probes = [0.1, 0.3, 0.5, 0.7, 0.9];
  const straight = beans(5, 60, (x1) => 1 - x1);
  const neuron = await fit(straight.inputs, straight.targets, [sigmoid(1)], 10, 3000, backend);
  const [w1, w2] = neuron.getWeights()[0].weights;
  const b = neuron.getWeights()[0].biases[0];
  const line = {
    w1, w2, b, slope: -w1 / w2, intercept: -b / w2, accuracy: accuracy(neuron, straight.inputs, straight.targets),
  };
  print(`straight, one neuron: z = ${str(w1)}·x1 ${plus(w2)}·x2 ${plus(b)}`);
  print(`  a = 0.5 on the line x2 = ${str(line.slope)}·x1 ${plus(line.intercept)}; ` +
    rightOn(line.accuracy, straight.targets.length));
  neuron.dispose();

  const curved = beans(6, 80, (x1) => (2 * x1 - 1) ** 2);
  const one = await fit(curved.inputs, curved.targets, [sigmoid(1)], 10, 5000, backend);
  const team = await fit(curved.inputs, curved.targets, [sigmoid(2), sigmoid(1)], 10, 5000, backend);
  const curve = {
    neuron: {
      e: meanSquaredError(one, curved.inputs, curved.targets), accuracy: accuracy(one, curved.inputs, curved.targets),
      boundary: probes.map((x1) => boundaryAt(one, x1)),
    },
    network: {
      e: meanSquaredError(team, curved.inputs, curved.targets), accuracy: accuracy(team, curved.inputs, curved.targets),
      boundary: probes.map((x1) => boundaryAt(team, x1)),
    },
  };
  const where = (values: number[]) => values.map((x2, i) => `(${probes[i]}, ${x2.toFixed(3)})`).join(' ');
  print(`curved, one neuron: e = ${str(curve.neuron.e)}  ${rightOn(curve.neuron.accuracy, curved.targets.length)}`);
  print(`  a = 0.5 at ${where(curve.neuron.boundary)}: a straight line`);
  print(`curved, 2→2→1:      e = ${str(curve.network.e)}  ${rightOn(curve.network.accuracy, curved.targets.length)}`);
  print(`  a = 0.5 at ${where(curve.network.boundary)}: a bent one`);
  one.dispose();
  team.dispose();
  return { line, curve };
}

export async function run({ backend = 'js', print = () => {} }: ExampleOptions = {}) {
  print('1. one bean (size 0.4, toxicity 0.68), y = wx:');
  const bean = await singleBean(backend, print);
  print('2. beans with a base toxicity:');
  const bias = await withBias(backend, print);
  print('3. poisonous or not:');
  const logistic = await classify(backend, print);
  print('4. hill-shaped toxicity:');
  const hillShaped = await hill(backend, print);
  print('5. size and colour:');
  const plane = await twoInputs(backend, print);
  return { bean, bias, logistic, hill: hillShaped, plane };
}
