// Property of loadMnist (src/node/mnist.ts, the Node entry `simdnet/mnist`): given a directory of four small IDX files
// of which one is truncated, bit-flipped, extended, re-headed, gzipped (validly or not) or missing, it loads a
// consistent data set or throws SimdnetError INVALID_FILE whose message names the damaged file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { loadMnist } from '../src/node/mnist.js';
import { FUZZ_TIMEOUT, check, expectCoded } from './fuzz/harness.js';

const NAMES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

function idx(dims: number[], data: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, 0x0800 | dims.length);
  dims.forEach((n, i) => header.setUint32(4 + 4 * i, n));
  const bytes = new Uint8Array(header.byteLength + data.length);
  bytes.set(new Uint8Array(header.buffer));
  bytes.set(data, header.byteLength);
  return bytes;
}

/** A valid tiny MNIST: `train` and `test` images of 28×28 and their labels. */
function files(train: number, test: number, pixel: number, label: number): Uint8Array[] {
  const images = (count: number) => idx([count, 28, 28], new Uint8Array(count * 784).fill(pixel));
  const labels = (count: number) => idx([count], Uint8Array.from({ length: count }, (_, i) => (label + i) % 10));
  return [images(train), labels(train), images(test), labels(test)];
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const damage = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.oneof(fc.integer({ min: 0, max: 15 }), fc.nat()), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 9 }) }),
  fc.record({ kind: fc.constant('dimension' as const), which: fc.integer({ min: 0, max: 3 }),
    value: fc.constantFrom(0, 1, 2, 27, 29, 0x7fffffff, 0xffffffff, 60000) }),
  fc.record({ kind: fc.constant('magic' as const), value: fc.constantFrom(0, 0x0801, 0x0802, 0x0803, 0x0804, 0x0903, 0x0d03, 0xffffffff) }),
  fc.record({ kind: fc.constant('empty' as const) }),
  fc.record({ kind: fc.constant('gzip' as const), corrupt: fc.boolean(), at: fc.nat() }),
  fc.record({ kind: fc.constant('missing' as const) }),
  fc.record({ kind: fc.constant('label' as const), value: fc.integer({ min: 10, max: 255 }) }),
);

describe('fuzz: loadMnist', () => {
  it('loads consistent data or throws INVALID_FILE naming the damaged file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-fuzz-mnist-'));
    dirs.push(dir);
    const arbitrary = fc.record({
      train: fc.integer({ min: 1, max: 3 }), test: fc.integer({ min: 1, max: 2 }),
      pixel: fc.nat(255), label: fc.nat(9),
      file: fc.integer({ min: 0, max: 3 }),
      damage,
    });
    await check('mnist', fc.asyncProperty(arbitrary, async ({ train, test, pixel, label, file, damage: d }) => {
      const contents = files(train, test, pixel, label);
      let bytes = contents[file];
      let name = NAMES[file];
      switch (d.kind) {
        case 'truncate': bytes = bytes.subarray(0, d.at % bytes.length); break;
        case 'flip': bytes = bytes.slice(); bytes[d.at % bytes.length] ^= 1 << d.bit; break;
        case 'append': bytes = Uint8Array.from([...bytes, ...d.bytes]); break;
        case 'dimension': {
          bytes = bytes.slice();
          const dims = bytes[3];
          if (d.which < dims) new DataView(bytes.buffer).setUint32(4 + 4 * d.which, d.value);
          break;
        }
        case 'magic': bytes = bytes.slice(); new DataView(bytes.buffer).setUint32(0, d.value); break;
        case 'empty': bytes = new Uint8Array(0); break;
        case 'gzip': {
          bytes = gzipSync(bytes);
          if (d.corrupt) {
            bytes = bytes.slice();
            bytes[10 + (d.at % (bytes.length - 10))] ^= 0x55;
          }
          name += '.gz';
          break;
        }
        case 'label':
          if (file % 2 === 1) {
            bytes = bytes.slice();
            bytes[bytes.length - 1] = d.value;
          }
          break;
        case 'missing': break;
      }
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      contents.forEach((content, i) => { if (i !== file) writeFileSync(join(dir, NAMES[i]), content); });
      if (d.kind !== 'missing') writeFileSync(join(dir, name), bytes);

      let data: Awaited<ReturnType<typeof loadMnist>>;
      try {
        data = await loadMnist({ dir });
      } catch (error) {
        const coded = expectCoded(error, ['INVALID_FILE']);
        if (!coded.message.includes(NAMES[file])) {
          throw new Error(`the error does not name ${NAMES[file]}: ${coded.message}`);
        }
        return;
      }
      for (const split of [data.train, data.test]) {
        if (split.inputs.length !== split.count * 784 || split.labels.length !== split.count ||
          split.targets.length !== split.count * 10) {
          throw new Error(`inconsistent split: count ${split.count}, ${split.inputs.length} pixels`);
        }
        if (split.labels.some((l) => l > 9) || split.inputs.some((p) => !(p >= 0 && p <= 1))) {
          throw new Error('a label above 9 or a pixel outside [0, 1]');
        }
      }
    }), 60);
  }, FUZZ_TIMEOUT);
});
