/**
 * @module pdf/byte-range
 * The signed bytes of a PDF signature (ISO 32000-1 §12.8.1): the file minus the /Contents hex
 * string, described by /ByteRange [start1 length1 start2 length2 …]. Hashed in place, without
 * copying the document.
 */
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { fail } from '../util/errors.js';
import { createSm3 } from '../sm/sm3.js';
import { nodeCryptoWithHash } from '../sm/_node.js';
import type { DigestName } from '../pki/cms/digest.js';

const NOBLE = { sha256, sha384, sha512 };

/** Digest of the concatenation of `parts`. */
export function digestParts(name: DigestName, parts: Uint8Array[]): Uint8Array {
  if (name === 'sm3') {
    const h = createSm3();
    for (const p of parts) h.update(p);
    return h.digest();
  }
  const node = nodeCryptoWithHash(name);
  if (node) {
    const h = node.createHash(name);
    for (const p of parts) h.update(p);
    const d = h.digest();
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  }
  const fn = NOBLE[name as keyof typeof NOBLE];
  if (!fn) fail('ALGORITHM_UNSUPPORTED', `digest ${name} is not supported`);
  const h = fn.create();
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The slices of `pdf` a /ByteRange names (they must lie inside the file). */
export function byteRangeParts(pdf: Uint8Array, byteRange: number[]): Uint8Array[] {
  if (byteRange.length === 0 || byteRange.length % 2) fail('PDF_SIGNATURE_MALFORMED', `/ByteRange has ${byteRange.length} numbers, expected pairs`);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < byteRange.length; i += 2) {
    const [s, l] = [byteRange[i], byteRange[i + 1]];
    if (!Number.isInteger(s) || !Number.isInteger(l) || s < 0 || l < 0 || s + l > pdf.length) fail('PDF_SIGNATURE_MALFORMED', `/ByteRange part [${s} ${l}] lies outside the file (${pdf.length} bytes)`);
    parts.push(pdf.subarray(s, s + l));
  }
  return parts;
}

/** Digest of the bytes a /ByteRange covers. */
export function byteRangeDigest(pdf: Uint8Array, byteRange: number[], name: DigestName): Uint8Array {
  return digestParts(name, byteRangeParts(pdf, byteRange));
}
