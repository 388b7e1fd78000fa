// What every importer shares: its options, the checks made before anything is allocated (layer sizes and the
// parameter count against maxParameters), and the step from "layers read out of a foreign file" to a checked spec.
// A problem with the file is INVALID_MODEL, naming the source format and the part that is wrong; a problem with the
// caller's options is INVALID_OPTIONS (or INVALID_SPEC for the spec fields the options supply).

import { ACTIVATIONS, type ActivationName, FLOAT32_MAX, type LossName } from '../core/constants.js';
import { SimdnetError, describe } from '../core/errors.js';
import { type ModelLimits, resolveMaxParameters } from './model-file.js';
import {
  type BackendName, MAX_UNITS, type NetworkSpec, type OptimizerSpec, type ResolvedSpec, countParameters, resolveSpec,
} from '../core/spec.js';

/** Options of `Network.fromTfjs` and `Network.fromBrainJSON`: where to load, and what the foreign file lacks. */
export interface ImportOptions extends ModelLimits {
  backend?: BackendName;
  /** Default: categoricalCrossEntropy for a softmax output; otherwise what each importer documents. */
  loss?: LossName;
  optimizer?: OptimizerSpec;
  regularization?: { l1?: number; l2?: number };
  /** Drives shuffling in later training (the weights come from the file). Default: drawn from crypto. */
  seed?: number;
}

const OPTION_KEYS = ['backend', 'maxParameters', 'loss', 'optimizer', 'regularization', 'seed'];

/** A layer read out of a foreign file: its shape and activation, and its weights as [inputs][units], row-major. */
export interface ImportedLayer {
  units: number;
  activation: ActivationName;
  alpha?: number;
  useBias: boolean;
  /** A dropout rate on the layer's outputs (tfjs' Dropout layer after it). */
  dropout?: number;
}

export interface ImportedModel {
  spec: ResolvedSpec;
  layers: { weights: Float64Array; biases: Float64Array }[];
}

/** Whether a value read from a foreign file is a plain object (not null, not an array). */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An own property of a plain object (never one inherited through a `__proto__` key or from Object.prototype). */
export function own(record: unknown, key: string): unknown {
  return isRecord(record) && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export function invalidModel(source: string, problem: string, cause?: unknown): SimdnetError {
  return new SimdnetError('INVALID_MODEL', `${source}: ${problem}`, { cause });
}

/** Checks the caller's options; returns them with maxParameters resolved. */
export function checkImportOptions(options: unknown): ImportOptions & { maxParameters: number } {
  const o = options ?? {};
  if (typeof o !== 'object' || Array.isArray(o)) {
    throw new SimdnetError('INVALID_OPTIONS', `options: expected an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new SimdnetError('INVALID_OPTIONS', `options.${key}: unknown option (known: ${OPTION_KEYS.join(', ')})`);
    }
  }
  const given = o as ImportOptions;
  return { ...given, maxParameters: resolveMaxParameters(given.maxParameters) };
}

/** A layer width or input size from a foreign file: an integer in [1, MAX_UNITS]. */
export function checkSize(source: string, value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_UNITS) {
    throw invalidModel(source, `${field}: expected an integer in [1, ${MAX_UNITS}], got ${describe(value)}`);
  }
  return value;
}

/** Refuses a network larger than maxParameters, before anything is allocated for its weights. */
export function checkParameterCount(source: string, inputSize: number, layers: ImportedLayer[],
  maxParameters: number): void {
  const parameters = countParameters({ inputSize, layers });
  if (parameters > maxParameters) {
    throw invalidModel(source, `the model has ${parameters} parameters, more than maxParameters (${maxParameters}); ` +
      'pass a larger maxParameters to load it');
  }
}

export function checkActivation(source: string, value: unknown, field: string): ActivationName {
  if (!(ACTIVATIONS as readonly unknown[]).includes(value)) {
    throw invalidModel(source, `${field}: activation ${describe(value)} is not supported (simdnet has ` +
      `${ACTIVATIONS.join(', ')})`);
  }
  return value as ActivationName;
}

/** One weight from a foreign file: a finite number (within float32's range when it will live in float32). */
export function checkWeight(source: string, value: unknown, field: string, float32: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (float32 && Math.abs(value) > FLOAT32_MAX)) {
    throw invalidModel(source, `${field} is ${describe(value)}; every weight must be a finite number` +
      (float32 ? " within float32's range" : ''));
  }
  return value;
}

/**
 * The spec of an imported network: its layers from the file, the rest from the caller's options and the importer's
 * defaults. An invalid option is the caller's INVALID_SPEC; anything else wrong is the file's INVALID_MODEL.
 */
export function importedSpec(source: string, inputSize: number, layers: ImportedLayer[],
  options: ImportOptions, defaults: { loss: LossName; optimizer?: OptimizerSpec; regularization?: NetworkSpec['regularization'] }):
  ResolvedSpec {
  const spec: NetworkSpec = {
    inputSize,
    layers: layers.map((l) => ({
      units: l.units, activation: l.activation, ...(l.activation === 'leakyRelu' ? { alpha: l.alpha } : {}),
      useBias: l.useBias, ...(l.dropout ? { dropout: l.dropout } : {}),
    })),
    loss: options.loss ?? defaults.loss,
    optimizer: options.optimizer ?? defaults.optimizer,
    regularization: options.regularization ?? defaults.regularization,
    seed: options.seed,
    backend: options.backend,
  };
  for (const key of Object.keys(spec) as (keyof NetworkSpec)[]) if (spec[key] === undefined) delete spec[key];
  try {
    return resolveSpec(spec);
  } catch (error) {
    if (!(error instanceof SimdnetError)) throw error;
    const field = error.message.split(/[.:[]/, 1)[0];
    if (field in options && (options as Record<string, unknown>)[field] !== undefined) throw error;
    throw invalidModel(source, error.message, error);
  }
}
