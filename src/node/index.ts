// The Node-only entry `simdnet/node`: models as files. `saveModel`/`loadModel` keep simdnet's own format (toJSON's
// text). `saveTfjsModel` writes what
// `tf.loadLayersModel('file://…/model.json')` (tfjs-node) and tensorflowjs_converter read: model.json (the topology and a
// weights manifest) and weights.bin (the float32 weights). `loadTfjsModel` reads such a pair back as artifacts for
// `Network.fromTfjs`. `saveOnnx` writes a network's ONNX model (src/io/onnx.ts) as one .onnx file. Every save creates
// missing folders and replaces its file atomically (atomic-write.ts); file-system failures are INVALID_FILE errors
// naming the path. Browser bundles never import this file: it needs node:fs.

import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { SimdnetError, describe } from '../core/errors.js';
import type { BackendName } from '../core/spec.js';
import { writeFileAtomic } from './atomic-write.js';
import { type ModelLimits, type NetworkJSON, resolveMaxParameters } from '../io/model-file.js';
import { Network } from '../network.js';
import type { OnnxOptions } from '../io/onnx.js';
import type { TfjsArtifacts } from '../io/tfjs.js';

/** What model.json holds: the artifacts without their weight bytes, which are listed in `weightsManifest`. */
export interface TfjsModelJson {
  format: string;
  generatedBy: string;
  convertedBy: string | null;
  modelTopology: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: TfjsArtifacts['weightSpecs'] }[];
}

const fileError = (path: string, problem: string, cause?: unknown) =>
  new SimdnetError('INVALID_FILE', `${path}: ${problem}`, { cause });

/**
 * Writes `dir/model.json` and `dir/weights.bin` (each atomically: a reader never sees half a file) from a network
 * (anything with `toTfjs()`) or from artifacts. Returns the two paths.
 */
export async function saveTfjsModel(dir: string, model: TfjsArtifacts | { toTfjs(): TfjsArtifacts }):
  Promise<{ modelPath: string; weightsPath: string }> {
  const artifacts = 'toTfjs' in model && typeof model.toTfjs === 'function' ? model.toTfjs() : model as TfjsArtifacts;
  const modelPath = join(dir, 'model.json');
  const weightsPath = join(dir, 'weights.bin');
  const json: TfjsModelJson = {
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  };
  await writeFileAtomic(weightsPath, new Uint8Array(artifacts.weightData));
  await writeFileAtomic(modelPath, JSON.stringify(json));
  return { modelPath, weightsPath };
}

/**
 * Reads model.json (the path, or a directory holding it) and the weight files its manifest lists, as artifacts for
 * `Network.fromTfjs`. Weight files must lie in model.json's directory; their total size is checked against
 * `maxParameters` (default 2²⁴) before they are read. Missing or unreadable files are INVALID_FILE naming the file.
 */
export async function loadTfjsModel(path: string, options: { maxParameters?: number } = {}): Promise<{
  modelTopology: unknown; weightSpecs: unknown[]; weightData: ArrayBuffer; format?: unknown; generatedBy?: unknown;
}> {
  const maxParameters = resolveMaxParameters(options.maxParameters);
  let modelPath = path;
  try {
    if ((await stat(path)).isDirectory()) modelPath = join(path, 'model.json');
  } catch (error) {
    throw fileError(path, `cannot be read (${(error as Error).message})`, error);
  }
  let text: string;
  try {
    const size = (await stat(modelPath)).size;
    if (size > 64 * 2 ** 20) throw fileError(modelPath, `${size} bytes: too large for a model.json (weights go in .bin files)`);
    text = await readFile(modelPath, 'utf8');
  } catch (error) {
    if (error instanceof SimdnetError) throw error;
    throw fileError(modelPath, `cannot be read (${(error as Error).message})`, error);
  }
  let json: Partial<TfjsModelJson>;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw fileError(modelPath, `not JSON (${(error as Error).message})`, error);
  }
  if (typeof json !== 'object' || json === null || !Array.isArray(json.weightsManifest)) {
    throw fileError(modelPath, `expected a tfjs model.json with a weightsManifest array, got ${describe(json?.weightsManifest)}`);
  }
  const base = dirname(modelPath);
  const files: string[] = [];
  const weightSpecs: unknown[] = [];
  json.weightsManifest.forEach((group, i) => {
    if (typeof group !== 'object' || group === null || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw fileError(modelPath, `weightsManifest[${i}]: expected { paths, weights }`);
    }
    for (const file of group.paths) {
      const relative = typeof file === 'string' ? normalize(file) : '';
      if (!relative || isAbsolute(relative) || relative === '..' || relative.startsWith(`..${sep}`)) {
        throw fileError(modelPath, `weightsManifest[${i}].paths: ${describe(file)} is not a file beside model.json`);
      }
      files.push(join(base, relative));
    }
    weightSpecs.push(...group.weights);
  });
  const sizes = await Promise.all(files.map(async (file) => {
    try {
      return (await stat(file)).size;
    } catch (error) {
      throw fileError(file, `cannot be read (${(error as Error).message}); model.json lists it as ${basename(file)}`, error);
    }
  }));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total > maxParameters * 4) {
    throw fileError(modelPath, `its weight files hold ${total} bytes, more than maxParameters (${maxParameters}) float32 ` +
      'values; pass a larger maxParameters to load it');
  }
  const weightData = new Uint8Array(total);
  let at = 0;
  for (const file of files) {
    const bytes = await readFile(file).catch((error: Error) => {
      throw fileError(file, `cannot be read (${error.message})`, error);
    });
    if (at + bytes.length > total) throw fileError(file, 'changed while it was being read');
    weightData.set(bytes, at);
    at += bytes.length;
  }
  if (at !== total) throw fileError(modelPath, 'a weight file changed while it was being read');
  return { modelTopology: json.modelTopology, weightSpecs, weightData: weightData.buffer, format: json.format,
    generatedBy: json.generatedBy };
}

/**
 * Writes an ONNX model to `path` (atomically, creating missing folders): a network's `toOnnx(options)`, or bytes that
 * `toOnnx` returned. File-system failures are INVALID_FILE naming the path. Returns the path.
 */
export async function saveOnnx(path: string, model: Uint8Array | { toOnnx(options?: OnnxOptions): Uint8Array },
  options?: OnnxOptions): Promise<string> {
  let bytes: Uint8Array;
  if (model instanceof Uint8Array) {
    if (options !== undefined) {
      throw new SimdnetError('INVALID_OPTIONS', 'options: given with bytes, which toOnnx has already encoded; pass the ' +
        'network instead');
    }
    bytes = model;
  } else if (typeof (model as { toOnnx?: unknown } | null)?.toOnnx === 'function') {
    bytes = model.toOnnx(options);
  } else {
    throw new SimdnetError('INVALID_OPTIONS', `model: expected a network or the Uint8Array of toOnnx(), got ${describe(model)}`);
  }
  await writeFileAtomic(path, bytes);
  return path;
}

/**
 * Writes a model in simdnet's own format (`toJSON()`'s text) to `path`: a network, a table model, or the object
 * their `toJSON()` returned. Returns the path.
 */
export async function saveModel(path: string, model: NetworkJSON | { toJSON(): NetworkJSON }): Promise<string> {
  if (typeof model !== 'object' || model === null) {
    throw new SimdnetError('INVALID_OPTIONS', `model: expected a network or its toJSON(), got ${describe(model)}`);
  }
  const json = 'format' in model ? model : model.toJSON();
  await writeFileAtomic(path, JSON.stringify(json));
  return path;
}

/**
 * Reads a file that saveModel (or `JSON.stringify(net.toJSON())`) wrote and rebuilds the network, as
 * `Network.fromJSON` does with the same options. A file that cannot be read is INVALID_FILE; one that is not a
 * model is INVALID_MODEL; both name the path.
 */
export async function loadModel(path: string, options: { backend?: BackendName } & ModelLimits = {}):
  Promise<Network> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw fileError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      error);
  }
  try {
    return await Network.fromJSON(bytes, options);
  } catch (error) {
    if (error instanceof SimdnetError && error.code === 'INVALID_MODEL') {
      throw new SimdnetError('INVALID_MODEL', `${path}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
