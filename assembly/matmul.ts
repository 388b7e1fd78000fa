// The three matrix products of a dense layer, on row-major f32 matrices:
//   forward          out[rows×cols] = x[rows×inner] · w[inner×cols]  (+ bias[cols] on every row)
//   backpropDelta    dx[rows×inner] = δ[rows×cols] · wᵀ              (the error sent to the layer below)
//   weightGradient   dw[inner×cols] = xᵀ · δ,   db[cols] = Σ_rows δ  (both overwritten)
// forward and weightGradient are one register-blocked product (`product`), reading x either way round;
// backpropDelta takes dot products along the contiguous rows of δ and w. Multiplies and adds stay separate
// instructions (no relaxed fused multiply-add), so results are the same on every machine.

import { bytes, loadLanes, storeLanes, sumLanes4 } from './data';

// @ts-ignore: decorator
@inline function madd(acc: v128, x: v128, y: v128): v128 {
  return f32x4.add(acc, f32x4.mul(x, y));
}

/**
 * One tile of `product`: R rows (1–4) × V vectors (1 or 2) of 4 columns, the last of which holds only `lanes`
 * real columns (4 for a full one). The accumulators start at the bias (or zero) and live in registers for the
 * whole depth loop: per step, each row's a element is broadcast and multiplied into the b row's columns.
 * R, V and constant `lanes` are compile-time constants at every call, so each instance is one straight loop.
 */
// @ts-ignore: decorator
@inline function tile(
  R: i32, V: i32, lanes: i32,
  a: usize, aRowStep: usize, aDepthStep: usize, b: usize, bRowStep: usize, c: usize, cRowStep: usize,
  init: usize, depth: i32,
): void {
  let zero = f32x4.splat(0);
  let init0 = init ? loadLanes(init, lanes) : zero;
  let init1 = V > 1 && init ? v128.load(init, 16) : zero;
  let c00 = init0, c01 = init1, c10 = init0, c11 = init1, c20 = init0, c21 = init1, c30 = init0, c31 = init1;
  let a1 = aRowStep, a2 = aRowStep * 2, a3 = aRowStep * 3;
  let end = b + <usize>depth * bRowStep;
  for (; b < end; b += bRowStep, a += aDepthStep) {
    let b0 = loadLanes(b, lanes);
    let b1 = V > 1 ? v128.load(b, 16) : zero;
    let x = v128.load32_splat(a);
    c00 = madd(c00, x, b0);
    if (V > 1) c01 = madd(c01, x, b1);
    if (R > 1) {
      x = v128.load32_splat(a + a1);
      c10 = madd(c10, x, b0);
      if (V > 1) c11 = madd(c11, x, b1);
    }
    if (R > 2) {
      x = v128.load32_splat(a + a2);
      c20 = madd(c20, x, b0);
      if (V > 1) c21 = madd(c21, x, b1);
    }
    if (R > 3) {
      x = v128.load32_splat(a + a3);
      c30 = madd(c30, x, b0);
      if (V > 1) c31 = madd(c31, x, b1);
    }
  }
  storeLanes(c, c00, lanes);
  if (V > 1) v128.store(c, c01, 16);
  if (R > 1) {
    c += cRowStep;
    storeLanes(c, c10, lanes);
    if (V > 1) v128.store(c, c11, 16);
  }
  if (R > 2) {
    c += cRowStep;
    storeLanes(c, c20, lanes);
    if (V > 1) v128.store(c, c21, 16);
  }
  if (R > 3) {
    c += cRowStep;
    storeLanes(c, c30, lanes);
    if (V > 1) v128.store(c, c31, 16);
  }
}

/** R rows of `product`, across all n columns: tiles 8 wide, then one 4 wide, then the last 1–3 columns. */
// @ts-ignore: decorator
@inline function rowBlock(
  R: i32, a: usize, aRowStep: usize, aDepthStep: usize, b: usize, c: usize, init: usize, depth: i32, n: i32,
): void {
  let rowStep = bytes(n);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    tile(R, 2, 4, a, aRowStep, aDepthStep, b + bytes(j), rowStep, c + bytes(j), rowStep, init ? init + bytes(j) : 0, depth);
  }
  if (j + 4 <= n) {
    tile(R, 1, 4, a, aRowStep, aDepthStep, b + bytes(j), rowStep, c + bytes(j), rowStep, init ? init + bytes(j) : 0, depth);
    j += 4;
  }
  if (j < n) {
    tile(R, 1, n - j, a, aRowStep, aDepthStep, b + bytes(j), rowStep, c + bytes(j), rowStep, init ? init + bytes(j) : 0, depth);
  }
}

/**
 * c[m×n] = a·b (+ init on every row): b is depth×n and c is m×n, row-major; a's element (i, p) lies at
 * a + i·aRowStep + p·aDepthStep bytes, so a can be x (forward) or xᵀ read in place (weightGradient).
 * `init` is a row of n (the bias) or 0 for none.
 */
function product(
  a: usize, aRowStep: usize, aDepthStep: usize, b: usize, c: usize, init: usize, m: i32, depth: i32, n: i32,
): void {
  let cBlockStep = bytes(n) * 4;
  let aBlockStep = aRowStep * 4;
  let i = 0;
  for (; i + 4 <= m; i += 4, a += aBlockStep, c += cBlockStep) rowBlock(4, a, aRowStep, aDepthStep, b, c, init, depth, n);
  switch (m - i) {
    case 3: rowBlock(3, a, aRowStep, aDepthStep, b, c, init, depth, n); break;
    case 2: rowBlock(2, a, aRowStep, aDepthStep, b, c, init, depth, n); break;
    case 1: rowBlock(1, a, aRowStep, aDepthStep, b, c, init, depth, n); break;
  }
}

/** out[rows×cols] = x[rows×inner] · w[inner×cols], plus bias[cols] on every row when biasPtr ≠ 0. */
export function forward(
  xPtr: usize, wPtr: usize, biasPtr: usize, outPtr: usize, rows: i32, inner: i32, cols: i32,
): void {
  assert(rows >= 0 && inner >= 0 && cols >= 0, 'forward: negative count');
  product(xPtr, bytes(inner), 4, wPtr, outPtr, biasPtr, rows, inner, cols);
}

/** dw[inner×cols] = xᵀ · δ (overwritten), and db[cols] = column sums of δ when dbPtr ≠ 0. */
export function weightGradient(
  xPtr: usize, deltaPtr: usize, dwPtr: usize, dbPtr: usize, rows: i32, inner: i32, cols: i32,
): void {
  assert(rows >= 0 && inner >= 0 && cols >= 0, 'weightGradient: negative count');
  // Row k of xᵀ is column k of x: its elements are 4 bytes apart across k and a whole x row apart along r.
  product(xPtr, 4, bytes(inner), deltaPtr, dwPtr, 0, inner, rows, cols);
  if (dbPtr) columnSums(deltaPtr, dbPtr, rows, cols);
}

/** out[cols] = Σ over rows of m[rows×cols], four columns at a time. */
function columnSums(m: usize, out: usize, rows: i32, cols: i32): void {
  let rowStep = bytes(cols);
  let end = m + <usize>rows * rowStep;
  for (let j = 0; j < cols; j += 4) {
    let lanes = cols - j;
    let sum = f32x4.splat(0);
    for (let p = m + bytes(j); p < end; p += rowStep) sum = f32x4.add(sum, loadLanes(p, lanes));
    storeLanes(out + bytes(j), sum, lanes);
  }
}

/**
 * R rows of δ (1 or 2) against four rows of w: 4R dot products along cols, stored as dx[r, k…k+3] (only the
 * first `lanes` of them). The accumulators start with the products of the last cols % 4 columns (zero-filled
 * partial loads), then the loop adds whole vectors; four accumulators are summed horizontally into one vector.
 */
// @ts-ignore: decorator
@inline function dotTile(
  R: i32, d0: usize, d1: usize, w0: usize, w1: usize, w2: usize, w3: usize, cols: i32,
  out: usize, outRowStep: usize, lanes: i32,
): void {
  let zero = f32x4.splat(0);
  let full = bytes(cols & ~3);
  let rest = cols & 3;
  let x0 = loadLanes(d0 + full, rest);
  let x1 = R > 1 ? loadLanes(d1 + full, rest) : zero;
  let y0 = loadLanes(w0 + full, rest), y1 = loadLanes(w1 + full, rest);
  let y2 = loadLanes(w2 + full, rest), y3 = loadLanes(w3 + full, rest);
  let s00 = f32x4.mul(x0, y0), s01 = f32x4.mul(x0, y1), s02 = f32x4.mul(x0, y2), s03 = f32x4.mul(x0, y3);
  let s10 = f32x4.mul(x1, y0), s11 = f32x4.mul(x1, y1), s12 = f32x4.mul(x1, y2), s13 = f32x4.mul(x1, y3);
  for (let p: usize = 0; p < full; p += 16) {
    y0 = v128.load(w0 + p);
    y1 = v128.load(w1 + p);
    y2 = v128.load(w2 + p);
    y3 = v128.load(w3 + p);
    x0 = v128.load(d0 + p);
    s00 = madd(s00, x0, y0);
    s01 = madd(s01, x0, y1);
    s02 = madd(s02, x0, y2);
    s03 = madd(s03, x0, y3);
    if (R > 1) {
      x1 = v128.load(d1 + p);
      s10 = madd(s10, x1, y0);
      s11 = madd(s11, x1, y1);
      s12 = madd(s12, x1, y2);
      s13 = madd(s13, x1, y3);
    }
  }
  storeLanes(out, sumLanes4(s00, s01, s02, s03), lanes);
  if (R > 1) storeLanes(out + outRowStep, sumLanes4(s10, s11, s12, s13), lanes);
}

/** R rows of dx (1 or 2): four k at a time; past the last row of w, the w pointers repeat it (results unstored). */
// @ts-ignore: decorator
@inline function dotRows(R: i32, d: usize, w: usize, dx: usize, cols: i32, inner: i32): void {
  let rowStep = bytes(cols);
  let dxRowStep = bytes(inner);
  for (let k = 0; k < inner; k += 4) {
    let w0 = w + <usize>k * rowStep;
    let w1 = k + 1 < inner ? w0 + rowStep : w0;
    let w2 = k + 2 < inner ? w1 + rowStep : w1;
    let w3 = k + 3 < inner ? w2 + rowStep : w2;
    dotTile(R, d, d + rowStep, w0, w1, w2, w3, cols, dx + bytes(k), dxRowStep, inner - k);
  }
}

/** dx[rows×inner] = δ[rows×cols] · wᵀ, w being inner×cols. */
export function backpropDelta(deltaPtr: usize, wPtr: usize, dxPtr: usize, rows: i32, cols: i32, inner: i32): void {
  assert(rows >= 0 && cols >= 0 && inner >= 0, 'backpropDelta: negative count');
  let deltaPairStep = bytes(cols) * 2;
  let dxPairStep = bytes(inner) * 2;
  let r = 0;
  for (; r + 2 <= rows; r += 2, deltaPtr += deltaPairStep, dxPtr += dxPairStep) dotRows(2, deltaPtr, wPtr, dxPtr, cols, inner);
  if (r < rows) dotRows(1, deltaPtr, wPtr, dxPtr, cols, inner);
}
