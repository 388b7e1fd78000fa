// The single-core SIMD ceiling of this machine, measured two ways; the suite takes the higher as "the peak":
//   peakRegisters   independent f32x4 multiply-adds acc_i ← acc_i + x_j·y_k into 8 accumulators, registers only;
//   peakL1          the same 8 multiply-adds per step with operands loaded from one L1-resident cache line (two
//                   vectors and four broadcasts: a GEMM micro-kernel's inner step with perfect locality).
// On AMD Zen 4 with Node 20, the register-only loop tops out near 29 GFLOP/s while the L1 one reaches about 42 (55
// with relaxed_madd): the kernels' 4×8 tiles run faster than the register-only loop, so it alone is no ceiling.
// Built twice by bench/run.mjs: with separate multiply and add (what the deterministic core computes) and, with
// RELAXED set, with relaxed SIMD's fused multiply-add. 8 accumulators × 4 lanes × 2 FLOPs = 64 FLOPs per step.

// @ts-ignore: decorator
@inline function madd(acc: v128, x: v128, y: v128): v128 {
  if (isDefined(RELAXED)) return f32x4.relaxed_madd(x, y, acc);
  return f32x4.add(acc, f32x4.mul(x, y));
}

export const FLOPS_PER_ITERATION = 64;

/** A cache line of operands for peakL1, in this module's own memory. */
const OPERANDS: usize = 1024;

export function peakRegisters(iterations: i32, seed: f32): f32 {
  let x0 = f32x4.splat(seed * 1e-3), x1 = f32x4.splat(seed * 2e-3);
  let y0 = f32x4.splat(0.5), y1 = f32x4.splat(0.25), y2 = f32x4.splat(0.125), y3 = f32x4.splat(0.0625);
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (let i = 0; i < iterations; i++) {
    a0 = madd(a0, x0, y0); a1 = madd(a1, x0, y1); a2 = madd(a2, x0, y2); a3 = madd(a3, x0, y3);
    a4 = madd(a4, x1, y0); a5 = madd(a5, x1, y1); a6 = madd(a6, x1, y2); a7 = madd(a7, x1, y3);
  }
  let s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(s, 0);
}

export function peakL1(iterations: i32, seed: f32): f32 {
  let p = OPERANDS;
  store<f32>(p, seed * 1e-3);
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (let i = 0; i < iterations; i++) {
    let b0 = v128.load(p), b1 = v128.load(p, 16);
    let x = v128.load32_splat(p, 32);
    a0 = madd(a0, x, b0); a1 = madd(a1, x, b1);
    x = v128.load32_splat(p, 36);
    a2 = madd(a2, x, b0); a3 = madd(a3, x, b1);
    x = v128.load32_splat(p, 40);
    a4 = madd(a4, x, b0); a5 = madd(a5, x, b1);
    x = v128.load32_splat(p, 44);
    a6 = madd(a6, x, b0); a7 = madd(a7, x, b1);
  }
  let s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(s, 0);
}
