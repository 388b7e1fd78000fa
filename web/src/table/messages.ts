// What the page says when something fails: simdnet's own errors already name the file, line and column; anything
// else gets its message only, never a stack trace.

export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    return error.name === 'SimdnetError' ? error.message : `Something went wrong: ${error.message}`;
  }
  return `Something went wrong: ${String(error)}`;
}

/** Four significant digits, without trailing zeros. */
export const short = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : '—');

/** An element with a class and text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}
