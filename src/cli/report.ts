// Classification results as the command line prints them: counts of correct predictions, the confusion matrix
// and per-class accuracy, from the network's outputs (rows × classes, row-major) and the true labels.

import { argmax } from '../core/argmax.js';
import { MNIST_CLASSES as CLASSES } from '../io/mnist.js';

export { argmax };

/** matrix[true × CLASSES + predicted] counts the samples; `correct` is the trace. */
export interface Confusion {
  matrix: Uint32Array;
  correct: number;
  total: number;
}

export function confusion(outputs: ArrayLike<number>, labels: ArrayLike<number>, count = labels.length): Confusion {
  const matrix = new Uint32Array(CLASSES * CLASSES);
  let correct = 0;
  for (let i = 0; i < count; i++) {
    const predicted = argmax(outputs, i * CLASSES, CLASSES);
    const label = labels[i]!;
    matrix[label * CLASSES + predicted]! += 1;
    if (predicted === label) correct++;
  }
  return { matrix, correct, total: count };
}

export function percent(numerator: number, denominator: number, digits = 2): string {
  return denominator === 0 ? '—' : `${((100 * numerator) / denominator).toFixed(digits)}%`;
}

/** Nielsen's line: "Epoch 1: 9032 / 10000". */
export function epochLine(epoch: number, correct: number, total: number): string {
  return `Epoch ${epoch}: ${correct} / ${total}`;
}

/** The confusion matrix (rows: true digit, columns: predicted digit) with each digit's accuracy (recall). */
export function formatConfusion({ matrix, correct, total }: Confusion): string {
  let width = 5;
  for (const n of matrix) width = Math.max(width, String(n).length + 1);
  const cell = (text: string | number) => String(text).padStart(width);
  const lines = [
    'Confusion matrix (rows: true digit, columns: predicted digit)',
    `true${Array.from({ length: CLASSES }, (_, k) => cell(k)).join('')}   accuracy`,
  ];
  for (let t = 0; t < CLASSES; t++) {
    const row = matrix.subarray(t * CLASSES, (t + 1) * CLASSES);
    const rowTotal = row.reduce((sum, n) => sum + n, 0);
    lines.push(`${String(t).padStart(4)}${Array.from(row, cell).join('')}  ${percent(row[t]!, rowTotal).padStart(9)}`);
  }
  lines.push(`Test accuracy: ${correct} / ${total} (${percent(correct, total)})`);
  return lines.join('\n') + '\n';
}

/** The ten scores of one prediction, the winner marked. */
export function formatScores(scores: ArrayLike<number>): string {
  const best = argmax(scores);
  return Array.from({ length: scores.length }, (_, k) =>
    `  ${k}  ${Number(scores[k]).toFixed(6)}${k === best ? '  ←' : ''}`).join('\n') + '\n';
}
