// The statistics every benchmark reports: the median of a sample (robust to the outliers a shared machine throws
// in), its range, and how many times faster one figure is than another.

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export interface Summary {
  median: number;
  min: number;
  max: number;
}

export const summarize = (values: readonly number[]): Summary =>
  ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });

/**
 * How many times faster `base` is than `other`: a time ratio other ÷ base, or a rate ratio base ÷ other when
 * higher is better. Below 1, `other` is the faster.
 */
export const speedup = (base: number, other: number, higherIsBetter: boolean): number =>
  (higherIsBetter ? base / other : other / base);
