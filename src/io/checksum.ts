// CRC-32 (IEEE 802.3, the polynomial of zip, gzip and PNG: reflected 0xEDB88320, initial value and final XOR
// 0xFFFFFFFF). Model files carry one over their spec and weight bytes, so that a flipped bit anywhere in the
// numbers that define the network is caught on loading instead of changing predictions silently.

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** An incremental CRC-32: feed it byte arrays in order, then read `value` (an unsigned 32-bit integer). */
export class Crc32 {
  #state = 0xffffffff;

  update(bytes: Uint8Array): this {
    let c = this.#state;
    for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    this.#state = c;
    return this;
  }

  get value(): number {
    return (this.#state ^ 0xffffffff) >>> 0;
  }
}

/** CRC-32 of one byte array: crc32(ASCII "123456789") is 0xCBF43926, the standard check value. */
export function crc32(bytes: Uint8Array): number {
  return new Crc32().update(bytes).value;
}
