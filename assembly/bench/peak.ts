// The single-core SIMD ceiling of this machine, measured two ways; the suite takes the higher as "the peak":
//   peakRegisters   independent f32x4 multiply-adds acc_i ← acc_i + x_j·y_k into 8 accumulators, registers only;
//   peakL1          the same multiply-adds with operands loaded from one L1-resident cache line (two vectors and a
//                   broadcast per pair of accumulators: a GEMM micro-kernel's inner step with perfect locality).
// Built twice by bench/run.mjs: with separate multiply and add (what the deterministic core computes) and, with
// RELAXED set, with relaxed SIMD's fused multiply-add (V8 11 emits vfmadd231ps for it on x64 with FMA3).
// Each build gets the chains its latency needs, so that neither peak is held down by a dependency: a chain of
// mul + add waits only for the add (2–3 cycles on AMD Zen 4/5, two add pipes: 4–6 chains), a chain of FMAs for the
// FMA (4 cycles, two FMA pipes: 8 chains with no slack), so peakL1 runs 8 chains plain and 12 relaxed. Neither
// spills: V8 has 15 XMM registers for values, and plain needs one more for each product (12 chains plain spill
// one accumulator to the stack); 16 relaxed chains spill. The register-only loop holds 6 operands, so 8 chains.

// @ts-ignore: decorator
@inline function madd(acc: v128, x: v128, y: v128): v128 {
  if (isDefined(RELAXED)) return f32x4.relaxed_madd(x, y, acc);
  return f32x4.add(acc, f32x4.mul(x, y));
}

/** A cache line of operands for peakL1, in this module's own memory. */
const OPERANDS: usize = 1024;

/** FLOPs per iteration of peakRegisters: 8 accumulators × 4 lanes × 2. */
export function registersFlops(): i32 {
  return 64;
}

/** FLOPs per iteration of peakL1: 8 or (relaxed) 12 accumulators × 4 lanes × 2. */
export function l1Flops(): i32 {
  return isDefined(RELAXED) ? 96 : 64;
}

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
  let a8 = a0, a9 = a0, a10 = a0, a11 = a0;
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
    if (isDefined(RELAXED)) {
      x = v128.load32_splat(p, 48);
      a8 = madd(a8, x, b0); a9 = madd(a9, x, b1);
      x = v128.load32_splat(p, 52);
      a10 = madd(a10, x, b0); a11 = madd(a11, x, b1);
    }
  }
  let s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  s = f32x4.add(s, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)));
  return f32x4.extract_lane(s, 0);
}

/**
 * One chain of multiply-adds, each waiting for the last: a step takes the latency of the add (plain) or of the
 * fused multiply-add (relaxed), 8 FLOPs each. What tells how many chains a peak loop needs.
 */
export function latencyChain(iterations: i32, seed: f32): f32 {
  let p = OPERANDS;
  store<f32>(p, seed * 1e-3);
  let a = f32x4.splat(0);
  for (let i = 0; i < iterations; i++) a = madd(a, v128.load32_splat(p, 32), v128.load(p));
  return f32x4.extract_lane(a, 0);
}

/** x·x + c in one lane: fused, (1 + 2⁻¹²)² − 1 keeps its 2⁻²⁴; rounded after the multiply, it is 2⁻¹¹. */
export function maddProbe(x: f32, c: f32): f32 {
  return f32x4.extract_lane(madd(f32x4.splat(c), f32x4.splat(x), f32x4.splat(x)), 0);
}
