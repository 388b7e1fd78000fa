// The three matrix products of a dense layer, on row-major f32 matrices:
//   forward          out[rows×cols] = x[rows×inner] · w[inner×cols]  (+ bias[cols] on every row)
//   backpropDelta    dx[rows×inner] = δ[rows×cols] · wᵀ              (the error sent to the layer below)
//   weightGradient   dw[inner×cols] = xᵀ · δ,   db[cols] = Σ_rows δ  (both overwritten)
// forward and weightGradient are one register-blocked product (`product`), reading x either way round;
// backpropDelta takes dot products along the contiguous rows of δ and w. Multiplies and adds stay separate
// instructions, so results are the same on every machine; only the opt-in relaxed build (asconfig.json's
// `relaxed` target, RELAXED defined) uses relaxed SIMD's multiply-add, which fuses (one rounding) or not
// depending on the machine.

import { bytes, laneMask, loadLanes, storeLanes, sumLanes4 } from './data';

// @ts-ignore: decorator
@inline function madd(acc: v128, x: v128, y: v128): v128 {
  if (isDefined(RELAXED)) return f32x4.relaxed_madd(x, y, acc);
  return f32x4.add(acc, f32x4.mul(x, y));
}

/**
 * How many of a tile's depth steps may load whole vectors: row p of b (depth×n, row-major, starting at bStart)
 * is read at columns j … j + width − 1, where width (4 or 8) may run past n when the tile holds the ragged end of
 * a row. Past the end, a whole-vector load reads the first columns of row p + 1 (lanes the tile ignores), which is
 * inside the matrix as long as p·n + j + width ≤ depth·n; the steps after that load only their real lanes.
 */
// @ts-ignore: decorator
@inline function wholeVectorSteps(j: i32, width: i32, depth: i32, n: i32): i32 {
  let room = depth * n - j - width;
  return room < 0 ? 0 : min(depth, room / n + 1);
}

/**
 * What a tile does with its finished block of c: store it (FORWARD and WEIGHT_GRADIENT), or take a plain gradient
 * descent step with it as the weight gradient (SGD_STEP, see sgdDense): w[out] = w[in] − η·(scale·c), reading
 * w[in] at c + inOffset, and returns the check of the new values (0 per finite lane, NaN otherwise).
 */
// @ts-ignore: decorator
@inline const STORE: i32 = 0;
// @ts-ignore: decorator
@inline const SGD_STEP: i32 = 1;

/** One vector of a tile: stored, or turned into a step of its parameters; returns the step's check (or zero). */
// @ts-ignore: decorator
@inline function finish(mode: i32, c: usize, value: v128, lanes: i32, inOffset: isize, eta: v128, sc: v128): v128 {
  if (mode == STORE) {
    storeLanes(c, value, lanes);
    return f32x4.splat(0);
  }
  let p = loadLanes(c + inOffset, lanes);
  let next = f32x4.sub(p, f32x4.mul(eta, f32x4.mul(sc, value)));
  storeLanes(c, next, lanes);
  let check = f32x4.sub(next, next);
  return lanes >= 4 ? check : v128.and(check, laneMask(lanes));
}

/**
 * finish (SGD_STEP) of a vector whose first `skip` lanes (1–3) belong to the tile before it (see rowBlock's last
 * columns): only its other lanes are stepped, stored and checked.
 */
// @ts-ignore: decorator
@inline function stepFrom(c: usize, value: v128, skip: i32, inOffset: isize, eta: v128, sc: v128): v128 {
  let next = f32x4.sub(v128.load(c + inOffset), f32x4.mul(eta, f32x4.mul(sc, value)));
  if (skip == 1) {
    v128.store32_lane(c, next, 1, 4);
    v128.store64_lane(c, next, 1, 8);
  } else if (skip == 2) {
    v128.store64_lane(c, next, 1, 8);
  } else {
    v128.store32_lane(c, next, 3, 12);
  }
  return v128.andnot(f32x4.sub(next, next), laneMask(skip));
}

/** One row of a tile: V vectors, the last with `lanes` real columns, the first `skip` columns left alone (SGD_STEP). */
// @ts-ignore: decorator
@inline function finishRow(mode: i32, V: i32, c: usize, first: v128, second: v128, lanes: i32, inOffset: isize, eta: v128, sc: v128, skip: i32): v128 {
  let head = skip ? stepFrom(c, first, skip, inOffset, eta, sc) : finish(mode, c, first, V > 1 ? 4 : lanes, inOffset, eta, sc);
  if (V > 1) return f32x4.add(head, finish(mode, c + 16, second, lanes, inOffset, eta, sc));
  return head;
}

/**
 * The rows of a stored product's tiles (1–4 only for its last rows): five rows × 8 columns keep ten accumulators,
 * two vectors of b and a broadcast in registers, 7 loads per 10 multiply-adds. Measured on AMD Zen 5 (V8 12, f32x4
 * loops over packed operands): loads at a moving address cost more than the peak loop's fixed ones, and 4 × 8 tiles
 * (6 loads per 8) ran at 80% of the peak loop, 5 × 8 at 95%; 6 × 8 needs more than V8's 15 vector registers and
 * spills (55%). sgdDense's steps keep four (see productStep).
 */
// @ts-ignore: decorator
@inline const TILE_ROWS: i32 = 5;

/**
 * One tile of `product`: R rows (1–5) × V vectors (1 or 2) of 4 columns; the last vector holds `lanes` real
 * columns (1–4). The accumulators start at the bias (or zero) and live in registers for the whole depth loop:
 * per step, each row's a element is broadcast and multiplied into the b row's vectors. R and V are compile-time
 * constants at every call, so each instance is one straight loop. With `ragged` set (lanes < 4), the first `whole`
 * steps still load whole vectors (see wholeVectorSteps) and only the last steps load lane by lane.
 */
// @ts-ignore: decorator
@inline function tile(
  mode: i32, R: i32, V: i32, ragged: bool, lanes: i32,
  a: usize, aRowStep: usize, aDepthStep: usize, b: usize, bRowStep: usize, c: usize, cRowStep: usize,
  init: usize, initRowStep: usize, depth: i32, whole: i32, inOffset: isize, eta: v128, sc: v128, skip: i32,
): v128 {
  let zero = f32x4.splat(0);
  let lastLanes = ragged ? lanes : 4;
  let c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
  let c40 = zero, c41 = zero;
  if (init) {
    // Row r starts from init + r·initRowStep: the bias on every row (step 0), or c itself when a blocked product
    // goes on from its partial sums.
    c00 = V > 1 ? v128.load(init) : loadLanes(init, lastLanes);
    if (V > 1) c01 = loadLanes(init + 16, lastLanes);
    if (R > 1) {
      let row = init + initRowStep;
      c10 = V > 1 ? v128.load(row) : loadLanes(row, lastLanes);
      if (V > 1) c11 = loadLanes(row + 16, lastLanes);
    }
    if (R > 2) {
      let row = init + initRowStep * 2;
      c20 = V > 1 ? v128.load(row) : loadLanes(row, lastLanes);
      if (V > 1) c21 = loadLanes(row + 16, lastLanes);
    }
    if (R > 3) {
      let row = init + initRowStep * 3;
      c30 = V > 1 ? v128.load(row) : loadLanes(row, lastLanes);
      if (V > 1) c31 = loadLanes(row + 16, lastLanes);
    }
    if (R > 4) {
      let row = init + initRowStep * 4;
      c40 = V > 1 ? v128.load(row) : loadLanes(row, lastLanes);
      if (V > 1) c41 = loadLanes(row + 16, lastLanes);
    }
  }
  let a1 = aRowStep, a2 = aRowStep * 2, a3 = aRowStep * 3, a4 = aRowStep * 4;
  // SGD_STEP reads xᵀ in place (see productStep): a tile's rows are adjacent floats, so their broadcasts take the
  // load's constant offset instead of an address computed at every step.
  let adjacent = mode == SGD_STEP;
  // Whole-vector steps, then (ragged tiles only) the last steps lane by lane: the same body, written twice so that
  // neither loop tests which kind of load it does.
  let end = b + <usize>(ragged ? whole : depth) * bRowStep;
  for (; b < end; b += bRowStep, a += aDepthStep) {
    let b0 = v128.load(b);
    let b1 = V > 1 ? v128.load(b, 16) : zero;
    let x = v128.load32_splat(a);
    c00 = madd(c00, x, b0);
    if (V > 1) c01 = madd(c01, x, b1);
    if (R > 1) {
      x = adjacent ? v128.load32_splat(a, 4) : v128.load32_splat(a + a1);
      c10 = madd(c10, x, b0);
      if (V > 1) c11 = madd(c11, x, b1);
    }
    if (R > 2) {
      x = adjacent ? v128.load32_splat(a, 8) : v128.load32_splat(a + a2);
      c20 = madd(c20, x, b0);
      if (V > 1) c21 = madd(c21, x, b1);
    }
    if (R > 3) {
      x = adjacent ? v128.load32_splat(a, 12) : v128.load32_splat(a + a3);
      c30 = madd(c30, x, b0);
      if (V > 1) c31 = madd(c31, x, b1);
    }
    if (R > 4) {
      x = adjacent ? v128.load32_splat(a, 16) : v128.load32_splat(a + a4);
      c40 = madd(c40, x, b0);
      if (V > 1) c41 = madd(c41, x, b1);
    }
  }
  if (ragged) {
    end = b + <usize>(depth - whole) * bRowStep;
    for (; b < end; b += bRowStep, a += aDepthStep) {
      let b0 = V > 1 ? v128.load(b) : loadLanes(b, lastLanes);
      let b1 = V > 1 ? loadLanes(b + 16, lastLanes) : zero;
      let x = v128.load32_splat(a);
      c00 = madd(c00, x, b0);
      if (V > 1) c01 = madd(c01, x, b1);
      if (R > 1) {
        x = adjacent ? v128.load32_splat(a, 4) : v128.load32_splat(a + a1);
        c10 = madd(c10, x, b0);
        if (V > 1) c11 = madd(c11, x, b1);
      }
      if (R > 2) {
        x = adjacent ? v128.load32_splat(a, 8) : v128.load32_splat(a + a2);
        c20 = madd(c20, x, b0);
        if (V > 1) c21 = madd(c21, x, b1);
      }
      if (R > 3) {
        x = adjacent ? v128.load32_splat(a, 12) : v128.load32_splat(a + a3);
        c30 = madd(c30, x, b0);
        if (V > 1) c31 = madd(c31, x, b1);
      }
      if (R > 4) {
        x = adjacent ? v128.load32_splat(a, 16) : v128.load32_splat(a + a4);
        c40 = madd(c40, x, b0);
        if (V > 1) c41 = madd(c41, x, b1);
      }
    }
  }
  let check = finishRow(mode, V, c, c00, c01, lastLanes, inOffset, eta, sc, skip);
  if (R > 1) check = f32x4.add(check, finishRow(mode, V, c + cRowStep, c10, c11, lastLanes, inOffset, eta, sc, skip));
  if (R > 2) check = f32x4.add(check, finishRow(mode, V, c + cRowStep * 2, c20, c21, lastLanes, inOffset, eta, sc, skip));
  if (R > 3) check = f32x4.add(check, finishRow(mode, V, c + cRowStep * 3, c30, c31, lastLanes, inOffset, eta, sc, skip));
  if (R > 4) check = f32x4.add(check, finishRow(mode, V, c + cRowStep * 4, c40, c41, lastLanes, inOffset, eta, sc, skip));
  return check;
}

/**
 * A stored product's full tile, TILE_ROWS × 8, as a function of its own rather than inlined into `product`: there,
 * its depth loop is nested five deep in one large function, and V8 unrolls it four times and rotates the
 * accumulators through registers it no longer has (spilling three of ten: half the speed); alone, V8 compiles the
 * loop as written. It must have two callers, or Binaryen inlines it again.
 */
function fullTile(
  a: usize, aRowStep: usize, aDepthStep: usize, b: usize, bRowStep: usize, c: usize, cRowStep: usize, init: usize,
  initRowStep: usize, depth: i32,
): void {
  let zero = f32x4.splat(0);
  tile(STORE, TILE_ROWS, 2, false, 4, a, aRowStep, aDepthStep, b, bRowStep, c, cRowStep, init, initRowStep, depth, depth,
    0, zero, zero, 0);
}

/**
 * One row (R = 1) across 32 columns: eight accumulators, so that a single row still keeps both multiply and add
 * units busy (a matrix-vector product: batch 1, or the last row of a block). b's rows are read whole.
 */
// @ts-ignore: decorator
@inline function strip(
  mode: i32, a: usize, aDepthStep: usize, b: usize, bRowStep: usize, c: usize, init: usize, depth: i32, inOffset: isize, eta: v128, sc: v128,
): v128 {
  let zero = f32x4.splat(0);
  let c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero, c6 = zero, c7 = zero;
  if (init) {
    c0 = v128.load(init); c1 = v128.load(init, 16); c2 = v128.load(init, 32); c3 = v128.load(init, 48);
    c4 = v128.load(init, 64); c5 = v128.load(init, 80); c6 = v128.load(init, 96); c7 = v128.load(init, 112);
  }
  let end = b + <usize>depth * bRowStep;
  for (; b < end; b += bRowStep, a += aDepthStep) {
    let x = v128.load32_splat(a);
    c0 = madd(c0, x, v128.load(b));
    c1 = madd(c1, x, v128.load(b, 16));
    c2 = madd(c2, x, v128.load(b, 32));
    c3 = madd(c3, x, v128.load(b, 48));
    c4 = madd(c4, x, v128.load(b, 64));
    c5 = madd(c5, x, v128.load(b, 80));
    c6 = madd(c6, x, v128.load(b, 96));
    c7 = madd(c7, x, v128.load(b, 112));
  }
  let check = f32x4.add(finishRow(mode, 2, c, c0, c1, 4, inOffset, eta, sc, 0), finishRow(mode, 2, c + 32, c2, c3, 4, inOffset, eta, sc, 0));
  check = f32x4.add(check, finishRow(mode, 2, c + 64, c4, c5, 4, inOffset, eta, sc, 0));
  return f32x4.add(check, finishRow(mode, 2, c + 96, c6, c7, 4, inOffset, eta, sc, 0));
}

/**
 * R rows of `product`, across columns [j0, j1) of n: (one row of a stored product: strips 32 wide, then) tiles 8
 * wide, then, where j1 = n, one tile for the last 1–7 columns, 8 wide with a partial second vector or 4 wide with a
 * partial one. The steps are rows [first, first + depth) of b, which has `rows` in all (for wholeVectorSteps).
 */
// @ts-ignore: decorator
@inline function rowBlock(
  mode: i32, R: i32, a: usize, aRowStep: usize, aDepthStep: usize, b: usize, panels: usize, c: usize, init: usize,
  initRowStep: usize, depth: i32, n: i32, j0: i32, j1: i32, first: i32, rows: i32, inOffset: isize, eta: v128, sc: v128,
): v128 {
  let rowStep = bytes(n);
  // The 8-wide tiles read packed panels when there are some (each depth × 8 floats, one after another from j0).
  let panelStep: usize = panels ? 32 : rowStep;
  let check = f32x4.splat(0);
  let j = j0;
  if (R == 1 && mode == STORE) {
    for (; j + 32 <= j1; j += 32) {
      check = f32x4.add(check, strip(mode, a, aDepthStep, b + bytes(j), rowStep, c + bytes(j), init ? init + bytes(j) : 0,
        depth, inOffset, eta, sc));
    }
  }
  for (; j + 8 <= j1; j += 8) {
    let initj = init ? init + bytes(j) : 0;
    if (mode == STORE && R == TILE_ROWS) {
      // Two calls (panels, or b's rows) so that Binaryen keeps the tile a function of its own (see fullTile).
      if (panels) fullTile(a, aRowStep, aDepthStep, panels + <usize>(j - j0) * bytes(depth), 32, c + bytes(j), rowStep, initj, initRowStep, depth);
      else fullTile(a, aRowStep, aDepthStep, b + bytes(j), rowStep, c + bytes(j), rowStep, initj, initRowStep, depth);
      continue;
    }
    let bj = panels ? panels + <usize>(j - j0) * bytes(depth) : b + bytes(j);
    check = f32x4.add(check, tile(mode, R, 2, false, 4, a, aRowStep, aDepthStep, bj, panelStep, c + bytes(j),
      rowStep, initj, initRowStep, depth, depth, inOffset, eta, sc, 0));
  }
  let rest = j1 - j;
  if (rest == 0) return check;
  if (mode == STORE && R == TILE_ROWS && rest > 4 && j1 - j0 >= 8 && initRowStep == 0) {
    // The last 5–7 columns as the full tile ending at column j1 (whole vectors, no lane-by-lane steps): the columns it
    // shares with the tile before are the same sums in the same order, stored again. Inlined here, the ragged 8-wide
    // tile spilled two accumulators (W1's forward 10×784·784×30 spent a third of its time on its last 6 columns).
    // Not when c holds partial sums that the tile before has already gone on from (initRowStep ≠ 0).
    let k = j1 - 8;
    fullTile(a, aRowStep, aDepthStep, b + bytes(k), rowStep, c + bytes(k), rowStep, init ? init + bytes(k) : 0, 0, depth);
    return check;
  }
  if (mode == SGD_STEP && rest > 4 && j1 - j0 >= 8) {
    // The same for a step, which must not step a weight twice: the 8-wide tile ending at column j1 steps and stores
    // only its columns from j on (stepFrom). The ragged tile's lane-by-lane loads and stores took as long as ten
    // whole columns (W1's 784×30 step: 19.6 µs, against 13.8 µs for its first 24 columns alone).
    let k = j1 - 8;
    return f32x4.add(check, tile(mode, R, 2, false, 4, a, aRowStep, aDepthStep, b + bytes(k), rowStep, c + bytes(k),
      rowStep, 0, 0, depth, depth, inOffset, eta, sc, j - k));
  }
  if (rest < 4 && j1 - j0 >= 4 && initRowStep == 0) {
    // The last 1–3 columns as the 4-wide tile ending at column j1, likewise: stored again, or stepped from j on.
    let k = j1 - 4;
    return f32x4.add(check, tile(mode, R, 1, false, 4, a, aRowStep, aDepthStep, b + bytes(k), rowStep, c + bytes(k),
      rowStep, init ? init + bytes(k) : 0, 0, depth, depth, inOffset, eta, sc, mode == SGD_STEP ? j - k : 0));
  }
  let bj = b + bytes(j), cj = c + bytes(j), initj = init ? init + bytes(j) : 0;
  if (rest == 4) {
    check = f32x4.add(check, tile(mode, R, 1, false, 4, a, aRowStep, aDepthStep, bj, rowStep, cj, rowStep, initj,
      initRowStep, depth, depth, inOffset, eta, sc, 0));
  } else if (rest > 4) {
    let whole = min(depth, max(0, wholeVectorSteps(j, 8, rows, n) - first));
    check = f32x4.add(check, tile(mode, R, 2, true, rest - 4, a, aRowStep, aDepthStep, bj, rowStep, cj, rowStep, initj,
      initRowStep, depth, whole, inOffset, eta, sc, 0));
  } else {
    let whole = min(depth, max(0, wholeVectorSteps(j, 4, rows, n) - first));
    check = f32x4.add(check, tile(mode, R, 1, true, rest, a, aRowStep, aDepthStep, bj, rowStep, cj, rowStep, initj,
      initRowStep, depth, whole, inOffset, eta, sc, 0));
  }
  return check;
}

/**
 * A stored product's rowBlock for each number of rows, each a function of its own rather than inlined into `product`.
 * Inlined, the compiler's front end analysed one function holding every tile instance, and its flow analysis grows
 * with locals × branches: the release target took 26 s of CPU to compile, 12 s with these five. V8 runs the same
 * loops at the same speed (old and new builds alternated in one process: within ±4%, bit-identical). SGD_STEP's
 * blocks stay inlined: as functions of their own sgdDense ran about 10% slower.
 */
function storedRows5(
  a: usize, aRowStep: usize, aDepthStep: usize, b: usize, panels: usize, c: usize, init: usize, initRowStep: usize,
  depth: i32, n: i32, j0: i32, j1: i32, first: i32, rows: i32,
): void {
  let zero = f32x4.splat(0);
  rowBlock(STORE, 5, a, aRowStep, aDepthStep, b, panels, c, init, initRowStep, depth, n, j0, j1, first, rows, 0, zero, zero);
}

function storedRows4(
  a: usize, aRowStep: usize, aDepthStep: usize, b: usize, panels: usize, c: usize, init: usize, initRowStep: usize,
  depth: i32, n: i32, j0: i32, j1: i32, first: i32, rows: i32,
): void {
  let zero = f32x4.splat(0);
  rowBlock(STORE, 4, a, aRowStep, aDepthStep, b, panels, c, init, initRowStep, depth, n, j0, j1, first, rows, 0, zero, zero);
}

function storedRows3(
  a: usize, aRowStep: usize, aDepthStep: usize, b: usize, panels: usize, c: usize, init: usize, initRowStep: usize,
  depth: i32, n: i32, j0: i32, j1: i32, first: i32, rows: i32,
): void {
  let zero = f32x4.splat(0);
  rowBlock(STORE, 3, a, aRowStep, aDepthStep, b, panels, c, init, initRowStep, depth, n, j0, j1, first, rows, 0, zero, zero);
}

function storedRows2(
  a: usize, aRowStep: usize, aDepthStep: usize, b: usize, panels: usize, c: usize, init: usize, initRowStep: usize,
  depth: i32, n: i32, j0: i32, j1: i32, first: i32, rows: i32,
): void {
  let zero = f32x4.splat(0);
  rowBlock(STORE, 2, a, aRowStep, aDepthStep, b, panels, c, init, initRowStep, depth, n, j0, j1, first, rows, 0, zero, zero);
}

function storedRows1(
  a: usize, aRowStep: usize, aDepthStep: usize, b: usize, panels: usize, c: usize, init: usize, initRowStep: usize,
  depth: i32, n: i32, j0: i32, j1: i32, first: i32, rows: i32,
): void {
  let zero = f32x4.splat(0);
  rowBlock(STORE, 1, a, aRowStep, aDepthStep, b, panels, c, init, initRowStep, depth, n, j0, j1, first, rows, 0, zero, zero);
}

/**
 * A stored product whose b is larger than this many bytes is computed in blocks of DEPTH_BLOCK rows × COLUMN_BLOCK
 * columns of b (256 KB, which stays in L2 while every block of rows of a goes through it), the blocks after the
 * first along the depth going on from the partial sums stored in c. Each element still adds its terms in the
 * same order, so the result is the same to the bit; only b's trips from memory change (at 1024³, one per block
 * instead of one per tile of rows).
 */
const BLOCKED_BYTES: i32 = 512 * 1024;
const DEPTH_BLOCK: i32 = 256;
const COLUMN_BLOCK: i32 = 256;

/**
 * Packed products: a blocked product of at least PACK_ROWS rows copies each block of b, before the rows of a go
 * through it, into panels 8 columns wide (the GotoBLAS/BLIS scheme): a panel holds the block's depth × 8 floats one
 * after another, so the full tiles' depth loop reads one stream of 32-byte rows instead of a row of b 4·n bytes
 * apart per step (a new page every step at n = 1024); each TILE_ROWS rows of a are copied the same way (packRows) before
 * they go through the block's panels. Only where the numbers lie changes, so every element is the same sum in the
 * same order and the result is the same to the bit. Tiles of fewer rows and the last 1–7 columns read a and b
 * themselves. The areas are planned by TypeScript (setPackArea), one per thread, so that threads packing at once
 * never share one; without them nothing is packed.
 */
// Below 64 rows, copying a block costs more than its rows' tiles gain (16×512·512×512 ran 0.55× as fast packed);
// smaller b (within BLOCKED_BYTES: 256³, 784×128) gained nothing beyond the noise of a shared machine.
const PACK_ROWS: i32 = 64;
/**
 * An unblocked product (b within BLOCKED_BYTES) at a depth within DEPTH_BLOCK packs a's rows (packRows, see product)
 * past this size of b, and b's panels too when they fit the area: weightGradient 256³ ran at 0.82 of the peak loop
 * unpacked and 0.88 with a's rows packed (CPU-time medians in one process, load 6), and 1.03–1.04× faster again with
 * b's panels as well; forward 256³ 1.02–1.04× faster with both (old and new builds alternated, both orders, load
 * 1.2–2.8); with b of 16K–60K floats (W2's 128×784·128, 100×300·200) packing a's rows made no difference beyond the
 * noise.
 */
const ROWS_PACKED_BYTES: i32 = 192 * 1024;
const PANELS_BYTES: i32 = DEPTH_BLOCK * COLUMN_BLOCK * 4;
/**
 * A packed product copies up to this many groups of TILE_ROWS rows of a at once, for one block of the depth, and every
 * block of b's columns then reads them (at 1024 columns, a's rows were copied once for each of four blocks before).
 */
const ROW_GROUPS: i32 = 103;
const PACK_AREA_BYTES: i32 = PANELS_BYTES + DEPTH_BLOCK * TILE_ROWS * 4 * ROW_GROUPS;
/** Where the areas start, in static memory, which every thread's instance shares (0: pack nothing). */
const PACK_AREAS: usize = memory.data(16);
/** This instance's thread: 0 for the calling thread, 1… for workers; thread t packs into area t. */
let thread: i32 = 0;

/** Places the packing areas, PACK_AREA_BYTES each, one per thread, from `areas` on (0: pack nothing). */
export function setPackArea(areas: usize): void {
  store<usize>(PACK_AREAS, areas);
}

/** Tells a worker's instance which thread it is (see `thread`). */
export function setThread(index: i32): void {
  thread = index;
}

/** The size of a packing area, and the size of b (bytes) past which a product packs: what TypeScript plans by. */
export function packAreaBytes(): i32 {
  return PACK_AREA_BYTES;
}

export function packThreshold(): i32 {
  return min(ROWS_PACKED_BYTES, BLOCKED_BYTES);
}

/** This thread's packing area: b's panels, then TILE_ROWS rows of a. */
// @ts-ignore: decorator
@inline function packArea(): usize {
  return load<usize>(PACK_AREAS) + <usize>thread * PACK_AREA_BYTES;
}

/**
 * Copies `steps` rows of b (rows rowStep bytes apart) at columns [0, width), width a multiple of 8, into the
 * packing area as width / 8 panels of steps × 8 floats; returns the area. Two panels at a time, down b's rows: each
 * 64 bytes read go to two streams written in order (rather than each row's 32-byte pieces to every panel, 8 KB
 * apart, which set the stores against each other in L1).
 */
function pack(b: usize, rowStep: usize, steps: i32, width: i32): usize {
  let area = packArea();
  let panelBytes = <usize>steps * 32;
  let dst = area;
  let j = 0;
  for (; j + 16 <= width; j += 16, dst += panelBytes) {
    let src = b + bytes(j);
    for (let end = dst + panelBytes; dst < end; dst += 32, src += rowStep) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      v128.store(dst + panelBytes, v128.load(src, 32));
      v128.store(dst + panelBytes, v128.load(src, 48), 16);
    }
  }
  if (j < width) {
    let src = b + bytes(j);
    for (let end = dst + panelBytes; dst < end; dst += 32, src += rowStep) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
    }
  }
  return area;
}

/**
 * Copies `steps` steps of `groups` groups of TILE_ROWS rows of a (element (r, p) at a + r·aRowStep + p·aDepthStep)
 * after b's panels, each group as steps × TILE_ROWS floats, one group after another: a tile then reads one contiguous
 * run of bytes per step, rather than five rows of x a row apart (forward) or, for xᵀ read in place (weightGradient),
 * steps a whole row of x apart. Either way round one of the two steps is 4 bytes, so the copy moves whole vectors: for
 * xᵀ, each step's floats of all the groups lie side by side in a row of x, read in order; for x, four steps of each row
 * do, which a 4 × 4 transpose turns into four steps of the first four rows. Returns where the first group is.
 */
function packRows(a: usize, aRowStep: usize, aDepthStep: usize, steps: i32, groups: i32): usize {
  let rows = packArea() + PANELS_BYTES;
  let groupBytes = <usize>steps * bytes(TILE_ROWS);
  if (aRowStep == 4) {
    let dst = rows;
    for (let p = 0; p < steps; p++, a += aDepthStep, dst += bytes(TILE_ROWS)) {
      let from = a, to = dst;
      for (let g = 0; g < groups; g++, from += bytes(TILE_ROWS), to += groupBytes) {
        v128.store(to, v128.load(from));
        store<f32>(to, load<f32>(from, 16), 16);
      }
    }
    return rows;
  }
  let a4 = aRowStep * 4;
  let dst = rows;
  for (let g = 0; g < groups; g++, a += aRowStep * TILE_ROWS) {
    let from = a;
    let p = 0;
    for (; p + 4 <= steps; p += 4, from += 16, dst += bytes(4 * TILE_ROWS)) {
      let r0 = v128.load(from), r1 = v128.load(from + aRowStep);
      let r2 = v128.load(from + aRowStep * 2), r3 = v128.load(from + aRowStep * 3);
      let t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      let t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      store<f32>(dst, load<f32>(from + a4), 16);
      v128.store(dst, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 20);
      store<f32>(dst, load<f32>(from + a4, 4), 36);
      v128.store(dst, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 40);
      store<f32>(dst, load<f32>(from + a4, 8), 56);
      v128.store(dst, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 60);
      store<f32>(dst, load<f32>(from + a4, 12), 76);
    }
    for (; p < steps; p++, from += aDepthStep, dst += bytes(TILE_ROWS)) {
      store<f32>(dst, load<f32>(from));
      store<f32>(dst, load<f32>(from + aRowStep), 4);
      store<f32>(dst, load<f32>(from + aRowStep * 2), 8);
      store<f32>(dst, load<f32>(from + aRowStep * 3), 12);
      store<f32>(dst, load<f32>(from + a4), 16);
    }
  }
  return rows;
}

/**
 * c[m×n] = a·b (+ init on every row), stored: b is depth×n and c is m×n, row-major; a's element (i, p) lies at
 * a + i·aRowStep + p·aDepthStep bytes, so a can be x (forward) or xᵀ read in place (weightGradient).
 * `init` is a row of n (the bias) or 0 for none.
 */
function product(
  a: usize, aRowStep: usize, aDepthStep: usize, b: usize, c: usize, init: usize, m: i32, depth: i32, n: i32,
): void {
  let rowStep = bytes(n);
  let blocked = <i64>depth * n * 4 > BLOCKED_BYTES;
  let area = load<usize>(PACK_AREAS) != 0;
  let packed = blocked && m >= PACK_ROWS && area;
  // An unblocked product still copies each TILE_ROWS rows of a once for all their tiles when b is large and the depth
  // fits the area (for xᵀ read in place, a's steps are a whole row of x apart; for x, its five rows are), and b into
  // panels once for all of a's rows when they fit too.
  let packA = packed || (m >= PACK_ROWS && area && depth <= DEPTH_BLOCK &&
    <i64>depth * n * 4 > ROWS_PACKED_BYTES);
  let panelled = packed || (packA && <i64>depth * n * 4 <= PANELS_BYTES);
  let columnBlock = blocked ? COLUMN_BLOCK : n;
  let depthBlock = blocked ? DEPTH_BLOCK : max(depth, 1); // ≥ 1: the loop below must move on at depth 0
  // A blocked product with a packed takes its rows in chunks of ROW_GROUPS groups, each chunk's rows copied once per
  // block of the depth for all of b's column blocks; an unblocked one (one block of each) copies a group right before
  // its tiles read it, while it is in L1. Each element still takes its depth blocks in order.
  let chunked = packA && blocked;
  let chunkRows = chunked ? ROW_GROUPS * TILE_ROWS : max(m, 1);
  for (let i0 = 0; i0 == 0 || i0 < m; i0 += chunkRows) {
    let i1 = min(m, i0 + chunkRows);
    // At least one pass along the depth, so that depth 0 still stores the bias (or zeros).
    for (let p0 = 0; p0 == 0 || p0 < depth; p0 += depthBlock) {
      let steps = min(depthBlock, depth - p0);
      let fromRowStep: usize = p0 == 0 ? 0 : rowStep;
      let a0 = a + <usize>i0 * aRowStep + <usize>p0 * aDepthStep, bp = b + <usize>p0 * rowStep;
      let rows = chunked ? packRows(a0, aRowStep, aDepthStep, steps, (i1 - i0) / TILE_ROWS) : 0;
      let groupBytes = <usize>steps * bytes(TILE_ROWS);
      for (let j0 = 0; j0 < n; j0 += columnBlock) {
        let j1 = min(n, j0 + columnBlock);
        let panels = panelled ? pack(bp + bytes(j0), rowStep, steps, (j1 - j0) & ~7) : 0;
        let ap = a0, cp = c + <usize>i0 * rowStep, chunkRow = rows;
        let i = i0;
        for (; i + TILE_ROWS <= i1; i += TILE_ROWS, ap += aRowStep * TILE_ROWS, cp += rowStep * TILE_ROWS, chunkRow += groupBytes) {
          let aRows = chunked ? chunkRow : packA ? packRows(ap, aRowStep, aDepthStep, steps, 1) : ap;
          storedRows5(aRows, packA ? 4 : aRowStep, packA ? bytes(TILE_ROWS) : aDepthStep, bp, panels, cp,
            p0 == 0 ? init : cp, fromRowStep, steps, n, j0, j1, p0, depth);
        }
        let from = p0 == 0 ? init : cp;
        switch (i1 - i) {
          case 4: storedRows4(ap, aRowStep, aDepthStep, bp, 0, cp, from, fromRowStep, steps, n, j0, j1, p0, depth); break;
          case 3: storedRows3(ap, aRowStep, aDepthStep, bp, 0, cp, from, fromRowStep, steps, n, j0, j1, p0, depth); break;
          case 2: storedRows2(ap, aRowStep, aDepthStep, bp, 0, cp, from, fromRowStep, steps, n, j0, j1, p0, depth); break;
          case 1: storedRows1(ap, aRowStep, aDepthStep, bp, 0, cp, from, fromRowStep, steps, n, j0, j1, p0, depth); break;
        }
      }
    }
  }
}

/**
 * The product xᵀ·b as a gradient (a = xᵀ read in place, its steps aDepthStep bytes apart), stepped into the
 * parameter block c (see finish and sgdDense), unblocked and unpacked; returns the accumulated check. The weight
 * rows four at a time, then the last 1–3 (the layer's inputs mod 4) one at a time: less code, as fast.
 */
function productStep(
  a: usize, aDepthStep: usize, b: usize, c: usize, m: i32, depth: i32, n: i32, inOffset: isize, eta: v128, sc: v128,
): v128 {
  let aRowStep: usize = 4; // a is xᵀ read in place: its rows are adjacent floats (see tile)
  let rowStep = bytes(n);
  let check = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= m; i += 4, a += aRowStep * 4, c += rowStep * 4) {
    check = f32x4.add(check, rowBlock(SGD_STEP, 4, a, aRowStep, aDepthStep, b, 0, c, 0, 0, depth, n, 0, n, 0, depth,
      inOffset, eta, sc));
  }
  for (; i < m; i++, a += aRowStep, c += rowStep) {
    check = f32x4.add(check, rowBlock(SGD_STEP, 1, a, aRowStep, aDepthStep, b, 0, c, 0, 0, depth, n, 0, n, 0, depth,
      inOffset, eta, sc));
  }
  return check;
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
  weightGradientRows(xPtr, deltaPtr, dwPtr, dbPtr, rows, inner, cols, 0, inner);
}

/**
 * Rows [first, end) of weightGradient's dw (db in full when dbPtr ≠ 0): how threads share one gradient. Each
 * element is the same sum in the same order whichever rows a call covers, so the parts add up to the whole bit
 * for bit.
 */
export function weightGradientRows(
  xPtr: usize, deltaPtr: usize, dwPtr: usize, dbPtr: usize, rows: i32, inner: i32, cols: i32, first: i32, end: i32,
): void {
  assert(rows >= 0 && inner >= 0 && cols >= 0, 'weightGradient: negative count');
  assert(first >= 0 && first <= end && end <= inner, 'weightGradient: rows out of range');
  // Row k of xᵀ is column k of x: its elements are 4 bytes apart across k and a whole x row apart along r.
  product(xPtr + bytes(first), 4, bytes(inner), deltaPtr, dwPtr + <usize>first * bytes(cols), 0, end - first, rows, cols);
  if (dbPtr) columnSums(deltaPtr, dbPtr, rows, cols);
}

/**
 * One layer's plain gradient descent step fused with its weight gradient (no momentum, no penalties):
 *   wOut = wIn − η·(scale·xᵀ·δ),   bOut = bIn − η·(scale·Σ_rows δ)   (biases only when bInPtr ≠ 0)
 * Each tile of xᵀ·δ is stepped into the weights straight from registers, so the gradient is never stored and read
 * back: the same numbers as weightGradient followed by sgd with l1 = l2 = 0, in one pass. wOut may equal wIn.
 * Returns 1 when every new value is finite, else 0 (as sgd does).
 */
export function sgdDense(
  xPtr: usize, deltaPtr: usize, wInPtr: usize, wOutPtr: usize, bInPtr: usize, bOutPtr: usize,
  rows: i32, inner: i32, cols: i32, learningRate: f64, scale: f64,
): i32 {
  return sgdDenseRows(xPtr, deltaPtr, wInPtr, wOutPtr, bInPtr, bOutPtr, rows, inner, cols, learningRate, scale, 0, inner);
}

/** Weight rows [first, end) of sgdDense (the biases in full when bInPtr ≠ 0), as weightGradientRows. */
export function sgdDenseRows(
  xPtr: usize, deltaPtr: usize, wInPtr: usize, wOutPtr: usize, bInPtr: usize, bOutPtr: usize,
  rows: i32, inner: i32, cols: i32, learningRate: f64, scale: f64, first: i32, end: i32,
): i32 {
  assert(rows >= 0 && inner >= 0 && cols >= 0, 'sgdDense: negative count');
  assert(first >= 0 && first <= end && end <= inner, 'sgdDense: rows out of range');
  let eta = f32x4.splat(<f32>learningRate), s = f32x4.splat(<f32>scale);
  let skip = <usize>first * bytes(cols);
  let check = productStep(xPtr + bytes(first), bytes(inner), deltaPtr, wOutPtr + skip, end - first, rows, cols,
    <isize>(wInPtr - wOutPtr), eta, s);
  if (bInPtr) check = f32x4.add(check, columnSumsStep(deltaPtr, bInPtr, bOutPtr, rows, cols, eta, s));
  return v128.any_true(f32x4.ne(check, check)) ? 0 : 1;
}

/** bOut = bIn − η·(scale·Σ over rows of m[rows×cols]): columnSums, stepped; returns the check of the new values. */
function columnSumsStep(m: usize, bIn: usize, bOut: usize, rows: i32, cols: i32, eta: v128, scale: v128): v128 {
  let rowStep = bytes(cols);
  let end = m + <usize>rows * rowStep;
  let check = f32x4.splat(0);
  for (let j = 0; j < cols; j += 4) {
    let lanes = cols - j;
    let sum = f32x4.splat(0);
    for (let p = m + bytes(j); p < end; p += rowStep) sum = f32x4.add(sum, loadLanes(p, lanes));
    let next = f32x4.sub(loadLanes(bIn + bytes(j), lanes), f32x4.mul(eta, f32x4.mul(scale, sum)));
    storeLanes(bOut + bytes(j), next, lanes);
    let verdict = f32x4.sub(next, next);
    check = f32x4.add(check, lanes >= 4 ? verdict : v128.and(verdict, laneMask(lanes)));
  }
  return check;
}

/**
 * out[cols] = Σ over rows of m[rows×cols]: sixteen columns at a time (four independent sums, so that the adds do not
 * wait on one another), then four at a time. Each column is summed down its rows in order either way.
 */
function columnSums(m: usize, out: usize, rows: i32, cols: i32): void {
  let rowStep = bytes(cols);
  let end = m + <usize>rows * rowStep;
  let j = 0;
  for (; j + 16 <= cols; j += 16) {
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
    for (let p = m + bytes(j); p < end; p += rowStep) {
      s0 = f32x4.add(s0, v128.load(p));
      s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32));
      s3 = f32x4.add(s3, v128.load(p, 48));
    }
    let o = out + bytes(j);
    v128.store(o, s0);
    v128.store(o, s1, 16);
    v128.store(o, s2, 32);
    v128.store(o, s3, 48);
  }
  for (; j < cols; j += 4) {
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

/**
 * R rows of dx (1 or 2) at k in [k0, k1), four k at a time; past the block's last row of w, the w pointers repeat it
 * (results unstored).
 */
// @ts-ignore: decorator
@inline function dotRows(R: i32, d: usize, w: usize, dx: usize, cols: i32, inner: i32, k0: i32, k1: i32): void {
  let rowStep = bytes(cols);
  let dxRowStep = bytes(inner);
  for (let k = k0; k < k1; k += 4) {
    let w0 = w + <usize>k * rowStep;
    let w1 = k + 1 < k1 ? w0 + rowStep : w0;
    let w2 = k + 2 < k1 ? w1 + rowStep : w1;
    let w3 = k + 3 < k1 ? w2 + rowStep : w2;
    dotTile(R, d, d + rowStep, w0, w1, w2, w3, cols, dx + bytes(k), dxRowStep, k1 - k);
  }
}

/**
 * backpropDelta takes w's rows in blocks of about this many bytes (a multiple of four rows), each block against
 * every pair of δ's rows while the block stays in L2, instead of all of w (4 MB at 1024³) for each pair. Each dx
 * element is still one dot product in one tile, so the result is the same to the bit. Measured (CPU-time medians in
 * one process, load 12): 512³ 0.79 → 0.86 of the peak loop, 1024³ 0.76 → 0.85.
 */
const DOT_BLOCK_BYTES: i32 = 256 * 1024;

/** dx[rows×inner] = δ[rows×cols] · wᵀ, w being inner×cols. */
export function backpropDelta(deltaPtr: usize, wPtr: usize, dxPtr: usize, rows: i32, cols: i32, inner: i32): void {
  assert(rows >= 0 && cols >= 0 && inner >= 0, 'backpropDelta: negative count');
  let block = max(4, (DOT_BLOCK_BYTES / max(1, <i32>bytes(cols))) & ~3);
  let deltaPairStep = bytes(cols) * 2;
  let dxPairStep = bytes(inner) * 2;
  for (let k0 = 0; k0 < inner; k0 += block) {
    let k1 = min(inner, k0 + block);
    let delta = deltaPtr, dx = dxPtr;
    let r = 0;
    for (; r + 2 <= rows; r += 2, delta += deltaPairStep, dx += dxPairStep) dotRows(2, delta, wPtr, dx, cols, inner, k0, k1);
    if (r < rows) dotRows(1, delta, wPtr, dx, cols, inner, k0, k1);
  }
}
