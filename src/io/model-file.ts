// Model files: { format: 'simdnet', version, spec, dtype, checksum, layers } with every weight stored as
// little-endian base64 in the network's own precision, so a round trip reproduces predictions bit for bit. Reading
// checks everything and reports any inconsistency as INVALID_MODEL.
//
// Model files come from the internet, so reading is defensive: the size of the network the spec declares is
// checked against `maxParameters` before anything is allocated for it (and JSON text longer than such a model could
// be is refused before it is parsed); the base64 text of every layer must have exactly the length its floats need
// before it is decoded; and `checksum`, a CRC-32 over the spec (all of it but `backend`), the dtype and every weight
// byte, catches corruption that would otherwise leave a well-formed file with different numbers in it.
//
// A model trained on a table (simdnet/table) also carries `table`, the schema that turns raw rows into inputs. The
// checksum covers it too, so `Network.fromJSON` still loads the numeric core of such a file, checked whole.

import { decodeBase64, encodeBase64 } from '../core/base64.js';
import { Crc32 } from './checksum.js';
import { FLOAT32_MAX } from '../core/constants.js';
import type { FloatArray } from '../core/data.js';
import type { LayerWeights } from '../core/engine.js';
import { SimdnetError, describe } from '../core/errors.js';
import { type ResolvedSpec, countParameters, resolveSpec } from '../core/spec.js';

export const MODEL_FORMAT = 'simdnet';
export const MODEL_VERSION = 1;

export type Dtype = 'float32' | 'float64';

export interface NetworkJSON {
  format: typeof MODEL_FORMAT;
  version: number;
  spec: ResolvedSpec;
  dtype: Dtype;
  /** "crc32:" and 8 hex digits: CRC-32 of the spec (without `backend`), the dtype and the weight bytes. */
  checksum: string;
  /** Per layer: [inputs][units] weights and the biases, as base64 of little-endian floats. */
  layers: { weights: string; biases: string }[];
  /** A table model's schema (simdnet/table): plain JSON, read and checked there. */
  table?: Record<string, unknown>;
}

/** Options of `Network.fromJSON` that concern reading the file. */
export interface ModelLimits {
  /**
   * The most parameters (weights and biases) a model file may declare; larger ones are refused with INVALID_MODEL
   * before anything is allocated for them. Default DEFAULT_MAX_PARAMETERS (16,777,216 = 2²⁴, 64 MiB of float32);
   * `Infinity` turns the check off.
   */
  maxParameters?: number;
}

export const DEFAULT_MAX_PARAMETERS = 2 ** 24;

/** Checks the maxParameters option (INVALID_OPTIONS unless a positive integer or Infinity). */
export function resolveMaxParameters(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_PARAMETERS;
  if (typeof value !== 'number' || !(value === Infinity || (Number.isInteger(value) && value >= 1))) {
    throw new SimdnetError('INVALID_OPTIONS', `options.maxParameters: expected a positive integer or Infinity, got ` +
      describe(value));
  }
  return value;
}

/** JSON text with every object's keys sorted: the same spec always gives the same bytes. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record).sort().map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The checksum a model file stores: CRC-32 of the canonical spec without `backend`, the dtype, then the weights,
 * then (when there is one) the canonical table schema.
 */
function checksumOf(spec: ResolvedSpec, dtype: Dtype, payloads: Uint8Array[], table?: object): string {
  const { backend: _backend, ...rest } = spec;
  const encoder = new TextEncoder();
  const crc = new Crc32().update(encoder.encode(`${canonical(rest)}\n${dtype}\n`));
  for (const bytes of payloads) crc.update(bytes);
  if (table !== undefined) crc.update(encoder.encode(`\ntable:${canonical(table)}`));
  return `crc32:${crc.value.toString(16).padStart(8, '0')}`;
}

const bytesPer = (dtype: Dtype): number => (dtype === 'float32' ? 4 : 8);

function toBytes(values: FloatArray, dtype: Dtype): Uint8Array {
  const bytes = new Uint8Array(values.length * bytesPer(dtype));
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    if (dtype === 'float32') view.setFloat32(i * 4, v, true);
    else view.setFloat64(i * 8, v, true);
  });
  return bytes;
}

const invalid = (problem: string, cause?: unknown) =>
  new SimdnetError('INVALID_MODEL', `model: ${problem}`, { cause });

/**
 * Decodes one stored array; its bytes (for the checksum) go to `payloads`. With `float32`, values a float32 cannot
 * hold (possible in a float64 file) are refused rather than turned into Infinity.
 */
function decode(text: unknown, dtype: Dtype, count: number, field: string, payloads: Uint8Array[],
  float32: boolean): FloatArray {
  if (typeof text !== 'string') throw invalid(`${field}: expected a base64 string, got ${describe(text)}`);
  const size = bytesPer(dtype);
  const characters = Math.ceil((count * size) / 3) * 4; // padded base64, as toJSON writes it
  if (text.length !== characters) {
    throw invalid(`${field}: ${text.length} base64 characters, expected ${characters} for ${count} ${dtype} values ` +
      `(${count * size} bytes)`);
  }
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(text);
  } catch (error) {
    throw invalid(`${field}: not valid base64`, error);
  }
  if (bytes.length !== count * size) {
    throw invalid(`${field}: ${bytes.length} bytes, expected ${count} ${dtype} values (${count * size} bytes)`);
  }
  const view = new DataView(bytes.buffer);
  const values = dtype === 'float32' ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const v = dtype === 'float32' ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
    if (!Number.isFinite(v)) throw invalid(`${field}[${i}] is ${v}`);
    if (float32 && Math.abs(v) > FLOAT32_MAX) {
      throw invalid(`${field}[${i}] is ${v}, beyond float32's range (±3.4e38): this model loads only on the js backend`);
    }
    values[i] = v;
  }
  payloads.push(bytes);
  return values;
}

/**
 * A network's model file with a table schema added (and the checksum recomputed to cover it). The schema must be
 * plain JSON: what JSON.parse(JSON.stringify(table)) gives back unchanged.
 */
export function withTable(model: NetworkJSON, table: Record<string, unknown>): NetworkJSON {
  const payloads = model.layers.flatMap((layer) => [decodeBase64(layer.weights), decodeBase64(layer.biases)]);
  return { ...model, checksum: checksumOf(model.spec, model.dtype, payloads, table), table };
}

export function toModelJSON(spec: ResolvedSpec, layers: LayerWeights[], dtype: Dtype): NetworkJSON {
  const payloads = layers.map((layer) => [toBytes(layer.weights, dtype), toBytes(layer.biases, dtype)]);
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    spec,
    dtype,
    checksum: checksumOf(spec, dtype, payloads.flat()),
    layers: payloads.map(([weights, biases]) => ({ weights: encodeBase64(weights), biases: encodeBase64(biases) })),
  };
}

/** What to call instead, when an object without simdnet's format is another library's model or a spec. */
function foreignModelHint(model: object): string {
  if ('modelTopology' in model) return ': this is a TensorFlow.js model; load it with Network.fromTfjs';
  if ('sizes' in model && 'layers' in model) return ': this looks like a brain.js model; load it with Network.fromBrainJSON';
  if ('inputSize' in model && 'layers' in model) return ': this is a network spec; build it with Network.create';
  return '';
}

/**
 * Reads a model file (object, JSON text, or that text's UTF-8 bytes). Throws SimdnetError('INVALID_MODEL') naming what is wrong, and
 * INVALID_OPTIONS for a bad `maxParameters`. `limits.backend` is where the model will load (default: its spec's),
 * so that float64 weights a float32 backend cannot hold are refused.
 */
export function parseModel(json: unknown, limits: ModelLimits & { backend?: unknown } = {}):
  { spec: ResolvedSpec; layers: LayerWeights[]; table?: Record<string, unknown> } {
  const maxParameters = resolveMaxParameters(limits?.maxParameters);
  let model = json;
  // Longer than the largest model allowed could be (float64 weights in base64, and a generous 1 MiB for the
  // spec and whitespace): refused before it is decoded or JSON.parse spends memory on it.
  const longest = Math.ceil((maxParameters * 8) / 3) * 4 + 2 ** 20;
  const tooLong = (length: number, unit: string) =>
    invalid(`${length} ${unit}, more than a model of at most ${maxParameters} parameters can take (pass a larger ` +
      'maxParameters to load it)');
  if (json instanceof Uint8Array) {
    // A file's bytes (readFile without an encoding, fetch's arrayBuffer): UTF-8 text.
    if (json.length > longest) throw tooLong(json.length, 'bytes');
    try {
      model = new TextDecoder('utf-8', { fatal: true }).decode(json);
    } catch (error) {
      throw invalid('the bytes are not UTF-8 text', error);
    }
  }
  if (typeof model === 'string') {
    if (model.length > longest) throw tooLong(model.length, 'characters of text');
    try {
      model = JSON.parse(model);
    } catch (error) {
      throw invalid(`not JSON (${(error as Error).message})`, error);
    }
  }
  if (typeof model !== 'object' || model === null || Array.isArray(model) || ArrayBuffer.isView(model) ||
    model instanceof ArrayBuffer) {
    throw invalid(`expected what toJSON() returned: the object, its JSON text, or that text as UTF-8 bytes ` +
      `(a Uint8Array or Buffer), got ${model instanceof ArrayBuffer ? 'an ArrayBuffer (wrap it: new Uint8Array(buffer))'
        : describe(model)}`);
  }
  const m = model as Partial<Record<keyof NetworkJSON, unknown>>;
  if (m.format !== MODEL_FORMAT) {
    throw invalid(`format is ${describe(m.format)}, expected "${MODEL_FORMAT}"${foreignModelHint(model)}`);
  }
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
  const parameters = countParameters(spec);
  if (parameters > maxParameters) {
    throw invalid(`spec declares ${parameters} parameters, more than maxParameters (${maxParameters}); ` +
      'pass a larger maxParameters to fromJSON to load it');
  }
  if (typeof m.checksum !== 'string' || !/^crc32:[0-9a-f]{8}$/.test(m.checksum)) {
    throw invalid(`checksum is ${describe(m.checksum)}, expected "crc32:" and 8 lowercase hex digits`);
  }
  if (!Array.isArray(m.layers) || m.layers.length !== spec.layers.length) {
    throw invalid(`layers: expected an array of ${spec.layers.length}, got ${describe(m.layers)}`);
  }
  const dtype = m.dtype;
  const float32 = (limits?.backend ?? spec.backend) !== 'js';
  const payloads: Uint8Array[] = [];
  let inputs = spec.inputSize;
  const layers = spec.layers.map((layer, i) => {
    const stored = m.layers && (m.layers as unknown[])[i];
    if (typeof stored !== 'object' || stored === null) throw invalid(`layers[${i}]: expected an object`);
    const { weights, biases } = stored as { weights?: unknown; biases?: unknown };
    const decoded = {
      weights: decode(weights, dtype, inputs * layer.units, `layers[${i}].weights`, payloads, float32),
      biases: decode(biases, dtype, layer.useBias ? layer.units : 0, `layers[${i}].biases`, payloads, float32),
    };
    inputs = layer.units;
    return decoded;
  });
  const table = m.table;
  if (table !== undefined && (typeof table !== 'object' || table === null || Array.isArray(table))) {
    throw invalid(`table: expected an object (a table schema), got ${describe(table)}`);
  }
  const actual = checksumOf(spec, dtype, payloads, table);
  if (actual !== m.checksum) {
    throw invalid(`checksum ${m.checksum} does not match the contents (${actual}): the file was corrupted or edited`);
  }
  return table === undefined ? { spec, layers } : { spec, layers, table: table as Record<string, unknown> };
}
