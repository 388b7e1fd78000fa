// The Columns card: one row per column of the table (whether it is an input, its kind, missing cells, its values with
// their counts or its range, and how the fitted schema encodes it), then the schema's notices.

import type { SchemaReport, Table } from '../../../src/io/table/index.js';
import { el, short } from './messages.js';

/** Shown per category column before the rest are summarised. */
const SHOWN_CATEGORIES = 6;

/** The smallest and largest number in a numeric column (missing cells skipped). */
function range(table: Table, column: string): [number, number] | undefined {
  let low = Infinity;
  let high = -Infinity;
  for (let r = 0; r < table.rowCount; r++) {
    const cell = table.cell(r, column);
    const text = typeof cell === 'string' ? cell.trim() : cell;
    if (text === '' || text === null || text === undefined) continue;
    const value = Number(text);
    if (!Number.isFinite(value)) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  return low <= high ? [low, high] : undefined;
}

function values(table: Table, column: string): string {
  const summary = table.column(column)!;
  if (summary.categories) {
    const sorted = [...summary.categories].sort((a, b) => b.count - a.count);
    const shown = sorted.slice(0, SHOWN_CATEGORIES).map((c) => `${c.value} (${c.count})`).join(', ');
    const more = sorted.length - SHOWN_CATEGORIES;
    return more > 0 ? `${shown}, and ${more} more` : shown;
  }
  const span = range(table, column);
  return span ? `${short(span[0])} to ${short(span[1])}` : '—';
}

function encodingOf(report: SchemaReport | undefined, column: string): string {
  const found = report?.columns.find((c) => c.name === column);
  if (!found) return '—';
  switch (found.role) {
    case 'target': return `target: ${found.encoding ?? ''}`;
    case 'ignored': return 'not used';
    case 'identifier': return 'left out: every value differs';
    case 'empty': return 'left out: every cell missing';
    default: return found.encoding ?? '';
  }
}

/**
 * Fills the columns table. `toggle(column, used)` is called when a column's Input box changes; the target's box is
 * disabled.
 */
export function renderColumns(table: Table, target: string, ignored: ReadonlySet<string>,
  report: SchemaReport | undefined, toggle: (column: string, used: boolean) => void): void {
  const body = document.querySelector<HTMLTableSectionElement>('#columns-table tbody')!;
  body.replaceChildren(...table.columns.map((column) => {
    const row = el('tr');
    const use = el('input');
    use.type = 'checkbox';
    use.checked = column.name !== target && !ignored.has(column.name);
    use.disabled = column.name === target;
    use.setAttribute('aria-label', column.name === target ? `${column.name} is the target` : `Use ${column.name} as an input`);
    use.addEventListener('change', () => toggle(column.name, use.checked));
    const name = el('th', '', column.name);
    name.scope = 'row';
    if (column.name === target) row.className = 'target';
    row.append(el('td'), name, el('td', '', column.kind), el('td', 'number', String(column.missing)),
      el('td', 'values', values(table, column.name)), el('td', 'encoding', encodingOf(report, column.name)));
    row.firstElementChild!.append(use);
    return row;
  }));
  const notices = document.getElementById('notices')!;
  notices.replaceChildren(...(report?.notices ?? []).map((notice) => el('li', '', notice)));
}
