import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NumpyRandom, preciseLog } from '../src/random.js';

// Fixture written by numpy 2.4 (legacy RandomState); logCases.log are ln x to 80 digits rounded to doubles.
const numpy = JSON.parse(readFileSync(new URL('./fixtures/numpy-random.json', import.meta.url), 'utf8'));

describe('NumpyRandom', () => {
  it('reproduces np.random.seed(1); np.random.random(5) exactly', () => {
    expect(Array.from(new NumpyRandom(1).random(5))).toEqual([
      0.417022004702574, 0.7203244934421581, 0.00011437481734488664, 0.30233257263183977, 0.14675589081711304,
    ]);
  });

  it('reproduces np.random.seed(0); np.random.randn(3) exactly', () => {
    expect(Array.from(new NumpyRandom(0).randn(3))).toEqual([1.764052345967664, 0.4001572083672233, 0.9787379841057392]);
  });

  it('draws random and randn from one stream in numpy order, past a state refill', () => {
    const rng = new NumpyRandom(42);
    expect(Array.from(rng.random(700))).toEqual(numpy.mixed42.random700);
    expect(Array.from(rng.randn(701))).toEqual(numpy.mixed42.randn701);
    expect(Array.from(rng.random(3))).toEqual(numpy.mixed42.random3);
  });

  it('accepts the largest seed', () => {
    expect(Array.from(new NumpyRandom(4294967295).randn(1001))).toEqual(numpy.randnMax);
  });

  it('shuffles as np.random.shuffle', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    new NumpyRandom(7).shuffle(values);
    expect(values).toEqual(numpy.shuffle7);
  });

  it('rejects seeds numpy rejects', () => {
    for (const seed of [-1, 2 ** 32, 1.5, Number.NaN]) expect(() => new NumpyRandom(seed)).toThrow(RangeError);
  });
});

describe('preciseLog', () => {
  it('is correctly rounded (reference: 80-digit decimal logs), where Math.log is not', () => {
    const values: number[] = numpy.logCases.x;
    const logs = values.map(preciseLog);
    expect(logs).toEqual(numpy.logCases.log);
  });
});
