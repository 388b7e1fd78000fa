import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JsBackend } from '../src/backends/js.js';
import { WasmBackend } from '../src/backends/wasm/backend.js';
import { NumpyRandom, preciseLog } from '../src/core/random.js';
import { SEED } from './helpers.js';

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

describe('getState / setState', () => {
  it('continue a stream where it was, cached gauss included', () => {
    const rng = new NumpyRandom(3);
    rng.randn(625); // past a refill, with a gauss cached (625 is odd)
    const state = rng.getState();
    const expected = [...rng.randn(3), ...rng.random(2)];
    const other = new NumpyRandom(99);
    other.setState(state);
    expect([...other.randn(3), ...other.random(2)]).toEqual(expected);
    expect(() => other.setState({ ...state, key: new Uint32Array(5) })).toThrow(RangeError);
    expect(() => other.setState({ ...state, position: 625 })).toThrow(RangeError);
  });
});

describe('initial weights drawn in Wasm (WasmBackend.draw) equal the float64 ones (JsBackend.draw) in float32', () => {
  it.each([['uniform', 1], ['uniform', 0.0871], ['normal', 1], ['normal', 0.0505]] as const)(
    '%s × %f, in runs of odd and even lengths across refills; the generators end in the same state',
    async (kind, scale) => {
      const wasm = await WasmBackend.create();
      const js = new JsBackend();
      const [a, b] = [new NumpyRandom(SEED), new NumpyRandom(SEED)];
      let offset = wasm.baseSlot;
      for (const count of [1, 7, 624, 625, 2000, 3, 10_001]) {
        wasm.ensureCapacity(offset + count + 8);
        js.ensureCapacity(count);
        wasm.fill(offset + count, 8, 12345); // a guard: nothing past the run may change
        wasm.draw(kind, a, offset, count, scale);
        expect(Array.from(wasm.read(offset + count, 8))).toEqual(new Array(8).fill(12345));
        js.draw(kind, b, 0, count, scale);
        const got = wasm.read(offset, count);
        const want = Float32Array.from(js.read(0, count));
        if (!got.every((v, i) => Object.is(v, want[i]))) expect(got, `seed ${SEED}, ${count} draws`).toEqual(want);
        offset += count;
        const [sa, sb] = [a.getState(), b.getState()];
        expect(sa.position, `seed ${SEED}`).toBe(sb.position);
        expect(sa.gauss, `seed ${SEED}`).toBe(sb.gauss); // the float64 cached gauss, to the bit
        expect(sa.key).toEqual(sb.key);
      }
      wasm.dispose();
    });
});
