// The index of the largest score: a classifier's prediction from its outputs.

/** The index of the largest of `scores[offset .. offset + length)`, relative to `offset` (the first one on ties). */
export function argmax(scores: ArrayLike<number>, offset = 0, length = scores.length - offset): number {
  let best = 0;
  let bestScore = scores[offset]!;
  for (let k = 1; k < length; k++) {
    const score = scores[offset + k]!;
    if (score > bestScore) {
      bestScore = score;
      best = k;
    }
  }
  return best;
}
