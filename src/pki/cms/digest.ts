/**
 * @module pki/cms/digest
 * The message digests CMS and time stamps name: SM3 (GB/T 32905), SHA-1 (only read: ESS v1 cert
 * hashes and old time-stamp requests), SHA-256/384/512 (FIPS 180-4). OpenSSL through node:crypto when
 * it is there (large PDF byte ranges), @noble/hashes and our pure SM3 otherwise (browsers).
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { nodeCryptoWithHash } from '../../sm/_node.js';
import { sm3 } from '../../sm/sm3.js';
import { id_sm3 } from '../../sm/oids.js';
import { fail } from '../../util/errors.js';

/** Digests we produce. */
export type DigestName = 'sm3' | 'sha256' | 'sha384' | 'sha512';
/** Digests we can compute when reading (SHA-1 for legacy ESS v1 and RFC 3161 requests). */
export type AnyDigestName = DigestName | 'sha1';

export const id_sha1 = '1.3.14.3.2.26';
export const id_sha256 = '2.16.840.1.101.3.4.2.1';
export const id_sha384 = '2.16.840.1.101.3.4.2.2';
export const id_sha512 = '2.16.840.1.101.3.4.2.3';

export const DIGEST_OIDS: Record<AnyDigestName, string> = {
  sm3: id_sm3,
  sha1: id_sha1,
  sha256: id_sha256,
  sha384: id_sha384,
  sha512: id_sha512,
};

export const DIGEST_LENGTHS: Record<AnyDigestName, number> = { sm3: 32, sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

const BY_OID: Record<string, AnyDigestName> = Object.fromEntries(Object.entries(DIGEST_OIDS).map(([k, v]) => [v, k as AnyDigestName]));

/** Digest name for an OID, or undefined when we cannot compute it. */
export function digestNameOf(oid: string): AnyDigestName | undefined {
  return BY_OID[oid];
}

export function isDigestName(v: unknown): v is DigestName {
  return v === 'sm3' || v === 'sha256' || v === 'sha384' || v === 'sha512';
}

const NOBLE = { sha1, sha256, sha384, sha512 };

/** Digest of `data` with the named algorithm. */
export function computeDigest(name: AnyDigestName, data: Uint8Array): Uint8Array {
  if (name === 'sm3') return sm3(data);
  const fn = NOBLE[name];
  if (!fn) fail('ALGORITHM_UNSUPPORTED', `digest algorithm ${String(name)} is not supported`);
  const node = nodeCryptoWithHash(name);
  if (node) return new Uint8Array(node.createHash(name).update(data).digest());
  return fn(data);
}
