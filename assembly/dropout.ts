// Dropout's arithmetic: one elementwise product with a mask of 0 and 1/(1 − rate) (drawn by drawMask in
// random.ts). The forward pass writes a layer's kept outputs to their own region (the activations stay for f′), and
// the backward pass multiplies the delta by the same mask in place.

import { bytes, loadLanes, storeLanes } from './data';

/** out[i] = x[i]·mask[i] over `count` elements; out may be x. */
export function applyMask(x: usize, mask: usize, out: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    v128.store(out + bytes(i), f32x4.mul(v128.load(x + bytes(i)), v128.load(mask + bytes(i))));
  }
  let lanes = count - i;
  if (lanes > 0) storeLanes(out + bytes(i), f32x4.mul(loadLanes(x + bytes(i), lanes), loadLanes(mask + bytes(i), lanes)), lanes);
}
