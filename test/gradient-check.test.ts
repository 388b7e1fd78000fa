// Finite-difference gradient checks through whole networks, for every activation × loss pair that makes sense, on
// random shapes whose sizes are not multiples of 4, with one to three hidden layers, on both backends:
// - the gradients of net.trace against central differences of the loss (net.evaluate);
// - per layer, the gradient a training step descends (Engine.stepGradient: trainStep's own gather, forward,
//   backward and gradient phases) against central differences of the loss taken in float64, within a tolerance
//   scaled to that layer's largest gradient; and a test that this check fails when one activation's derivative
//   is off by 1%.
import { describe, expect, it } from 'vitest';
import { JsBackend } from '../src/backends/js.js';
import { WasmBackend } from '../src/backends/wasm/backend.js';
import { activationId } from '../src/core/constants.js';
import { Engine } from '../src/core/engine.js';
import type { Backend } from '../src/core/kernels.js';
import { withKernel } from './helpers.js';
import { resolveSpec } from '../src/core/spec.js';
import { type ActivationName, type LossName, Network, type NetworkSpec, NumpyRandom } from '../src/index.js';

const HIDDEN: ActivationName[] = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'];

const PAIRS: [LossName, ActivationName][] = [
  ...(['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear', 'softmax'] as const).flatMap(
    (output) => [['quadratic', output], ['mse', output]] as [LossName, ActivationName][]),
  ['binaryCrossEntropy', 'sigmoid'],
  ['binaryCrossEntropy', 'softmax'],
  ['categoricalCrossEntropy', 'softmax'],
  ['categoricalCrossEntropy', 'sigmoid'],
];

// float64 differences are exact to ~1e-9 with h = 1e-5; float32 losses carry ~1e-7 relative noise, so the wasm
// backend needs a larger step and looser (still discriminating: a wrong derivative is off by O(1)) bound.
const SETTINGS = {
  js: { h: 1e-5, tolerance: 1e-6 },
  wasm: { h: 1e-2, tolerance: 2e-2 },
} as const;

function targetsFor(loss: LossName, output: ActivationName, rows: number, units: number, rng: NumpyRandom) {
  const raw = rng.random(rows * units);
  if (loss === 'categoricalCrossEntropy' || output === 'softmax') {
    // Rows that sum to 1 (distributions), as softmax outputs do.
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let c = 0; c < units; c++) sum += raw[r * units + c];
      for (let c = 0; c < units; c++) raw[r * units + c] /= sum;
    }
  }
  return raw;
}

describe.each(['js', 'wasm'] as const)('gradients on the %s backend', (backend) => {
  const { h, tolerance } = SETTINGS[backend];

  it.each(PAIRS)('%s loss with a %s output layer', async (loss, output) => {
    const rng = new NumpyRandom(PAIRS.findIndex(([l, o]) => l === loss && o === output) + 100);
    const hiddenCount = 1 + rng.nextInt(2);
    const sizes = [3, 5, 7, 6, 9, 2];
    const inputSize = sizes[rng.nextInt(sizes.length - 1)];
    const outputSize = output === 'softmax' ? 3 : 1 + rng.nextInt(2) * 2;
    const layers = [
      ...Array.from({ length: hiddenCount }, (_, i) => ({
        units: sizes[rng.nextInt(sizes.length - 1)],
        activation: HIDDEN[(i + rng.nextInt(4)) % HIDDEN.length],
      })),
      { units: outputSize, activation: output },
    ];
    const net = await Network.create({
      inputSize, layers, loss, backend, initializer: 'glorotUniform', biasInitializer: 'uniform', seed: rng.nextInt(1000),
    });
    const rows = 3;
    const data = {
      inputs: Float64Array.from(rng.randn(rows * inputSize)),
      targets: targetsFor(loss, output, rows, outputSize, rng),
    };

    const analytic = net.trace(data).layers;
    // Cross-entropy clamps outputs into [1e-7, 1 − 1e-7], where the loss is flat by design: stay clear of it.
    if (loss === 'binaryCrossEntropy' || loss === 'categoricalCrossEntropy') {
      const outputs = net.predictBatch(data.inputs);
      expect(Math.min(...outputs)).toBeGreaterThan(1e-4);
      expect(Math.max(...outputs)).toBeLessThan(1 - 1e-4);
    }
    const weights = net.getWeights().map((l) => ({ weights: Float64Array.from(l.weights), biases: Float64Array.from(l.biases) }));
    const lossAt = (layer: number, kind: 'weights' | 'biases', index: number, delta: number) => {
      const perturbed = weights.map((l) => ({ weights: l.weights.slice(), biases: l.biases.slice() }));
      perturbed[layer][kind][index] += delta;
      net.setWeights(perturbed);
      return net.evaluate(data).loss;
    };

    let worst = 0;
    let largest = 0;
    weights.forEach((layer, l) => {
      for (const kind of ['weights', 'biases'] as const) {
        const grads = kind === 'weights' ? analytic[l].dCdw : analytic[l].dCdb;
        expect(grads.length).toBe(layer[kind].length);
        for (let i = 0; i < layer[kind].length; i++) {
          const numeric = (lossAt(l, kind, i, h) - lossAt(l, kind, i, -h)) / (2 * h);
          worst = Math.max(worst, Math.abs(numeric - grads[i]));
          largest = Math.max(largest, Math.abs(grads[i]));
        }
      }
    });
    expect(largest).toBeGreaterThan(1e-3); // a vanishing gradient would make the comparison empty
    expect(worst).toBeLessThanOrEqual(tolerance * largest);
    net.dispose();
  });
});

// The training path, per layer. The reference loss is the float64 (js) engine's, with the weights and data of the
// engine under test (float32 values on wasm, exact in float64): float32 losses are too noisy for differences that
// must see a 1% error in one layer. With h = 1e-5 the differences agree with the js backend's gradient to ~2e-9 of
// a layer's largest gradient, and with the wasm backend's (float32 arithmetic) to ~5e-7; a derivative off by 1%
// puts the layers beneath it off by ≥ 2e-2. The bounds sit between: 1e-6 (js) and 1e-4 (wasm).
const H = 1e-5;
const LAYER_TOLERANCE = { js: 1e-6, wasm: 1e-4 } as const;
/** Below this, a layer's gradient counts as zero (a dead relu layer): the differences must then be zero too. */
const ZERO = { js: 1e-10, wasm: 1e-7 } as const;
const SIZES = [1, 2, 3, 5, 6, 7, 9];

type BackendName = 'js' | 'wasm';

async function backendFor(name: BackendName): Promise<Backend> {
  return name === 'js' ? new JsBackend() : WasmBackend.create({});
}

/** The backend with activationBackward of one activation multiplied by `factor`: a derivative that is wrong. */
const withWrongDerivative = (backend: Backend, activation: number, factor: number): Backend =>
  withKernel(backend, 'activationBackward', (activationBackward, ...args) => {
    activationBackward(...args);
    const [id, , , g, rows, cols] = args;
    if (id === activation) backend.kernels.scale(g, rows * cols, factor);
  });

interface Case {
  seed: number;
  spec: NetworkSpec;
  rows: number;
  inputs: Float64Array;
  targets: Float64Array;
}

/** Output pairs whose gradient cannot vanish on a whole batch (a relu output layer can be dead for every row). */
const LIVE_PAIRS = PAIRS.filter(([, output]) => output !== 'relu');

/** A random network and batch from `seed`: sizes from SIZES, 1–3 hidden layers, an output pair from LIVE_PAIRS. */
function randomCase(seed: number, hiddenActivation?: ActivationName): Case {
  const rng = new NumpyRandom(seed);
  const [loss, output] = LIVE_PAIRS[rng.nextInt(LIVE_PAIRS.length - 1)];
  const inputSize = SIZES[rng.nextInt(SIZES.length - 1)];
  const outputSize = output === 'softmax' || loss === 'categoricalCrossEntropy' ? 3 + rng.nextInt(2) * 2 : 1 + rng.nextInt(2);
  const hidden = 1 + rng.nextInt(2);
  const layers = [
    ...Array.from({ length: hidden }, () => ({
      units: SIZES[1 + rng.nextInt(SIZES.length - 2)],
      activation: hiddenActivation ?? HIDDEN[rng.nextInt(HIDDEN.length - 1)],
    })),
    { units: outputSize, activation: output },
  ];
  const rows = 1 + rng.nextInt(5);
  return {
    seed,
    spec: { inputSize, layers, loss, initializer: 'glorotUniform', biasInitializer: 'uniform', seed },
    rows,
    inputs: Float64Array.from(rng.randn(rows * inputSize), Math.fround),
    targets: Float64Array.from(targetsFor(loss, output, rows, outputSize, rng), Math.fround),
  };
}

interface LayerCheck {
  layer: number;
  /** max |numeric − analytic| over the layer's weights and biases. */
  worst: number;
  largest: number;
  bound: number;
}

/** The training step's gradient of each layer against float64 central differences of the summed loss. */
async function checkTrainingGradient(name: BackendName, c: Case,
  wrap: (backend: Backend) => Backend = (b) => b): Promise<LayerCheck[]> {
  const spec = resolveSpec({ ...c.spec, backend: name });
  const backend = wrap(await backendFor(name));
  const engine = new Engine(spec, backend);
  engine.initialize(new NumpyRandom(c.seed));
  const inputs = { rows: c.rows, cols: spec.inputSize, values: c.inputs };
  const targets = { rows: c.rows, cols: engine.outputSize, values: c.targets };
  engine.stage(inputs, targets, c.rows, 0);
  engine.setOrder(Int32Array.from({ length: c.rows }, (_, i) => i));
  const analytic = engine.stepGradient(0, c.rows);

  const reference = new Engine(resolveSpec({ ...c.spec, backend: 'js' }), new JsBackend());
  reference.reserve(c.rows, 0);
  const weights = engine.getLayers().map((l) => ({ weights: Float64Array.from(l.weights), biases: Float64Array.from(l.biases) }));
  backend.dispose();
  const lossAt = (layer: number, kind: 'weights' | 'biases', index: number, delta: number) => {
    const perturbed = weights.map((l) => ({ weights: l.weights.slice(), biases: l.biases.slice() }));
    perturbed[layer][kind][index] += delta;
    reference.setLayers(perturbed);
    return reference.evaluateChunk(inputs, targets, 0, c.rows).loss;
  };
  return weights.map((layer, l) => {
    let worst = 0;
    let largest = 0;
    for (const kind of ['weights', 'biases'] as const) {
      const grads = analytic[l][kind];
      expect(grads.length, `seed ${c.seed}, layer ${l} ${kind}`).toBe(layer[kind].length);
      for (let i = 0; i < grads.length; i++) {
        const numeric = (lossAt(l, kind, i, H) - lossAt(l, kind, i, -H)) / (2 * H);
        worst = Math.max(worst, Math.abs(numeric - grads[i]));
        largest = Math.max(largest, Math.abs(grads[i]));
      }
    }
    return { layer: l, worst, largest, bound: LAYER_TOLERANCE[name] * largest + ZERO[name] };
  });
}

const describeCase = (c: Case) => `seed ${c.seed}: ${c.spec.inputSize} → ` +
  `${c.spec.layers.map((l) => `${l.units} ${l.activation}`).join(' → ')}, ${c.spec.loss}, ${c.rows} rows`;

describe.each(['js', 'wasm'] as const)('the training step\'s gradient on the %s backend', (backend) => {
  it.each(Array.from({ length: 24 }, (_, i) => 500 + i))('per layer, random network from seed %i', async (seed) => {
    const c = randomCase(seed);
    const checks = await checkTrainingGradient(backend, c);
    for (const { layer, worst, largest, bound } of checks) {
      expect(worst, `${describeCase(c)}; layer ${layer}, largest gradient ${largest}`).toBeLessThanOrEqual(bound);
    }
    // The output layer's gradient does not vanish: the comparison is not empty.
    expect(checks[checks.length - 1].largest, describeCase(c)).toBeGreaterThan(1e-3);
  });

  it.each(['sigmoid', 'tanh', 'leakyRelu', 'linear'] as const)(
    'fails when %s\'s derivative is off by 1%% (the check has teeth)', async (activation) => {
      for (const seed of [700, 701, 702]) {
        const c = randomCase(seed, activation);
        const honest = await checkTrainingGradient(backend, c);
        const wrong = await checkTrainingGradient(backend, c,
          (b) => withWrongDerivative(b, activationId(activation), 1.01));
        const label = `${describeCase(c)}, ${activation} derivative × 1.01`;
        for (const check of honest) expect(check.worst, `${label}: honest layer ${check.layer}`).toBeLessThanOrEqual(check.bound);
        // Every hidden layer is `activation`, so the first layer's delta and gradient are off by ≥ 1%.
        expect(wrong[0].worst, `${label}: layer 0 (largest gradient ${wrong[0].largest})`).toBeGreaterThan(wrong[0].bound);
      }
    });
});
