// Moving numbers: gatherRows (a minibatch copied out of the staged data set through a shuffled index), and the
// small lane helpers every kernel uses at the ragged end of a row, so that no kernel reads or writes a byte past
// the elements it was given (a buffer may end exactly at the end of memory).

/** Bytes in `count` f32 elements. */
// @ts-ignore: decorator
@inline export function bytes(count: i32): usize {
  return <usize>count << 2;
}

/**
 * The f32 elements at p into the first `lanes` lanes, the other lanes taken from `fill`. `lanes` ≥ 4 is one
 * full load; 1 to 3 touch only those elements; 0 or less gives `fill` and reads nothing.
 */
// @ts-ignore: decorator
@inline export function loadLanesOr(p: usize, lanes: i32, fill: v128): v128 {
  if (lanes >= 4) return v128.load(p);
  if (lanes <= 0) return fill;
  let v = v128.load32_lane(p, fill, 0);
  if (lanes > 1) v = v128.load32_lane(p, v, 1, 4);
  if (lanes > 2) v = v128.load32_lane(p, v, 2, 8);
  return v;
}

/** loadLanesOr with zeros in the lanes past `lanes`: zeros add nothing to a sum or a dot product. */
// @ts-ignore: decorator
@inline export function loadLanes(p: usize, lanes: i32): v128 {
  return loadLanesOr(p, lanes, f32x4.splat(0));
}

/** Stores the first `lanes` lanes of v at p (all four when `lanes` ≥ 4); writes nothing else. */
// @ts-ignore: decorator
@inline export function storeLanes(p: usize, v: v128, lanes: i32): void {
  if (lanes >= 4) {
    v128.store(p, v);
    return;
  }
  if (lanes > 0) v128.store32_lane(p, v, 0);
  if (lanes > 1) v128.store32_lane(p, v, 1, 4);
  if (lanes > 2) v128.store32_lane(p, v, 2, 8);
}

/** All ones in the first `lanes` lanes, zeros after: v128.and with it keeps only the lanes that are real. */
// @ts-ignore: decorator
@inline export function laneMask(lanes: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(lanes));
}

/** v0 + v1 + v2 + v3, as (v0 + v2) + (v1 + v3). */
// @ts-ignore: decorator
@inline export function sumLanes(v: v128): f32 {
  let s = f32x4.add(v, f32x4.shuffle(v, v, 2, 3, 0, 1));
  s = f32x4.add(s, f32x4.shuffle(s, s, 1, 0, 3, 2));
  return f32x4.extract_lane(s, 0);
}

/** The largest lane (NaN if any lane is NaN). */
// @ts-ignore: decorator
@inline export function maxLanes(v: v128): f32 {
  let m = f32x4.max(v, f32x4.shuffle(v, v, 2, 3, 0, 1));
  m = f32x4.max(m, f32x4.shuffle(m, m, 1, 0, 3, 2));
  return f32x4.extract_lane(m, 0);
}

/** [Σa, Σb, Σc, Σd]: four horizontal sums in one vector, by a transpose made of adds. */
// @ts-ignore: decorator
@inline export function sumLanes4(a: v128, b: v128, c: v128, d: v128): v128 {
  let ab = f32x4.add(f32x4.shuffle(a, b, 0, 4, 1, 5), f32x4.shuffle(a, b, 2, 6, 3, 7)); // a0+a2 b0+b2 a1+a3 b1+b3
  let cd = f32x4.add(f32x4.shuffle(c, d, 0, 4, 1, 5), f32x4.shuffle(c, d, 2, 6, 3, 7));
  return f32x4.add(f32x4.shuffle(ab, cd, 0, 1, 4, 5), f32x4.shuffle(ab, cd, 2, 3, 6, 7));
}

/** Two f32 elements at p, widened to f64x2. */
// @ts-ignore: decorator
@inline export function loadPair(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** One f32 element at p, widened into lane 0 of an f64x2 (lane 1 is 0). */
// @ts-ignore: decorator
@inline export function loadSingle(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load32_zero(p));
}

/** Both lanes of an f64x2, rounded to f32, at p. */
// @ts-ignore: decorator
@inline export function storePair(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

/** Lane 0 of an f64x2, rounded to f32, at p. */
// @ts-ignore: decorator
@inline export function storeSingle(p: usize, v: v128): void {
  v128.store32_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

/** Copies n f32 elements from src to dst (regions do not overlap). */
// @ts-ignore: decorator
@inline function copyElements(src: usize, dst: usize, n: i32): void {
  let end = src + bytes(n & ~3);
  for (; src < end; src += 16, dst += 16) v128.store(dst, v128.load(src));
  storeLanes(dst, loadLanes(src, n & 3), n & 3);
}

/**
 * dst row r = src row index[start + r] for r < count; rows are rowLen f32 long and the index holds i32 row
 * numbers. The data set is staged once; each minibatch is gathered here, inside Wasm.
 */
export function gatherRows(srcPtr: usize, indexPtr: usize, start: i32, count: i32, rowLen: i32, dstPtr: usize): void {
  assert(start >= 0 && count >= 0 && rowLen >= 0, 'gatherRows: negative start, count or rowLen');
  let rowBytes = bytes(rowLen);
  let index = indexPtr + bytes(start);
  for (let r = 0; r < count; r++) {
    let row = load<i32>(index + bytes(r));
    assert(row >= 0, 'gatherRows: negative row number in the index');
    copyElements(srcPtr + <usize>row * rowBytes, dstPtr + <usize>r * rowBytes, rowLen);
  }
}
