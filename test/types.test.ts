// What TypeScript users meet: readonly data (`as const`, `readonly number[][]`) is accepted everywhere data is
// taken (simdnet, simdnet/table, simdnet/worker), `random()` alone is one number, and the other libraries' spellings
// type-check. A small consumer file is compiled in strict mode against the source types; lines under
// an expect-error directive must stay errors. From JavaScript, `new Network()` is refused with a pointer to Network.create.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { Network, NumpyRandom } from '../src/index.js';
import { expectSimdnetError, failure } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const CONSUMER = `
import { Network, NumpyRandom, type NetworkSpec } from 'simdnet';
import { loadModel, saveModel } from 'simdnet/node';
import { fromRecords } from 'simdnet/table';
import { trainInWorker } from 'simdnet/worker';

const xor = { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] } as const;
const rows: readonly number[][] = [[0, 0], [1, 1]];
const targets: readonly (readonly number[])[] = [[0], [0]];
const spec = {
  inputSize: 2,
  layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  loss: 'meanSquaredError',
  optimizer: 'adam',
  seed: 1,
} as const;
const samples = [{ input: [0, 1], output: [1] }, { input: [1, 1], output: [0] }] as const;
const named = [{ input: { r: 1, g: 0 }, output: { dark: 1 } }] as const;

export async function consumer(): Promise<number> {
  const net = await Network.create(spec);
  net.trainSync(xor, { epochs: 2, validationData: samples });
  await net.train(rows, targets, { epochs: 1 });
  net.trainSync(samples);
  net.trainSync(named);
  net.trainSync({ inputs: rows, targets: new Uint8Array([0, 1]) });
  net.predictBatch(rows);
  net.predictBatch(xor.inputs);
  net.predict(xor.inputs[0]);
  net.predict({ r: 1, g: 0 });
  net.evaluate(rows, targets);
  net.setWeights(net.getWeights() as readonly { weights: Float32Array; biases: Float32Array }[]);
  const summary: string = net.summary();
  const keys: readonly string[] | undefined = net.inputKeys;
  await saveModel('model.json', net);
  const again: Network = await loadModel('model.json');
  const reloaded = await Network.fromJSON(new Uint8Array(0));
  const one: number = new NumpyRandom(1).random();
  const many: Float64Array = new NumpyRandom(1).random(3);
  const table = fromRecords([{ x: 1, kind: 'a' }, { x: 2, kind: 'b' }] as const);
  const { model } = await trainInWorker({ network: spec, data: samples, options: { epochs: 1 } });
  const fromWorker = await Network.fromJSON(model);
  const other: NetworkSpec = { ...spec, loss: 'categoricalCrossentropy', layers: [{ units: 2, activation: 'leaky_relu' }] };
  // @ts-expect-error random() alone is one number, not an array
  const wrong: Float64Array = new NumpyRandom(1).random();
  // @ts-expect-error an unknown loss stays an error
  const bad: NetworkSpec = { ...spec, loss: 'hinge' };
  // @ts-expect-error an unknown optimizer name stays an error
  const worse: NetworkSpec = { ...spec, optimizer: 'rmsprop' };
  return summary.length + (keys?.length ?? 0) + one + many.length + other.inputSize + again.inputSize +
    reloaded.inputSize + table.rowCount + fromWorker.inputSize + wrong.length + bad.inputSize + worse.inputSize;
}
`;

/** Type errors of CONSUMER (as a file in the repository, so that 'simdnet' maps to src/index.ts). */
function typeErrors(source: string): string[] {
  const file = `${root}test/__types-consumer.ts`;
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: ['node'], strict: true, noEmit: true, skipLibCheck: true,
    baseUrl: root, paths: {
      simdnet: ['./src/index.ts'], 'simdnet/node': ['./src/node/index.ts'], 'simdnet/table': ['./src/io/table/index.ts'],
      'simdnet/worker': ['./src/worker/index.ts'],
    },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (name) => (name === file ? source : readFile(name));
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('TypeScript consumers', () => {
  it('compile in strict mode with readonly data, as-const specs and the other libraries\u2019 names', () => {
    expect(typeErrors(CONSUMER)).toEqual([]);
  }, 120_000);

  it('see an error where the types must refuse (the check is not vacuous)', () => {
    const errors = typeErrors(CONSUMER.replace('// @ts-expect-error random() alone', '// random() alone'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/'number' is not assignable to type 'Float64Array/);
  }, 120_000);
});

describe('NumpyRandom.random', () => {
  it('returns one number with no argument, the next of the same stream (numpy: random())', () => {
    const rng = new NumpyRandom(0);
    expect(rng.random()).toBe(0.5488135039273248); // np.random.seed(0); np.random.random()
    const same = new NumpyRandom(0);
    const three = same.random(3);
    expect(rng.random(2)).toEqual(three.subarray(1));
  });
});

describe('new Network() from JavaScript', () => {
  it('is refused with a pointer to Network.create', () => {
    const Constructor = Network as unknown as new () => unknown;
    expectSimdnetError(failure(() => new Constructor()), 'INVALID_OPTIONS', 'new Network()',
      'await Network.create(spec)');
  });
});
