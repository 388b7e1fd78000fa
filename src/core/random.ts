// Seeded randomness. NumpyRandom is numpy's legacy generator (MT19937 seeded as np.random.seed(int)), bit for bit,
// so programs written against numpy start from the same numbers. simdnet draws all of its own randomness
// (initial weights, shuffling) from it too: no Math.random anywhere.

const N = 624;
const M = 397;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

// numpy calls the C library's log, which is correctly rounded in practice; V8's Math.log is off by one unit in the
// last place for about 2% of arguments. So randn takes its log from double-double arithmetic (~100 bits), rounded
// once: log x = e·ln 2 + 2·atanh(s), s = (m − 1)/(m + 1), x = m·2ᵉ.
type DoubleDouble = [hi: number, lo: number];
const LN2: DoubleDouble = [0.6931471805599453, 2.3190468138462996e-17];
const TWO_THIRDS: DoubleDouble = [0.6666666666666666, 3.700743415417188e-17];

function twoSum(a: number, b: number): DoubleDouble {
  const s = a + b;
  const v = s - a;
  return [s, a - (s - v) + (b - v)];
}

function twoProduct(a: number, b: number): DoubleDouble {
  const p = a * b;
  const split = (x: number): DoubleDouble => {
    const c = 134217729 * x; // Veltkamp split: 2²⁷ + 1
    const high = c - (c - x);
    return [high, x - high];
  };
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function add(a: DoubleDouble, b: DoubleDouble): DoubleDouble {
  const [s, e] = twoSum(a[0], b[0]);
  return twoSum(s, e + a[1] + b[1]);
}

function multiply(a: DoubleDouble, b: DoubleDouble): DoubleDouble {
  const [p, e] = twoProduct(a[0], b[0]);
  return twoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}

function divide(a: DoubleDouble, b: DoubleDouble): DoubleDouble {
  const q1 = a[0] / b[0];
  const r = add(a, multiply([-q1, 0], b));
  const q2 = r[0] / b[0];
  const r2 = add(r, multiply([-q2, 0], b));
  return add(twoSum(q1, q2), [r2[0] / b[0], 0]);
}

/** ln x for a positive normal x, correctly rounded but for arguments within ~2⁻⁹⁰ of a rounding boundary. */
export function preciseLog(x: number): number {
  const e = Math.round(Math.log2(x));
  const m = x * 2 ** -e; // exact: a power-of-two scaling, m ∈ [√½, √2]
  const s = divide([m - 1, 0], twoSum(m, 1)); // m − 1 is exact for m ∈ [½, 2]
  const t = multiply(s, s);
  // 2·atanh(s) = s·(2 + t·(2/3 + t·(2/5 + t·(2/7 + …)))), t = s² ≤ 0.03; the tail needs only double precision.
  let tail = 0;
  for (let k = 14; k >= 2; k--) tail = 2 / (2 * k + 1) + t[0] * tail;
  const series = add([2, 0], multiply(t, add(TWO_THIRDS, multiply(t, [tail, 0]))));
  return add(multiply([e, 0], LN2), multiply(s, series))[0];
}

/** A generator's whole state, as numpy's get_state() gives it: the 624 words, the position, a cached gauss. */
export interface NumpyRandomState {
  key: Uint32Array;
  position: number;
  gauss: number | undefined;
}

export class NumpyRandom {
  private readonly state = new Uint32Array(N);
  private position = N;
  private cachedGauss: number | undefined;

  /** Like np.random.seed(seed): an integer in [0, 2³² − 1]. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be an integer in [0, 4294967295], got ${seed}`);
    }
    const mt = this.state;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const previous = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 · previous + i, mod 2³²; Math.imul keeps the product exact in 32 bits.
      mt[i] = (Math.imul(1812433253, previous) + i) >>> 0;
    }
  }

  /** A copy of the state (numpy's get_state()). */
  getState(): NumpyRandomState {
    return { key: this.state.slice(), position: this.position, gauss: this.cachedGauss };
  }

  /** Continues from a state that getState() gave (numpy's set_state()). */
  setState(state: NumpyRandomState): void {
    if (state.key.length !== N || !Number.isInteger(state.position) || state.position < 0 || state.position > N) {
      throw new RangeError(`a generator state has ${N} words and a position in [0, ${N}]`);
    }
    this.state.set(state.key);
    this.position = state.position;
    this.cachedGauss = state.gauss;
  }

  /** The next raw 32-bit output of the Mersenne Twister. */
  nextUint32(): number {
    const mt = this.state;
    if (this.position >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k] & UPPER_MASK) | (mt[(k + 1) % N] & LOWER_MASK);
        mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      this.position = 0;
    }
    let y = mt[this.position++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** One double in [0, 1) from 53 random bits, as numpy's random_sample. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** One N(0, 1) sample by numpy's legacy polar method, which makes two and keeps the second for the next call. */
  nextGauss(): number {
    if (this.cachedGauss !== undefined) {
      const cached = this.cachedGauss;
      this.cachedGauss = undefined;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.nextDouble() - 1;
      x2 = 2 * this.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * preciseLog(r2)) / r2);
    this.cachedGauss = f * x1;
    return f * x2;
  }

  /** An integer in [0, max], uniformly, by numpy's masked rejection sampling. */
  nextInt(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /** np.random.random(): one double in [0, 1). */
  random(): number;
  /** np.random.random(n): n doubles in [0, 1). */
  random(n: number): Float64Array;
  random(n?: number): number | Float64Array {
    if (n === undefined) return this.nextDouble();
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.nextDouble();
    return out;
  }

  /** np.random.randn(n). */
  randn(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.nextGauss();
    return out;
  }

  /** Shuffles in place as np.random.shuffle does for a 1-D array. */
  shuffle(values: { length: number; [i: number]: number }): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.nextInt(i);
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}

// Minifiers rename classes; what users see printed keeps the real name.
Object.defineProperty(NumpyRandom, 'name', { value: 'NumpyRandom' });
