// Protocol Buffers, the writing half and only what ONNX models need: varint fields (int32, int64, enums), fixed32
// floats, and length-delimited fields (strings, bytes, nested messages). Repeated fields are written one entry at a
// time, which every parser accepts, packed declaration or not. Writing it here keeps the core free of runtime
// dependencies; test/onnx-protobuf.test.ts decodes its output with protobufjs.

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

/** Builds one message; nested messages are separate writers passed to `message`. */
export class ProtoWriter {
  #buffer = new Uint8Array(64);
  #length = 0;
  #reserve(extra: number): void {
    if (this.#length + extra <= this.#buffer.length) return;
    const grown = new Uint8Array(Math.max(this.#buffer.length * 2, this.#length + extra));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }

  /**
   * A bare varint: 7 bits a byte, low bits first. A negative value is its 64-bit two's complement (ten bytes), as
   * protobuf writes a negative int64.
   */
  #varint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf varint: ${value} is not a safe integer`);
    this.#reserve(10);
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.#buffer[this.#length++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.#buffer[this.#length++] = Number(v);
  }

  #tag(field: number, wire: number): void {
    this.#varint(field * 8 + wire);
  }

  /** An int32, int64 or enum field. */
  varint(field: number, value: number): this {
    this.#tag(field, WIRE_VARINT);
    this.#varint(value);
    return this;
  }

  /** A float field (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.#tag(field, WIRE_FIXED32);
    this.#reserve(4);
    new DataView(this.#buffer.buffer).setFloat32(this.#length, value, true);
    this.#length += 4;
    return this;
  }

  /** A bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.#tag(field, WIRE_LENGTH_DELIMITED);
    this.#varint(value.length);
    this.#reserve(value.length);
    this.#buffer.set(value, this.#length);
    this.#length += value.length;
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** A nested message field. */
  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  /** The message's bytes so far (a copy). */
  finish(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }
}
