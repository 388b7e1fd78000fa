// Properties of the inference side: predict, predictBatch, evaluate, activations, trace and setWeights.
// - Any input: a result of the documented shape, or a SimdnetError SHAPE_MISMATCH / NON_FINITE_INPUT /
//   TARGET_OUT_OF_RANGE; never another error, never a Wasm trap.
// - The two backends agree: on the same weights and moderate inputs, the float32 Wasm kernels and the float64 JS
//   kernels give the same outputs and loss to float32 accuracy (so no kernel returns garbage for some shape).
// - setWeights takes anything to either exactly those weights (rounded to the backend's precision) or a coded error.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type Dataset, Network, type NetworkSpec } from '../src/index.js';
import { cell, matrix, nastyNumber, probabilityCell, smallSpec } from './fuzz/arbitraries.js';
import { FUZZ_TIMEOUT, check, expectCoded } from './fuzz/harness.js';
import { expectClose } from './helpers.js';

const INPUT_CODES = ['SHAPE_MISMATCH', 'NON_FINITE_INPUT', 'TARGET_OUT_OF_RANGE'];

const probabilistic = (spec: NetworkSpec) =>
  spec.loss === 'binaryCrossEntropy' || spec.loss === 'categoricalCrossEntropy';
const outputsOf = (spec: NetworkSpec) => spec.layers[spec.layers.length - 1].units;

/** Runs `call`; its result must pass `verify`, or it must throw a coded error. */
function expectResult<T>(call: () => T, verify: (value: T) => void, codes = INPUT_CODES): void {
  let value: T;
  try {
    value = call();
  } catch (error) {
    expectCoded(error, codes);
    return;
  }
  verify(value);
}

const expectLength = (array: ArrayLike<number>, length: number, what: string) => {
  if (array.length !== length) throw new Error(`${what}: ${array.length} numbers, expected ${length}`);
};

/** Weights for a spec's layers, row-major, from one list of values (cycled). */
function layersFrom(spec: NetworkSpec, values: number[]) {
  let inputs = spec.inputSize;
  let at = 0;
  const take = (n: number) => Array.from({ length: n }, () => values[at++ % values.length]);
  return spec.layers.map((layer) => {
    const weights = take(inputs * layer.units);
    const biases = layer.useBias === false ? [] : take(layer.units);
    inputs = layer.units;
    return { weights, biases };
  });
}

describe.each(['wasm', 'js'] as const)('fuzz: inference on the %s backend', (backend) => {
  it('predict, predictBatch, evaluate, activations and trace give the documented shape or a coded error', async () => {
    const arbitrary = smallSpec(backend).chain((spec) => fc.record({
      spec: fc.constant(spec),
      one: fc.oneof(matrix(fc.constant(1), spec.inputSize), fc.array(cell, { maxLength: 8 })),
      data: fc.record({
        inputs: matrix(fc.integer({ min: 0, max: 6 }), spec.inputSize),
        targets: matrix(fc.integer({ min: 0, max: 6 }), outputsOf(spec), probabilistic(spec) ? probabilityCell : cell),
      }),
    }));
    await check('predict', fc.asyncProperty(arbitrary, async ({ spec, one, data }) => {
      const net = await Network.create(spec);
      try {
        const out = net.outputSize;
        expectResult(() => net.predict(one as number[]), (y) => expectLength(y, out, 'predict'));
        expectResult(() => net.predictBatch(data.inputs), (y) => {
          if (y.length % out !== 0) throw new Error(`predictBatch: ${y.length} numbers for ${out} outputs`);
        });
        expectResult(() => net.activations(data.inputs), (layers) => {
          if (layers.length !== spec.layers.length) throw new Error(`activations: ${layers.length} layers`);
        });
        expectResult(() => net.evaluate(data as Dataset), ({ loss, accuracy }) => {
          if (Number.isNaN(loss) || !(loss >= 0) || !(accuracy >= 0 && accuracy <= 1)) {
            throw new Error(`evaluate: loss ${loss}, accuracy ${accuracy}`);
          }
        });
        expectResult(() => net.trace(data as Dataset), (trace) => {
          if (trace.layers.length !== spec.layers.length) throw new Error(`trace: ${trace.layers.length} layers`);
        });
      } finally {
        net.dispose();
      }
    }), 80, 0.5);
  }, FUZZ_TIMEOUT);
});

describe('fuzz: the wasm and js backends agree', () => {
  it('on outputs and loss, for random networks, weights and moderate inputs', async () => {
    const arbitrary = smallSpec('js').chain((spec) => fc.record({
      spec: fc.constant(spec),
      weights: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 40 }),
      rows: fc.integer({ min: 1, max: 9 }),
      values: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 60 }),
      targets: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
    }));
    await check('backendsAgree', fc.asyncProperty(arbitrary, async ({ spec, weights, rows, values, targets }) => {
      const js = await Network.create({ ...spec, backend: 'js' });
      const wasm = await Network.create({ ...spec, backend: 'wasm' });
      try {
        // float32 weights on both, so that the only difference is the arithmetic.
        const layers = layersFrom(spec, Array.from(Float32Array.from(weights)));
        js.setWeights(layers);
        wasm.setWeights(layers);
        const inputs = Float32Array.from({ length: rows * spec.inputSize }, (_, i) => values[i % values.length]);
        const expected = js.predictBatch(Float64Array.from(inputs));
        const actual = wasm.predictBatch(inputs);
        const scale = 1 + Array.from(expected).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        expectClose(actual, expected, { abs: 2e-4 * scale }, `wasm outputs against js (scale ${scale})`);
        const data = { inputs, targets: Float32Array.from({ length: rows * js.outputSize },
          (_, i) => targets[i % targets.length]) };
        // Cross-entropy takes logs of the outputs, clamped to [1e-7, 1 − 1e-7]. Within 1e-5 of 0 or 1 a float32
        // output has saturated (a sigmoid of z > 16.6 is exactly 1 in float32) while the float64 one has not, and
        // −ln(1 − a) then differs by up to ln(1e-7 / 6e-8) ≈ 0.5 per output: float32's resolution, not an error.
        // (Computing these losses from the logits, as log-sigmoid and log-softmax, would remove it.)
        const saturated = (spec.loss === 'binaryCrossEntropy' || spec.loss === 'categoricalCrossEntropy') &&
          Array.from(expected).some((v) => v < 1e-5 || v > 1 - 1e-5);
        const a = wasm.evaluate(data).loss;
        const b = js.evaluate({ inputs: Float64Array.from(data.inputs), targets: Float64Array.from(data.targets) }).loss;
        if (!saturated && !(Math.abs(a - b) <= 1e-3 * (1 + Math.abs(b)) * scale)) throw new Error(`loss: wasm ${a}, js ${b}`);
      } finally {
        js.dispose();
        wasm.dispose();
      }
    }), 80);
  }, FUZZ_TIMEOUT);
});

describe.each(['wasm', 'js'] as const)('fuzz: setWeights on the %s backend', (backend) => {
  it('stores exactly what it is given, or throws SHAPE_MISMATCH / NON_FINITE_INPUT', async () => {
    const layerArbitrary = fc.oneof(
      { weight: 6, arbitrary: fc.constant('valid') },
      { weight: 1, arbitrary: fc.constantFrom('short', 'long', 'noBiases', 'null', 'typed', 'rows', 'string') },
    );
    const arbitrary = smallSpec(backend).chain((spec) => fc.record({
      spec: fc.constant(spec),
      values: fc.array(nastyNumber, { minLength: 1, maxLength: 30 }),
      defects: fc.array(layerArbitrary, { minLength: spec.layers.length, maxLength: spec.layers.length }),
      count: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1) }),
      notAnArray: fc.oneof({ weight: 39, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    }));
    await check('setWeights', fc.asyncProperty(arbitrary, async ({ spec, values, defects, count, notAnArray }) => {
      const net = await Network.create(spec);
      try {
        const layers: unknown[] = layersFrom(spec, values).map((layer, i) => {
          switch (defects[i]) {
            case 'short': return { ...layer, weights: layer.weights.slice(1) };
            case 'long': return { ...layer, weights: [...layer.weights, 0] };
            case 'noBiases': return { weights: layer.weights };
            case 'null': return null;
            case 'typed': return { weights: Float64Array.from(layer.weights), biases: Float32Array.from(layer.biases) };
            case 'rows': {
              const units = spec.layers[i].units;
              return { ...layer, weights: Array.from({ length: layer.weights.length / units },
                (_, r) => layer.weights.slice(r * units, (r + 1) * units)) };
            }
            case 'string': return { ...layer, weights: layer.weights.join(',') };
            default: return layer;
          }
        });
        if (count < 0) layers.pop();
        if (count > 0) layers.push(layers[0]);
        const given = notAnArray ? { 0: layers[0], length: layers.length } : layers;
        const before = net.getWeights();
        let accepted = false;
        expectResult(() => net.setWeights(given as Parameters<Network['setWeights']>[0]), () => {
          accepted = true;
          const Float = backend === 'js' ? Float64Array : Float32Array;
          net.getWeights().forEach((layer, i) => {
            const stored = layers[i] as { weights: ArrayLike<number> | number[][]; biases?: ArrayLike<number> };
            const flat = Array.from(stored.weights as ArrayLike<number>).flat() as number[];
            if (!sameValues(layer.weights, Float.from(flat)) ||
              !sameValues(layer.biases, Float.from(Array.from(stored.biases ?? [])))) {
              throw new Error(`layer ${i}: stored weights differ from those given`);
            }
          });
        }, ['SHAPE_MISMATCH', 'NON_FINITE_INPUT']);
        // A refused call changes nothing: the checks come before any write.
        if (!accepted && !net.getWeights().every((layer, i) => sameValues(layer.weights, before[i].weights) &&
          sameValues(layer.biases, before[i].biases))) {
          throw new Error('a refused setWeights changed some weights');
        }
      } finally {
        net.dispose();
      }
    }), 80, 0.5);
  }, FUZZ_TIMEOUT);
});

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(a[i] === 0 && b[i] === 0)) return false;
  return true;
}
