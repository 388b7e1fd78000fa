// The classic programs (examples/) reproduce the numbers their tutorials print (credited in the README). On the float64
// js backend they are exact reproductions: 1e-9 relative, and every printed line identical to the tutorial's. On
// the float32 wasm backend: 1e-3 absolute after long runs, 1e-5 after a single step.
import { describe, expect, it } from 'vitest';
import { run as gradientDescent } from '../examples/grokking-gradient-descent.js';
import { run as hotCold } from '../examples/grokking-hot-cold.js';
import { run as elevenLines } from '../examples/iamtrask-11-lines.js';
import { run as twoLayer } from '../examples/iamtrask-2layer.js';
import { run as threeLayer } from '../examples/iamtrask-3layer.js';
import { run as litterRip } from '../examples/litter-rip.js';
import { run as nielsen111 } from '../examples/nielsen-1-1-1.js';
import { run as nielsen232 } from '../examples/nielsen-2-3-2.js';
import { ndarray, repr, str } from '../examples/print.js';
import { run as xiaolan } from '../examples/xiaolan.js';
import { expectClose } from './helpers.js';
import {
  GD_ALPHA_LAST_PREDICTION, GD_DIVERGES, GD_LEARNS, HOT_COLD_FIRST, HOT_COLD_LAST, HOT_COLD_STEP_10, NIELSEN_111,
} from './tutorial-numbers.js';

type Backend = 'js' | 'wasm';

const EXACT = 1e-9;
const LONG_RUN = 1e-3;
const ONE_STEP = 1e-5;
/** The check for a backend: exact (relative) on js, or the given absolute tolerance on wasm. */
const within = (backend: Backend, wasmTolerance: number) =>
  (actual: ArrayLike<number>, expected: ArrayLike<number>) =>
    expectClose(actual, expected, backend === 'js' ? { rel: EXACT } : { abs: wasmTolerance });

// ── What the tutorials print ─────────────────────────────────────────────────────────────────────────────────────

/** iamtrask, part 1: the 2-layer network's printout. */
const TWO_LAYER_PRINTED = '[[ 0.00966449]\n [ 0.00786506]\n [ 0.99358898]\n [ 0.99211957]]';
/** iamtrask, part 2: the 3-layer network's six error lines. */
const THREE_LAYER_ERRORS = [0.496410031903, 0.00858452565325, 0.00578945986251, 0.00462917677677, 0.00395876528027,
  0.00351012256786];
// The Primer's 1-1-1 values and Grokking's lines are in test/tutorial-numbers.ts (the learn page's test checks them too).

// ── What the tutorials' programs compute beyond what they print, from running them under numpy 2.4 (float64) ──

/** The 2-layer program's l1 at full precision (it prints 8 decimals). */
const TWO_LAYER_NUMPY = [0.0096644916879683, 0.007865059671309264, 0.9935889804970555, 0.992119573219358];
/** The litter-rip program's final print(l2), and its network applied to examples/litter-rip.ts's prospects. */
const LITTER_L2_NUMPY = [0.9970171078634206, 0.9967220868897564, 0.0026057245999589304, 0.00386759309559767];
const LITTER_PROSPECTS_NUMPY = [0.9970171337897594, 0.996722116665879, 0.0038675584616160706, 0.5577054017962422,
  0.24190493796781995];
/** The Network([2,3,2]) demo: gradients as propagate_backward computes them ([units][inputs]), the updated
 * parameters, and the cost ½Σ(a − y)² before and after (0.28723 → 0.28230). */
const NIELSEN_232 = {
  costBefore: 0.2872291358599124,
  costAfter: 0.28229621169169605,
  gradients: [
    { biases: [0.029966111431758907, -0.00363527041568172, 0.01675082811451872],
      weights: [[0.023972889145407128, 0.005993222286351782], [-0.002908216332545376, -0.000727054083136344],
        [0.013400662491614977, 0.003350165622903744]] },
    { biases: [0.055399968209579466, -0.1465741250180259],
      weights: [[0.034988813149142865, 0.032450296924362965, 0.02382280976487893],
        [-0.09257143710541028, -0.0858551734230272, -0.06302905235520023]] },
  ],
  updated: [
    { biases: [0.5370138388568242, 0.7599472770415682, 0.01702787718854813],
      weights: [[-0.11738907891454071, 0.45404967777136485], [-0.6577281283667454, 0.5662596554083136],
        [-0.1582082062491615, -0.8753298065622904]] },
    { biases: [-0.33337477682095795, 0.07526987250180259],
      weights: [[0.007213398685085713, -0.49464210969243627, -0.8201381409764879],
        [-0.865302316289459, -0.07493331265769729, -0.7690447247644799]] },
  ],
};

describe('printing as the tutorials’ Python does', () => {
  it('str() is Python 2’s 12 significant digits, repr() the shortest round trip', () => {
    expect([0.3025, 1, 0.2, 1.07995057925e-27, 5.40340687069e16, -232452292.6, 123456789012.5].map(str))
      .toEqual(['0.3025', '1.0', '0.2', '1.07995057925e-27', '5.40340687069e+16', '-232452292.6', '123456789012.0']);
    expect([1.124, -0.018992369482903983, 1e-5, 1e16, 1e15].map(repr))
      .toEqual(['1.124', '-0.018992369482903983', '1e-05', '1e+16', '1000000000000000.0']);
  });

  it('ndarray() prints like numpy 1.13', () => {
    expect(ndarray([[0.0026, -0.5, 0.99]])).toBe('[[ 0.0026 -0.5     0.99  ]]');
    expect(ndarray([[0.00002, 0.5], [1.5, 3]])).toBe('[[  2.00000000e-05   5.00000000e-01]\n [  1.50000000e+00   3.00000000e+00]]');
    expect(ndarray([[1, 0.5]])).toBe('[[ 1.   0.5]]');
  });
});

describe.each(['js', 'wasm'] as const)('the classic programs on the %s backend', (backend) => {
  const exact = backend === 'js';

  it('iamtrask-2layer prints the output of its last forward pass', async () => {
    const lines: string[] = [];
    const { output } = await twoLayer({ backend, print: (line) => lines.push(line) });
    within(backend, LONG_RUN)(output, TWO_LAYER_NUMPY);
    if (exact) expect(lines[1]).toBe(TWO_LAYER_PRINTED);
  });

  it('iamtrask-3layer prints the mean absolute error every 10,000 iterations', async () => {
    const lines: string[] = [];
    const { errors } = await threeLayer({ backend, print: (line) => lines.push(line) });
    within(backend, LONG_RUN)(errors, THREE_LAYER_ERRORS);
    if (exact) expect(lines).toEqual(THREE_LAYER_ERRORS.map((e) => 'Error:' + str(e)));
  });

  it('iamtrask-11-lines learns exclusive-or from any seed', async () => {
    for (const seed of [2, 5, 11]) {
      const { predictions } = await elevenLines({ backend, seed });
      expect(predictions.map(Math.round), `seed ${seed}`).toEqual([0, 1, 1, 0]);
    }
  });

  it('litter-rip has the 3-layer program’s errors, and scores prospects', async () => {
    const lines: string[] = [];
    const { errors, predictions, prospects } = await litterRip({ backend, print: (line) => lines.push(line) });
    within(backend, LONG_RUN)(errors, THREE_LAYER_ERRORS);
    within(backend, LONG_RUN)(predictions, LITTER_L2_NUMPY);
    within(backend, LONG_RUN)(prospects, LITTER_PROSPECTS_NUMPY);
    if (exact) {
      expect(lines.slice(0, 6)).toEqual(
        THREE_LAYER_ERRORS.map((e) => 'Avg l2_error after 10,000 more iterations: ' + str(e)));
    }
  });

  it('nielsen-1-1-1 reproduces all 19 values of the worked example', async () => {
    const lines: string[] = [];
    const values = await nielsen111({ backend, print: (line) => lines.push(line) });
    expect(Object.keys(values)).toEqual(Object.keys(NIELSEN_111));
    within(backend, ONE_STEP)(Object.values(values), Object.values(NIELSEN_111).map(Number));
    if (exact) {
      expect(lines).toEqual(Object.entries(NIELSEN_111).flatMap(([name, value]) => [`>>> ${name}`, value]));
    }
  });

  it('nielsen-2-3-2 takes the demo’s step: gradients, parameters, cost 0.28723 → 0.28230', async () => {
    const result = await nielsen232({ backend });
    const close = within(backend, ONE_STEP);
    close([result.costBefore, result.costAfter], [NIELSEN_232.costBefore, NIELSEN_232.costAfter]);
    for (const key of ['gradients', 'updated'] as const) {
      result[key].forEach((layer, l) => {
        close(layer.biases, NIELSEN_232[key][l].biases);
        close(layer.weights.flat(), NIELSEN_232[key][l].weights.flat());
      });
    }
    expect([result.costBefore.toFixed(5), result.costAfter.toFixed(5)]).toEqual(['0.28723', '0.28230']);
  });

  it('grokking-hot-cold creeps to 0.8 with step 0.001 and never gets there with step 10', async () => {
    const { small, large } = await hotCold({ backend });
    expect(small.lines).toHaveLength(1101);
    const close = within(backend, LONG_RUN);
    close([small.errors[0], small.predictions[0], small.errors[1], small.predictions[1]], [0.3025, 0.25, 0.30195025, 0.2505]);
    close([...small.errors.slice(-2), ...small.predictions.slice(-2)], [2.50000000033e-7, 1.07995057925e-27, 0.7995, 0.8]);
    close(large.predictions, [0.25, 5.25, 0.25, 5.25, 0.25, 5.25]);
    close(large.errors, [0.3025, 19.8025, 0.3025, 19.8025, 0.3025, 19.8025]);
    if (exact) {
      expect([...small.lines.slice(0, 2), ...small.lines.slice(-2)]).toEqual([...HOT_COLD_FIRST, ...HOT_COLD_LAST]);
      expect(large.lines.slice(0, 5)).toEqual(HOT_COLD_STEP_10);
    }
  });

  it('grokking-gradient-descent learns, diverges with input 2, and learns again with alpha 0.1', async () => {
    const { learns, diverges, alpha } = await gradientDescent({ backend });
    const close = within(backend, ONE_STEP);
    const parse = (line: string) => line.match(/Error:(\S+) Prediction:(\S+)/)!.slice(1).map(Number);
    const ends = (run: { lines: string[] }) => [...run.lines.slice(0, 3), ...run.lines.slice(-3)];
    const numbers = (run: { errors: number[]; predictions: number[] }) =>
      [0, 1, 2, 17, 18, 19].flatMap((i) => [run.errors[i], run.predictions[i]]);
    close(numbers(learns), [...GD_LEARNS.first, ...GD_LEARNS.last].flatMap(parse));
    // Divergence reaches 2·10⁸: float32 keeps it to 1e-5 of its size, not of 1.
    expectClose(numbers(diverges), [...GD_DIVERGES.first, ...GD_DIVERGES.last].flatMap(parse), { rel: exact ? EXACT : ONE_STEP });
    close([alpha.predictions[19]], [GD_ALPHA_LAST_PREDICTION]);
    if (exact) {
      expect(ends(learns)).toEqual([...GD_LEARNS.first, ...GD_LEARNS.last]);
      expect(ends(diverges)).toEqual([...GD_DIVERGES.first, ...GD_DIVERGES.last]);
      expect(alpha.lines[19]).toMatch(/ Prediction:0\.800012187195$/);
    }
  });

  it('xiaolan shows each step of the slides', async () => {
    const { bean, bias, logistic, hill, plane } = await xiaolan({ backend });
    // 1. The single bean: w walks down to the floor of the error valley, w = 0.68 / 0.4 = 1.7.
    expect(bean.path[0]).toEqual({ step: 0, w: 0, e: expect.closeTo(0.4624, 7) });
    expect(Math.abs(bean.w - 1.7)).toBeLessThan(exact ? 1e-9 : 1e-6);
    expect(bean.path.map((p) => p.e)).toEqual([...bean.path.map((p) => p.e)].sort((a, b) => b - a));

    // 2. The line with b reaches the least-squares fit; the line through the origin cannot get near it.
    const xs = bias.data.inputs.map(([x]) => x);
    const ys = bias.data.targets;
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const [mx, my] = [mean(xs), mean(ys)];
    const w = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    expect(Math.abs(bias.bias.w - w)).toBeLessThan(1e-5);
    expect(Math.abs(bias.bias.b - (my - w * mx))).toBeLessThan(1e-5);
    expect(Math.abs(bias.bias.b - 0.3)).toBeLessThan(0.05);
    expect(bias.noBias.e).toBeGreaterThan(20 * bias.bias.e);

    // 3. Every bean on the right side of a = 0.5, the boundary between the two kinds near 0.5.
    expect(logistic.accuracy).toBe(1);
    expect(Math.abs(logistic.boundary - 0.5)).toBeLessThan(0.05);
    expect(logistic.probabilities).toEqual([...logistic.probabilities].sort((a, b) => a - b));

    // 4. The hill: one S-curve cannot, 1→2→1 can.
    expect(hill.neuron.accuracy).toBeLessThan(0.9);
    expect(hill.network.accuracy).toBe(1);
    expect(hill.neuron.e).toBeGreaterThan(50 * hill.network.e);
    expect(hill.curve[1]).toBeGreaterThan(0.9);
    expect(Math.max(hill.curve[0], hill.curve[2])).toBeLessThan(0.1);

    // 5. Two inputs: one neuron's boundary is a straight line, 2→2→1's is bent.
    expect(plane.line.accuracy).toBe(1);
    expect(plane.curve.neuron.accuracy).toBeLessThan(0.9);
    expect(plane.curve.network.accuracy).toBe(1);
    expect(plane.curve.neuron.e).toBeGreaterThan(20 * plane.curve.network.e);
    const bend = (b: number[]) => (b[0] + b[4]) / 2 - b[2]; // how far the middle sits below the ends' chord
    const straightness = (b: number[]) => Math.max(...[1, 2, 3].map((i) => Math.abs(b[i - 1] - 2 * b[i] + b[i + 1])));
    expect(straightness(plane.curve.neuron.boundary)).toBeLessThan(exact ? 1e-9 : 1e-4);
    expect(bend(plane.curve.network.boundary)).toBeGreaterThan(0.3);
  });
});
