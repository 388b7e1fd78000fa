// How the Playground writes its numbers and names.

import type { HiddenActivation } from '../state.js';

/** A loss on a chart axis: two significant digits below 1. */
export function formatLoss(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1) return v.toFixed(1);
  return String(Number(v.toPrecision(2)));
}

/** The epoch counter: six digits at least, grouped by thousands (000,042). */
export function formatEpoch(epoch: number): string {
  const text = String(epoch).padStart(6, '0');
  return text.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A metric in the Output card: three decimals, or a dash before there is one. */
export const formatMetricLoss = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : '–');
export const formatMetricPercent = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–');

export const activationLabel = (a: HiddenActivation): string =>
  ({ tanh: 'Tanh', relu: 'ReLU', leakyRelu: 'Leaky ReLU', sigmoid: 'Sigmoid', linear: 'Linear' })[a];
