/**
 * @module pki/pkcs12/hashes
 * The digests PKCS#12 files name (MAC digest, PKCS#12 KDF hash, PBKDF2 PRF), with HMAC and PBKDF2
 * over them. Pure: @noble/hashes and our SM3 work everywhere; PBKDF2 goes through OpenSSL when
 * node:crypto is there (same output, much faster for high iteration counts).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';
import { sm3Pure } from '../../sm/sm3-pure.js';
import { nodeCryptoWithHash } from '../../sm/_node.js';
import { fail } from '../../util/errors.js';

export interface DigestAlgorithm {
  /** Name as OpenSSL knows it ("sha256", "sm3"). */
  name: string;
  hash: CHash;
  /** Output length u in bytes. */
  outputLength: number;
  /** Block length v in bytes (the PKCS#12 KDF works in blocks of this size). */
  blockLength: number;
}

const alg = (name: string, hash: CHash): DigestAlgorithm => ({ name, hash, outputLength: hash.outputLen, blockLength: hash.blockLen });

export const MD5 = alg('md5', md5);
export const SHA1 = alg('sha1', sha1);
export const SHA224 = alg('sha224', sha224);
export const SHA256 = alg('sha256', sha256);
export const SHA384 = alg('sha384', sha384);
export const SHA512 = alg('sha512', sha512);
export const SM3 = alg('sm3', sm3Pure);

/** Digest AlgorithmIdentifier OIDs (the MAC's DigestInfo). */
export const DIGEST_BY_OID: Record<string, DigestAlgorithm> = {
  '1.2.840.113549.2.5': MD5,
  '1.3.14.3.2.26': SHA1,
  '2.16.840.1.101.3.4.2.4': SHA224,
  '2.16.840.1.101.3.4.2.1': SHA256,
  '2.16.840.1.101.3.4.2.2': SHA384,
  '2.16.840.1.101.3.4.2.3': SHA512,
  '1.2.156.10197.1.401': SM3,
};

/** PBKDF2 PRF OIDs (RFC 8018 Appendix B.1; hmacWithSM3 from GM/T 0006). */
export const HMAC_PRF_BY_OID: Record<string, DigestAlgorithm> = {
  '1.2.840.113549.2.7': SHA1,
  '1.2.840.113549.2.8': SHA224,
  '1.2.840.113549.2.9': SHA256,
  '1.2.840.113549.2.10': SHA384,
  '1.2.840.113549.2.11': SHA512,
  '1.2.156.10197.1.401.2': SM3,
};

/** PBKDF2's default PRF when the parameters name none. */
export const PBKDF2_DEFAULT_PRF = SHA1;

export function hmacDigest(d: DigestAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(d.hash, key, data);
}

function toU8(b: Buffer): Uint8Array {
  // Copy out of Node's Buffer pool into a fresh array.
  return new Uint8Array(b);
}

/** PBKDF2-HMAC (RFC 8018 §5.2). The caller bounds `iterations` and `length`. */
export function pbkdf2(d: DigestAlgorithm, password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Uint8Array {
  if (!Number.isSafeInteger(iterations) || iterations < 1) fail('INVALID_ARGUMENT', `PBKDF2 iteration count ${iterations} must be a positive integer`);
  const node = nodeCryptoWithHash(d.name);
  if (node) return toU8(node.pbkdf2Sync(password, salt, iterations, length, d.name));
  return noblePbkdf2(d.hash, password, salt, { c: iterations, dkLen: length });
}
