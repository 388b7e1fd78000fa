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

/**
 * loadLanesOr with zeros in the lanes past `lanes`: zeros add nothing to a sum or a dot product. One or two lanes are
 * one zero-extending load (not inserts into a zero vector lane by lane), touching the same bytes.
 */
// @ts-ignore: decorator
@inline export function loadLanes(p: usize, lanes: i32): v128 {
  if (lanes >= 4) return v128.load(p);
  if (lanes <= 0) return f32x4.splat(0);
  if (lanes == 1) return v128.load32_zero(p);
  let v = v128.load64_zero(p);
  return lanes == 2 ? v : v128.load32_lane(p, v, 2, 8);
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

/** Copies 64 bytes (one cache line's worth) from src to dst. */
// @ts-ignore: decorator
@inline function copyChunk(src: usize, dst: usize): void {
  v128.store(dst, v128.load(src));
  v128.store(dst, v128.load(src, 16), 16);
  v128.store(dst, v128.load(src, 32), 32);
  v128.store(dst, v128.load(src, 48), 48);
}

/** Rows copied side by side by gatherRows. */
const GROUP = 8;

/**
 * dst row r = src row index[start + r] for r < count; rows are rowLen f32 long and the index holds i32 row
 * numbers. The data set is staged once; each minibatch is gathered here, inside Wasm.
 * The rows of a shuffled batch lie at random places in a data set far larger than the caches, so each one starts
 * with cache misses. Copied one after another, those misses wait in turn; copied side by side, a group of rows at
 * a time, 64 bytes of each in turn, their misses overlap and each row's stream is prefetched.
 */
export function gatherRows(srcPtr: usize, indexPtr: usize, start: i32, count: i32, rowLen: i32, dstPtr: usize): void {
  assert(start >= 0 && count >= 0 && rowLen >= 0, 'gatherRows: negative start, count or rowLen');
  let rowBytes = bytes(rowLen);
  let index = indexPtr + bytes(start);
  let chunked = rowBytes & ~63;
  let r = 0;
  for (; r + GROUP <= count; r += GROUP) {
    let s0 = sourceRow(srcPtr, index, r, rowBytes), s1 = sourceRow(srcPtr, index, r + 1, rowBytes);
    let s2 = sourceRow(srcPtr, index, r + 2, rowBytes), s3 = sourceRow(srcPtr, index, r + 3, rowBytes);
    let s4 = sourceRow(srcPtr, index, r + 4, rowBytes), s5 = sourceRow(srcPtr, index, r + 5, rowBytes);
    let s6 = sourceRow(srcPtr, index, r + 6, rowBytes), s7 = sourceRow(srcPtr, index, r + 7, rowBytes);
    let d = dstPtr + <usize>r * rowBytes;
    for (let at: usize = 0; at < chunked; at += 64) {
      copyChunk(s0 + at, d + at);
      copyChunk(s1 + at, d + rowBytes + at);
      copyChunk(s2 + at, d + rowBytes * 2 + at);
      copyChunk(s3 + at, d + rowBytes * 3 + at);
      copyChunk(s4 + at, d + rowBytes * 4 + at);
      copyChunk(s5 + at, d + rowBytes * 5 + at);
      copyChunk(s6 + at, d + rowBytes * 6 + at);
      copyChunk(s7 + at, d + rowBytes * 7 + at);
    }
    let rest = rowLen - (<i32>chunked >> 2);
    for (let k = 0; k < GROUP; k++) {
      copyElements(sourceRow(srcPtr, index, r + k, rowBytes) + chunked, d + rowBytes * k + chunked, rest);
    }
  }
  // The last 1–7 rows side by side too, their sources looked up again for each chunk.
  let first = r;
  for (let at: usize = 0; at < chunked; at += 64) {
    for (r = first; r < count; r++) copyChunk(sourceRow(srcPtr, index, r, rowBytes) + at, dstPtr + <usize>r * rowBytes + at);
  }
  for (r = first; r < count; r++) {
    copyElements(sourceRow(srcPtr, index, r, rowBytes) + chunked, dstPtr + <usize>r * rowBytes + chunked,
      rowLen - (<i32>chunked >> 2));
  }
}

/** Where row index[r] of the data set starts. */
// @ts-ignore: decorator
@inline function sourceRow(src: usize, index: usize, r: i32, rowBytes: usize): usize {
  let row = load<i32>(index + bytes(r));
  assert(row >= 0, 'gatherRows: negative row number in the index');
  return src + <usize>row * rowBytes;
}
