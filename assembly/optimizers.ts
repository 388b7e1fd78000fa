// Optimiser steps: one SIMD pass over `count` parameters (the whole network: parameters and gradients are each
// one contiguous block of the same layout). Each pass reads paramIn and writes paramOut (they may be the same
// address) and returns 1 when every new value is finite, else 0, so the caller can keep paramIn when a step
// overflows. Gradients are read, not cleared: weightGradient overwrites them on the next batch.
//
// The gradient used is g = scale·grad + l1·sign(p) + 2·l2·p, with sign(0) = 0 (grad holds sums over the batch;
// scale = 1/batch). The finite check is fused into the pass: next − next is 0 for a finite value and NaN for
// ±∞ or NaN, and NaN survives any sum, so one vector accumulates the verdict of every lane. It covers the
// optimiser state too (velocity, Adam's m and v): a huge finite gradient can overflow v = β2·v + (1 − β2)·g² to ∞
// in float32, which makes the step 0 and would freeze the parameter for good with every value still "finite".
// Scalars arrive as f64 and are rounded to f32 once, after any arithmetic between them (1 − β2 taken in f64 is
// 0.001 to f32 precision; taken in f32 it would be off by 1.3e−5 relative).
//
// Each kind is a `…Lanes` function for four parameters (or the last 1–3: `lanes`), inlined into one loop.

import { bytes, laneMask, loadLanes, storeLanes } from './data';

/** scale·grad + l1·sign(p) + 2·l2·p; just scale·grad in the passes compiled for l1 = l2 = 0 (`penalties` false),
 *  which skip seven instructions per vector that would add zeros. */
// @ts-ignore: decorator
@inline function regularised(penalties: bool, grad: v128, p: v128, scale: v128, l1: v128, twoL2: v128): v128 {
  if (!penalties) return f32x4.mul(scale, grad);
  let zero = f32x4.splat(0);
  let one = f32x4.splat(1);
  let sign = f32x4.sub(v128.and(f32x4.gt(p, zero), one), v128.and(f32x4.lt(p, zero), one));
  return f32x4.add(f32x4.add(f32x4.mul(scale, grad), f32x4.mul(l1, sign)), f32x4.mul(twoL2, p));
}

/** 0 in every lane whose value is finite, NaN in the others. */
// @ts-ignore: decorator
@inline function nonFinite(v: v128): v128 {
  return f32x4.sub(v, v);
}

/** Adds a tail's check (lanes past `lanes` are not parameters, whatever they computed) to `check`. */
// @ts-ignore: decorator
@inline function addTailCheck(check: v128, tail: v128, lanes: i32): v128 {
  return f32x4.add(check, v128.and(tail, laneMask(lanes)));
}

/** 1 when no lane of the accumulated check is NaN, else 0. */
// @ts-ignore: decorator
@inline function allFinite(check: v128): i32 {
  return v128.any_true(f32x4.ne(check, check)) ? 0 : 1;
}

/** p ← p − η·g. */
// @ts-ignore: decorator
@inline function sgdLanes(
  penalties: bool, lanes: i32, paramIn: usize, paramOut: usize, grad: usize,
  learningRate: v128, scale: v128, l1: v128, twoL2: v128,
): v128 {
  let p = loadLanes(paramIn, lanes);
  let next = f32x4.sub(p, f32x4.mul(learningRate, regularised(penalties, loadLanes(grad, lanes), p, scale, l1, twoL2)));
  storeLanes(paramOut, next, lanes);
  return nonFinite(next);
}

// @ts-ignore: decorator
@inline function sgdPass(
  penalties: bool, paramIn: usize, paramOut: usize, grad: usize, count: i32,
  learningRate: f64, scale: f64, l1: f64, l2: f64,
): i32 {
  let eta = f32x4.splat(<f32>learningRate), s = f32x4.splat(<f32>scale);
  let l1s = f32x4.splat(<f32>l1), twoL2 = f32x4.splat(<f32>(2 * l2));
  let check = f32x4.splat(0);
  let full = bytes(count & ~3);
  for (let i: usize = 0; i < full; i += 16) {
    check = f32x4.add(check, sgdLanes(penalties, 4, paramIn + i, paramOut + i, grad + i, eta, s, l1s, twoL2));
  }
  let rest = count & 3;
  let tail = sgdLanes(penalties, rest, paramIn + full, paramOut + full, grad + full, eta, s, l1s, twoL2);
  return allFinite(addTailCheck(check, tail, rest));
}

// Each pass specialised twice (see activations.ts for why these are functions): with and without penalties.
function sgdPenalised(paramIn: usize, paramOut: usize, grad: usize, count: i32, learningRate: f64, scale: f64,
  l1: f64, l2: f64): i32 {
  return sgdPass(true, paramIn, paramOut, grad, count, learningRate, scale, l1, l2);
}
function sgdPlain(paramIn: usize, paramOut: usize, grad: usize, count: i32, learningRate: f64, scale: f64): i32 {
  return sgdPass(false, paramIn, paramOut, grad, count, learningRate, scale, 0, 0);
}

/** Plain gradient descent over `count` parameters; 1 when every new value is finite. */
export function sgd(
  paramInPtr: usize, paramOutPtr: usize, gradPtr: usize, count: i32,
  learningRate: f64, scale: f64, l1: f64, l2: f64,
): i32 {
  assert(count >= 0, 'sgd: negative count');
  return l1 == 0 && l2 == 0
    ? sgdPlain(paramInPtr, paramOutPtr, gradPtr, count, learningRate, scale)
    : sgdPenalised(paramInPtr, paramOutPtr, gradPtr, count, learningRate, scale, l1, l2);
}

/** velocity ← μ·velocity − η·g; p ← p + velocity, or with Nesterov p ← p + μ·velocity − η·g. */
// @ts-ignore: decorator
@inline function momentumLanes(
  nesterov: bool, penalties: bool, lanes: i32, paramIn: usize, paramOut: usize, grad: usize, velocity: usize,
  learningRate: v128, scale: v128, l1: v128, twoL2: v128, mu: v128,
): v128 {
  let p = loadLanes(paramIn, lanes);
  let step = f32x4.mul(learningRate, regularised(penalties, loadLanes(grad, lanes), p, scale, l1, twoL2));
  let v = f32x4.sub(f32x4.mul(mu, loadLanes(velocity, lanes)), step);
  storeLanes(velocity, v, lanes);
  let next = nesterov ? f32x4.sub(f32x4.add(p, f32x4.mul(mu, v)), step) : f32x4.add(p, v);
  storeLanes(paramOut, next, lanes);
  return f32x4.add(nonFinite(next), nonFinite(v));
}

// @ts-ignore: decorator
@inline function momentumPass(
  nesterov: bool, penalties: bool, paramIn: usize, paramOut: usize, grad: usize, velocity: usize, count: i32,
  learningRate: f64, scale: f64, l1: f64, l2: f64, momentum: f64,
): i32 {
  let eta = f32x4.splat(<f32>learningRate), s = f32x4.splat(<f32>scale);
  let l1s = f32x4.splat(<f32>l1), twoL2 = f32x4.splat(<f32>(2 * l2)), mu = f32x4.splat(<f32>momentum);
  let check = f32x4.splat(0);
  let full = bytes(count & ~3);
  for (let i: usize = 0; i < full; i += 16) {
    check = f32x4.add(check, momentumLanes(nesterov, penalties, 4, paramIn + i, paramOut + i, grad + i, velocity + i,
      eta, s, l1s, twoL2, mu));
  }
  let rest = count & 3;
  let tail = momentumLanes(nesterov, penalties, rest, paramIn + full, paramOut + full, grad + full, velocity + full,
    eta, s, l1s, twoL2, mu);
  return allFinite(addTailCheck(check, tail, rest));
}

// Four functions around the inlined pass, so that each is specialised on its own (see activations.ts).
function plainMomentum(
  paramIn: usize, paramOut: usize, grad: usize, velocity: usize, count: i32,
  learningRate: f64, scale: f64, momentum: f64,
): i32 {
  return momentumPass(false, false, paramIn, paramOut, grad, velocity, count, learningRate, scale, 0, 0, momentum);
}
function nesterovMomentum(
  paramIn: usize, paramOut: usize, grad: usize, velocity: usize, count: i32,
  learningRate: f64, scale: f64, momentum: f64,
): i32 {
  return momentumPass(true, false, paramIn, paramOut, grad, velocity, count, learningRate, scale, 0, 0, momentum);
}
function penalisedMomentum(
  paramIn: usize, paramOut: usize, grad: usize, velocity: usize, count: i32,
  learningRate: f64, scale: f64, l1: f64, l2: f64, momentum: f64,
): i32 {
  return momentumPass(false, true, paramIn, paramOut, grad, velocity, count, learningRate, scale, l1, l2, momentum);
}
function penalisedNesterovMomentum(
  paramIn: usize, paramOut: usize, grad: usize, velocity: usize, count: i32,
  learningRate: f64, scale: f64, l1: f64, l2: f64, momentum: f64,
): i32 {
  return momentumPass(true, true, paramIn, paramOut, grad, velocity, count, learningRate, scale, l1, l2, momentum);
}

/** Momentum (nesterov ≠ 0: Nesterov's) over `count` parameters, updating velocity in place. */
export function momentum(
  paramInPtr: usize, paramOutPtr: usize, gradPtr: usize, velocityPtr: usize, count: i32,
  learningRate: f64, scale: f64, l1: f64, l2: f64, momentum: f64, nesterov: i32,
): i32 {
  assert(count >= 0, 'momentum: negative count');
  if (l1 == 0 && l2 == 0) {
    return nesterov
      ? nesterovMomentum(paramInPtr, paramOutPtr, gradPtr, velocityPtr, count, learningRate, scale, momentum)
      : plainMomentum(paramInPtr, paramOutPtr, gradPtr, velocityPtr, count, learningRate, scale, momentum);
  }
  return nesterov
    ? penalisedNesterovMomentum(paramInPtr, paramOutPtr, gradPtr, velocityPtr, count, learningRate, scale, l1, l2, momentum)
    : penalisedMomentum(paramInPtr, paramOutPtr, gradPtr, velocityPtr, count, learningRate, scale, l1, l2, momentum);
}

/**
 * m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; p ← p − η·correction1·m / (√(correction2·v) + ε).
 * `stepSize` is η·correction1, multiplied in f64.
 */
// @ts-ignore: decorator
@inline function adamLanes(
  lanes: i32, paramIn: usize, paramOut: usize, grad: usize, m: usize, v: usize,
  stepSize: v128, scale: v128, l1: v128, twoL2: v128,
  beta1: v128, oneMinusBeta1: v128, beta2: v128, oneMinusBeta2: v128, epsilon: v128, correction2: v128,
): v128 {
  let p = loadLanes(paramIn, lanes);
  let g = regularised(true, loadLanes(grad, lanes), p, scale, l1, twoL2);
  let mi = f32x4.add(f32x4.mul(beta1, loadLanes(m, lanes)), f32x4.mul(oneMinusBeta1, g));
  let vi = f32x4.add(f32x4.mul(beta2, loadLanes(v, lanes)), f32x4.mul(f32x4.mul(oneMinusBeta2, g), g));
  storeLanes(m, mi, lanes);
  storeLanes(v, vi, lanes);
  let denominator = f32x4.add(f32x4.sqrt(f32x4.mul(vi, correction2)), epsilon);
  let next = f32x4.sub(p, f32x4.div(f32x4.mul(stepSize, mi), denominator));
  storeLanes(paramOut, next, lanes);
  return f32x4.add(nonFinite(next), f32x4.add(nonFinite(mi), nonFinite(vi)));
}

/** Adam over `count` parameters, updating m and v in place; correction1/2 = 1/(1 − β1ᵗ), 1/(1 − β2ᵗ). */
export function adam(
  paramInPtr: usize, paramOutPtr: usize, gradPtr: usize, mPtr: usize, vPtr: usize, count: i32,
  learningRate: f64, scale: f64, l1: f64, l2: f64,
  beta1: f64, beta2: f64, epsilon: f64, correction1: f64, correction2: f64,
): i32 {
  assert(count >= 0, 'adam: negative count');
  let stepSize = f32x4.splat(<f32>(learningRate * correction1)), s = f32x4.splat(<f32>scale);
  let l1s = f32x4.splat(<f32>l1), twoL2 = f32x4.splat(<f32>(2 * l2));
  let b1 = f32x4.splat(<f32>beta1), oneMinusB1 = f32x4.splat(<f32>(1 - beta1));
  let b2 = f32x4.splat(<f32>beta2), oneMinusB2 = f32x4.splat(<f32>(1 - beta2));
  let eps = f32x4.splat(<f32>epsilon), c2 = f32x4.splat(<f32>correction2);
  let check = f32x4.splat(0);
  let full = bytes(count & ~3);
  for (let i: usize = 0; i < full; i += 16) {
    check = f32x4.add(check, adamLanes(4, paramInPtr + i, paramOutPtr + i, gradPtr + i, mPtr + i, vPtr + i,
      stepSize, s, l1s, twoL2, b1, oneMinusB1, b2, oneMinusB2, eps, c2));
  }
  let rest = count & 3;
  let tail = adamLanes(rest, paramInPtr + full, paramOutPtr + full, gradPtr + full, mPtr + full, vPtr + full,
    stepSize, s, l1s, twoL2, b1, oneMinusB1, b2, oneMinusB2, eps, c2);
  return allFinite(addTailCheck(check, tail, rest));
}

/** x ← factor·x over `count` elements, in place: a gradient sum made a per-sample mean as the steps above take it
 *  (factor rounded to f32 once, so the numbers are those of scale·grad in a pass). */
export function scale(xPtr: usize, count: i32, factor: f64): void {
  assert(count >= 0, 'scale: negative count');
  let f = f32x4.splat(<f32>factor);
  let end = xPtr + bytes(count & ~3);
  for (; xPtr < end; xPtr += 16) v128.store(xPtr, f32x4.mul(f, v128.load(xPtr)));
  let rest = count & 3;
  storeLanes(xPtr, f32x4.mul(f, loadLanes(xPtr, rest)), rest);
}
