// Losses of the output layer, per element (a the output, y the target), summed over rows×cols:
//   quadratic                 C = ½ (a − y)²                          ∂C/∂a = a − y
//   mse                       C = (a − y)² / cols                     ∂C/∂a = (2 / cols)(a − y)
//   binaryCrossEntropy        C = −(y ln p + (1 − y) ln(1 − p))       ∂C/∂a = (p − y) / (p (1 − p))
//   categoricalCrossEntropy   C = −y ln p                             ∂C/∂a = −y / p
// with p = a clamped into [LOG_EPSILON, 1 − LOG_EPSILON]. The loss is summed in f64, and the clamp, logs and
// ∂C/∂a are taken in f64 too (two lanes at a time), so they agree with JsKernels even where the clamp bites:
// 1 − 1e−7 has no nearby f32. Fused pairs skip ∂C/∂a and write ∂C/∂z directly:
//   softmax + categoricalCrossEntropy   ∂C/∂z = a Σy − y  (a − y for one-hot targets)
//   sigmoid + binaryCrossEntropy        ∂C/∂z = a − y

import { activationBackward } from './activations';
import { BINARY_CROSS_ENTROPY, CATEGORICAL_CROSS_ENTROPY, LOG_EPSILON, MSE, QUADRATIC, SIGMOID, SOFTMAX } from './constants';
import { bytes, loadLanes, loadPair, loadSingle, storeLanes, storePair, storeSingle, sumLanes } from './data';

/**
 * weight · ln v per f64 lane (AssemblyScript's Math.log, compiled into the module) for a probability v (or NaN),
 * without the logarithm where the weight is 0: there weight · (v − v) gives the ±0 (NaN for a NaN v) that
 * weight · ln v gives, up to the sign of a zero, which no sum of losses keeps (the sums start at +0). One-hot
 * targets are mostly 0, so most of cross-entropy's logarithms go.
 */
// @ts-ignore: decorator
@inline function weightedLogLanes(weight: v128, v: v128): v128 {
  let v0 = f64x2.extract_lane(v, 0), v1 = f64x2.extract_lane(v, 1);
  let l0 = f64x2.extract_lane(weight, 0) != 0 ? Math.log(v0) : v0 - v0;
  let l1 = f64x2.extract_lane(weight, 1) != 0 ? Math.log(v1) : v1 - v1;
  return f64x2.mul(weight, f64x2(l0, l1));
}

/**
 * a clamped into [LOG_EPSILON, 1 − LOG_EPSILON], per f64 lane (NaN stays NaN: pmax and pmin keep their first operand
 * when the comparison is false, in one instruction each where V8 spends seven on min and max).
 */
// @ts-ignore: decorator
@inline function clampProbability(a: v128): v128 {
  return f64x2.pmin(f64x2.pmax(a, f64x2.splat(LOG_EPSILON)), f64x2.splat(1 - LOG_EPSILON));
}

/** C for two elements (f64x2). */
// @ts-ignore: decorator
@inline function lossLanes(kind: i32, a: v128, y: v128, cols: v128): v128 {
  let one = f64x2.splat(1);
  switch (kind) {
    case QUADRATIC: {
      let d = f64x2.sub(a, y);
      return f64x2.mul(f64x2.mul(f64x2.splat(0.5), d), d);
    }
    case MSE: {
      let d = f64x2.sub(a, y);
      return f64x2.div(f64x2.mul(d, d), cols);
    }
    case BINARY_CROSS_ENTROPY: {
      let p = clampProbability(a);
      return f64x2.neg(f64x2.add(weightedLogLanes(y, p), weightedLogLanes(f64x2.sub(one, y), f64x2.sub(one, p))));
    }
    case CATEGORICAL_CROSS_ENTROPY: return f64x2.neg(weightedLogLanes(y, clampProbability(a)));
  }
  return f64x2.splat(0);
}

/** ∂C/∂a for two elements (f64x2). */
// @ts-ignore: decorator
@inline function lossGradientLanes(kind: i32, a: v128, y: v128, twoOverCols: v128): v128 {
  let one = f64x2.splat(1);
  switch (kind) {
    case QUADRATIC: return f64x2.sub(a, y);
    case MSE: return f64x2.mul(twoOverCols, f64x2.sub(a, y));
    case BINARY_CROSS_ENTROPY: {
      let p = clampProbability(a);
      return f64x2.div(f64x2.sub(p, y), f64x2.mul(p, f64x2.sub(one, p)));
    }
    case CATEGORICAL_CROSS_ENTROPY: return f64x2.div(f64x2.neg(y), clampProbability(a));
  }
  return f64x2.splat(0);
}

/** Σ C over n elements, two at a time, then the odd one. */
// @ts-ignore: decorator
@inline function sumLoss(kind: i32, a: usize, y: usize, n: i32, cols: i32): f64 {
  let colsLanes = f64x2.splat(<f64>cols);
  let sums = f64x2.splat(0);
  let end = a + bytes(n & ~1);
  for (; a < end; a += 8, y += 8) sums = f64x2.add(sums, lossLanes(kind, loadPair(a), loadPair(y), colsLanes));
  let sum = f64x2.extract_lane(sums, 0) + f64x2.extract_lane(sums, 1);
  if (n & 1) sum += f64x2.extract_lane(lossLanes(kind, loadSingle(a), loadSingle(y), colsLanes), 0);
  return sum;
}

/** delta = ∂C/∂a over n elements, two at a time, then the odd one. */
// @ts-ignore: decorator
@inline function lossGradient(kind: i32, a: usize, y: usize, delta: usize, n: i32, cols: i32): void {
  let twoOverCols = f64x2.splat(2 / <f64>cols);
  let end = a + bytes(n & ~1);
  for (; a < end; a += 8, y += 8, delta += 8) {
    storePair(delta, lossGradientLanes(kind, loadPair(a), loadPair(y), twoOverCols));
  }
  if (n & 1) storeSingle(delta, lossGradientLanes(kind, loadSingle(a), loadSingle(y), twoOverCols));
}

/** Fused softmax + categorical cross-entropy: delta = a Σy − y, row by row. Missing lanes load as 0. */
function softmaxCrossEntropyDelta(a: usize, y: usize, delta: usize, rows: i32, cols: i32): void {
  let full = bytes(cols & ~3);
  let rest = cols & 3;
  let rowStep = bytes(cols);
  for (let r = 0; r < rows; r++, a += rowStep, y += rowStep, delta += rowStep) {
    let lastY = loadLanes(y + full, rest);
    let sums = lastY;
    for (let p: usize = 0; p < full; p += 16) sums = f32x4.add(sums, v128.load(y + p));
    let targetSum = f32x4.splat(sumLanes(sums));
    for (let p: usize = 0; p < full; p += 16) {
      v128.store(delta + p, f32x4.sub(f32x4.mul(v128.load(a + p), targetSum), v128.load(y + p)));
    }
    storeLanes(delta + full, f32x4.sub(f32x4.mul(loadLanes(a + full, rest), targetSum), lastY), rest);
  }
}

/** Fused sigmoid + binary cross-entropy: delta = a − y. */
function difference(a: usize, y: usize, delta: usize, n: i32): void {
  let end = a + bytes(n & ~3);
  for (; a < end; a += 16, y += 16, delta += 16) v128.store(delta, f32x4.sub(v128.load(a), v128.load(y)));
  let rest = n & 3;
  storeLanes(delta, f32x4.sub(loadLanes(a, rest), loadLanes(y, rest)), rest);
}

// One function per kind around the inlined loops, as in activations.ts: inlined straight into a switch, the copies
// would be folded back into one loop that switches on every element pair.
function quadraticLoss(a: usize, y: usize, n: i32, cols: i32): f64 { return sumLoss(QUADRATIC, a, y, n, cols); }
function mseLoss(a: usize, y: usize, n: i32, cols: i32): f64 { return sumLoss(MSE, a, y, n, cols); }
function binaryCrossEntropyLoss(a: usize, y: usize, n: i32, cols: i32): f64 {
  return sumLoss(BINARY_CROSS_ENTROPY, a, y, n, cols);
}
function categoricalCrossEntropyLoss(a: usize, y: usize, n: i32, cols: i32): f64 {
  return sumLoss(CATEGORICAL_CROSS_ENTROPY, a, y, n, cols);
}
function quadraticGradient(a: usize, y: usize, delta: usize, n: i32, cols: i32): void {
  lossGradient(QUADRATIC, a, y, delta, n, cols);
}
function mseGradient(a: usize, y: usize, delta: usize, n: i32, cols: i32): void {
  lossGradient(MSE, a, y, delta, n, cols);
}
function binaryCrossEntropyGradient(a: usize, y: usize, delta: usize, n: i32, cols: i32): void {
  lossGradient(BINARY_CROSS_ENTROPY, a, y, delta, n, cols);
}
function categoricalCrossEntropyGradient(a: usize, y: usize, delta: usize, n: i32, cols: i32): void {
  lossGradient(CATEGORICAL_CROSS_ENTROPY, a, y, delta, n, cols);
}

/** The loss summed over rows (no delta). */
export function loss(lossId: i32, aPtr: usize, yPtr: usize, rows: i32, cols: i32): f64 {
  assert(rows >= 0 && cols >= 0, 'loss: negative count');
  let n = rows * cols;
  switch (lossId) {
    case QUADRATIC: return quadraticLoss(aPtr, yPtr, n, cols);
    case MSE: return mseLoss(aPtr, yPtr, n, cols);
    case BINARY_CROSS_ENTROPY: return binaryCrossEntropyLoss(aPtr, yPtr, n, cols);
    case CATEGORICAL_CROSS_ENTROPY: return categoricalCrossEntropyLoss(aPtr, yPtr, n, cols);
  }
  assert(false, 'loss: unknown loss id');
  unreachable();
  return 0; // not reached; AssemblyScript wants a value here
}

/**
 * The output layer's delta = ∂C/∂z into deltaPtr, from its output a and target y; returns the loss summed over
 * rows. The two fused pairs write ∂C/∂z directly; any other pair writes ∂C/∂a, then activationBackward.
 */
export function outputDelta(
  lossId: i32, activation: i32, alpha: f32, aPtr: usize, yPtr: usize, deltaPtr: usize, rows: i32, cols: i32,
): f64 {
  assert(rows >= 0 && cols >= 0, 'outputDelta: negative count');
  let n = rows * cols;
  if (lossId == CATEGORICAL_CROSS_ENTROPY && activation == SOFTMAX) {
    softmaxCrossEntropyDelta(aPtr, yPtr, deltaPtr, rows, cols);
  } else if (lossId == BINARY_CROSS_ENTROPY && activation == SIGMOID) {
    difference(aPtr, yPtr, deltaPtr, n);
  } else {
    switch (lossId) {
      case QUADRATIC: quadraticGradient(aPtr, yPtr, deltaPtr, n, cols); break;
      case MSE: mseGradient(aPtr, yPtr, deltaPtr, n, cols); break;
      case BINARY_CROSS_ENTROPY: binaryCrossEntropyGradient(aPtr, yPtr, deltaPtr, n, cols); break;
      case CATEGORICAL_CROSS_ENTROPY: categoricalCrossEntropyGradient(aPtr, yPtr, deltaPtr, n, cols); break;
      default:
        assert(false, 'outputDelta: unknown loss id');
        unreachable();
    }
    activationBackward(activation, alpha, aPtr, deltaPtr, rows, cols);
  }
  return loss(lossId, aPtr, yPtr, rows, cols);
}

/**
 * How many of `rows` samples the output a gets right against the target y: for several outputs, the first index
 * of the row's largest a equals the first index of its largest y (a NaN is never larger, so it wins only at index
 * 0); for one output, a ≥ 0.5 exactly when y ≥ 0.5. Scalar: one pass over the outputs per training step, with
 * compare-and-branch per element, is no hot loop.
 */
export function countCorrect(aPtr: usize, yPtr: usize, rows: i32, cols: i32): i32 {
  assert(rows >= 0 && cols >= 1, 'countCorrect: negative rows or no columns');
  let correct = 0;
  let rowBytes = bytes(cols);
  for (let r = 0; r < rows; r++, aPtr += rowBytes, yPtr += rowBytes) {
    if (cols == 1) {
      if ((load<f32>(aPtr) >= 0.5) == (load<f32>(yPtr) >= 0.5)) correct++;
      continue;
    }
    let predicted = 0, expected = 0;
    let best = load<f32>(aPtr), target = load<f32>(yPtr);
    for (let c = 1; c < cols; c++) {
      let ac = load<f32>(aPtr + bytes(c)), yc = load<f32>(yPtr + bytes(c));
      if (ac > best) { best = ac; predicted = c; }
      if (yc > target) { target = yc; expected = c; }
    }
    if (predicted == expected) correct++;
  }
  return correct;
}
