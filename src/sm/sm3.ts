/**
 * @module sm/sm3
 * SM3 (GB/T 32905-2016) and HMAC-SM3 (RFC 2104 with SM3), choosing node:crypto (OpenSSL) when it
 * is there and the pure TypeScript implementation otherwise (browsers). Both give identical output;
 * the tests cross-check them.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { nodeCryptoWithHash } from './_node.js';
import { sm3Pure } from './sm3-pure.js';
import { nativeSm2 } from './sm2/native.js';

export const SM3_OUTPUT_LENGTH = 32;

/** An incremental hash: update any number of times, digest once. */
export interface IncrementalHash {
  update(data: Uint8Array): IncrementalHash;
  digest(): Uint8Array;
  /** An independent copy of the state so far (to hash many messages that share a prefix once). */
  clone(): IncrementalHash;
}

const node = nodeCryptoWithHash('sm3');

function toU8(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** SM3 digest of `data` (32 bytes). */
export function sm3(data: Uint8Array): Uint8Array {
  if (node) return toU8(node.createHash('sm3').update(data).digest());
  return sm3Pure(data);
}

/** Below this size hashing on the main thread costs less than handing the work to the thread pool. */
const ASYNC_MIN_BYTES = 8 * 1024;

/**
 * SM3 digest of `data`, computed on the libuv thread pool by the native binding when it is there and
 * the data is large (a server's main thread stays free); otherwise as {@link sm3}. Same output.
 */
export async function sm3Async(data: Uint8Array): Promise<Uint8Array> {
  if (data.length >= ASYNC_MIN_BYTES && nativeSm2?.sm3Async) return nativeSm2.sm3Async(data);
  return sm3(data);
}

/** Incremental SM3 (for large documents read in parts). */
export function createSm3(): IncrementalHash {
  return node ? wrapNode(node.createHash('sm3')) : wrapPure(sm3Pure.create());
}

function wrapNode(h: import('node:crypto').Hash): IncrementalHash {
  const api: IncrementalHash = {
    update(d) {
      h.update(d);
      return api;
    },
    digest: () => toU8(h.digest()),
    clone: () => wrapNode(h.copy()),
  };
  return api;
}

function wrapPure(h: ReturnType<typeof sm3Pure.create>): IncrementalHash {
  const api: IncrementalHash = {
    update(d) {
      h.update(d);
      return api;
    },
    digest: () => h.digest(),
    clone: () => wrapPure(h.clone()),
  };
  return api;
}

/** HMAC-SM3 (GM/T 0006 OID 1.2.156.10197.1.401.2). */
export function hmacSm3(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (node) return toU8(node.createHmac('sm3', key).update(data).digest());
  return hmac(sm3Pure, key, data);
}

/** Which implementation `sm3()` uses here: "node" (OpenSSL) or "pure". */
export const sm3Backend: 'node' | 'pure' = node ? 'node' : 'pure';
