// "Backpropagation by hand": the Neural Networks Primer's 1-1-1 example (input 0.8, target 1, w¹ = 1.58, b¹ = −0.14,
// w² = 2.45, b² = −0.11, step 0.1, cost ½(a − y)²) taken one step of the calculation at a time. The nineteen values
// come from examples/nielsen-1-1-1.ts, which reads them from simdnet's `trace()` and training step on the js backend,
// and are printed the way the tutorial's Python session prints them (repr).

import { run as nielsen111 } from '../../../examples/nielsen-1-1-1.js';
import { repr } from '../../../examples/print.js';
import { $ } from '../dom.js';

interface Step {
  title: string;
  how: string;
  names: string[];
}

const STEPS: Step[] = [
  { title: 'Forward through layer 1', how: 'z¹ = w¹·x + b¹ = 1.58 × 0.8 − 0.14, then a¹ = sigmoid(z¹).', names: ['z_l1', 'a_l1'] },
  { title: 'Forward through layer 2', how: 'z² = w²·a¹ + b², then a² = sigmoid(z²): the network says 0.85 where it should say 1.', names: ['z_l2', 'a_l2'] },
  {
    title: 'Backward through layer 2',
    how: '∂C/∂a² = a² − y. Times sigmoid′(z²) it is ∂C/∂z² = ∂C/∂b²; times a¹ it is ∂C/∂w²; times w² it is ∂C/∂a¹, what layer 1 is told.',
    names: ['dc_db_l2', 'dc_dw_l2', 'dc_da_l1'],
  },
  { title: 'Update layer 2', how: 'Each parameter moves against its slope by the step 0.1: b² − 0.1·∂C/∂b², w² − 0.1·∂C/∂w².', names: ['updated_b_l2', 'updated_w_l2'] },
  { title: 'Backward through layer 1', how: '∂C/∂b¹ = sigmoid′(z¹)·∂C/∂a¹, and ∂C/∂w¹ = x·∂C/∂b¹.', names: ['dc_db_l1', 'dc_dw_l1'] },
  { title: 'Update layer 1', how: 'The same rule: b¹ − 0.1·∂C/∂b¹, w¹ − 0.1·∂C/∂w¹.', names: ['updated_b_l1', 'updated_w_l1'] },
  { title: 'Forward again with the new parameters', how: 'The same input through the updated network.', names: ['updated_z_l1', 'updated_a_l1', 'updated_z_l2', 'updated_a_l2'] },
  { title: 'Compare the costs', how: 'C = ½(a² − 1)² before and after: one step made it a little smaller.', names: ['original_cost', 'updated_cost'] },
];

/** What each value is, in the page's notation. */
const LABELS: Record<string, string> = {
  z_l1: 'z¹', a_l1: 'a¹', z_l2: 'z²', a_l2: 'a²', dc_db_l2: '∂C/∂b² = ∂C/∂z²', dc_dw_l2: '∂C/∂w²', dc_da_l1: '∂C/∂a¹',
  updated_b_l2: 'new b²', updated_w_l2: 'new w²', dc_db_l1: '∂C/∂b¹ = ∂C/∂z¹', dc_dw_l1: '∂C/∂w¹',
  updated_b_l1: 'new b¹', updated_w_l1: 'new w¹', updated_z_l1: 'new z¹', updated_a_l1: 'new a¹',
  updated_z_l2: 'new z²', updated_a_l2: 'new a²', original_cost: 'C before', updated_cost: 'C after',
};

/** Where each value appears on the diagram (an SVG text element's id), if it does. */
const SLOTS: Record<string, string> = {
  z_l1: 'bp-l1-z', a_l1: 'bp-l1-a', z_l2: 'bp-l2-z', a_l2: 'bp-l2-a',
  dc_db_l2: 'bp-l2-grad', dc_dw_l2: 'bp-w2-grad', dc_da_l1: 'bp-l1-da',
  updated_b_l2: 'bp-b2', updated_w_l2: 'bp-w2', dc_db_l1: 'bp-l1-grad', dc_dw_l1: 'bp-w1-grad',
  updated_b_l1: 'bp-b1', updated_w_l1: 'bp-w1', updated_z_l1: 'bp-l1-z', updated_a_l1: 'bp-l1-a',
  updated_z_l2: 'bp-l2-z', updated_a_l2: 'bp-l2-a', original_cost: 'bp-cost', updated_cost: 'bp-cost2',
};

/** The diagram's text before any step: the example's given parameters. */
const GIVEN: Record<string, string> = {
  'bp-w1': 'w¹ = 1.58', 'bp-b1': 'b¹ = −0.14', 'bp-w2': 'w² = 2.45', 'bp-b2': 'b² = −0.11',
};

const SHORT: Record<string, string> = {
  z_l1: 'z', a_l1: 'a', z_l2: 'z', a_l2: 'a', dc_db_l2: '∂C/∂z = ∂C/∂b', dc_dw_l2: '∂C/∂w²', dc_da_l1: '∂C/∂a¹',
  updated_b_l2: 'b²', updated_w_l2: 'w²', dc_db_l1: '∂C/∂z = ∂C/∂b', dc_dw_l1: '∂C/∂w¹', updated_b_l1: 'b¹',
  updated_w_l1: 'w¹', updated_z_l1: 'z', updated_a_l1: 'a', updated_z_l2: 'z', updated_a_l2: 'a',
  original_cost: 'C before', updated_cost: 'C after',
};

export class Backprop {
  /** The nineteen values, in the order the tutorial prints them. */
  values: Record<string, number> = {};
  /** Steps shown so far (0 … STEPS.length). */
  shown = 0;
  readonly #list = $('bp-values');

  constructor() {
    $('bp-next').addEventListener('click', () => this.show(this.shown + 1));
    $('bp-back').addEventListener('click', () => this.show(this.shown - 1));
    $('bp-all').addEventListener('click', () => this.show(STEPS.length));
  }

  async init(): Promise<void> {
    this.values = await nielsen111({ backend: 'js' });
    this.#list.replaceChildren(...STEPS.flatMap((step, s) => step.names.map((name) => {
      const item = document.createElement('li');
      item.dataset.name = name;
      item.dataset.step = String(s + 1);
      const label = Object.assign(document.createElement('span'), { className: 'bp-label', textContent: LABELS[name] });
      const code = Object.assign(document.createElement('code'), { textContent: name });
      const value = Object.assign(document.createElement('output'), { className: 'bp-value', textContent: repr(this.values[name]) });
      item.append(label, code, value);
      return item;
    })));
    this.show(0);
  }

  show(shown: number): void {
    this.shown = Math.max(0, Math.min(STEPS.length, shown));
    for (const [id, text] of Object.entries(GIVEN)) $(id).textContent = text;
    for (const id of new Set(Object.values(SLOTS))) if (!(id in GIVEN)) $(id).textContent = '';
    const seen = STEPS.slice(0, this.shown).flatMap((s) => s.names);
    for (const name of seen) $(SLOTS[name]).textContent = `${SHORT[name]} = ${this.#short(this.values[name])}`;
    for (const item of this.#list.querySelectorAll<HTMLElement>('li')) {
      const step = Number(item.dataset.step);
      item.classList.toggle('pending', step > this.shown);
      item.classList.toggle('current', step === this.shown);
    }
    const step = STEPS[this.shown - 1];
    $('bp-step-title').textContent = step ? `Step ${this.shown} of ${STEPS.length}: ${step.title}` : `${STEPS.length} steps: press Next`;
    $('bp-step-how').textContent = step ? step.how : 'Input 0.8, target 1. The parameters are on the diagram.';
    $<HTMLButtonElement>('bp-back').disabled = this.shown === 0;
    $<HTMLButtonElement>('bp-next').disabled = this.shown === STEPS.length;
    $('svg-backprop').dataset.step = String(this.shown);
  }

  #short(v: number): string {
    return Math.abs(v) < 0.1 ? v.toPrecision(4) : v.toFixed(4);
  }
}
