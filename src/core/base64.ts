// Base64 over bytes, with the atob/btoa that Node ≥ 16 and every browser provide.

export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000; // keeps String.fromCharCode's argument list small
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

interface NodeBuffer {
  from(text: string, encoding: 'base64'): Uint8Array & { toString(encoding: 'base64'): string };
}

/** Throws a DOMException (InvalidCharacterError) for text that is not base64. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  // Node's Buffer decodes natively; atob and the loop below run as cold JavaScript at startup (14 ms for the Wasm
  // core). Buffer skips what is not base64 instead of throwing, so its bytes are kept only when they encode back to
  // the very text (canonical base64; a regular expression checking that took 15 ms, run cold). A copy: a small
  // Buffer may be a view of a shared pool.
  const buffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;
  const decoded = buffer?.from(text, 'base64');
  if (decoded && decoded.toString('base64') === text) return new Uint8Array(decoded);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
