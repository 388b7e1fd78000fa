// Printing numbers the way the tutorials' Python printed them, so their output can be compared line by line,
// and the options every example takes.

import type { BackendName } from 'simdnet';

export interface ExampleOptions {
  /** 'js' (float64: the tutorials' numbers exactly) or 'wasm' (float32 SIMD). Examples default to 'js'. */
  backend?: BackendName;
  /** Where printed lines go; tests leave it out and read the returned numbers instead. */
  print?: (line: string) => void;
  /** Print every line of long logs instead of the excerpt the tutorial shows. */
  full?: boolean;
  /** For the programs the tutorial leaves unseeded. */
  seed?: number;
}

/** The significant digits of a number printed by toExponential, toFixed or toPrecision. */
const figuresOf = (text: string): string => text.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '');

/**
 * Whether `longer` (x printed with one digit more than wanted) ends in a 5 that is exact, so that rounding it is a
 * tie. JavaScript rounds ties away from zero; Python and C round the exact binary value half to even.
 */
function isTie(x: number, longer: string): boolean {
  const digits = figuresOf(longer).replace(/0+$/, '');
  return digits.endsWith('5') && figuresOf(Math.abs(x).toPrecision(100)).replace(/0+$/, '') === digits;
}

/** toExponential(d) rounding exact ties to even, as C's printf does. */
function toExponential(x: number, d: number): string {
  const longer = x.toExponential(d + 1);
  if (!isTie(x, longer)) return x.toExponential(d);
  const [m, e] = longer.split('e');
  const kept = m.slice(0, -1).replace(/\.$/, '');
  return Number(kept.at(-1)) % 2 === 0 ? `${kept}e${e}` : x.toExponential(d);
}

/** toFixed(d) rounding exact ties to even, as C's printf does. */
function toFixed(x: number, d: number): string {
  const longer = x.toFixed(d + 1);
  if (!isTie(x, longer)) return x.toFixed(d);
  const kept = longer.slice(0, -1).replace(/\.$/, '');
  return Number(kept.at(-1)) % 2 === 0 ? kept : x.toFixed(d);
}

/** `x` with `digits` significant digits (or the fewest that read back exactly) in Python's %g layout. */
function formatG(x: number, digits: number | undefined, exponentFrom: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exponent] = (digits === undefined ? x.toExponential() : toExponential(x, digits - 1)).split('e');
  const e = Number(exponent);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const figures = mantissa.replace(/^-/, '').replace('.', '').replace(/0+$/, '') || '0';
  if (e < -4 || e >= exponentFrom) {
    const m = figures.length > 1 ? `${figures[0]}.${figures.slice(1)}` : figures;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const whole = e >= 0 ? figures.slice(0, e + 1).padEnd(e + 1, '0') : '0';
  const fraction = e >= 0 ? figures.slice(e + 1) : '0'.repeat(-e - 1) + figures;
  return `${sign}${whole}.${fraction || '0'}`;
}

/** Python 2's `str(x)` for a float: 12 significant digits, e.g. `0.496410031903`, `5.40820802026e-06`, `1.0`. */
export const str = (x: number): string => formatG(x, 12, 12);

/** Python 3's `repr(x)` (and what its REPL echoes): the shortest digits that read back exactly. */
export const repr = (x: number): string => formatG(x, undefined, 16);

/** One number as numpy 1.13 prints it inside an array: fixed with `precision` decimals or scientific. */
function arrayElement(x: number, format: { exp: boolean; precision: number; width: number }): string {
  if (format.exp) {
    const [m, e] = toExponential(x, 8).split('e');
    const [whole, fraction] = m.split('.');
    const exponent = String(Math.abs(Number(e))).padStart(2, '0');
    return `${whole.padStart(3)}.${fraction}e${e.startsWith('-') ? '-' : '+'}${exponent}`;
  }
  const fixed = format.precision > 0 ? toFixed(x, format.precision) : `${toFixed(x, 0)}.`;
  const trimmed = fixed.replace(/0+$/, '');
  return trimmed.padEnd(fixed.length).padStart(format.width);
}

/**
 * A numpy array as `print(array)` showed it in the tutorials' days (numpy ≤ 1.13, precision 8), e.g.
 * `[[ 0.00966449]\n [ 0.00786506]]`. Takes a vector or a matrix given as rows.
 */
export function ndarray(values: ArrayLike<number>[] | ArrayLike<number>): string {
  const rows = typeof (values as ArrayLike<unknown>)[0] === 'number'
    ? [Array.from(values as ArrayLike<number>)] : (values as ArrayLike<number>[]).map((row) => Array.from(row));
  const all = rows.flat();
  const nonZero = all.filter((v) => v !== 0 && Number.isFinite(v)).map(Math.abs);
  const max = nonZero.length ? Math.max(...nonZero) : 0;
  const min = nonZero.length ? Math.min(...nonZero) : 0;
  const exp = nonZero.length > 0 && (max >= 1e8 || min < 1e-4 || max / min > 1000);
  const precision = Math.max(0, ...nonZero.map((v) => 8 - (toFixed(v, 8).match(/0*$/)?.[0].length ?? 0)));
  const format = { exp, precision, width: String(Math.trunc(max)).length + precision + 2 };
  const lines = rows.map((row) => `[${row.map((v) => arrayElement(v, format)).join(' ')}]`);
  return typeof (values as ArrayLike<unknown>)[0] === 'number' ? lines[0] : `[${lines.join('\n ')}]`;
}

/** Rows of a flat row-major array (what predictBatch and getWeights return). */
export function rowsOf(values: ArrayLike<number>, columns: number): number[][] {
  const rows: number[][] = [];
  for (let at = 0; at < values.length; at += columns) rows.push(Array.from(values).slice(at, at + columns));
  return rows;
}

/** The first and last lines of a long log with `....` between, as the tutorials print them; all with `full`. */
export function excerpt(lines: string[], head: number, tail: number, full = false): string[] {
  if (full || lines.length <= head + tail) return lines;
  return [...lines.slice(0, head), '....', ...lines.slice(lines.length - tail)];
}
