/**
 * @module sm/sm2/native
 * Loader for the optional N-API binding (native/sm2_binding.c) to Node's own statically linked
 * OpenSSL: EVP_DigestSign/EVP_DigestVerify with EVP_PKEY_CTX_set1_id give standard SM2 (with Z and
 * the user ID) at OpenSSL speed. Built by `npm ci` (scripts/build-native.mjs); when it is missing or
 * fails to load (browser, no compiler), callers use the pure TypeScript path.
 *
 * This is module loading, not I/O in the sense of the pure-layer rule: no file is read by eseal code.
 */

/** Opaque handle to an EVP_PKEY held by the binding (freed by the garbage collector). */
export type NativeKey = object & { readonly __nativeSm2Key: unique symbol };

export interface NativeSm2 {
  /** OpenSSL version string the binding runs on. */
  version(): string;
  /** Private key from the 32-byte scalar (the public point is derived inside). */
  privateKey(d: Uint8Array): NativeKey;
  /** Public key from 04‖x‖y. */
  publicKey(pub: Uint8Array): NativeKey;
  /** DER signature over message M with user ID (Z computed by OpenSSL). */
  sign(key: NativeKey, message: Uint8Array, userId: Uint8Array): Uint8Array;
  /** As `sign`, on the libuv thread pool (keeps the main thread free for I/O). */
  signAsync(key: NativeKey, message: Uint8Array, userId: Uint8Array): Promise<Uint8Array>;
  /** Verifies a DER signature; false when it does not verify. */
  verify(key: NativeKey, message: Uint8Array, signatureDer: Uint8Array, userId: Uint8Array): boolean;
  /** DER signature over a precomputed e = SM3(Z‖M). */
  signDigest(key: NativeKey, e: Uint8Array): Uint8Array;
  /** Verifies a DER signature over a precomputed e. */
  verifyDigest(key: NativeKey, e: Uint8Array, signatureDer: Uint8Array): boolean;
  /** As `signDigest`, on the libuv thread pool (absent from bindings built before it was added). */
  signDigestAsync?(key: NativeKey, e: Uint8Array): Promise<Uint8Array>;
  /** SM3 digest on the libuv thread pool (absent from bindings built before it was added). */
  sm3Async?(data: Uint8Array): Promise<Uint8Array>;
}

type ProcessLike = { getBuiltinModule?: (id: string) => unknown; versions?: { node?: string } };

function loadNative(): { binding?: NativeSm2; error?: string } {
  const p = (globalThis as { process?: ProcessLike }).process;
  if (!p?.getBuiltinModule || !p.versions?.node) return { error: 'not running on Node.js' };
  const { createRequire } = p.getBuiltinModule('node:module') as typeof import('node:module');
  const require = createRequire(import.meta.url);
  // src/sm/sm2 (tests, tsx) and dist/src/sm/sm2 (built) sit at different depths below the package root.
  const candidates = ['../../../native/build/Release/eseal_sm2.node', '../../../../native/build/Release/eseal_sm2.node'];
  const errors: string[] = [];
  for (const c of candidates) {
    try {
      const b = require(c) as NativeSm2;
      if (typeof b.sign === 'function') return { binding: b };
    } catch (e) {
      errors.push((e as Error).message.split('\n')[0]);
    }
  }
  return { error: errors.join('; ') };
}

const loaded = loadNative();

/** The binding, or undefined when it is not available here. */
export const nativeSm2: NativeSm2 | undefined = loaded.binding;
/** Why the binding is not in use (for `eseal --version` and diagnostics). */
export const nativeSm2LoadError: string | undefined = loaded.error;
