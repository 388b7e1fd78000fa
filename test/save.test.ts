// Saving and loading files: every save in simdnet/node (and the CLI, which writes through the same writeFileAtomic)
// creates missing folders, replaces its file atomically, and reports file-system failures as SimdnetErrors naming
// the path, never the temporary file. simdnet's own format has saveModel/loadModel, and Network.fromJSON reads a
// file's bytes.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Network, type NetworkSpec } from '../src/index.js';
import { loadModel, loadTfjsModel, saveModel, saveOnnx, saveTfjsModel } from '../src/node/index.js';
import { writeFileAtomic, writeFileAtomicSync } from '../src/node/atomic-write.js';
import { XOR, expectSimdnetError, failure } from './helpers.js';

const SPEC: NetworkSpec = {
  inputSize: 2,
  layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  seed: 3,
};

let dir: string;
let net: Network;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'simdnet-save-'));
  net = await Network.create(SPEC);
  net.trainSync(XOR, { epochs: 5 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A path whose parent "folder" is a regular file, so that no save can succeed there. */
function underAFile(name: string): string {
  const file = join(dir, `plain-file-${name}`);
  writeFileSync(file, 'not a folder');
  return join(file, 'inside', name);
}

/** Asserts a failed save: INVALID_FILE naming the path, without the temporary file's name. */
function expectWriteError(error: unknown, path: string): void {
  expectSimdnetError(error, 'INVALID_FILE', `${path}: cannot be written`);
  expect((error as Error).message).not.toMatch(/\.tmp\b/);
}

describe('saves create missing folders', () => {
  it("saveTfjsModel('my-model', net) in a folder that does not exist yet", async () => {
    const target = join(dir, 'fresh', 'nested', 'my-model');
    const { modelPath, weightsPath } = await saveTfjsModel(target, net);
    expect(readdirSync(target).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await Network.fromTfjs(await loadTfjsModel(modelPath));
    expect(loaded.predictBatch(XOR.inputs)).toEqual(net.predictBatch(XOR.inputs));
    expect(weightsPath).toBe(join(target, 'weights.bin'));
  });

  it('saveModel, saveOnnx and the atomic writers the CLI uses', async () => {
    await saveModel(join(dir, 'a', 'b', 'model.json'), net);
    await saveOnnx(join(dir, 'c', 'model.onnx'), net);
    await writeFileAtomic(join(dir, 'd', 'e', 'plot.svg'), '<svg/>');
    writeFileAtomicSync(join(dir, 'f', 'out.csv'), 'x\n');
    expect(readFileSync(join(dir, 'd', 'e', 'plot.svg'), 'utf8')).toBe('<svg/>');
    expect(readFileSync(join(dir, 'f', 'out.csv'), 'utf8')).toBe('x\n');
    expect(readFileSync(join(dir, 'c', 'model.onnx')).length).toBeGreaterThan(0);
  });
});

describe('save failures are SimdnetErrors naming the path', () => {
  it.each([
    ['saveTfjsModel', (path: string) => saveTfjsModel(path, net), 'weights.bin'],
    ['saveModel', (path: string) => saveModel(path, net), ''],
    ['saveOnnx', (path: string) => saveOnnx(path, net), ''],
    ['writeFileAtomic', (path: string) => writeFileAtomic(path, 'text'), ''],
  ] as const)('%s', async (name, save, file) => {
    const path = underAFile(name);
    expectWriteError(await failure(() => save(path)), file ? join(path, file) : path);
  });

  it('writeFileAtomicSync', () => {
    const path = underAFile('sync');
    expectWriteError(failure(() => writeFileAtomicSync(path, 'text')), path);
  });

  it('leaves errors of the data itself as they are', async () => {
    const failing = (async function* () {
      yield 'a';
      throw new Error('serialisation failed');
    })();
    await expect(writeFileAtomic(join(dir, 'data-error.txt'), failing)).rejects.toThrow(/^serialisation failed$/);
  });
});

describe("simdnet's own format as files", () => {
  it('saveModel then loadModel round-trips bit for bit, on either backend', async () => {
    const path = join(dir, 'models', 'xor.json');
    expect(await saveModel(path, net)).toBe(path);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(net.toJSON());
    const loaded = await loadModel(path);
    expect(loaded.toJSON()).toEqual(net.toJSON());
    const onJs = await loadModel(path, { backend: 'js' });
    expect(onJs.spec.backend).toBe('js');
    await saveModel(join(dir, 'models', 'xor-object.json'), net.toJSON());
    expect(readFileSync(join(dir, 'models', 'xor-object.json'), 'utf8')).toBe(readFileSync(path, 'utf8'));
  });

  it('loadModel names the path of a missing file or a file that is not a model', async () => {
    const missing = join(dir, 'nowhere', 'model.json');
    expectSimdnetError(await failure(() => loadModel(missing)), 'INVALID_FILE', `${missing}: cannot be read (ENOENT)`);
    const notModel = join(dir, 'not-a-model.json');
    writeFileSync(notModel, '{"hello": 1}');
    expectSimdnetError(await failure(() => loadModel(notModel)), 'INVALID_MODEL', `${notModel}: model: format is undefined`);
    const tooBig = join(dir, 'models', 'xor.json');
    expectSimdnetError(await failure(() => loadModel(tooBig, { maxParameters: 2 })), 'INVALID_MODEL',
      `${tooBig}: model: spec declares 13 parameters, more than maxParameters (2)`);
  });

  it('saveModel refuses what is not a model', async () => {
    expectSimdnetError(await failure(() => saveModel(join(dir, 'x.json'), null as never)), 'INVALID_OPTIONS',
      'model: expected a network or its toJSON(), got null');
  });
});

describe('Network.fromJSON', () => {
  it("reads a file's bytes: a Buffer or a Uint8Array of UTF-8 text", async () => {
    const text = JSON.stringify(net.toJSON());
    const fromBuffer = await Network.fromJSON(Buffer.from(text, 'utf8'));
    expect(fromBuffer.toJSON()).toEqual(net.toJSON());
    const fromBytes = await Network.fromJSON(new TextEncoder().encode(text));
    expect(fromBytes.predictBatch(XOR.inputs)).toEqual(net.predictBatch(XOR.inputs));
  });

  it('says what to pass for anything else', async () => {
    for (const [value, shown] of [
      [42, 'got 42'], [undefined, 'got undefined'], [new ArrayBuffer(4), 'an ArrayBuffer (wrap it: new Uint8Array(buffer))'],
      [new Float32Array(2), 'got a Float32Array'],
    ] as const) {
      expectSimdnetError(await failure(() => Network.fromJSON(value as never)), 'INVALID_MODEL',
        'expected what toJSON() returned: the object, its JSON text, or that text as UTF-8 bytes', shown);
    }
    expectSimdnetError(await failure(() => Network.fromJSON(new Uint8Array([0xff, 0xfe, 0x00]))), 'INVALID_MODEL',
      'the bytes are not UTF-8 text');
    // Refused by its length before it is decoded: 1 MiB (spec and whitespace) beyond what one parameter needs.
    expectSimdnetError(await failure(() => Network.fromJSON(new Uint8Array(2 ** 20 + 100), { maxParameters: 1 })),
      'INVALID_MODEL', '1048676 bytes, more than a model of at most 1 parameters');
  });

  it("points to the right reader for another library's model or a spec", async () => {
    expectSimdnetError(await failure(() => Network.fromJSON(net.toTfjs() as never)), 'INVALID_MODEL',
      'this is a TensorFlow.js model; load it with Network.fromTfjs');
    expectSimdnetError(await failure(() => Network.fromJSON({ sizes: [2, 1], layers: [] } as never)), 'INVALID_MODEL',
      'load it with Network.fromBrainJSON');
    expectSimdnetError(await failure(() => Network.fromJSON(SPEC as never)), 'INVALID_MODEL',
      'this is a network spec; build it with Network.create');
  });
});
