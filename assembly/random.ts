// Initial weights drawn in Wasm: numpy's legacy generator (MT19937, random_sample, the polar method of gauss) as
// src/core/random.ts' NumpyRandom computes it, to the bit. At a cold start the JavaScript generator runs in V8's
// interpreter, where every double is a heap allocation: drawing [784,30,10]'s weights took 8 ms of a 23 ms first
// prediction. TypeScript copies the generator's state into STATE, calls a draw, and copies the state back.

import { bytes } from './data';

const N: i32 = 624;
const M: i32 = 397;

/** The state block: 624 words, the position (i32), whether a gauss is cached (i32), the cached gauss (f64). */
const STATE: usize = memory.data(N * 4 + 16, 8);
const POSITION: usize = STATE + N * 4;
const HAS_GAUSS: usize = POSITION + 4;
const GAUSS: usize = POSITION + 8;

export function randomState(): usize {
  return STATE;
}

function twist(): void {
  for (let k = 0; k < N; k++) {
    let y = (load<u32>(STATE + (<usize>k << 2)) & 0x80000000) | (load<u32>(STATE + (<usize>((k + 1) % N) << 2)) & 0x7fffffff);
    let next = load<u32>(STATE + (<usize>((k + M) % N) << 2)) ^ (y >> 1) ^ (y & 1 ? 0x9908b0df : 0);
    store<u32>(STATE + (<usize>k << 2), next);
  }
}

function nextWord(): u32 {
  let position = load<i32>(POSITION);
  if (position >= N) {
    twist();
    position = 0;
  }
  let y = load<u32>(STATE + (<usize>position << 2));
  store<i32>(POSITION, position + 1);
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  return y ^ (y >> 18);
}

/** numpy's random_sample: 53 random bits in [0, 1). */
function nextDouble(): f64 {
  let a = <f64>(nextWord() >> 5);
  let b = <f64>(nextWord() >> 6);
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

// ln x, correctly rounded (but within ~2⁻⁹⁰ of a rounding boundary) by double-double arithmetic, as preciseLog in
// src/core/random.ts; a double-double result comes back in (hi, lo).
let hi: f64 = 0;
let lo: f64 = 0;

// @ts-ignore: decorator
@inline function twoSum(a: f64, b: f64): void {
  let s = a + b;
  let v = s - a;
  lo = a - (s - v) + (b - v);
  hi = s;
}

// @ts-ignore: decorator
@inline function twoProduct(a: f64, b: f64): void {
  let p = a * b;
  let ca = 134217729.0 * a; // Veltkamp split: 2²⁷ + 1
  let ah = ca - (ca - a);
  let al = a - ah;
  let cb = 134217729.0 * b;
  let bh = cb - (cb - b);
  let bl = b - bh;
  lo = ah * bh - p + ah * bl + al * bh + al * bl;
  hi = p;
}

function add(ah: f64, al: f64, bh: f64, bl: f64): void {
  twoSum(ah, bh);
  twoSum(hi, lo + al + bl);
}

function multiply(ah: f64, al: f64, bh: f64, bl: f64): void {
  twoProduct(ah, bh);
  twoSum(hi, lo + ah * bl + al * bh);
}

function divide(ah: f64, al: f64, bh: f64, bl: f64): void {
  let q1 = ah / bh;
  multiply(-q1, 0, bh, bl);
  add(ah, al, hi, lo);
  let rh = hi, rl = lo;
  let q2 = rh / bh;
  multiply(-q2, 0, bh, bl);
  add(rh, rl, hi, lo);
  let r2 = hi;
  twoSum(q1, q2);
  add(hi, lo, r2 / bh, 0);
}

/** ln x for a positive normal x. */
function preciseLog(x: f64): f64 {
  // x = m·2ᵉ with m ∈ [√½, √2), from the bits: Math.log2 and Math.pow would bring 14 KB of tables into the module.
  // (NumpyRandom rounds log₂ x instead, which can differ only within an ulp or two of m = √2; either split gives
  // the correctly rounded result.)
  let bits = reinterpret<u64>(x);
  let exponent = <i32>(bits >> 52) - 1023;
  if (reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000) >= 1.4142135623730951) exponent++;
  let e = <f64>exponent;
  let m = x * reinterpret<f64>(<u64>(1023 - exponent) << 52);
  twoSum(m, 1);
  divide(m - 1, 0, hi, lo);
  let sh = hi, sl = lo;
  multiply(sh, sl, sh, sl);
  let th = hi, tl = lo;
  let tail: f64 = 0;
  for (let k = 14; k >= 2; k--) tail = 2 / <f64>(2 * k + 1) + th * tail;
  multiply(th, tl, tail, 0);
  add(0.6666666666666666, 3.700743415417188e-17, hi, lo);
  multiply(th, tl, hi, lo);
  add(2, 0, hi, lo);
  multiply(sh, sl, hi, lo);
  let seriesHi = hi, seriesLo = lo;
  multiply(e, 0, 0.6931471805599453, 2.3190468138462996e-17);
  add(hi, lo, seriesHi, seriesLo);
  return hi;
}

/** numpy's legacy gauss: the polar method makes two and keeps the second for the next call. */
function nextGauss(): f64 {
  if (load<i32>(HAS_GAUSS)) {
    store<i32>(HAS_GAUSS, 0);
    return load<f64>(GAUSS);
  }
  let x1: f64, x2: f64, r2: f64;
  do {
    x1 = 2 * nextDouble() - 1;
    x2 = 2 * nextDouble() - 1;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1 || r2 == 0);
  let f = Math.sqrt((-2 * preciseLog(r2)) / r2);
  store<f64>(GAUSS, f * x1);
  store<i32>(HAS_GAUSS, 1);
  return f * x2;
}

/** out[i] = scale·(2r − 1) as f32, r = random_sample(): the uniform initialisers. */
export function drawUniform(out: usize, count: i32, scale: f64): void {
  for (let i = 0; i < count; i++) store<f32>(out + bytes(i), <f32>(scale * (2 * nextDouble() - 1)));
}

/** out[i] = scale·g as f32, g = gauss(): the normal initialisers. */
export function drawNormal(out: usize, count: i32, scale: f64): void {
  for (let i = 0; i < count; i++) store<f32>(out + bytes(i), <f32>(scale * nextGauss()));
}

/**
 * out[i] = 1/(1 − rate) as f32 when r ≥ rate, else 0, r = random_sample(): an inverted-dropout mask, each element
 * kept with probability 1 − rate.
 */
export function drawMask(out: usize, count: i32, rate: f64): void {
  let kept = <f32>(1 / (1 - rate));
  for (let i = 0; i < count; i++) store<f32>(out + bytes(i), nextDouble() >= rate ? kept : 0);
}
