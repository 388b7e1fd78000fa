// The Predict card: one field per input column of the model's schema (a number field, or a menu of the categories it
// was trained on), filled from a real row, and the prediction: the label with every class's probability, or the
// value in the target's units.

import type { Prediction, TableRecord, TableSchema } from '../../../src/io/table/index.js';
import { el, short } from './messages.js';

/** The menu entry and empty number field that stand for a missing cell (the model imputes it). */
const MISSING = '';

/** Builds one labelled field per input of `schema`. */
export function buildForm(schema: TableSchema): void {
  const inputs = document.getElementById('predict-inputs')!;
  inputs.replaceChildren(...schema.inputs.map((input, i) => {
    const label = el('label', 'field');
    label.append(el('span', '', input.name));
    if (input.kind === 'number') {
      const field = el('input');
      field.type = 'number';
      field.step = 'any';
      field.placeholder = `missing: ${short(input.fill)}`;
      field.dataset.column = input.name;
      field.id = `input-${i}`;
      label.append(field);
    } else {
      const menu = el('select');
      menu.dataset.column = input.name;
      menu.id = `input-${i}`;
      menu.append(new Option(`(missing: ${input.fill})`, MISSING), ...input.categories.map((c) => new Option(c, c)));
      label.append(menu);
    }
    return label;
  }));
}

/** Puts `row`'s cells into the fields (a category the model never saw, or no cell, shows as missing). */
export function fillForm(schema: TableSchema, row: TableRecord): void {
  for (const input of schema.inputs) {
    const field = document.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-column="${CSS.escape(input.name)}"]`)!;
    const cell = row[input.name];
    const text = cell === null || cell === undefined ? '' : String(cell).trim();
    if (input.kind === 'number') field.value = Number.isFinite(Number(text)) && text !== '' ? text : MISSING;
    else field.value = input.categories.includes(text) ? text : MISSING;
  }
}

/** The fields as a row: an empty field is a missing cell. */
export function readForm(schema: TableSchema): TableRecord {
  const row: TableRecord = {};
  for (const input of schema.inputs) {
    const field = document.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-column="${CSS.escape(input.name)}"]`)!;
    row[input.name] = field.value === MISSING ? null : field.value;
  }
  return row;
}

/** Shows a prediction: the label and a bar per class, or the value. */
export function renderPrediction(schema: TableSchema, prediction: Prediction): void {
  const out = document.getElementById('prediction')!;
  const parts: HTMLElement[] = [];
  if ('label' in prediction) {
    const verdict = el('p', 'verdict-line');
    verdict.append(`${schema.target.name}: `, el('b', '', String(prediction.label)));
    verdict.querySelector('b')!.id = 'predicted-label';
    parts.push(verdict);
    const bars = el('div', 'class-bars');
    for (const [label, p] of Object.entries(prediction.probabilities).sort((a, b) => b[1] - a[1])) {
      const row = el('div', `class-bar${label === String(prediction.label) ? ' top' : ''}`);
      row.dataset.label = label;
      row.dataset.probability = String(p);
      const track = el('span', 'track');
      const fill = el('span', 'fill');
      fill.style.width = `${(p * 100).toFixed(1)}%`;
      track.append(fill);
      row.append(el('span', 'name', label), track, el('span', 'percent', `${(p * 100).toFixed(1)}%`));
      bars.append(row);
    }
    parts.push(bars);
  } else {
    const verdict = el('p', 'verdict-line');
    const value = el('b', '', short(prediction.value));
    value.id = 'predicted-value';
    verdict.append(`${schema.target.name}: `, value);
    parts.push(verdict);
  }
  for (const warning of prediction.warnings ?? []) parts.push(el('p', 'hint', warning));
  out.replaceChildren(...parts);
}
