// The protobuf writer behind ONNX export (src/io/protobuf.ts), checked against protobufjs: every kind of field it
// writes comes out byte for byte as protobufjs encodes the same message, and decodes to the values written —
// varints at every length boundary and negative int64s, floats, UTF-8 strings, bytes larger than the writer's first
// buffer, nested and repeated messages.
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { NumpyRandom } from '../src/index.js';
import { ProtoWriter } from '../src/io/protobuf.js';
import { SEED } from './helpers.js';

const root = protobuf.parse(`
  syntax = "proto2";
  message Inner { optional int64 i = 1; optional string s = 2; }
  message Sample {
    optional int64 big = 1;
    optional int32 small = 2;
    optional float f = 3;
    optional string s = 4;
    optional bytes b = 5;
    optional Inner inner = 6;
    repeated Inner items = 7;
    repeated int64 list = 8;
    optional int64 negative = 20;
  }
`).root;
const Sample = root.lookupType('Sample');

/** int64 values as protobufjs decodes them (Long or number) as exact decimal strings. */
const int64 = (value: unknown) => String(value);

function both(fields: { big: number; small: number; f: number; s: string; b: Uint8Array; negative: number;
  items: { i: number; s: string }[]; list: number[] }) {
  const writer = new ProtoWriter()
    .varint(1, fields.big).varint(2, fields.small).float(3, fields.f).string(4, fields.s).bytes(5, fields.b)
    .message(6, new ProtoWriter().varint(1, fields.items[0].i).string(2, fields.items[0].s));
  for (const item of fields.items) writer.message(7, new ProtoWriter().varint(1, item.i).string(2, item.s));
  for (const value of fields.list) writer.varint(8, value);
  writer.varint(20, fields.negative);
  const ours = writer.finish();
  const theirs = Sample.encode(Sample.fromObject({ ...fields, inner: fields.items[0] })).finish();
  return { ours, theirs };
}

describe('ProtoWriter', () => {
  it('writes varints at every length boundary, negative int64s, floats, strings, bytes and messages as protobufjs does', () => {
    const boundaries = [0, 1, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28, 2 ** 31 - 1, 2 ** 32, 2 ** 35,
      2 ** 49, Number.MAX_SAFE_INTEGER];
    const fields = {
      big: Number.MAX_SAFE_INTEGER, small: 300, f: -1.5e-7, s: 'simdnet → ONNX, ünïcode 🧠', b: new Uint8Array([0, 255, 128]),
      negative: -1, items: [{ i: 2 ** 40, s: 'a' }, { i: 0, s: '' }], list: boundaries,
    };
    const { ours, theirs } = both(fields);
    expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(theirs).toString('hex'));
    const decoded = Sample.toObject(Sample.decode(ours), { longs: String, bytes: Array }) as Record<string, unknown>;
    expect(decoded.big).toBe(String(Number.MAX_SAFE_INTEGER));
    expect(decoded.small).toBe(300);
    expect(decoded.f).toBe(Math.fround(-1.5e-7));
    expect(decoded.s).toBe(fields.s);
    expect(decoded.b).toEqual([0, 255, 128]);
    expect(decoded.negative).toBe('-1');
    expect((decoded.items as { i: string; s: string }[]).map((x) => [int64(x.i), x.s])).toEqual([[String(2 ** 40), 'a'], ['0', '']]);
    expect((decoded.list as string[]).map(int64)).toEqual(boundaries.map(String));
  });

  it(`round-trips random fields, negative int64s and bytes larger than its first buffer (seed ${SEED})`, () => {
    const rng = new NumpyRandom(SEED);
    for (let trial = 0; trial < 50; trial++) {
      const int = (bits: number) => Math.floor(rng.random(1)[0] * 2 ** bits);
      // Any Unicode scalar value (1- to 4-byte UTF-8), never a lone surrogate, which UTF-8 cannot carry.
      const codePoint = () => {
        const c = 32 + int(20);
        return c >= 0xd800 && c <= 0xdfff ? c + 0x800 : c;
      };
      const b = Uint8Array.from({ length: int(rng.random(1)[0] < 0.5 ? 3 : 12) }, () => int(8));
      const fields = {
        big: int(53), small: int(31), f: rng.randn(1)[0] * 1e3, s: String.fromCodePoint(...Array.from({ length: int(5) }, codePoint)), b, negative: -int(53) - 1,
        items: Array.from({ length: 1 + int(3) }, () => ({ i: int(40), s: 'x'.repeat(int(8)) })),
        list: Array.from({ length: int(4) }, () => int(53)),
      };
      const { ours, theirs } = both(fields);
      expect(Buffer.from(ours).equals(Buffer.from(theirs)), `trial ${trial}`).toBe(true);
      const decoded = Sample.toObject(Sample.decode(ours), { longs: String, bytes: Array }) as Record<string, unknown>;
      expect(decoded.negative).toBe(String(fields.negative));
      expect(decoded.b).toEqual(Array.from(b));
    }
  });

  it('refuses a varint that is not a safe integer (an internal error, never a wrong byte)', () => {
    for (const value of [0.5, Number.NaN, 2 ** 53, -(2 ** 53)]) {
      expect(() => new ProtoWriter().varint(1, value)).toThrow(RangeError);
    }
  });
});
