// Base64 over bytes, with the atob/btoa that Node ≥ 16 and every browser provide.

export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000; // keeps String.fromCharCode's argument list small
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** Canonical base64: whole groups of four, padded. */
const CANONICAL = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

interface NodeBuffer {
  from(text: string, encoding: 'base64'): Uint8Array;
}

/** Throws a DOMException (InvalidCharacterError) for text that is not base64. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  // Node's Buffer decodes natively; atob and the loop below run as cold JavaScript at startup, where decoding the
  // Wasm core took 3 ms of a 25 ms cold start. Buffer skips what is not base64 instead of throwing, so only
  // canonical text goes that way (a copy: a small Buffer may be a view of a shared pool).
  const buffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;
  if (buffer && CANONICAL.test(text)) return new Uint8Array(buffer.from(text, 'base64'));
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
