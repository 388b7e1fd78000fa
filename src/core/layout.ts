// Where everything lives in a backend's heap. TypeScript plans every buffer up front; kernels only get offsets.
//
//   [parameters A][parameters B][gradients][optimiser state …]  ← the head: fixed for a network's life
//   [batch inputs][activations per layer][deltas per layer][dropout masks and kept outputs per dropout layer]
//   [batch targets][staged inputs][staged targets][index]
//   [packing area, for backends whose large products pack an operand, when one is large enough]
//
// Parameters are double-buffered: an optimiser step reads one block and writes the other, so the last good values
// survive a step that overflows. Within a block all weight matrices come first, then all bias vectors, so a
// regularised step is one pass over the weights and one over the biases. Every region starts on a 16-byte
// boundary (4 slots).

import { activationId } from './constants.js';
import type { ResolvedSpec } from './spec.js';

const align = (slots: number): number => Math.ceil(slots / 4) * 4;

export interface LayerPlan {
  inputs: number;
  units: number;
  activation: number;
  alpha: number;
  /** Dropout rate on the layer's outputs while training (0: none). */
  dropout: number;
  /** Offset of the [inputs][units] weight matrix within a parameter block. */
  weights: number;
  /** Offset of the bias vector within a parameter block, or -1 without bias. */
  biases: number;
}

export interface ParameterPlan {
  layers: LayerPlan[];
  /** Slots from the block's start that hold weights (with alignment padding, which stays zero). */
  weightSlots: number;
  biasStart: number;
  biasSlots: number;
  blockSlots: number;
}

export function planParameters(spec: ResolvedSpec): ParameterPlan {
  let inputs = spec.inputSize;
  let cursor = 0;
  const layers = spec.layers.map((layer) => {
    const plan = {
      inputs, units: layer.units, activation: activationId(layer.activation), alpha: layer.alpha ?? 0,
      dropout: layer.dropout ?? 0, weights: cursor, biases: -1,
    };
    cursor = align(cursor + inputs * layer.units);
    inputs = layer.units;
    return plan;
  });
  const weightSlots = cursor;
  spec.layers.forEach((layer, i) => {
    if (!layer.useBias) return;
    layers[i].biases = cursor;
    cursor = align(cursor + layer.units);
  });
  return { layers, weightSlots, biasStart: weightSlots, biasSlots: cursor - weightSlots, blockSlots: cursor };
}

/** How many optimiser-state blocks (each the size of a parameter block) an optimiser keeps. */
export function stateBlocks(optimizer: ResolvedSpec['optimizer']): number {
  if (optimizer.type === 'adam') return 2;
  return optimizer.momentum > 0 ? 1 : 0;
}

export interface Regions {
  parameters: [number, number];
  gradients: number;
  state: number[];
  /** Scratch for `rows` samples at a time. */
  rows: number;
  input: number;
  activations: number[];
  deltas: number[];
  /** Per layer, its dropout mask and its outputs times the mask (what the next layer reads), or −1 without dropout. */
  masks: number[];
  kept: number[];
  target: number;
  /** The training set, copied in once per run, and its shuffled row order. */
  dataRows: number;
  dataInputs: number;
  dataTargets: number;
  index: number;
  /** The backend's packing area, or -1 for none. */
  pack: number;
  end: number;
}

/**
 * The largest right-hand operand, in slots, of the network's products over `rows` samples: a layer's weights
 * (forward) or its deltas (weight gradient).
 */
function largestOperand(spec: ResolvedSpec, rows: number): number {
  let inputs = spec.inputSize;
  let largest = 0;
  for (const layer of spec.layers) {
    largest = Math.max(largest, inputs * layer.units, rows * layer.units);
    inputs = layer.units;
  }
  return largest;
}

export function planRegions(base: number, spec: ResolvedSpec, parameters: ParameterPlan,
  rows: number, dataRows: number, packing?: { slots: number; threshold: number }): Regions {
  let cursor = align(base);
  const take = (slots: number): number => {
    const at = cursor;
    cursor = align(cursor + slots);
    return at;
  };
  const block = parameters.blockSlots;
  const outputs = spec.layers[spec.layers.length - 1].units;
  const regions = {
    parameters: [take(block), take(block)] as [number, number],
    gradients: take(block),
    state: Array.from({ length: stateBlocks(spec.optimizer) }, () => take(block)),
    rows,
    input: take(rows * spec.inputSize),
    activations: spec.layers.map((layer) => take(rows * layer.units)),
    deltas: spec.layers.map((layer) => take(rows * layer.units)),
    masks: spec.layers.map((layer) => (layer.dropout ? take(rows * layer.units) : -1)),
    kept: spec.layers.map((layer) => (layer.dropout ? take(rows * layer.units) : -1)),
    target: take(rows * outputs),
    dataRows,
    dataInputs: take(dataRows * spec.inputSize),
    dataTargets: take(dataRows * outputs),
    index: take(dataRows),
    pack: packing && largestOperand(spec, rows) > packing.threshold ? take(packing.slots) : -1,
  };
  return { ...regions, end: cursor };
}
