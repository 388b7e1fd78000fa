// How figures are printed in tables and progress lines: about three significant digits, thousands separated.

export const format = (value: number): string => {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e5) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
};

/** Progress goes to stderr, so that stdout carries only the tables. */
export const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
