// Model files: { format: 'simdnet', version, spec, dtype, layers } with every weight stored as little-endian
// base64 in the network's own precision, so a round trip reproduces predictions bit for bit. Reading checks
// everything and reports any inconsistency as INVALID_MODEL.

import { decodeBase64, encodeBase64 } from './base64.js';
import type { FloatArray } from './data.js';
import type { LayerWeights } from './engine.js';
import { SimdnetError, describe } from './errors.js';
import { type ResolvedSpec, resolveSpec } from './spec.js';

export const MODEL_FORMAT = 'simdnet';
export const MODEL_VERSION = 1;

export type Dtype = 'float32' | 'float64';

export interface NetworkJSON {
  format: typeof MODEL_FORMAT;
  version: number;
  spec: ResolvedSpec;
  dtype: Dtype;
  /** Per layer: [inputs][units] weights and the biases, as base64 of little-endian floats. */
  layers: { weights: string; biases: string }[];
}

const bytesPer = (dtype: Dtype): number => (dtype === 'float32' ? 4 : 8);

function encode(values: FloatArray, dtype: Dtype): string {
  const bytes = new Uint8Array(values.length * bytesPer(dtype));
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    if (dtype === 'float32') view.setFloat32(i * 4, v, true);
    else view.setFloat64(i * 8, v, true);
  });
  return encodeBase64(bytes);
}

const invalid = (problem: string, cause?: unknown) =>
  new SimdnetError('INVALID_MODEL', `model: ${problem}`, { cause });

function decode(text: unknown, dtype: Dtype, count: number, field: string): FloatArray {
  if (typeof text !== 'string') throw invalid(`${field}: expected a base64 string, got ${describe(text)}`);
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(text);
  } catch (error) {
    throw invalid(`${field}: not valid base64`, error);
  }
  const size = bytesPer(dtype);
  if (bytes.length !== count * size) {
    throw invalid(`${field}: ${bytes.length} bytes, expected ${count} ${dtype} values (${count * size} bytes)`);
  }
  const view = new DataView(bytes.buffer);
  const values = dtype === 'float32' ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const v = dtype === 'float32' ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
    if (!Number.isFinite(v)) throw invalid(`${field}[${i}] is ${v}`);
    values[i] = v;
  }
  return values;
}

export function toModelJSON(spec: ResolvedSpec, layers: LayerWeights[], dtype: Dtype): NetworkJSON {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    spec,
    dtype,
    layers: layers.map((layer) => ({ weights: encode(layer.weights, dtype), biases: encode(layer.biases, dtype) })),
  };
}

/** Reads a model file (object or JSON text). Throws SimdnetError('INVALID_MODEL') naming what is wrong. */
export function parseModel(json: unknown): { spec: ResolvedSpec; layers: LayerWeights[] } {
  let model = json;
  if (typeof json === 'string') {
    try {
      model = JSON.parse(json);
    } catch (error) {
      throw invalid(`not JSON (${(error as Error).message})`, error);
    }
  }
  if (typeof model !== 'object' || model === null || Array.isArray(model)) {
    throw invalid(`expected an object, got ${describe(model)}`);
  }
  const m = model as Partial<Record<keyof NetworkJSON, unknown>>;
  if (m.format !== MODEL_FORMAT) throw invalid(`format is ${describe(m.format)}, expected "${MODEL_FORMAT}"`);
  if (m.version !== MODEL_VERSION) throw invalid(`version ${describe(m.version)} is not supported (${MODEL_VERSION} is)`);
  if (m.dtype !== 'float32' && m.dtype !== 'float64') {
    throw invalid(`dtype is ${describe(m.dtype)}, expected "float32" or "float64"`);
  }
  let spec: ResolvedSpec;
  try {
    spec = resolveSpec(m.spec);
  } catch (error) {
    if (error instanceof SimdnetError) throw invalid(`spec.${error.message.replace(/^spec\.?/, '')}`, error);
    throw error;
  }
  if ((m.spec as { seed?: unknown }).seed === undefined) throw invalid('spec.seed is missing');
  if (!Array.isArray(m.layers) || m.layers.length !== spec.layers.length) {
    throw invalid(`layers: expected an array of ${spec.layers.length}, got ${describe(m.layers)}`);
  }
  const dtype = m.dtype;
  let inputs = spec.inputSize;
  const layers = spec.layers.map((layer, i) => {
    const stored = m.layers && (m.layers as unknown[])[i];
    if (typeof stored !== 'object' || stored === null) throw invalid(`layers[${i}]: expected an object`);
    const { weights, biases } = stored as { weights?: unknown; biases?: unknown };
    const decoded = {
      weights: decode(weights, dtype, inputs * layer.units, `layers[${i}].weights`),
      biases: decode(biases, dtype, layer.useBias ? layer.units : 0, `layers[${i}].biases`),
    };
    inputs = layer.units;
    return decoded;
  });
  return { spec, layers };
}
