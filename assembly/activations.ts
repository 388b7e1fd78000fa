// Activations, in place over rows×cols f32: forward a = f(z), and backward g ← g ⊙ f′ with f′ taken from the
// cached output a (so the backward passes need no exp). Each exported kernel switches on the kind once, outside
// the loops; `activateLanes` / `gradientLanes` are inlined with the kind as a constant, so every kind compiles to
// its own tight loop (see the per-kind functions below for what keeps them apart).
//
//   kind        f(z)                      f′ from a
//   linear      z                         1
//   sigmoid     1 / (1 + e^−z)            a (1 − a)
//   tanh        tanh z                    1 − a²
//   relu        z > 0 ? z : 0             a > 0 ? 1 : 0
//   leakyRelu   z > 0 ? z : α z           a > 0 ? 1 : α
//   softmax     e^(z − max) / Σ e^(z−max)  per row; backward: ∂C/∂z_j = a_j (g_j − Σ_k g_k a_k)

import { LEAKY_RELU, LINEAR, RELU, SIGMOID, SOFTMAX, TANH } from './constants';
import { bytes, loadLanes, loadLanesOr, maxLanes, storeLanes, sumLanes } from './data';

/**
 * e^v per lane, in SIMD: f32x4 has no exp, so this is Cephes' expf (S. L. Moshier) four lanes at a time. With
 * n = round(v·log₂e) and r = v − n·ln 2 (ln 2 split in two parts, so r is exact), e^v = e^r·2ⁿ where e^r on
 * [−ln 2/2, ln 2/2] is a degree-7 polynomial (relative error about 2⁻²³, one or two units in the last place).
 * 2ⁿ is built in the exponent bits as 2^⌊n/2⌋·2^(n−⌊n/2⌋), so results that overflow give ∞ and tiny ones their
 * subnormal value or 0 (v is first clamped to [−104, 88.8], beyond which that is what they are). NaN stays NaN.
 * Only multiplies and adds: the same bits on every machine.
 */
// @ts-ignore: decorator
@inline function expLanes(v: v128): v128 {
  // pmin and pmax keep a NaN v (their comparisons are false for it) as min and max do, in one instruction each
  // instead of V8's seven that order signed zeros and NaNs.
  let x = f32x4.pmax(f32x4.pmin(v, f32x4.splat(88.8)), f32x4.splat(-104));
  let n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  x = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  x = f32x4.sub(x, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, f32x4.mul(x, x)), x), f32x4.splat(1));
  // n is a whole number in [−150, 128] (NaN only with a NaN v, whose result is NaN whatever k is): added to 1.5·2²³
  // it lies in [2²³, 2²⁴), where floats are the integers, so its bits less those of 1.5·2²³ are n. Two instructions
  // where the saturating conversion takes eight.
  let k = i32x4.sub(f32x4.add(n, f32x4.splat(12582912)), i32x4.splat(0x4b400000));
  let half = i32x4.shr_s(k, 1);
  let bias = i32x4.splat(127);
  let scale1 = i32x4.shl(i32x4.add(half, bias), 23);
  let scale2 = i32x4.shl(i32x4.add(i32x4.sub(k, half), bias), 23);
  return f32x4.mul(f32x4.mul(y, scale1), scale2);
}

/**
 * tanh v per lane, in SIMD (Cephes' tanhf): below |v| = 0.625 the odd polynomial v + v³·P(v²), which keeps the
 * relative accuracy near 0 where 1 − 2/(e^(2|v|) + 1) would cancel; above it that formula, with v's sign. It is
 * exactly ±1 once e^(2|v|) is large, and NaN stays NaN.
 */
// @ts-ignore: decorator
@inline function tanhLanes(v: v128): v128 {
  let a = f32x4.abs(v);
  let s = f32x4.mul(v, v);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(-3.33332819422e-1));
  let small = f32x4.add(f32x4.mul(f32x4.mul(p, s), v), v);
  let one = f32x4.splat(1);
  let large = f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(expLanes(f32x4.add(a, a)), one)));
  large = v128.or(large, v128.and(v, f32x4.splat(-0.0))); // v's sign
  return v128.bitselect(small, large, f32x4.lt(a, f32x4.splat(0.625)));
}

/** f(z) for an elementwise kind. The comparisons are false for NaN, like JsKernels' `z > 0 ? … : …`. */
// @ts-ignore: decorator
@inline function activateLanes(kind: i32, z: v128, alpha: v128): v128 {
  let zero = f32x4.splat(0);
  let one = f32x4.splat(1);
  switch (kind) {
    case SIGMOID: return f32x4.div(one, f32x4.add(one, expLanes(f32x4.neg(z))));
    case TANH: return tanhLanes(z);
    case RELU: return v128.and(z, f32x4.gt(z, zero));
    case LEAKY_RELU: return v128.bitselect(z, f32x4.mul(alpha, z), f32x4.gt(z, zero));
  }
  return z;
}

/** g ⊙ f′(a) for an elementwise kind. */
// @ts-ignore: decorator
@inline function gradientLanes(kind: i32, a: v128, g: v128, alpha: v128): v128 {
  let zero = f32x4.splat(0);
  let one = f32x4.splat(1);
  switch (kind) {
    case SIGMOID: return f32x4.mul(g, f32x4.mul(a, f32x4.sub(one, a)));
    case TANH: return f32x4.mul(g, f32x4.sub(one, f32x4.mul(a, a)));
    case RELU: return v128.and(g, f32x4.gt(a, zero));
    case LEAKY_RELU: return v128.bitselect(g, f32x4.mul(alpha, g), f32x4.gt(a, zero));
  }
  return g;
}

/** z ← f(z) over n elements: whole vectors, then the last n % 4 through the same lanes. */
// @ts-ignore: decorator
@inline function activateElements(kind: i32, alpha: f32, z: usize, n: i32): void {
  let alphas = f32x4.splat(alpha);
  let end = z + bytes(n & ~3);
  for (; z < end; z += 16) v128.store(z, activateLanes(kind, v128.load(z), alphas));
  let rest = n & 3;
  if (rest) storeLanes(z, activateLanes(kind, loadLanes(z, rest), alphas), rest);
}

/** g ← g ⊙ f′(a) over n elements. */
// @ts-ignore: decorator
@inline function gradientElements(kind: i32, alpha: f32, a: usize, g: usize, n: i32): void {
  let alphas = f32x4.splat(alpha);
  let end = g + bytes(n & ~3);
  for (; g < end; g += 16, a += 16) v128.store(g, gradientLanes(kind, v128.load(a), v128.load(g), alphas));
  let rest = n & 3;
  if (rest) storeLanes(g, gradientLanes(kind, loadLanes(a, rest), loadLanes(g, rest), alphas), rest);
}

/**
 * Softmax of each row, max-subtracted. The partial vector at a row's end is loaded with −∞ in its missing
 * lanes: they leave the max alone and their e^(−∞ − max) = 0 leaves the sum alone.
 */
function softmaxRows(z: usize, rows: i32, cols: i32): void {
  let full = bytes(cols & ~3);
  let rest = cols & 3;
  let rowStep = bytes(cols);
  let minusInfinity = f32x4.splat(-Infinity);
  for (let r = 0; r < rows; r++, z += rowStep) {
    let tail = z + full;
    let last = loadLanesOr(tail, rest, minusInfinity);
    let maxima = last;
    for (let p: usize = 0; p < full; p += 16) maxima = f32x4.max(maxima, v128.load(z + p));
    let shift = f32x4.splat(maxLanes(maxima));
    last = expLanes(f32x4.sub(last, shift));
    storeLanes(tail, last, rest);
    let sums = last;
    for (let p: usize = 0; p < full; p += 16) {
      let e = expLanes(f32x4.sub(v128.load(z + p), shift));
      v128.store(z + p, e);
      sums = f32x4.add(sums, e);
    }
    let sum = f32x4.splat(sumLanes(sums));
    for (let p: usize = 0; p < full; p += 16) v128.store(z + p, f32x4.div(v128.load(z + p), sum));
    storeLanes(tail, f32x4.div(loadLanes(tail, rest), sum), rest);
  }
}

/** Softmax backward per row: g ← a ⊙ (g − Σ g·a), the row's Jacobian times g. Missing lanes load as 0. */
function softmaxGradientRows(a: usize, g: usize, rows: i32, cols: i32): void {
  let full = bytes(cols & ~3);
  let rest = cols & 3;
  let rowStep = bytes(cols);
  for (let r = 0; r < rows; r++, a += rowStep, g += rowStep) {
    let lastA = loadLanes(a + full, rest);
    let lastG = loadLanes(g + full, rest);
    let dots = f32x4.mul(lastG, lastA);
    for (let p: usize = 0; p < full; p += 16) dots = f32x4.add(dots, f32x4.mul(v128.load(g + p), v128.load(a + p)));
    let dot = f32x4.splat(sumLanes(dots));
    for (let p: usize = 0; p < full; p += 16) {
      v128.store(g + p, f32x4.mul(v128.load(a + p), f32x4.sub(v128.load(g + p), dot)));
    }
    storeLanes(g + full, f32x4.mul(lastA, f32x4.sub(lastG, dot)), rest);
  }
}

// One function per kind around the inlined loops. (Inlined straight into the switch below, the copies differ only
// in the constant `kind` at their start, and Binaryen's code folding merges them back into one loop that switches
// on every vector; as functions, each is specialised before it is inlined.)
function activateSigmoid(alpha: f32, z: usize, n: i32): void { activateElements(SIGMOID, alpha, z, n); }
function activateTanh(alpha: f32, z: usize, n: i32): void { activateElements(TANH, alpha, z, n); }
function activateRelu(alpha: f32, z: usize, n: i32): void { activateElements(RELU, alpha, z, n); }
function activateLeakyRelu(alpha: f32, z: usize, n: i32): void { activateElements(LEAKY_RELU, alpha, z, n); }
function sigmoidGradient(alpha: f32, a: usize, g: usize, n: i32): void { gradientElements(SIGMOID, alpha, a, g, n); }
function tanhGradient(alpha: f32, a: usize, g: usize, n: i32): void { gradientElements(TANH, alpha, a, g, n); }
function reluGradient(alpha: f32, a: usize, g: usize, n: i32): void { gradientElements(RELU, alpha, a, g, n); }
function leakyReluGradient(alpha: f32, a: usize, g: usize, n: i32): void { gradientElements(LEAKY_RELU, alpha, a, g, n); }

/** a = f(z) in place over rows×cols; softmax works row by row; alpha is leakyRelu's slope. */
export function activate(activation: i32, alpha: f32, zPtr: usize, rows: i32, cols: i32): void {
  assert(rows >= 0 && cols >= 0, 'activate: negative count');
  let n = rows * cols;
  switch (activation) {
    case LINEAR: return;
    case SIGMOID: activateSigmoid(alpha, zPtr, n); return;
    case TANH: activateTanh(alpha, zPtr, n); return;
    case RELU: activateRelu(alpha, zPtr, n); return;
    case LEAKY_RELU: activateLeakyRelu(alpha, zPtr, n); return;
    case SOFTMAX: softmaxRows(zPtr, rows, cols); return;
  }
  assert(false, 'activate: unknown activation id');
  unreachable();
}

/** g ← g ⊙ f′ in place, f′ from the cached output a (softmax: the row's Jacobian times g). */
export function activationBackward(activation: i32, alpha: f32, aPtr: usize, gPtr: usize, rows: i32, cols: i32): void {
  assert(rows >= 0 && cols >= 0, 'activationBackward: negative count');
  let n = rows * cols;
  switch (activation) {
    case LINEAR: return;
    case SIGMOID: sigmoidGradient(alpha, aPtr, gPtr, n); return;
    case TANH: tanhGradient(alpha, aPtr, gPtr, n); return;
    case RELU: reluGradient(alpha, aPtr, gPtr, n); return;
    case LEAKY_RELU: leakyReluGradient(alpha, aPtr, gPtr, n); return;
    case SOFTMAX: softmaxGradientRows(aPtr, gPtr, rows, cols); return;
  }
  assert(false, 'activationBackward: unknown activation id');
  unreachable();
}
