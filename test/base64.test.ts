// Base64 decoding takes Node's native Buffer for canonical text and atob otherwise: both ways give the same bytes,
// and text that is not base64 throws either way.
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../src/core/base64.js';
import { NumpyRandom } from '../src/core/random.js';

/** Runs `body` with globalThis.Buffer hidden, as in a browser. */
function withoutBuffer<T>(body: () => T): T {
  const saved = globalThis.Buffer;
  (globalThis as { Buffer?: unknown }).Buffer = undefined;
  try {
    return body();
  } finally {
    globalThis.Buffer = saved;
  }
}

describe('base64', () => {
  it('round-trips every length from 0 to 70, with and without Buffer', () => {
    const rng = new NumpyRandom(7);
    for (let length = 0; length <= 70; length++) {
      const bytes = Uint8Array.from({ length }, () => rng.nextInt(255));
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      const decoded = decodeBase64(text);
      expect(decoded).toEqual(bytes);
      expect(decoded.buffer.byteLength).toBe(length); // its own buffer, not a view of Buffer's pool
      expect(withoutBuffer(() => decodeBase64(text))).toEqual(bytes);
    }
  });

  it('decodes what atob accepts beyond canonical text the same way with and without Buffer', () => {
    for (const text of ['QUJD REVG', 'QUJDRA', 'QUJDREU', ' QUJD\n']) {
      expect(decodeBase64(text)).toEqual(withoutBuffer(() => decodeBase64(text)));
    }
  });

  it('throws for text that is not base64, with and without Buffer', () => {
    for (const text of ['!!not*base64!!', 'QUJ=D', 'QUJDR', 'Q===']) {
      expect(() => decodeBase64(text), text).toThrow();
      expect(() => withoutBuffer(() => decodeBase64(text)), text).toThrow();
    }
  });
});
