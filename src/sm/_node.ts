/**
 * @module sm/_node
 * Access to node:crypto without importing it, so this layer still loads in a browser.
 *
 * `process.getBuiltinModule` (Node >= 20.16) returns the module synchronously; in a browser
 * `process` does not exist and every caller falls back to the pure TypeScript implementation.
 * This is computation only (hashing, block ciphers): no I/O, env or clock is touched.
 */
import type * as NodeCrypto from 'node:crypto';

type ProcessLike = { getBuiltinModule?: (id: string) => unknown };

function load(): typeof NodeCrypto | undefined {
  try {
    const p = (globalThis as { process?: ProcessLike }).process;
    return p?.getBuiltinModule?.('node:crypto') as typeof NodeCrypto | undefined;
  } catch {
    return undefined;
  }
}

const nodeCrypto = load();

let hashes: Set<string> | undefined;
let ciphers: Set<string> | undefined;

/** node:crypto when running on Node and the algorithm is available in its OpenSSL build. */
export function nodeCryptoWithHash(name: string): typeof NodeCrypto | undefined {
  if (!nodeCrypto) return undefined;
  hashes ??= new Set(nodeCrypto.getHashes());
  return hashes.has(name) ? nodeCrypto : undefined;
}

export function nodeCryptoWithCipher(name: string): typeof NodeCrypto | undefined {
  if (!nodeCrypto) return undefined;
  ciphers ??= new Set(nodeCrypto.getCiphers());
  return ciphers.has(name) ? nodeCrypto : undefined;
}

/** Cryptographically secure random bytes: WebCrypto (Node >= 19 and browsers). */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  // getRandomValues is limited to 65536 bytes per call.
  for (let off = 0; off < n; off += 65536) globalThis.crypto.getRandomValues(out.subarray(off, Math.min(n, off + 65536)));
  return out;
}
