// Rewrites a compiled module's memory import as shared, walking the import section (sizes are unsigned LEB128).

/** Reads an unsigned LEB128 number at `at`; returns it and the position after it. */
export function readLeb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

/**
 * The core module's bytes with its imported memory declared shared (limits flag 3, with a maximum): the only
 * difference between a module for threads and the one for a single thread, so no second build is embedded.
 */
export function withSharedMemory(bytes: Uint8Array, maximumPages: number): Uint8Array<ArrayBuffer> {
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, body] = readLeb(bytes, at + 1);
    if (id === 2) {
      let p = body;
      let count: number;
      [count, p] = readLeb(bytes, p);
      for (let i = 0; i < count; i++) {
        for (let name = 0; name < 2; name++) {
          const [length, after] = readLeb(bytes, p);
          p = after + length;
        }
        const kind = bytes[p++];
        if (kind === 2) {
          const flags = bytes[p];
          let [minimum, end] = readLeb(bytes, p + 1);
          if (flags & 1) [, end] = readLeb(bytes, end);
          const limits = [0x03, ...leb(minimum), ...leb(maximumPages)];
          const section = [...bytes.subarray(body, p), ...limits, ...bytes.subarray(end, body + size)];
          return Uint8Array.from([...bytes.subarray(0, at), 2, ...leb(section.length), ...section,
            ...bytes.subarray(body + size)]);
        }
        if (kind === 0) {
          [, p] = readLeb(bytes, p); // function: its type's index
        } else if (kind === 1) {
          const flags = bytes[p + 1]; // table: reference type, then limits
          [, p] = readLeb(bytes, p + 2);
          if (flags & 1) [, p] = readLeb(bytes, p);
        } else if (kind === 3) {
          p += 2; // global: value type, mutability
        } else {
          throw new Error(`simdnet: unexpected import kind ${kind} in the core module`);
        }
      }
    }
    at = body + size;
  }
  throw new Error('simdnet: the core module imports no memory');
}

